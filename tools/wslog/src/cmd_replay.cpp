// wslog replay and wslog verify: the projections rebuilt from the log by wsd's own
// Projector, summarised by a digest, written to Redis, or compared with a live Redis or
// a live wsd's own state.
#include <cstdio>
#include <fstream>

#include "admin_client.h"
#include "commands.h"
#include "live_state.h"
#include "progress.h"
#include "redis_projection.h"
#include "replayer.h"
#include "snapshot_diff.h"
#include "store/memory_store.h"
#include "time_text.h"

namespace wsd::wslog {
namespace {

constexpr std::uint64_t kEventsPerBatch = 1000;  // events per atomic Redis write
constexpr int kSnapshotAttempts = 10;            // verify: tries for a projection that holds still

// Applies every record inside `bound` to `store`; `afterEach` runs after each applied one.
Status replayInto(LogSource& source, Replayer& replayer, const std::optional<Offsets>& until,
                  const std::function<Status()>& afterEach) {
  Progress progress("replay", source.recordCount());
  Status status = okStatus();
  auto read = source.read(until, [&](const LogRecord& r) {
    progress.step();
    if (!replayer.within(r)) return source.partitioned();  // one partition: nothing after it is within either
    replayer.apply(r);
    status = afterEach();
    return status.ok();
  });
  progress.finish();
  return read.ok() ? status : read;
}

Status writeDump(const std::string& path, const Snapshot& snapshot) {
  if (path.empty()) return okStatus();
  std::string text;
  for (const auto& line : canonicalLines(snapshot)) text += line + "\n";
  if (path == "-") {
    std::fputs(text.c_str(), stdout);
    return okStatus();
  }
  std::ofstream out(path, std::ios::binary);
  out << text;
  out.close();
  return out ? okStatus() : Status(makeError("output", "cannot write " + path));
}

// "replayed 48 events, offsets 0..47, the last at ...", the state's counts, the digest.
void printSummary(const Replayer& replayer, const LogSource& source, const Snapshot& snapshot) {
  std::string line = "replayed " + std::to_string(replayer.count()) + " events";
  if (replayer.count() > 0) {
    line += source.partitioned() ? ", up to offsets " + offsetsText(replayer.applied())
                                 : ", offsets 0.." + std::to_string(replayer.applied().at(0) - 1);
    line += ", the last at " + formatTime(replayer.lastTs());
  }
  std::printf("%s\nstate: %s\ndigest %s\n", line.c_str(), summaryOf(snapshot).c_str(), digestOf(snapshot).c_str());
}

int replayToRedis(const Options& o, LogSource& source, const ReplayBound& bound) {
  auto redis = connectRedis(o.redisUrl);
  if (!redis.ok()) return fail(redis.error());
  if (auto empty = requireEmptyDatabase(**redis, o.redisUrl); !empty.ok()) return fail(empty.error());
  auto writer = RedisReplayWriter::begin(**redis, source.offsetsName());
  if (!writer.ok()) return fail(writer.error());
  store::RedisStore state;
  Replayer replayer(state, o.limits, bound);
  auto replayed = replayInto(source, replayer, bound.until, [&] {
    return replayer.count() % kEventsPerBatch == 0 ? writer->write(state, replayer.applied()) : okStatus();
  });
  if (!replayed.ok()) return fail(replayed.error());
  if (auto last = writer->write(state, replayer.applied()); !last.ok()) return fail(last.error());
  const Snapshot expected = snapshotOf(state, replayer.projects());
  auto written = readSnapshot(**redis);  // read back: what Redis now holds must be what was replayed
  if (!written.ok()) return fail(written.error());
  if (auto differences = diffSnapshots(expected, *written); !differences.empty()) {
    std::fputs(renderDifferences(differences).c_str(), stderr);
    return fail(makeError("redis_mismatch", "Redis does not hold what was replayed (changed while writing?)"));
  }
  printSummary(replayer, source, expected);
  std::printf("written to %s (offsets under wsd:offsets:%s)\n", o.redisUrl.c_str(), source.offsetsName().c_str());
  if (auto dumped = writeDump(o.dumpPath, expected); !dumped.ok()) return fail(dumped.error());
  return kExitOk;
}

// The live projection and the offsets it was built from, read while no batch landed in
// between (the projector writes its offsets with every batch, so equal offsets before and
// after mean an unchanged state).
struct LiveProjection {
  Snapshot snapshot;
  Offsets offsets;
};

Result<LiveProjection> readLive(store::RedisSync& redis, const std::string& offsetsName) {
  for (int attempt = 0; attempt < kSnapshotAttempts; ++attempt) {
    auto before = readOffsets(redis, offsetsName);
    if (!before.ok()) return before.error();
    auto snapshot = readSnapshot(redis);
    if (!snapshot.ok()) return snapshot.error();
    auto after = readOffsets(redis, offsetsName);
    if (!after.ok()) return after.error();
    if (*before == *after) return LiveProjection{std::move(snapshot.value()), std::move(after.value())};
  }
  return makeError("redis_moving", "the projection changed during each of 10 reads; verify with --until-offset");
}

// Prints the differences (and any shortfall of the log read); the exit code.
int reportDifferences(const Snapshot& expected, const Snapshot& live, const std::string& liveName,
                      const std::vector<std::string>& shortfalls) {
  const auto differences = diffSnapshots(expected, live);
  for (const auto& line : shortfalls) std::printf("log short: %s\n", line.c_str());
  if (differences.empty() && shortfalls.empty()) {
    std::printf("no differences: %zu keys equal, digest %s\n", expected.size(), digestOf(expected).c_str());
    return kExitOk;
  }
  std::set<std::string> keys;
  for (const auto& d : differences) keys.insert(d.key);
  std::fputs(renderDifferences(differences, liveName).c_str(), stdout);
  std::printf("%zu difference(s) in %zu key(s)\n", differences.size(), keys.size());
  return kExitDiffers;
}

}  // namespace

int runReplay(const Options& o, LogSource& source) {
  const ReplayBound bound{o.untilOffset, o.asOf};
  if (!o.redisUrl.empty()) return replayToRedis(o, source, bound);
  store::MemoryStore state;
  Replayer replayer(state, o.limits, bound);
  if (auto replayed = replayInto(source, replayer, bound.until, okStatus); !replayed.ok())
    return fail(replayed.error());
  const Snapshot snapshot = snapshotOf(state, replayer.projects());
  printSummary(replayer, source, snapshot);
  if (auto dumped = writeDump(o.dumpPath, snapshot); !dumped.ok()) return fail(dumped.error());
  return kExitOk;
}

int runVerify(const Options& o, LogSource& source) {
  auto redis = connectRedis(o.redisUrl);
  if (!redis.ok()) return fail(redis.error());
  auto live = readLive(**redis, source.offsetsName());
  if (!live.ok()) return fail(live.error());
  std::optional<Offsets> until = o.untilOffset;
  if (!until && !live->offsets.empty()) until = live->offsets;
  store::MemoryStore state;
  Replayer replayer(state, o.limits, ReplayBound{until, std::nullopt});
  if (auto replayed = replayInto(source, replayer, until, okStatus); !replayed.ok()) return fail(replayed.error());
  Snapshot expected = snapshotOf(state, replayer.projects());
  auto now = redisNowMs(**redis);
  if (!now.ok()) return fail(now.error());
  dropExpired(expected, *now);
  std::printf("verify: %s%s against a replay of %llu events\n", o.redisUrl.c_str(),
              until ? (" at offsets " + offsetsText(*until)).c_str() : " (no wsd:offsets: the whole log)",
              static_cast<unsigned long long>(replayer.count()));
  if (auto dumped = writeDump(o.dumpPath, expected); !dumped.ok()) return fail(dumped.error());
  return reportDifferences(expected, live->snapshot, "Redis", {});
}

int runVerifyLive(const Options& o) {
  auto token = readAdminToken(o.adminTokenFile);
  if (!token.ok()) return fail(token.error());
  auto body = fetchStateSnapshot(o.adminUrl, *token);
  if (!body.ok()) return fail(body.error());
  auto live = parseLiveState(*body);
  if (!live.ok()) return fail(live.error());
  auto source = openSource(o.source);  // after the snapshot: the log read then holds what it reflects
  if (!source.ok()) return fail(source.error());
  if (live->logName != (*source)->offsetsName()) {
    return fail(makeError("usage", "the wsd at " + o.adminUrl + " reads the log '" + live->logName +
                                       "', not the one named here ('" + (*source)->offsetsName() + "')"));
  }
  store::MemoryStore state;
  Replayer replayer(state, live->limits, ReplayBound{live->offsets, std::nullopt});
  if (auto replayed = replayInto(**source, replayer, live->offsets, okStatus); !replayed.ok())
    return fail(replayed.error());
  const Snapshot expected = snapshotOf(state, replayer.projects());
  std::printf("verify: wsd %s (node %s) at offsets %s against a replay of %llu events\n", o.adminUrl.c_str(),
              live->node.c_str(), offsetsText(live->offsets).c_str(),
              static_cast<unsigned long long>(replayer.count()));
  if (auto dumped = writeDump(o.dumpPath, expected); !dumped.ok()) return fail(dumped.error());
  const std::string liveName = "wsd";
  return reportDifferences(expected, live->snapshot, liveName,
                           positionShortfalls(live->offsets, replayer.applied(), (*source)->partitioned()));
}

}  // namespace wsd::wslog
