#include "log/partition_checkpoint_writer.h"

#include "logging/logger.h"

namespace wsd::log {

Result<std::unique_ptr<PartitionCheckpointWriter>> PartitionCheckpointWriter::connect(const KafkaOptions& options,
                                                                                      event_base* base) {
  auto producer = makeKafkaClient(RD_KAFKA_PRODUCER, producerSettings(options), [](rd_kafka_conf_t* conf) {
    rd_kafka_conf_set_dr_msg_cb(conf, &PartitionCheckpointWriter::onDelivery);
  });
  if (!producer.ok()) return producer.error();
  std::unique_ptr<PartitionCheckpointWriter> writer(new PartitionCheckpointWriter(options, *producer));
  auto* raw = writer.get();
  auto watched =
      writer->wakeup_.watch(rd_kafka_queue_get_main(raw->producer_), base, [raw] { rd_kafka_poll(raw->producer_, 0); });
  if (!watched.ok()) return watched.error();
  return writer;
}

PartitionCheckpointWriter::~PartitionCheckpointWriter() {
  wakeup_.unwatch();
  rd_kafka_destroy(producer_);
}

void PartitionCheckpointWriter::write(std::int32_t partition, const Event& checkpoint) {
  const std::string payload = checkpoint.encode();
  const rd_kafka_resp_err_t err =
      rd_kafka_producev(producer_, RD_KAFKA_V_TOPIC(options_.topic.c_str()), RD_KAFKA_V_PARTITION(partition),
                        RD_KAFKA_V_VALUE(const_cast<char*>(payload.data()), payload.size()),
                        RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    logging::warn("projector: a partition checkpoint for partition " + std::to_string(partition) +
                  " was refused: " + rd_kafka_err2str(err));
  }
}

void PartitionCheckpointWriter::flush() {
  rd_kafka_flush(producer_, options_.messageTimeoutMs);
  rd_kafka_poll(producer_, 0);
}

void PartitionCheckpointWriter::onDelivery(rd_kafka_t*, const rd_kafka_message_t* m, void*) {
  if (m->err == RD_KAFKA_RESP_ERR_NO_ERROR) return;
  logging::warn("projector: a partition checkpoint for partition " + std::to_string(m->partition) +
                " was not taken: " + rd_kafka_message_errstr(m));
}

}  // namespace wsd::log
