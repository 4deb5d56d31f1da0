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

// Regression: numbers were parsed on RapidJSON's fast path, which may round to a
// neighbouring double; a client's 17009445210905020000000 came back as ...023e22, and as
// ...025e22 after one more decode (found by event_decode_fuzz).
TEST(EventEncoding, ANumberInTheDataSurvivesEveryDecodeUnchanged) {
  auto first = Event::decode(envelopeWithData(R"({"n":17009445210905020000000,"m":123456789.123456789})"));
  ASSERT_TRUE(first.ok()) << first.error().message;
  const std::string encoded = first->encode();
  EXPECT_NE(encoded.find(R"("n":1.700944521090502e22)"), std::string::npos) << encoded;
  EXPECT_NE(encoded.find(R"("m":123456789.12345679)"), std::string::npos) << encoded;
  auto second = Event::decode(encoded);
  ASSERT_TRUE(second.ok()) << second.error().message;
  EXPECT_EQ(second->encode(), encoded);
}

TEST(EventEncoding, AnEnvelopeWithoutADataObjectIsCorrupt) {
  auto event = Event::decode(R"({"v":1,"type":"node.start","data":[]})");
  ASSERT_FALSE(event.ok());
  EXPECT_EQ(event.error().code, "event_corrupt");
}

}  // namespace
}  // namespace wsd
