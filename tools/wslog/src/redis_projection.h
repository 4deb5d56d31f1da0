// wslog's side of Redis: writing a replay into a database of the operator's choosing
// (the same keys, encodings and atomic batches as wsd's projector, so a `wsd project`
// could carry on from it), and reading a live projection back as a Snapshot together
// with the offsets it was built from.
//
// Safety: replay writes only into an empty database (it refuses any other), and verify
// only reads.
#pragma once

#include <memory>
#include <string>

#include "record.h"
#include "store/projection_snapshot.h"
#include "store/redis_client.h"
#include "store/redis_store.h"

namespace wsd::wslog {

Result<std::unique_ptr<store::RedisSync>> connectRedis(const std::string& url);

// An error unless the selected database holds no key at all.
Status requireEmptyDatabase(store::RedisSync& redis, const std::string& url);

// Writes what a replay changed, batch by batch, each batch one atomic script call that
// also records the offsets applied so far under wsd:offsets:NAME.
class RedisReplayWriter {
 public:
  static Result<RedisReplayWriter> begin(store::RedisSync& redis, std::string offsetsName);
  Status write(store::RedisStore& changes, const Offsets& applied);

 private:
  RedisReplayWriter(store::RedisSync& redis, std::string epoch, std::string offsetsName)
      : redis_(&redis), epoch_(std::move(epoch)), offsetsName_(std::move(offsetsName)) {}

  store::RedisSync* redis_;
  std::string epoch_;
  std::string offsetsName_;
};

// Every projection key in the database (snapshot.h's isProjectionKey), by SCAN.
Result<store::Snapshot> readSnapshot(store::RedisSync& redis);
// wsd:offsets:NAME; empty when the key is absent.
Result<Offsets> readOffsets(store::RedisSync& redis, const std::string& offsetsName);
// Redis's own clock (TIME), in ms: what its key expiry goes by.
Result<std::int64_t> redisNowMs(store::RedisSync& redis);

}  // namespace wsd::wslog
