// The route table: which handler a method and path reach, 404 for a path no route has,
// 405 for a path with routes for other methods only, exact, prefix and one-segment paths,
// and guards that answer before the method is looked at.
#include "gateway/routes/route_table.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/json.h"
#include "fake_exchange.h"

namespace wsd {
namespace {

using testing::FakeExchange;

// A table whose handlers write their name into `reached`.
class RouteTableTest : public ::testing::Test {
 protected:
  RouteTable::Handler named(std::string name) {
    return [this, name](HttpExchange&) {
      reached.push_back(name);
      return 0;
    };
  }

  // The handler `method path` reached; empty when none did.
  std::string reach(std::string method, std::string path) {
    FakeExchange exchange(std::move(method), std::move(path));
    reached.clear();
    table.dispatch(exchange);
    last = exchange.answeredNow;
    return reached.empty() ? "" : reached.back();
  }

  static std::string codeOf(const HttpResponse& response) {
    json::Document body;
    EXPECT_TRUE(json::parse(body, response.body)) << response.body;
    return json::string(body, "code").value_or("");
  }

  RouteTable table;
  std::vector<std::string> reached;
  std::vector<HttpResponse> last;  // what the last request was answered by the table
};

TEST_F(RouteTableTest, ReachesTheHandlerOfTheRequestsMethodAndPath) {
  table.add(kGet, PathPattern::exactly("/project"), named("list"));
  table.add(kPost, PathPattern::exactly("/project"), named("create"));
  table.add(kPost, PathPattern::exactly("/token"), named("issue"));

  EXPECT_EQ(reach("GET", "/project"), "list");
  EXPECT_EQ(reach("POST", "/project"), "create");
  EXPECT_EQ(reach("POST", "/token"), "issue");
  EXPECT_TRUE(last.empty()) << "the handler answers, not the table";
}

TEST_F(RouteTableTest, AnswersNotFoundForAPathNoRouteHas) {
  table.add(kGet, PathPattern::exactly("/project"), named("list"));

  EXPECT_EQ(reach("GET", "/projects"), "");
  ASSERT_EQ(last.size(), 1u);
  EXPECT_EQ(last[0].status, 404);
  EXPECT_EQ(codeOf(last[0]), "not_found");
  EXPECT_NE(last[0].body.find("/projects"), std::string::npos) << last[0].body;
}

TEST_F(RouteTableTest, AnswersMethodNotAllowedWhenThePathTakesOnlyOtherMethods) {
  table.add(kGet | kHead, PathPattern::exactly("/healthz"), named("health"));

  EXPECT_EQ(reach("HEAD", "/healthz"), "health");
  EXPECT_EQ(reach("DELETE", "/healthz"), "");
  ASSERT_EQ(last.size(), 1u);
  EXPECT_EQ(last[0].status, 405);
  EXPECT_EQ(codeOf(last[0]), "method_not_allowed");
}

TEST_F(RouteTableTest, HeadIsNotGetUnlessTheRouteSaysSo) {
  table.add(kGet, PathPattern::exactly("/admin/events"), named("events"));

  EXPECT_EQ(reach("HEAD", "/admin/events"), "");
  ASSERT_EQ(last.size(), 1u);
  EXPECT_EQ(last[0].status, 405);
}

TEST_F(RouteTableTest, AnExactPathMatchesItselfOnly) {
  table.add(kGet, PathPattern::exactly("/dashboard"), named("page"));

  EXPECT_EQ(reach("GET", "/dashboard"), "page");
  EXPECT_EQ(reach("GET", "/dashboard/"), "");
  EXPECT_EQ(reach("GET", "/dashboardx"), "");
  EXPECT_EQ(last.at(0).status, 404);
}

TEST_F(RouteTableTest, APrefixMatchesEveryPathThatStartsWithIt) {
  table.add(kGet, PathPattern::startingWith("/dashboard/"), named("file"));

  EXPECT_EQ(reach("GET", "/dashboard/"), "file");
  EXPECT_EQ(reach("GET", "/dashboard/js/app.js"), "file");
  EXPECT_EQ(reach("GET", "/dashboard"), "");
  EXPECT_EQ(last.at(0).status, 404);
}

TEST_F(RouteTableTest, ASegmentPatternTakesOneNonEmptySegment) {
  table.add(kPost, PathPattern::withSegment("/api/rooms/", "/send"), named("room send"));

  EXPECT_EQ(reach("POST", "/api/rooms/lobby/send"), "room send");
  for (const char* other : {"/api/rooms//send", "/api/rooms/a/b/send", "/api/rooms/send", "/api/rooms/lobby"}) {
    EXPECT_EQ(reach("POST", other), "") << other;
    EXPECT_EQ(last.at(0).status, 404) << other;
  }
  EXPECT_EQ(reach("GET", "/api/rooms/lobby/send"), "");
  EXPECT_EQ(last.at(0).status, 405);
}

TEST_F(RouteTableTest, AnyMethodRouteTakesWhatTheRoutesBeforeItLeave) {
  table.add(kGet | kHead, PathPattern::exactly("/sse"), named("open"));
  table.add(kAnyMethod, PathPattern::exactly("/sse"), named("act"));

  EXPECT_EQ(reach("GET", "/sse"), "open");
  EXPECT_EQ(reach("POST", "/sse"), "act");
  EXPECT_EQ(reach("PUT", "/sse"), "act");
  EXPECT_EQ(reach("PROPFIND", "/sse"), "act") << "a method wsd has no name for is still any method";
}

TEST_F(RouteTableTest, TheFirstRouteAddedWinsWhereTwoMatch) {
  table.add(kPost, PathPattern::exactly("/mail"), named("send"));
  table.add(kAnyMethod, PathPattern::exactly("/mail"), named("refuse"));

  EXPECT_EQ(reach("POST", "/mail"), "send");
  EXPECT_EQ(reach("GET", "/mail"), "refuse");
}

TEST_F(RouteTableTest, AGuardAnswersBeforeTheMethodIsLookedAt) {
  table.add(kPost, PathPattern::exactly("/webhook"), named("add"));
  table.guard(PathPattern::exactly("/webhook"), [](const HttpRequest& request) -> std::optional<HttpResponse> {
    if (request.authorization == "Bearer admin") return std::nullopt;
    return errorResponse(401, "unauthorized", "no admin token");
  });

  EXPECT_EQ(reach("PATCH", "/webhook"), "");
  ASSERT_EQ(last.size(), 1u);
  EXPECT_EQ(last[0].status, 401) << "a caller without the token does not learn which methods the path takes";

  FakeExchange authorized("PATCH", "/webhook");
  authorized.mutableRequest().authorization = "Bearer admin";
  table.dispatch(authorized);
  ASSERT_EQ(authorized.answeredNow.size(), 1u);
  EXPECT_EQ(authorized.answeredNow[0].status, 405);

  FakeExchange adding("POST", "/webhook");
  adding.mutableRequest().authorization = "Bearer admin";
  reached.clear();
  table.dispatch(adding);
  EXPECT_EQ(reached, std::vector<std::string>{"add"});
}

TEST_F(RouteTableTest, AGuardOfAnotherPathLeavesTheRequestAlone) {
  table.add(kGet, PathPattern::exactly("/healthz"), named("health"));
  table.guard(PathPattern::exactly("/project"),
              [](const HttpRequest&) { return std::optional(errorResponse(401, "unauthorized", "no")); });

  EXPECT_EQ(reach("GET", "/healthz"), "health");
}

TEST_F(RouteTableTest, ReturnsWhatTheHandlerReturns) {
  table.add(kGet, PathPattern::exactly("/sse"), [](HttpExchange&) { return -1; });
  FakeExchange exchange("GET", "/sse");

  EXPECT_EQ(table.dispatch(exchange), -1) << "a handler's -1 closes the connection";
}

TEST(MethodBit, NamesTheMethodsWsdServesAndNoOther) {
  EXPECT_EQ(methodBit("GET"), kGet);
  EXPECT_EQ(methodBit("PATCH"), kPatch);
  EXPECT_EQ(methodBit("get"), 0u) << "methods are case-sensitive (RFC 9110 §9.1)";
  EXPECT_EQ(methodBit("PROPFIND"), 0u);
}

}  // namespace
}  // namespace wsd
