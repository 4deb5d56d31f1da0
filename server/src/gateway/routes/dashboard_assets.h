// The admin dashboard's files: dashboard/ at the repository root, and the JS SDK's ESM
// build under sdk/, compiled into wsd at build time (cmake/embed_assets.cmake writes the
// definitions of the functions below), so a binary serves exactly the page it was built
// with and needs no files beside it.
//
// Threads: any; the table is constant.
#pragma once

#include <span>
#include <string_view>

namespace wsd {

struct DashboardAsset {
  std::string_view path;     // relative to dashboard/: "index.html", "js/app.js", "sdk/index.js"
  std::string_view content;  // the file's bytes (text files only)
};

// Sorted by path.
std::span<const DashboardAsset> embeddedDashboardAssets();

// sdk-js/dist/esm in the source tree this wsd was built from. A build made before the SDK
// was (dist/ is not in git) embeds none of it; its dashboard then reads the SDK's files
// from here, if they exist by the time they are asked for.
std::string_view dashboardSdkDir();

}  // namespace wsd
