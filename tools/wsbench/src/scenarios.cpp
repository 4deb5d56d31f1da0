#include "scenarios.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace wsbench {
namespace {

constexpr std::int64_t kSecond = 1'000'000'000;
constexpr std::int64_t kSetupTimeNs = 300 * kSecond;
constexpr std::int64_t kSenderTickNs = 100'000;  // 0.1 ms: open-loop sends keep close to schedule
constexpr std::int64_t kDrainNs = 5 * kSecond;   // after the last send, for stragglers

// Shared shape of a run: a loop, a fleet, samples of the server around the measurement.
struct Run {
  explicit Run(const RunContext& c)
      : context(c), fleet(loop, c.server, c.project, c.token, c.options.perSourceAddress) {}

  const Options& options() const { return context.options; }
  std::int64_t setupDeadline() const { return monotonicNs() + kSetupTimeNs; }
  bool setUp() {
    result.setupErrors = fleet.errors();
    result.firstError = fleet.firstError();
    result.connections = fleet.size() - fleet.errors();
    return fleet.errors() == 0;
  }
  void sampleBefore() {
    if (options().serverPid != 0) result.serverBefore = sampleProcess(options().serverPid);
    result.kernelTcpBefore = kernelTcpMemoryBytes();
  }
  void sampleAfter() {
    if (options().serverPid != 0) result.serverAfter = sampleProcess(options().serverPid);
    result.kernelTcpAfter = kernelTcpMemoryBytes();
  }
  std::string padding() const { return std::string(static_cast<std::size_t>(options().payloadBytes), 'x'); }
  // A message body carrying its scheduled send time (monotonic ns).
  std::string stamped(std::int64_t atNs, const std::string& pad) const {
    return "{\"t\":" + std::to_string(atNs) + (pad.empty() ? "" : ",\"p\":\"" + pad + "\"") + "}";
  }
  void countErrors(std::string_view json) {
    if (!hasType(json, "error")) return;
    if (result.protocolErrors++ == 0) result.firstError = std::string(json);
  }

