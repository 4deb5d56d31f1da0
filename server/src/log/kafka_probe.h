// Whether a Kafka cluster answers, for a role that waits for it before it starts (and says
// why not while it waits). One client, kept across attempts: librdkafka reconnects on
// its own, so an attempt only asks for metadata and reads what went wrong meanwhile.
#pragma once

#include <librdkafka/rdkafka.h>

#include <memory>
#include <mutex>
#include <string>

#include "core/result.h"
#include "log/kafka_client.h"

namespace wsd::log {

class KafkaProbe {
 public:
  static Result<std::unique_ptr<KafkaProbe>> create(const KafkaOptions& options);
  ~KafkaProbe();
  KafkaProbe(const KafkaProbe&) = delete;
  KafkaProbe& operator=(const KafkaProbe&) = delete;

  // "" when a broker answered within `timeoutMs`, else why not (the last error librdkafka
  // reported, e.g. a refused connection). Blocks up to `timeoutMs`; one thread at a time.
  std::string problem(int timeoutMs);

 private:
  KafkaProbe() = default;
  static void onError(rd_kafka_t* client, int code, const char* reason, void* opaque);

  rd_kafka_t* client_ = nullptr;
  std::string brokers_;
  std::mutex mutex_;  // guards lastError_ (written on librdkafka's callback)
  std::string lastError_;
};

}  // namespace wsd::log
