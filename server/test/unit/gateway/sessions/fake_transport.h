// Connections with no network behind them, for session tests: each records what its
// session wrote and asked for, and can be told to act as a slow or failed socket.
#pragma once

#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error_codes.h"
#include "gateway/clock.h"
#include "gateway/sessions/output_budget.h"
#include "gateway/sessions/session.h"
#include "gateway/sessions/transport.h"

namespace wsd::testing {

// A clock that moves only when the test moves it.
struct ManualClock {
  std::int64_t nowMs = 1'000'000;
  Clock clock() {
    return [this] { return nowMs; };
  }
};

// The text payloads of the unmasked, final text frames in `bytes` (RFC 6455 §5.2); a
// frame of another shape fails the test.
inline std::vector<std::string> textFramesIn(std::string_view bytes) {
  std::vector<std::string> texts;
  std::size_t at = 0;
  auto byteAt = [&](std::size_t i) { return static_cast<unsigned char>(bytes[i]); };
  while (at < bytes.size()) {
    EXPECT_EQ(byteAt(at), 0x81u) << "not a final text frame";
    if (at + 2 > bytes.size()) break;
    std::size_t length = byteAt(at + 1) & 0x7fu;
    std::size_t header = 2;
    if (length >= 126) {
      header += length == 126 ? 2 : 8;
      if (at + header > bytes.size()) break;
      length = 0;
      for (std::size_t i = at + 2; i < at + header; ++i) length = length << 8 | byteAt(i);
    }
    if (at + header + length > bytes.size()) break;
    texts.emplace_back(bytes.substr(at + header, length));
    at += header + length;
  }
  EXPECT_EQ(at, bytes.size()) << "a frame is cut short";
  return texts;
}

// Bounds each session to `perSessionBytes` and ends one over it as the gateway does
// (output_overflow.cpp, less the log): its undelivered messages are taken into
// `handedOver`, it spills from then on, and it closes with output_over_budget.
inline void endOverBudgetAsTheGatewayDoes(OutputBudget& budget, std::size_t perSessionBytes,
                                          std::vector<server_message::Text>& handedOver) {
  budget.configure({perSessionBytes, 0, 0},
                   [&handedOver](Session& session, OutputBudget::Over) {
                     handedOver = session.takeUndelivered();
                     session.spillFromNowOn();
                     session.close(error_codes::kOutputOverBudget.closeCode, error_codes::kOutputOverBudget.name);
                   },
                   {});
}

class FakeWsTransport final : public WsTransport {
 public:
  static constexpr std::size_t kHeadroom = 16;

  std::size_t headroom() const override { return kHeadroom; }
  bool writeFrames(std::vector<unsigned char>& buffer) override {
    EXPECT_GE(buffer.size(), kHeadroom) << "frames written without the headroom";
    const std::string_view bytes(reinterpret_cast<const char*>(buffer.data()) + kHeadroom, buffer.size() - kHeadroom);
    writes.push_back(textFramesIn(bytes));
    return !failing;
  }
  bool writeText(std::string_view message) override {
    writes.push_back({std::string(message)});
    return !failing;
  }
  bool choked() const override {
    return chokedAfterWrites >= 0 && writes.size() >= static_cast<std::size_t>(chokedAfterWrites);
  }
  bool holdsOutput() const override { return holding; }
  void askWritable() override { ++writableAsks; }
  void setCloseFrame(int code, const std::string& reason) override { closeFrame.emplace(code, reason); }
  void dropSoon() override { dropped = true; }

  // Each write, as the messages it carried.
  std::vector<std::vector<std::string>> writes;
  int writableAsks = 0;
  std::optional<std::pair<int, std::string>> closeFrame;
  bool dropped = false;
  // How the socket behaves.
  bool holding = false;        // output of an earlier write is still unsent
  bool failing = false;        // writes fail
  int chokedAfterWrites = -1;  // takes no more writes once it has this many (-1: never)
};

class FakeSseStream final : public SseStream {
 public:
  bool write(std::string_view chunk) override {
    body += chunk;
    ++writes;
    return !failing;
  }
  void askWritable() override { ++writableAsks; }
  bool peerHungUp() override { return hungUp; }
  void closeSoon() override { closedSoon = true; }

  std::string body;  // everything written, in order
  int writes = 0;
  int writableAsks = 0;
  bool closedSoon = false;
  bool hungUp = false;
  bool failing = false;
};

class FakePollRequest final : public PollRequest {
 public:
  void answer(std::string jsonArray) override {
    EXPECT_FALSE(answered) << "a request answered twice";
    answered = std::move(jsonArray);
  }
  void forgetSession() override { forgotten = true; }
  bool peerHungUp() override { return hungUp; }
  void closeSoon() override { closedSoon = true; }

  std::optional<std::string> answered;  // the body it was answered with
  bool forgotten = false;
  bool hungUp = false;
  bool closedSoon = false;
};

}  // namespace wsd::testing
