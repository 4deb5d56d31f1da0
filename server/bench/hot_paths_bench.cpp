// Micro-benchmarks of the hot paths, named BM_<Component>_<Case>. They measure; they never
// decide pass or fail (CTest runs each briefly only to prove it still works).
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <filesystem>

#include "core/client_message.h"
#include "core/decide.h"
#include "core/json.h"
#include "core/log_chain.h"
#include "core/partition_fold.h"
#include "core/projector.h"
#include "gateway/metrics/gateway_metrics.h"
#include "gateway/sessions/session_registry.h"
#include "log/segment_log.h"
#include "store/memory_store.h"

namespace wsd {
namespace {

const SchemaRegistry& schemas() {
  static auto registry = SchemaRegistry::compile(embeddedSchemas());
  return **registry;
}

DecideContext context(IdGenerator& ids, std::int64_t now) {
  DecideContext ctx;
  ctx.node = "bench";
  ctx.nowMs = now;
  ctx.ids = &ids;
  return ctx;
}

std::shared_ptr<Event> event(EventType type, const std::string& conn, IdGenerator& ids, std::int64_t& now) {
  return newEvent(type, "p", conn, context(ids, ++now));
}

void put(Event& e, const char* key, const std::string& value) {
  e.data.AddMember(rapidjson::StringRef(key), rapidjson::Value(value.c_str(), e.alloc()), e.alloc());
}

// One message.direct event as the log stores it.
std::string encodedDirectMessage() {
  IdGenerator ids;
  std::int64_t now = 1'700'000'000'000;
  auto e = event(EventType::kMessageDirect, "c1", ids, now);
  put(*e, "from", "user_1");
  put(*e, "to", "user_2");
  put(*e, "msg", "Hello there");
  return e->encode();
}

// A project with `sessions` connections, each bound to its own uid.
void populate(Projector& projector, IdGenerator& ids, std::int64_t& now, int sessions) {
  auto project = event(EventType::kProjectCreate, "", ids, now);
  put(*project, "key", "p");
  put(*project, "name", "p");
  projector.apply(*project);
  auto token = event(EventType::kTokenIssue, "", ids, now);
  put(*token, "token", "t");
  projector.apply(*token);
  for (int i = 0; i < sessions; ++i) {
    const std::string conn = "c" + std::to_string(i);
    auto open = event(EventType::kConnOpen, conn, ids, now);
    put(*open, "token", "t");
    projector.apply(*open);
    auto bind = event(EventType::kUidBind, conn, ids, now);
    put(*bind, "uid", "u" + std::to_string(i));
    projector.apply(*bind);
  }
}

void BM_ClientMessage_ParseAndValidate(benchmark::State& state) {
  const std::string text = R"({"type":"send","to":"user_2","msg":{"text":"Hello there","n":42}})";
  for (auto _ : state) {
    auto message = parseClientMessage(text, schemas());
    benchmark::DoNotOptimize(message);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_ClientMessage_ParseAndValidate);

void BM_Event_DecideAndEncode(benchmark::State& state) {
  auto message = parseClientMessage(R"({"type":"send","to":"user_2","msg":{"text":"Hello"}})", schemas());
  IdGenerator ids;
  std::int64_t now = 1'700'000'000'000;
  for (auto _ : state) {
    auto decision = decide(*message, {"c1", "p", "user_1"}, context(ids, ++now));
    benchmark::DoNotOptimize(decision.event->encode());
  }
}
BENCHMARK(BM_Event_DecideAndEncode);

// What every reader of the log (gateway, projector, wslog) does per record.
void BM_Event_Decode(benchmark::State& state) {
  const std::string bytes = encodedDirectMessage();
  for (auto _ : state) benchmark::DoNotOptimize(Event::decode(bytes));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Event_Decode);

// What the chain adds to each append (core/log_chain.h): linking the event (an encode with
// seq and prev) and hashing its record; set against BM_Event_DecideAndEncode's encode.
void BM_LogChain_LinkEvent(benchmark::State& state) {
  auto decoded = Event::decode(encodedDirectMessage());
  chain::ChainWriter writer;
  for (auto _ : state) benchmark::DoNotOptimize(writer.link(*decoded));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_LogChain_LinkEvent);

// The same on the Kafka path (log/kafka_log.h): the record also names its chain (one per
// process and partition), so it is a few bytes longer; set against BM_LogChain_LinkEvent.
void BM_LogChain_LinkEventInKafkaChain(benchmark::State& state) {
  auto decoded = Event::decode(encodedDirectMessage());
  chain::ChainWriter writer("node-3f9a1c2e/8b04d17a");
  for (auto _ : state) benchmark::DoNotOptimize(writer.link(*decoded));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_LogChain_LinkEventInKafkaChain);

// What the projector adds per record it applies from Kafka (core/partition_fold.h): the
// record's SHA-256, then one more over the running hash and it.
void BM_PartitionFold_FoldRecord(benchmark::State& state) {
  const std::string record = encodedDirectMessage();
  chain::PartitionFold fold(0);
  std::int64_t offset = 0;
  for (auto _ : state) fold.fold(offset++, chain::recordHash(record));
  benchmark::DoNotOptimize(fold.hash());
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_PartitionFold_FoldRecord);

void BM_SegmentLog_AppendBatch(benchmark::State& state) {
  char pattern[] = "/tmp/wsd-bench-XXXXXX";
  const std::string dir = mkdtemp(pattern);
  log::SegmentLog::Options options;
  options.directory = dir;
  auto log = log::SegmentLog::open(options);
  const std::vector<std::string> batch(static_cast<std::size_t>(state.range(0)), encodedDirectMessage());
  for (auto _ : state) benchmark::DoNotOptimize((*log)->appendBatch(batch));
  state.SetItemsProcessed(state.iterations() * state.range(0));
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_SegmentLog_AppendBatch)->Arg(1)->Arg(64);

// A message to an online uid, applied as a gateway does (building the deliveries) or as
// the projector role does (projections only).
void applyMessageDirect(benchmark::State& state, Projector::Deliveries deliveries) {
  store::MemoryStore store;
  Projector projector(store, ProjectorLimits{}, deliveries);
  IdGenerator ids;
  std::int64_t now = 1'700'000'000'000;
  populate(projector, ids, now, 1000);
  auto e = event(EventType::kMessageDirect, "c0", ids, now);
  put(*e, "from", "u0");
  put(*e, "to", "u999");
  put(*e, "msg", "Hello there");
  e->data.AddMember("expiresAt", now + 1000, e->alloc());
  for (auto _ : state) benchmark::DoNotOptimize(projector.apply(*e));
  state.SetItemsProcessed(state.iterations());
}
void BM_Projector_ApplyMessageDirect(benchmark::State& state) {
  applyMessageDirect(state, Projector::Deliveries::kBuild);
}
BENCHMARK(BM_Projector_ApplyMessageDirect);
void BM_Projector_ApplyMessageDirectProjectionsOnly(benchmark::State& state) {
  applyMessageDirect(state, Projector::Deliveries::kSkip);
}
BENCHMARK(BM_Projector_ApplyMessageDirectProjectionsOnly);

// A member re-joining room "r" from the start of its stream, N messages behind: the join
// is answered and the N retained messages are read, filtered by the TTL and rendered as
// room_message deliveries (core/projector_room_history.cpp). Items are messages recovered.
void BM_Projector_RoomRecovery(benchmark::State& state) {
  const auto behind = static_cast<int>(state.range(0));
  store::MemoryStore store;
  Projector projector(store, ProjectorLimits{});
  IdGenerator ids;
  std::int64_t now = 1'700'000'000'000;
  populate(projector, ids, now, 2);
  auto settings = event(EventType::kProjectUpdate, "", ids, now);
  rapidjson::Document patch;
  json::parse(patch, R"({"roomHistorySize":10000})");
  settings->data.AddMember("settings", rapidjson::Value(patch, settings->alloc()), settings->alloc());
  projector.apply(*settings);
  for (const char* conn : {"c0", "c1"}) {
    auto join = event(EventType::kRoomJoin, conn, ids, now);
    put(*join, "roomId", "r");
    projector.apply(*join);
  }
  for (int i = 0; i < behind; ++i) {
    auto message = event(EventType::kRoomMessage, "c0", ids, now);
    put(*message, "roomId", "r");
    put(*message, "from", "u0");
    put(*message, "msg", "Hello room, message " + std::to_string(i));
    projector.apply(*message);
  }
  auto rejoin = event(EventType::kRoomJoin, "c1", ids, now);
  put(*rejoin, "roomId", "r");
  rapidjson::Document since;
  json::parse(since, R"({"offset":0,"epoch":""})");
  rejoin->data.AddMember("since", rapidjson::Value(since, rejoin->alloc()), rejoin->alloc());
  for (auto _ : state) {
    Effects effects = projector.apply(*rejoin);
    benchmark::DoNotOptimize(effects);
    if (effects.deliveries.size() < static_cast<std::size_t>(behind))
      state.SkipWithError("not every message was recovered");
  }
  state.SetItemsProcessed(state.iterations() * behind);
}
BENCHMARK(BM_Projector_RoomRecovery)->Arg(10)->Arg(100)->Arg(1000);

// A session that only counts: what the fan-out costs without the sockets.
class CountingSession final : public Session {
 public:
  using Session::Session;
  void enqueue(server_message::Text) override { ++sent; }
  void close(int, const std::string&) override {}
  std::size_t sent = 0;
};

// state.range(0): 1 counts every message sent into /metrics' wsd_messages_out_total, as
// the gateway does; 0 leaves counting out, to show what it costs.
void BM_Gateway_FanOutBroadcastTo1000Sessions(benchmark::State& state) {
  GatewayMetrics metrics;
  store::MemoryStore store;
  Projector projector(store, ProjectorLimits{});
  IdGenerator ids;
  std::int64_t now = 1'700'000'000'000;
  populate(projector, ids, now, 1000);
  SessionRegistry sessions;
  if (state.range(0) == 1) sessions.countSentInto(&metrics.messagesOut);
  for (int i = 0; i < 1000; ++i) {
    auto* s = sessions.add(std::make_unique<CountingSession>(
        SessionIdentity{"c" + std::to_string(i), "p", "t", Transport::kWebSocket, Mode::kShort, {}},
        RateLimiter(1, 1)));
    s->opened = true;
  }
  auto e = event(EventType::kMessageBroadcast, "c0", ids, now);
  put(*e, "from", "u0");
  put(*e, "msg", "Hello everyone");
  for (auto _ : state) {
    Effects effects = projector.apply(*e);
    for (const auto& d : effects.deliveries) {
      sessions.forEachReached(d.target, d.kind, [&](Session& s) { s.send(d.message); });
    }
  }
  state.SetItemsProcessed(state.iterations() * 1000);
}
BENCHMARK(BM_Gateway_FanOutBroadcastTo1000Sessions)->Arg(0)->Arg(1);

// What a bind's `online` notice costs the gateway in a project of N sessions whose
// clients all unsubscribed from presence (as a big project's usually do): it visits none
// of them, so it does not grow with N.
void BM_Gateway_OnlineNoticeAmongUnsubscribedSessions(benchmark::State& state) {
  SessionRegistry sessions;
  for (std::int64_t i = 0; i < state.range(0); ++i) {
    auto* s = sessions.add(std::make_unique<CountingSession>(
        SessionIdentity{"c" + std::to_string(i), "p", "t", Transport::kWebSocket, Mode::kShort, {}},
        RateLimiter(1, 1)));
    s->opened = true;
    sessions.refilter(*s, filter_kind::kOnline | filter_kind::kOffline);
  }
  std::size_t visited = 0;
  for (auto _ : state) {
    sessions.forEachReached("p", filter_kind::kOnline, [&](Session&) { ++visited; });
  }
  benchmark::DoNotOptimize(visited);
}
BENCHMARK(BM_Gateway_OnlineNoticeAmongUnsubscribedSessions)->Arg(1000)->Arg(10000);

// What counting one server message by type costs (Session::send does it for each).
void BM_Gateway_CountServerMessageByType(benchmark::State& state) {
  GatewayMetrics metrics;
  const std::string message = R"({"type":"room_message","roomId":"lobby","from":"u1","msg":"hi"})";
  for (auto _ : state) {
    metrics.messagesOut.add(serverMessageTypeIndex(message));
    benchmark::DoNotOptimize(metrics.messagesOut);
  }
}
BENCHMARK(BM_Gateway_CountServerMessageByType);

// The same by name into a map, as a label chosen at run time would be (for comparison).
void BM_Gateway_CountServerMessageByTypeName(benchmark::State& state) {
  metrics::LabeledCounter counter;
  const std::string message = R"({"type":"room_message","roomId":"lobby","from":"u1","msg":"hi"})";
  for (auto _ : state) {
    counter.add(serverMessageType(message));
    benchmark::DoNotOptimize(counter);
  }
}
BENCHMARK(BM_Gateway_CountServerMessageByTypeName);

}  // namespace
}  // namespace wsd

BENCHMARK_MAIN();
