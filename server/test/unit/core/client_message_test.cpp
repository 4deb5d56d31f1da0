// Inbound client messages are checked against the shipped schemas before anything else.
#include "core/client_message.h"

#include <gtest/gtest.h>

namespace wsd {
namespace {

const SchemaRegistry& schemas() {
  static auto registry = SchemaRegistry::compile(embeddedSchemas());
  EXPECT_TRUE(registry.ok());
  return **registry;
}

struct Case {
  const char* text;
  const char* code;  // nullptr: accepted
};

class ClientMessageParsing : public ::testing::TestWithParam<Case> {};

TEST_P(ClientMessageParsing, AcceptsValidMessagesAndNamesTheProblemOtherwise) {
  auto result = parseClientMessage(GetParam().text, schemas());
  if (GetParam().code == nullptr) {
    EXPECT_TRUE(result.ok()) << result.error().message;
  } else {
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().code, GetParam().code);
    EXPECT_FALSE(result.error().message.empty());
  }
}

INSTANTIATE_TEST_SUITE_P(
    SeedAndErrors, ClientMessageParsing,
    ::testing::Values(Case{R"({"type":"bind","uid":"user_1"})", nullptr},
                      Case{R"({"type":"send","to":"user_2","msg":"Hi"})", nullptr},
                      Case{R"({"type":"send","to":"user_2","msg":{"any":["json"]}})", nullptr},
                      Case{R"({"type":"multicast","to":["u1","u2"],"msg":"Hi"})", nullptr},
                      Case{R"({"type":"broadcast","msg":"Hello"})", nullptr}, Case{R"({"type":"list"})", nullptr},
                      Case{R"({"type":"online","uid":"user_1"})", nullptr},
                      Case{R"({"type":"room_create","roomId":"r1"})", nullptr},
                      Case{R"({"type":"webrtc_offer","roomId":"r1","to":"user2","sdp":{"type":"offer"}})", nullptr},
                      Case{R"({"type":"webrtc_ice","roomId":"r1","to":"user2","candidate":null})", nullptr},
                      Case{R"({"type":"pong","extra":"fields are ignored"})", nullptr},
                      Case{"not json", "invalid_json"}, Case{"[1,2]", "invalid_json"}, Case{"", "invalid_json"},
                      Case{R"({"uid":"x"})", "unknown_type"}, Case{R"({"type":7})", "unknown_type"},
                      Case{R"({"type":"teleport"})", "unknown_type"}, Case{R"({"type":"bind"})", "invalid_message"},
                      Case{R"({"type":"bind","uid":""})", "invalid_message"},
                      Case{R"({"type":"send","to":5,"msg":"x"})", "invalid_message"},
                      Case{R"({"type":"send","to":"b"})", "invalid_message"},
                      Case{R"({"type":"multicast","to":[],"msg":1})", "invalid_message"},
                      Case{R"({"type":"webrtc_offer","roomId":"r","to":"u","sdp":"text"})", "invalid_message"}));

INSTANTIATE_TEST_SUITE_P(FiltersAndReceipts, ClientMessageParsing,
                         ::testing::Values(Case{R"({"type":"unsub","events":["online","offline"]})", nullptr},
                                           Case{R"({"type":"sub","events":["room_member_joined"]})", nullptr},
                                           Case{R"({"type":"lsunsub"})", nullptr},
                                           Case{R"({"type":"ack","ids":["01A","01B"]})", nullptr},
                                           Case{R"({"type":"unsub","events":["direct"]})", "invalid_message"},
                                           Case{R"({"type":"sub","events":[]})", "invalid_message"},
                                           Case{R"({"type":"unsub"})", "invalid_message"},
                                           Case{R"({"type":"ack","ids":[]})", "invalid_message"},
                                           Case{R"({"type":"ack","ids":[""]})", "invalid_message"}));

// Regression: a string of stray UTF-8 continuation bytes reached the schema check, whose
// character count (valijson's u8_nextchar) then read past the end of a table (found by
// client_message_fuzz). JSON text is UTF-8; anything else is refused before the schemas.
TEST(ClientMessageErrors, AStringThatIsNotUtf8IsNotJson) {
  const std::string strayContinuations(19, '\xa0');
  auto result = parseClientMessage(R"({"type":"room_join","roomId":"lobb)" + strayContinuations + R"(y"})", schemas());
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, "invalid_json");
  EXPECT_FALSE(parseClientMessage("{\"type\":\"broadcast\",\"msg\":\"\xff\"}", schemas()).ok());
}

// RapidJSON 1.1.0 reads this number as infinity, which its writer cannot write back: the
// event it became would have been unreadable in the log.
TEST(ClientMessageErrors, ANumberTooLargeForADoubleIsNotJson) {
  auto result = parseClientMessage(R"({"type":"broadcast","msg":{"n":17009.4452109e305}})", schemas());
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, "invalid_json");
  EXPECT_TRUE(parseClientMessage(R"({"type":"broadcast","msg":{"n":1.7e308}})", schemas()).ok());
}

TEST(ClientMessageErrors, MultiByteUtf8IsAccepted) {
  auto result =
      parseClientMessage("{\"type\":\"room_join\",\"roomId\":\"caf\\u00e9 \xc3\xa9 \xf0\x9f\x98\x80\"}", schemas());
  EXPECT_TRUE(result.ok()) << result.error().message;
}

TEST(ClientMessageErrors, TheMessageNamesTheFailingField) {
  auto result = parseClientMessage(R"({"type":"send","to":5,"msg":"x"})", schemas());
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error().message.find("/to"), std::string::npos) << result.error().message;
}

TEST(SchemaRegistryTest, EveryShippedSchemaCompiles) {
  auto registry = SchemaRegistry::compile(embeddedSchemas());
  ASSERT_TRUE(registry.ok()) << registry.error().message;
  for (const char* name : {"client/bind", "server/direct", "http/project_create_request", "events/uid.bind"}) {
    EXPECT_TRUE((*registry)->has(name)) << name;
  }
}

TEST(SchemaRegistryTest, ABrokenSchemaFailsWithItsName) {
  const SchemaFile broken[] = {{"client/broken", "{not json"}};
  auto registry = SchemaRegistry::compile(broken);
  ASSERT_FALSE(registry.ok());
  EXPECT_NE(registry.error().message.find("client/broken"), std::string::npos);
}

}  // namespace
}  // namespace wsd
