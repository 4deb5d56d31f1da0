// POST /mail through the server's route table, on a real log, projector and pipeline:
// the rate limit is decided by applying the request's event (429 at once), an accepted
// mail is answered when the mailer's outcome comes back through the log (200, 502, 503),
// or 504 when none comes in time; a refused request appends nothing.
#include "gateway/routes/mail_route.h"

#include <gtest/gtest.h>

#include "core/error_codes.h"
#include "core/mail_events.h"
#include "gateway_harness.h"

namespace wsd {
namespace {

using testing::codeOf;
using testing::GatewayHarness;
using testing::stringField;

constexpr const char* kMail = R"({"to":"ann@example.com","subject":"Hello","text":"Hi Ann"})";

class MailRouteTest : public ::testing::Test {
 protected:
  explicit MailRouteTest(std::int64_t limit = 10) : gateway(optionsWithLimit(limit)) {
    token = gateway.projectWithToken("shop");
  }

  static GatewayOptions optionsWithLimit(std::int64_t limit) {
    GatewayOptions options = testing::routeTestOptions();
    options.mailLimit = limit;
    return options;
  }

  std::unique_ptr<testing::FakeExchange> post(const std::string& body = kMail) {
    return GatewayHarness::request("POST", "/mail", {{"project", "shop"}, {"token", token}}, body, std::nullopt);
  }

  // Posts a mail the limit lets through; returns the id of its mail.request.
  std::string postAccepted(testing::FakeExchange& exchange) {
    gateway.dispatch(exchange);
    gateway.applyCommitted();
    EXPECT_TRUE(exchange.answeredNow.empty());
    EXPECT_TRUE(exchange.answeredLater.given.empty()) << exchange.answeredLater.given.front().second.body;
    EXPECT_TRUE(gateway.mailAnswers().given.empty());
    return gateway.lastApplied(EventType::kMailRequest);
  }

  const HttpResponse& onlyMailAnswerTo(const testing::FakeExchange& exchange) {
    EXPECT_EQ(gateway.mailAnswers().given.size(), 1U);
    EXPECT_EQ(gateway.mailAnswers().given.front().first, exchange.id());
    return gateway.mailAnswers().given.front().second;
  }

  GatewayHarness gateway;
  std::string token;
};

TEST_F(MailRouteTest, AnAcceptedMailIsAnsweredWhenTheMailerReportsItSent) {
  auto exchange = post();
  const std::string requestId = postAccepted(*exchange);
  ASSERT_FALSE(requestId.empty());

  gateway.append(mailSentEvent("shop", requestId, "smtp", "<1@relay>", gateway.ctx().decideContext()));
  gateway.applyCommitted();
  const HttpResponse& answer = onlyMailAnswerTo(*exchange);
  EXPECT_EQ(answer.status, 200) << answer.body;
  EXPECT_EQ(stringField(answer, "status"), "success");
  EXPECT_EQ(stringField(answer, "id"), requestId);
  EXPECT_NE(answer.body.find(R"("rateLimit":{"allowed":true,"count":1,"max":10})"), std::string::npos) << answer.body;
}

TEST_F(MailRouteTest, ARelayFailureIs502AndNoRelayConfiguredIs503) {
  auto failing = post();
  const std::string failed = postAccepted(*failing);
  gateway.append(mailFailedEvent("shop", failed, makeError(error_codes::kMailRelayFailed.name, "550 refused"),
                                 gateway.ctx().decideContext()));
  gateway.applyCommitted();
  const HttpResponse& relayFailed = onlyMailAnswerTo(*failing);
  EXPECT_EQ(relayFailed.status, 502) << relayFailed.body;
  EXPECT_EQ(codeOf(relayFailed), "mail_relay_failed");
  EXPECT_EQ(stringField(relayFailed, "msg"), "550 refused");

  gateway.mailAnswers().given.clear();
  auto unconfigured = post();
  const std::string second = postAccepted(*unconfigured);
  gateway.append(mailFailedEvent("shop", second, makeError(error_codes::kMailNotConfigured.name, "no relay"),
                                 gateway.ctx().decideContext()));
  gateway.applyCommitted();
  const HttpResponse& noRelay = onlyMailAnswerTo(*unconfigured);
  EXPECT_EQ(noRelay.status, 503) << noRelay.body;
  EXPECT_EQ(codeOf(noRelay), "mail_not_configured");
}

TEST_F(MailRouteTest, NoOutcomeWithinTheRelaysTimeAndTheLogsMarginIs504) {
  auto exchange = post();
  const std::string requestId = postAccepted(*exchange);
  const std::int64_t now = wallClockMs();
  gateway.mail().tick(now + gateway.ctx().options.mailTimeoutMs - 1000);
  EXPECT_TRUE(gateway.mailAnswers().given.empty());
  gateway.mail().tick(now + gateway.ctx().options.mailTimeoutMs + 6000);
  const HttpResponse& answer = onlyMailAnswerTo(*exchange);
  EXPECT_EQ(answer.status, 504) << answer.body;
  EXPECT_EQ(codeOf(answer), "mail_timeout");

  // The mailer's outcome after the timeout is not answered a second time.
  gateway.append(mailSentEvent("shop", requestId, "smtp", "<late@relay>", gateway.ctx().decideContext()));
  gateway.applyCommitted();
  EXPECT_EQ(gateway.mailAnswers().given.size(), 1U);
}

class MailRouteLimitedTest : public MailRouteTest {
 protected:
  MailRouteLimitedTest() : MailRouteTest(1) {}
};

TEST_F(MailRouteLimitedTest, OverTheLimitIsAnswered429AtOnceWithRetryAfter) {
  auto first = post();
  postAccepted(*first);
  auto second = post();
  auto answer = gateway.answerTo(*second);
  EXPECT_EQ(answer.status, 429) << answer.body;
  EXPECT_EQ(codeOf(answer), "mail_rate_limited");
  EXPECT_NE(answer.body.find(R"("rateLimit":{"allowed":false,"count":1,"max":1})"), std::string::npos) << answer.body;
  bool retryAfter = false;
  for (const auto& [name, value] : answer.headers) retryAfter |= name == "retry-after" && std::stoi(value) >= 1;
  EXPECT_TRUE(retryAfter);
}

TEST_F(MailRouteTest, BadCredentialsAndBodiesAreRefusedWithTheirCodeAndAppendNothing) {
  const auto before = gateway.applied();
  std::vector<GatewayHarness::Refusal> cases;
  cases.push_back({GatewayHarness::request("POST", "/mail", {}, kMail, std::nullopt), 400, "bad_request"});
  cases.push_back(
      {GatewayHarness::request("POST", "/mail", {{"project", "shop"}, {"token", "wrong"}}, kMail, std::nullopt), 401,
       "invalid_token"});
  cases.push_back(
      {GatewayHarness::request("POST", "/mail", {{"project", "nope"}, {"token", token}}, kMail, std::nullopt), 404,
       "project_not_found"});
  cases.push_back({post("not json"), 400, "bad_request"});
  cases.push_back({post(R"({"to":"ann@example.com"})"), 400, "bad_request"});
  cases.push_back({post(R"({"to":"not an address","subject":"x"})"), 400, "invalid_address"});
  cases.push_back({GatewayHarness::request("GET", "/mail", {{"project", "shop"}, {"token", token}}, "", std::nullopt),
                   405, "method_not_allowed"});
  gateway.expectRefusals(cases);
  EXPECT_EQ(gateway.applied(), before);
  EXPECT_TRUE(gateway.mailAnswers().given.empty());
}

}  // namespace
}  // namespace wsd
