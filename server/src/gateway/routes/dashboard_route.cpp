#include "gateway/routes/dashboard_route.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <fstream>
#include <optional>
#include <sstream>
#include <utility>

#include "core/error_codes.h"
#include "core/result.h"

namespace wsd {
namespace {

constexpr std::string_view kPrefix = "/dashboard/";

// The page loads nothing from elsewhere: scripts, styles and media are its own, and it
// talks only to this server (fetch, WebSocket, SSE).
constexpr const char* kPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "media-src 'self' blob: mediastream:; connect-src 'self' ws: wss:; frame-ancestors 'none'; base-uri 'none'";

// "index.html" for "/" (the page), "js/app.js" for "/dashboard/js/app.js"; nullopt for
// paths that are not the dashboard's.
std::optional<std::string_view> assetPathOf(std::string_view path) {
  if (path == "/" || path == "/dashboard" || path == "/dashboard/") return "index.html";
  if (!path.starts_with(kPrefix)) return std::nullopt;
  return path.substr(kPrefix.size());
}

const DashboardAsset* find(std::span<const DashboardAsset> assets, std::string_view path) {
  // O(log files): the table is sorted by path.
  auto it = std::lower_bound(assets.begin(), assets.end(), path,
                             [](const DashboardAsset& a, std::string_view p) { return a.path < p; });
  return it != assets.end() && it->path == path ? &*it : nullptr;
}

// Whether any sdk/ file is in the table. O(log files).
bool embedsSdk(std::span<const DashboardAsset> assets) {
  constexpr std::string_view kSdk = "sdk/";
  auto it = std::lower_bound(assets.begin(), assets.end(), kSdk,
                             [](const DashboardAsset& a, std::string_view p) { return a.path < p; });
  return it != assets.end() && it->path.starts_with(kSdk);
}

// sdk/<name>.js from `dir`: plain names only, so nothing outside `dir` is ever read.
Result<std::string> readSdkFile(std::string_view dir, std::string_view path) {
  constexpr std::string_view kSdk = "sdk/";
  if (dir.empty() || !path.starts_with(kSdk)) return makeError(error_codes::kNotFound.name, "not an SDK file");
  const std::string_view name = path.substr(kSdk.size());
  const bool plain = !name.empty() && name.ends_with(".js") && name.find("..") == std::string_view::npos &&
                     std::all_of(name.begin(), name.end(), [](char c) {
                       return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
                     });
  if (!plain) return makeError(error_codes::kNotFound.name, "not an SDK file name");
  std::ifstream in(std::string(dir) + "/" + std::string(name), std::ios::binary);
  if (!in) return makeError(error_codes::kNotFound.name, "no such SDK file (build sdk-js: npm run build)");
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

HttpResponse fileResponse(std::string body, std::string_view path) {
  HttpResponse response{200, std::move(body), std::string(contentTypeOf(path)), {}};
  response.headers.emplace_back("x-content-type-options", "nosniff");
  response.headers.emplace_back("referrer-policy", "no-referrer");
  if (path.ends_with(".html")) response.headers.emplace_back("content-security-policy", kPolicy);
  return response;
}

}  // namespace

std::string_view contentTypeOf(std::string_view path) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 7> kTypes = {{
      {".html", "text/html; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".json", "application/json"},
      {".webmanifest", "application/manifest+json"},
  }};
  for (const auto& [extension, type] : kTypes) {
    if (path.ends_with(extension)) return type;
  }
  return "application/octet-stream";
}

HttpResponse dashboardResponse(const HttpRequest& request, std::span<const DashboardAsset> assets,
                               std::string_view sdkDir) {
  if (request.method != "GET" && request.method != "HEAD") {
    return errorResponse(405, error_codes::kMethodNotAllowed.name, "the dashboard answers GET only");
  }
  const std::string_view path = assetPathOf(request.path).value_or("");
  if (path.find("..") != std::string_view::npos)
    return errorResponse(404, error_codes::kNotFound.name, "no such dashboard file");
  if (const DashboardAsset* asset = find(assets, path)) return fileResponse(std::string(asset->content), path);
  if (!embedsSdk(assets)) {
    auto file = readSdkFile(sdkDir, path);
    if (file.ok()) return fileResponse(std::move(*file), path);
  }
  return errorResponse(404, error_codes::kNotFound.name, "no such dashboard file: " + request.path);
}

}  // namespace wsd
