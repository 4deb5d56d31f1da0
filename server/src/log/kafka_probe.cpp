#include "log/kafka_probe.h"

namespace wsd::log {

Result<std::unique_ptr<KafkaProbe>> KafkaProbe::create(const KafkaOptions& options) {
  std::unique_ptr<KafkaProbe> probe(new KafkaProbe());
  KafkaSettings settings = producerSettings(options);
  // The waiting role logs the reason itself; librdkafka's own lines would repeat it.
  settings.emplace_back("log_level", "2");
  settings.emplace_back("enable.idempotence", "false");  // it sends nothing: no producer id to wait for
  auto client = makeKafkaClient(RD_KAFKA_PRODUCER, settings, [&probe](rd_kafka_conf_t* conf) {
    rd_kafka_conf_set_opaque(conf, probe.get());
    rd_kafka_conf_set_error_cb(conf, &KafkaProbe::onError);
  });
  if (!client.ok()) return client.error();
  probe->client_ = *client;
  probe->brokers_ = options.brokers;
  return probe;
}

KafkaProbe::~KafkaProbe() {
  if (client_ != nullptr) rd_kafka_destroy(client_);
}

void KafkaProbe::onError(rd_kafka_t* /*client*/, int code, const char* reason, void* opaque) {
  auto* self = static_cast<KafkaProbe*>(opaque);
  std::lock_guard lock(self->mutex_);
  // "1/1 brokers are down" follows the reason each one is; the reason says more.
  if (code == RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN && !self->lastError_.empty()) return;
  self->lastError_ = reason;
}

std::string KafkaProbe::problem(int timeoutMs) {
  const rd_kafka_metadata_t* metadata = nullptr;
  const rd_kafka_resp_err_t err = rd_kafka_metadata(client_, 0, nullptr, &metadata, timeoutMs);
  if (metadata != nullptr) rd_kafka_metadata_destroy(metadata);
  rd_kafka_poll(client_, 0);  // serves onError with what happened meanwhile
  if (err == RD_KAFKA_RESP_ERR_NO_ERROR) return "";
  std::lock_guard lock(mutex_);
  return "brokers " + brokers_ + ": " + (lastError_.empty() ? "" : lastError_ + " ") + "(" + rd_kafka_err2str(err) +
         ")";
}

}  // namespace wsd::log
