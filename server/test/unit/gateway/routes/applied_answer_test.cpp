// "Append, answer when applied": the answer an applied event gets, a refused one, one the
// log did not take, one held until every gateway has it, and none yet.
#include "gateway/routes/applied_answer.h"

#include <gtest/gtest.h>

#include <functional>
#include <optional>
#include <string>

#include "core/json.h"
#include "fake_exchange.h"

namespace wsd {
namespace {

using testing::RecordedAnswers;

constexpr std::uint64_t kExchange = 42;

HttpResponse ok(std::string body) { return HttpResponse{200, std::move(body), "application/json", {}}; }

std::string codeOf(const HttpResponse& response) {
  json::Document body;
  EXPECT_TRUE(json::parse(body, response.body)) << response.body;
  return json::string(body, "code").value_or("");
}

Effects rejectedWith(std::string code) {
  Effects effects;
  effects.rejection = makeError(std::move(code), "refused");
  return effects;
}

TEST(AppliedAnswer, AnswersTheRequestOnceItsEventIsApplied) {
  RecordedAnswers answers;
  auto done = answerWhenApplied(answers, kExchange, {[](const Effects&) { return ok("applied"); }, {}, {}, {}});
  EXPECT_TRUE(answers.given.empty()) << "nothing is answered before the log hands the event back";

  done(Effects{});

  ASSERT_EQ(answers.given.size(), 1u);
  EXPECT_EQ(answers.given[0].first, kExchange);
  EXPECT_EQ(answers.given[0].second.body, "applied");
}

TEST(AppliedAnswer, AnswersLogUnavailableWhenTheLogDidNotTakeTheEvent) {
  RecordedAnswers answers;
  bool built = false;
  auto done = answerWhenApplied(answers, kExchange,
                                {[&](const Effects&) {
                                   built = true;
                                   return ok("applied");
                                 },
                                 {},
                                 {},
                                 {}});

  done(makeError("append_failed", "the disk is full"));

  ASSERT_EQ(answers.given.size(), 1u);
  EXPECT_EQ(answers.given[0].second.status, 503);
  EXPECT_EQ(codeOf(answers.given[0].second), "log_unavailable");
  EXPECT_NE(answers.given[0].second.body.find("the disk is full"), std::string::npos);
  EXPECT_FALSE(built) << "a change the log did not take is not answered as applied";
}

TEST(AppliedAnswer, AFailureAnswerOfTheRoutesOwnReplacesTheDefault) {
  RecordedAnswers answers;
  auto done = answerWhenApplied(answers, kExchange,
                                {[](const Effects&) { return ok("applied"); },
                                 {},
                                 [](const Error& error) { return errorResponse(502, "relay", error.message); },
                                 {}});

  done(makeError("append_failed", "down"));

  ASSERT_EQ(answers.given.size(), 1u);
  EXPECT_EQ(answers.given[0].second.status, 502);
}

TEST(AppliedAnswer, AnswersTheRefusalWhenApplyingRejectedTheEvent) {
  RecordedAnswers answers;
  auto done =
      answerWhenApplied(answers, kExchange,
                        {[](const Effects&) { return ok("applied"); },
                         [](const Error& rejection) { return errorResponse(404, rejection.code, rejection.message); },
                         {},
                         {}});

  done(rejectedWith("project_not_found"));

  ASSERT_EQ(answers.given.size(), 1u);
  EXPECT_EQ(answers.given[0].second.status, 404);
  EXPECT_EQ(codeOf(answers.given[0].second), "project_not_found");
}

TEST(AppliedAnswer, WithoutARefusalAnswerTheAppliedAnswerReadsTheRefusal) {
  RecordedAnswers answers;
  auto done = answerWhenApplied(
      answers, kExchange,
      {[](const Effects& effects) { return ok(effects.rejection ? "saw " + effects.rejection->code : "none"); },
       {},
       {},
       {}});

  done(rejectedWith("inbox_full"));

  ASSERT_EQ(answers.given.size(), 1u);
  EXPECT_EQ(answers.given[0].second.body, "saw inbox_full");
}

TEST(AppliedAnswer, GivesNoAnswerWhileTheRouteStillWaits) {
  RecordedAnswers answers;
  auto done = answerWhenApplied(
      answers, kExchange, {[](const Effects&) -> std::optional<HttpResponse> { return std::nullopt; }, {}, {}, {}});

  done(Effects{});

  EXPECT_TRUE(answers.given.empty());
}

TEST(AppliedAnswer, AHeldAnswerGoesOnlyWhenReleased) {
  RecordedAnswers answers;
  std::function<void()> release;
  auto done = answerWhenApplied(answers, kExchange,
                                {[](const Effects&) { return ok("everywhere"); },
                                 {},
                                 {},
                                 [&](std::function<void()> go) { release = std::move(go); }});

  done(Effects{});
  EXPECT_TRUE(answers.given.empty()) << "held until every gateway has applied the change";
  ASSERT_TRUE(release);

  release();
  ASSERT_EQ(answers.given.size(), 1u);
  EXPECT_EQ(answers.given[0].first, kExchange);
  EXPECT_EQ(answers.given[0].second.body, "everywhere");
}

TEST(AppliedAnswer, ARefusalOrAFailureIsNotHeld) {
  RecordedAnswers answers;
  bool held = false;
  AppliedAnswer answer{[](const Effects&) { return ok("applied"); },
                       [](const Error& rejection) { return errorResponse(409, rejection.code, rejection.message); },
                       {},
                       [&](std::function<void()>) { held = true; }};
  auto done = answerWhenApplied(answers, kExchange, answer);

  done(rejectedWith("project_exists"));
  done(makeError("append_failed", "down"));

  EXPECT_FALSE(held);
  ASSERT_EQ(answers.given.size(), 2u);
  EXPECT_EQ(answers.given[0].second.status, 409);
  EXPECT_EQ(answers.given[1].second.status, 503);
}

}  // namespace
}  // namespace wsd
