# The libwebsockets the gateway is built on: Debian 13's source package (its orig tarball),
# fetched and SHA-256 checked by deploy/local/fetch-libwebsockets.sh, built static here
# with only what wsd uses, on libevent. Updating it means changing the version and hash
# below and nothing else (docs/architecture.md, "libwebsockets").
set(WSD_LWS_VERSION "4.3.5")
set(WSD_LWS_SHA256 "87f99ad32803ed325fceac5327aae1f5c1b417d54ee61ad36cffc8df5f5ab276")
set(WSD_LWS_DEBIAN_SUITE "trixie")

if(NOT DEFINED ENV{WSD_CACHE_DIR})
  if(DEFINED ENV{XDG_CACHE_HOME})
    set(wsd_cache_dir "$ENV{XDG_CACHE_HOME}/wsd")
  else()
    set(wsd_cache_dir "$ENV{HOME}/.cache/wsd")
  endif()
else()
  set(wsd_cache_dir "$ENV{WSD_CACHE_DIR}")
endif()
set(WSD_LWS_TARBALL "${wsd_cache_dir}/libwebsockets_${WSD_LWS_VERSION}.orig.tar.gz"
    CACHE FILEPATH "The libwebsockets source tarball (deploy/local/fetch-libwebsockets.sh fetches it)")
if(NOT EXISTS "${WSD_LWS_TARBALL}")
  message(FATAL_ERROR "libwebsockets ${WSD_LWS_VERSION} source not found at ${WSD_LWS_TARBALL}: "
                      "run deploy/local/fetch-libwebsockets.sh (deploy/local/install-deps.sh runs it)")
endif()

include(ExternalProject)
# Used from its build tree: the library there is what the build step produces, so a
# change to libwebsockets relinks wsd (an install step's copy would not be seen as new).
set(wsd_lws_build "${CMAKE_BINARY_DIR}/libwebsockets/build")
set(wsd_lws_library "${wsd_lws_build}/lib/libwebsockets.a")
# Our patches, applied in order (docs/architecture.md, "libwebsockets", says what each fixes).
file(GLOB wsd_lws_patches CONFIGURE_DEPENDS "${PROJECT_SOURCE_DIR}/cmake/libwebsockets-patches/*.patch")
list(SORT wsd_lws_patches)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${wsd_lws_patches})
set(wsd_lws_patch_command "")
set(wsd_lws_patch_set "")
foreach(patch IN LISTS wsd_lws_patches)
  list(APPEND wsd_lws_patch_command COMMAND patch -p1 --forward --batch -i "${patch}")
  file(SHA256 "${patch}" patch_hash)
  string(APPEND wsd_lws_patch_set "${patch_hash} ${patch}\n")
endforeach()
# Patches apply to a fresh tree only: a changed set (this file, rewritten only when it
# changes) extracts the tarball again before patching.
set(wsd_lws_patch_set_file "${CMAKE_BINARY_DIR}/libwebsockets/patch-set.txt")
file(CONFIGURE OUTPUT "${wsd_lws_patch_set_file}" CONTENT "${wsd_lws_patch_set}")
if(wsd_lws_patch_command)
  list(POP_FRONT wsd_lws_patch_command)  # the first COMMAND keyword is PATCH_COMMAND itself
endif()

ExternalProject_Add(wsd_libwebsockets
  URL "${WSD_LWS_TARBALL}"
  URL_HASH SHA256=${WSD_LWS_SHA256}
  DOWNLOAD_EXTRACT_TIMESTAMP OFF
  PREFIX "${CMAKE_BINARY_DIR}/libwebsockets"
  BINARY_DIR "${wsd_lws_build}"
  PATCH_COMMAND ${wsd_lws_patch_command}
  INSTALL_COMMAND ""
  BUILD_BYPRODUCTS "${wsd_lws_library}"
  CMAKE_ARGS
    -DCMAKE_BUILD_TYPE=RelWithDebInfo
    # its assert()s stay on, as in Debian's build: a broken invariant stops the process
    "-DCMAKE_C_FLAGS_RELWITHDEBINFO=-O2 -g"
    # Without NDEBUG it would also build in every log call down to parser and header
    # dumps, each evaluated (and its connection's context looked up) on the hot path even
    # when the level is off: only errors, warnings and notices are built in.
    # (LLL_INFO | LLL_DEBUG | LLL_PARSER | LLL_HEADER | LLL_EXT | LLL_CLIENT | LLL_LATENCY | LLL_THREAD)
    -DLWS_LOGGING_BITFIELD_CLEAR=3064
    -DCMAKE_C_COMPILER_LAUNCHER=${CMAKE_C_COMPILER_LAUNCHER}
    -DCMAKE_POSITION_INDEPENDENT_CODE=ON
    -DDISABLE_WERROR=ON
    # static, on libevent (linked in, not a runtime plugin)
    -DLWS_WITH_STATIC=ON -DLWS_WITH_SHARED=OFF
    -DLWS_WITH_LIBEVENT=ON -DLWS_WITH_EVLIB_PLUGINS=OFF
    # a plain-HTTP server: TLS ends in front of wsd (docs/operations.md), no client side
    -DLWS_WITH_SSL=OFF -DLWS_WITHOUT_CLIENT=ON -DLWS_WITH_SYS_ASYNC_DNS=OFF
    -DLWS_WITH_HTTP2=OFF -DLWS_WITH_NETLINK=OFF -DLWS_WITH_CONMON=OFF
    -DLWS_WITH_LEJP=OFF -DLWS_WITH_CACHE_NSCOOKIEJAR=OFF -DLWS_HAVE_LIBCAP=OFF
    -DLWS_WITH_SYS_SMD=OFF -DLWS_WITH_UDP=OFF
    -DLWS_IPV6=ON
    # permessage-deflate (--ws-deflate) needs the extensions and zlib
    -DLWS_WITHOUT_EXTENSIONS=OFF -DLWS_WITH_ZLIB=ON
    -DLWS_WITHOUT_TESTAPPS=ON -DLWS_WITHOUT_TEST_SERVER=ON -DLWS_WITHOUT_TEST_SERVER_EXTPOLL=ON
    -DLWS_WITHOUT_TEST_PING=ON -DLWS_WITHOUT_TEST_CLIENT=ON -DLWS_WITH_MINIMAL_EXAMPLES=OFF
    -DLWS_WITH_EXPORT_LWSTARGETS=OFF -DLWS_CTEST_INTERNET_AVAILABLE=OFF
    # the version string would otherwise name the commit of whatever git tree holds the build
    -DCMAKE_DISABLE_FIND_PACKAGE_Git=ON)

ExternalProject_Add_StepDependencies(wsd_libwebsockets download "${wsd_lws_patch_set_file}")

# The headers appear when libwebsockets is configured; the folder must exist when CMake
# checks the imported target.
file(MAKE_DIRECTORY "${wsd_lws_build}/include")
add_library(wsd::libwebsockets STATIC IMPORTED GLOBAL)
set_target_properties(wsd::libwebsockets PROPERTIES IMPORTED_LOCATION "${wsd_lws_library}"
                                                    INTERFACE_INCLUDE_DIRECTORIES "${wsd_lws_build}/include")
target_link_libraries(wsd::libwebsockets INTERFACE PkgConfig::LIBEVENT ZLIB::ZLIB Threads::Threads)
add_dependencies(wsd::libwebsockets wsd_libwebsockets)
