// Building events for wslog's unit tests: a small log written as (type, project, conn,
// ts, data) rows, decoded exactly as the tool decodes the real log.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/event.h"
#include "record.h"

namespace wsd::wslog::testing {

struct Row {
  std::string type;
  std::string project;
  std::string conn;
  std::int64_t ts;
  std::string data = "{}";  // the data object as JSON
  std::string node = "n1";
};

inline std::string encode(const Row& r) {
  return R"({"v":1,"id":"id-)" + std::to_string(r.ts) + R"(","ts":)" + std::to_string(r.ts) + R"(,"project":")" +
         r.project + R"(","node":")" + r.node + R"(","conn":")" + r.conn + R"(","type":")" + r.type + R"(","data":)" +
         r.data + "}";
}

inline Event event(const Row& r) {
  auto e = Event::decode(encode(r));
  EXPECT_TRUE(e.ok()) << encode(r);
  return std::move(e.value());
}

// A log held in memory: payloads and their decoded events, partition 0 unless given.
struct Log {
  std::vector<std::string> payloads;
  std::vector<Event> events;
  std::vector<Position> positions;

  void add(const Row& r, std::int32_t partition = 0) {
    std::int64_t offset = 0;
    for (const auto& p : positions) offset += p.partition == partition ? 1 : 0;
    payloads.push_back(encode(r));
    events.push_back(event(r));
    positions.push_back({partition, offset});
  }
  LogRecord record(std::size_t i) const { return {positions[i], payloads[i], &events[i]}; }
};

}  // namespace wsd::wslog::testing
