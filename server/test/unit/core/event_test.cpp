// Events as the log keeps them: what decode reads back is what encode wrote.
#include "core/event.h"

#include <gtest/gtest.h>

#include <string>

namespace wsd {
namespace {

std::string envelopeWithData(const std::string& data) {
  return R"({"v":1,"id":"01HZX0000000000000000000AA","ts":1700000000000,"project":"p1","node":"n1",)"
         R"("conn":"c1","type":"message.direct","data":)" +
         data + "}";
}

// Guards the choice of parse flags (core/json.h): RapidJSON 1.1.0's full-precision mode
// reads a zero with a large exponent as a huge number (found by event_decode_fuzz).
TEST(EventEncoding, AZeroWithALargeExponentStaysZero) {
  auto event = Event::decode(envelopeWithData(R"({"z":0e110,"y":-0e99})"));
  ASSERT_TRUE(event.ok()) << event.error().message;
  EXPECT_EQ(event->data["z"].GetDouble(), 0.0);
  EXPECT_EQ(event->data["y"].GetDouble(), 0.0);
}

TEST(EventEncoding, AnEncodedEventDecodesToTheSameEncoding) {
  auto first =
      Event::decode(envelopeWithData(R"({"from":"a","to":"b","msg":{"n":[1,2.5,true,null],"s":"caf\u00e9"}})"));
  ASSERT_TRUE(first.ok()) << first.error().message;
  const std::string encoded = first->encode();
  auto second = Event::decode(encoded);
  ASSERT_TRUE(second.ok()) << second.error().message;
  EXPECT_EQ(second->encode(), encoded);
  EXPECT_EQ(second->type, EventType::kMessageDirect);
}

// Regression: a lone low surrogate escape in a client's string is written into the log as
// three raw bytes that a UTF-8 check refuses; the event must still read back (found by
// event_decode_fuzz).
TEST(EventEncoding, AnEventWithALoneSurrogateEscapeReadsBackAfterEncoding) {
  auto first = Event::decode(envelopeWithData(R"({"msg":"a\udeb1b"})"));
  ASSERT_TRUE(first.ok()) << first.error().message;
  auto second = Event::decode(first->encode());
  ASSERT_TRUE(second.ok()) << second.error().message;
  EXPECT_EQ(second->encode(), first->encode());
}

TEST(EventEncoding, AnEnvelopeWithoutADataObjectIsCorrupt) {
  auto event = Event::decode(R"({"v":1,"type":"node.start","data":[]})");
  ASSERT_FALSE(event.ok());
  EXPECT_EQ(event.error().code, "event_corrupt");
}

}  // namespace
}  // namespace wsd
