// The dashboard's files over HTTP: which paths are the dashboard's, the file each names,
// its Content-Type and headers, and refusals (unknown files, paths that climb, methods
// other than GET and HEAD), and the JS SDK read from disk when a build embedded none.
// Runs on tables of its own and on the one compiled into wsd.
#include "gateway/routes/dashboard_route.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>

namespace wsd {
namespace {

constexpr DashboardAsset kAssets[] = {
    {"app.css", "body{}"},
    {"index.html", "<!doctype html>"},
    {"js/app.js", "export {}"},
};

HttpRequest get(std::string path, std::string method = "GET") {
  HttpRequest request;
  request.method = std::move(method);
  request.path = std::move(path);
  return request;
}

std::string header(const HttpResponse& response, std::string_view name) {
  for (const auto& [key, value] : response.headers) {
    if (key == name) return value;
  }
  return {};
}

TEST(DashboardRoute, TheRootIsThePageWithItsSecurityPolicy) {
  const HttpResponse response = dashboardResponse(get("/"), kAssets);
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "<!doctype html>");
  EXPECT_EQ(response.contentType, "text/html; charset=utf-8");
  EXPECT_NE(header(response, "content-security-policy").find("default-src 'self'"), std::string::npos);
  EXPECT_EQ(header(response, "x-content-type-options"), "nosniff");
}

TEST(DashboardRoute, AssetsAreServedWithTheTypeOfTheirExtension) {
  const HttpResponse script = dashboardResponse(get("/dashboard/js/app.js"), kAssets);
  EXPECT_EQ(script.status, 200);
  EXPECT_EQ(script.body, "export {}");
  EXPECT_EQ(script.contentType, "text/javascript; charset=utf-8");
  EXPECT_EQ(header(script, "content-security-policy"), "");
  EXPECT_EQ(dashboardResponse(get("/dashboard/app.css", "HEAD"), kAssets).contentType, "text/css; charset=utf-8");
}

TEST(DashboardRoute, ContentTypesByExtension) {
  EXPECT_EQ(contentTypeOf("icon.svg"), "image/svg+xml");
  EXPECT_EQ(contentTypeOf("sdk/index.js"), "text/javascript; charset=utf-8");
  EXPECT_EQ(contentTypeOf("manifest.json"), "application/json");
  EXPECT_EQ(contentTypeOf("blob.bin"), "application/octet-stream");
}

TEST(DashboardRoute, UnknownFilesAndClimbingPathsAre404) {
  EXPECT_EQ(dashboardResponse(get("/dashboard/nope.js"), kAssets).status, 404);
  EXPECT_EQ(dashboardResponse(get("/dashboard/../index.html"), kAssets).status, 404);
  EXPECT_EQ(dashboardResponse(get("/dashboard/js/../app.css"), kAssets).status, 404);
}

TEST(DashboardRoute, OnlyGetAndHeadAreAnswered) {
  EXPECT_EQ(dashboardResponse(get("/", "POST"), kAssets).status, 405);
  EXPECT_EQ(dashboardResponse(get("/dashboard/js/app.js", "DELETE"), kAssets).status, 405);
}

// A directory with one SDK file, removed at the end of the test.
class SdkDir {
 public:
  SdkDir() {
    char pattern[] = "/tmp/wsd-sdk-XXXXXX";
    path_ = ::mkdtemp(pattern);
    std::ofstream(path_ + "/index.js") << "export const sdk = 1;";
  }
  ~SdkDir() { std::filesystem::remove_all(path_); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

TEST(DashboardRoute, WithoutAnEmbeddedSdkItsFilesAreReadFromTheSdkDir) {
  SdkDir dir;
  const HttpResponse sdk = dashboardResponse(get("/dashboard/sdk/index.js"), kAssets, dir.path());
  EXPECT_EQ(sdk.status, 200);
  EXPECT_EQ(sdk.body, "export const sdk = 1;");
  EXPECT_EQ(sdk.contentType, "text/javascript; charset=utf-8");
  EXPECT_EQ(dashboardResponse(get("/dashboard/sdk/missing.js"), kAssets, dir.path()).status, 404);
  EXPECT_EQ(dashboardResponse(get("/dashboard/sdk/index.js"), kAssets, "").status, 404);
  // Plain .js names only: nothing else of the disk is reachable.
  EXPECT_EQ(dashboardResponse(get("/dashboard/sdk/sub/index.js"), kAssets, dir.path()).status, 404);
  EXPECT_EQ(dashboardResponse(get("/dashboard/js/index.js"), kAssets, dir.path()).status, 404);
}

TEST(DashboardRoute, AnEmbeddedSdkIsNeverMixedWithFilesFromDisk) {
  SdkDir dir;
  constexpr DashboardAsset kWithSdk[] = {{"index.html", "<!doctype html>"}, {"sdk/client.js", "embedded"}};
  EXPECT_EQ(dashboardResponse(get("/dashboard/sdk/index.js"), kWithSdk, dir.path()).status, 404);
  constexpr DashboardAsset kWithIndex[] = {{"index.html", ""}, {"sdk/index.js", "embedded"}};
  EXPECT_EQ(dashboardResponse(get("/dashboard/sdk/index.js"), kWithIndex, dir.path()).body, "embedded");
}

TEST(DashboardRoute, TheEmbeddedTableIsSortedAndHasThePage) {
  const auto assets = embeddedDashboardAssets();
  EXPECT_TRUE(std::is_sorted(assets.begin(), assets.end(),
                             [](const DashboardAsset& a, const DashboardAsset& b) { return a.path < b.path; }));
  const HttpResponse page = dashboardResponse(get("/"), assets);
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("dashboard/js/app.js"), std::string::npos);
  EXPECT_EQ(dashboardResponse(get("/dashboard/js/app.js"), assets).status, 200);
  EXPECT_EQ(dashboardResponse(get("/dashboard/style.css"), assets).status, 200);
}

}  // namespace
}  // namespace wsd