  const RunContext& context;
  EventLoop loop;
  Fleet fleet;
  RunResult result;
};

// Sends on a fixed schedule: message k is due at start + k / rate, whatever the server
// does, and carries that time, so a slow server shows up as latency instead of as a
// lower send rate (no coordinated omission).
template <typename SendOne>
void sendOnSchedule(Run& run, std::int64_t start, std::int64_t end, SendOne sendOne) {
  const double perNs = run.options().rate / 1e9;
  std::uint64_t next = 0;
  // Message k is due once start + k / rate has come, and the schedule holds the messages
  // due before `end`. (Counting only the periods that have ended would send every message
  // one period late: 100 µs at 10,000/s, 10 ms at 100/s, all of it reported as latency.)
  const auto scheduled = static_cast<std::uint64_t>(std::ceil(static_cast<double>(end - start) * perNs));
  auto tick = [&] {
    const std::int64_t now = monotonicNs();
    if (now < start) return;
    const auto due = std::min(static_cast<std::uint64_t>(static_cast<double>(now - start) * perNs) + 1, scheduled);
    for (; next < due; ++next) sendOne(next, start + static_cast<std::int64_t>(static_cast<double>(next) / perNs));
  };
  run.loop.run(
      end, [] { return false; }, kSenderTickNs, tick);
}

// What direct and broadcast share: a schedule with a warm-up, each arrival timed from its
// message's scheduled send, and a drain until every delivery is in (or time is up).
// `isDelivery(index, json)` picks out the arrivals; `compose(k, body)` gives the index of
// the connection that sends message k, and its text.
template <typename IsDelivery, typename Compose>
RunResult openLoop(Run& run, std::uint64_t fanOut, IsDelivery isDelivery, Compose compose) {
  const std::int64_t start = monotonicNs() + 10'000'000;
  const std::int64_t measureFrom = start + static_cast<std::int64_t>(run.options().warmupSeconds * kSecond);
  const std::int64_t end = measureFrom + static_cast<std::int64_t>(run.options().durationSeconds * kSecond);
  std::uint64_t arrived = 0, sentTotal = 0;
  run.fleet.onMessage = [&](std::size_t index, std::string_view json) {
    if (!isDelivery(index, json)) return run.countErrors(json);
    ++arrived;
    const std::int64_t t = integerField(json, "t");
    if (t < measureFrom) return;
    ++run.result.received;
    run.result.latencyNs.record(monotonicNs() - t);
  };
  const std::string pad = run.padding();
  run.sampleBefore();
  sendOnSchedule(run, start, end, [&](std::uint64_t k, std::int64_t at) {
    const auto [from, text] = compose(k, run.stamped(at, pad));
    run.fleet.at(from).send(text);
    ++sentTotal;
    if (at >= measureFrom) ++run.result.sent;
  });
  run.loop.run(monotonicNs() + kDrainNs, [&] { return arrived >= sentTotal * fanOut; }, kSecond, {});
  run.sampleAfter();
  run.result.expected = run.result.sent * fanOut;
  run.result.measuredSeconds = static_cast<double>(end - measureFrom) / kSecond;
  return run.result;
}

RunResult direct(const RunContext& context) {
  Run run(context);
  const int pairs = run.options().connections;
  const std::size_t senders = run.fleet.open(pairs, Transport::kWs, "s", 2000, run.setupDeadline());
  const std::size_t receivers = run.fleet.open(pairs, run.options().transport, "r", 2000, run.setupDeadline());
  if (!run.setUp()) return run.result;
  return openLoop(
      run, 1, [&](std::size_t index, std::string_view json) { return index >= receivers && hasType(json, "direct"); },
      [&](std::uint64_t k, const std::string& body) {
        const auto pair = static_cast<std::size_t>(k % static_cast<std::uint64_t>(pairs));
        return std::pair{senders + pair,
                         R"({"type":"send","to":")" + run.fleet.uidOf(receivers + pair) + R"(","msg":)" + body + "}"};
      });
}

RunResult broadcast(const RunContext& context) {
  Run run(context);
  run.fleet.open(run.options().connections, run.options().transport, "", 2000, run.setupDeadline());
  const std::size_t publisher = run.fleet.open(1, Transport::kWs, "publisher", 1, run.setupDeadline());
  if (!run.setUp()) return run.result;
  return openLoop(
      run, static_cast<std::uint64_t>(run.options().connections),
      [&](std::size_t index, std::string_view json) { return index != publisher && hasType(json, "broadcast"); },
      [&](std::uint64_t, const std::string& body) {
        return std::pair{publisher, R"({"type":"broadcast","msg":)" + body + "}"};
      });
}

// Every member (and the sender) joins one room, with room notices unsubscribed first (a
// join tells every member: N joins would cost N^2/2 notices, a different benchmark); then
// the sender's room_send goes to every other member: the room fan-out.
RunResult room(const RunContext& context) {
  Run run(context);
  const int members = run.options().connections;
  run.fleet.open(members, run.options().transport, "m", 2000, run.setupDeadline());
  const std::size_t sender = run.fleet.open(1, Transport::kWs, "sender", 1, run.setupDeadline());
  if (!run.setUp()) return run.result;
  std::size_t joined = 0;
  run.fleet.onMessage = [&](std::size_t, std::string_view json) {
    if (hasType(json, "room_joined")) ++joined;
  };
  for (std::size_t i = 0; i < run.fleet.size(); ++i) {
    run.fleet.at(i).send(R"({"type":"unsub","events":["room_member_joined","room_member_left"]})");
    run.fleet.at(i).send(R"({"type":"room_join","roomId":"bench"})");
  }
  run.loop.run(run.setupDeadline(), [&] { return joined >= run.fleet.size(); }, kSecond / 10, {});
  if (joined < run.fleet.size()) {
    run.result.setupErrors = run.fleet.size() - joined;
    run.result.firstError = "not every member joined the room";
    return run.result;
  }
  return openLoop(
      run, static_cast<std::uint64_t>(members),
      [&](std::size_t index, std::string_view json) { return index != sender && hasType(json, "room_message"); },
      [&](std::uint64_t, const std::string& body) {
        return std::pair{sender, R"({"type":"room_send","roomId":"bench","msg":)" + body + "}"};
      });
}

// Re-joins from the start of a room holding kRecoveryBehind messages: each loop asks
// again once its replay is complete, so the server always has one recovery per loop to
// answer. Deliveries are recovered room_messages.
constexpr int kRecoveryBehind = 100;  // the server's default roomHistorySize

RunResult recovery(const RunContext& context) {
  Run run(context);
  const std::size_t filler = run.fleet.open(1, Transport::kWs, "filler", 1, run.setupDeadline());
  const std::size_t first = run.fleet.open(run.options().connections, Transport::kWs, "r", 2000, run.setupDeadline());
  if (!run.setUp()) return run.result;
  std::size_t joined = 0, filled = 0, live = 0;  // live: the fill's messages at the loops, all in before measuring
  run.fleet.onMessage = [&](std::size_t, std::string_view json) {
    joined += hasType(json, "room_joined") ? 1 : 0;
    filled += hasType(json, "room_send_success") ? 1 : 0;
    live += hasType(json, "room_message") ? 1 : 0;
  };
  for (std::size_t i = 0; i < run.fleet.size(); ++i) run.fleet.at(i).send(R"({"type":"room_join","roomId":"bench"})");
  run.loop.run(run.setupDeadline(), [&] { return joined >= run.fleet.size(); }, kSecond / 10, {});
  const std::string pad = run.padding();
  for (int i = 0; i < kRecoveryBehind; ++i) {
    run.fleet.at(filler).send(R"({"type":"room_send","roomId":"bench","msg":)" + run.stamped(0, pad) + "}");
  }
  const std::size_t loops = run.fleet.size() - first;
  run.loop.run(run.setupDeadline(), [&] { return filled >= kRecoveryBehind && live >= loops * kRecoveryBehind; },
               kSecond / 10, {});
  if (joined < run.fleet.size() || filled < kRecoveryBehind) {
    run.result.setupErrors = 1;
    run.result.firstError = "the room could not be set up";
    return run.result;
  }
  const std::int64_t measureFrom = monotonicNs() + static_cast<std::int64_t>(run.options().warmupSeconds * kSecond);
  const std::int64_t end = measureFrom + static_cast<std::int64_t>(run.options().durationSeconds * kSecond);
  std::vector<std::int64_t> askedAt(run.fleet.size(), 0);
  std::vector<int> replayed(run.fleet.size(), 0);
  auto rejoin = [&](std::size_t index) {
    const std::int64_t now = monotonicNs();
    if (now >= end) return;
    askedAt[index] = now;
    replayed[index] = 0;
    run.fleet.at(index).send(R"({"type":"room_join","roomId":"bench","since":{"offset":0,"epoch":""}})");
    if (now >= measureFrom) run.result.sent += kRecoveryBehind;
  };
  run.fleet.onMessage = [&](std::size_t index, std::string_view json) {
    if (!hasType(json, "room_message")) return hasType(json, "room_joined") ? void() : run.countErrors(json);
    if (index < first || askedAt[index] < measureFrom)
      return ++replayed[index] == kRecoveryBehind ? rejoin(index) : void();
    ++run.result.received;
    if (++replayed[index] < kRecoveryBehind) return;
    run.result.latencyNs.record(monotonicNs() - askedAt[index]);
    rejoin(index);
  };
  run.sampleBefore();
  for (std::size_t i = first; i < run.fleet.size(); ++i) rejoin(i);
  run.loop.run(end + kDrainNs, [&] { return monotonicNs() >= end && run.result.received >= run.result.sent; },
               kSecond / 10, {});
  run.sampleAfter();
  run.result.expected = run.result.sent;
  run.result.measuredSeconds = static_cast<double>(end - measureFrom) / kSecond;
  return run.result;
}

// Each loop sends a message to its own uid and the next one when it arrives: the server's
// round trip with as many messages in flight as loops.
RunResult echo(const RunContext& context) {
  Run run(context);
  const std::size_t first = run.fleet.open(run.options().connections, Transport::kWs, "e", 2000, run.setupDeadline());
  if (!run.setUp()) return run.result;
  const std::string pad = run.padding();
  const std::int64_t measureFrom = monotonicNs() + static_cast<std::int64_t>(run.options().warmupSeconds * kSecond);
  const std::int64_t end = measureFrom + static_cast<std::int64_t>(run.options().durationSeconds * kSecond);
  auto sendNext = [&](std::size_t index) {
    const std::int64_t now = monotonicNs();
    if (now >= end) return;
    run.fleet.at(index).send(R"({"type":"send","to":")" + run.fleet.uidOf(index) + R"(","msg":)" +
                             run.stamped(now, pad) + "}");
    if (now >= measureFrom) ++run.result.sent;
  };
  run.fleet.onMessage = [&](std::size_t index, std::string_view json) {
    if (!hasType(json, "direct")) return run.countErrors(json);
    const std::int64_t t = integerField(json, "t");
    if (t >= measureFrom) {
      ++run.result.received;
      run.result.latencyNs.record(monotonicNs() - t);
    }
    sendNext(index);
  };
  run.sampleBefore();
  for (std::size_t i = first; i < run.fleet.size(); ++i) sendNext(i);
  run.loop.run(end + kDrainNs, [&] { return monotonicNs() >= end && run.result.received >= run.result.sent; },
               kSecond / 10, {});
  run.sampleAfter();
  run.result.expected = run.result.sent;
  run.result.measuredSeconds = static_cast<double>(end - measureFrom) / kSecond;
  return run.result;
}

// Opens the connections, then holds them: the memory the server grew by, per connection.
// They stay unbound: a bind tells every connection of the project that a uid came online
// (the seed's presence), so N binds in one project cost N^2 deliveries, which is a
// different benchmark (presence fan-out), not idle memory.
RunResult idle(const RunContext& context) {
  Run run(context);
  run.sampleBefore();
  run.fleet.open(run.options().connections, run.options().transport, "", run.options().rate, run.setupDeadline());
  run.setUp();
  run.fleet.onMessage = [&](std::size_t, std::string_view json) { run.countErrors(json); };
  const std::int64_t end = monotonicNs() + static_cast<std::int64_t>(run.options().durationSeconds * kSecond);
  run.loop.run(end, [] { return false; }, kSecond / 10, {});
  run.sampleAfter();
  std::size_t open = 0;
  for (std::size_t i = 0; i < run.fleet.size(); ++i) open += run.fleet.at(i).established() ? 1 : 0;
  run.result.connections = open;
  run.result.measuredSeconds = run.options().durationSeconds;
  return run.result;
}

}  // namespace

RunResult runScenario(const RunContext& context) {
  switch (context.options.mode) {
    case Mode::kIdle: return idle(context);
    case Mode::kDirect: return direct(context);
    case Mode::kBroadcast: return broadcast(context);
    case Mode::kEcho: return echo(context);
    case Mode::kRoom: return room(context);
    case Mode::kRecovery: return recovery(context);
  }
  return {};
}

}  // namespace wsbench
