// A test tool for tampering with a Kafka topic the way an attacker with write access to
// the brokers could: `dump` prints every record of a topic, and `load` writes records into
// another topic exactly as given, each into the partition named. Between the two a test
// edits, removes, swaps, inserts or cuts records, then checks that `wslog verify --chain`
// finds it.
//
//   topic_records dump BROKERS TOPIC             one JSON line per record, partitions in
//                                                offset order: {"partition","offset","value"}
//   topic_records load BROKERS TOPIC PARTITIONS  reads such lines (offset ignored) from
//                                                stdin; the topic is created with PARTITIONS
#include <cstdio>
#include <iostream>
#include <string>

#include "core/json.h"
#include "kafka_source.h"
#include "log/kafka_client.h"

namespace {

using namespace wsd;

int dump(const log::KafkaOptions& options) {
  auto source = wslog::KafkaSource::open(options);
  if (!source.ok()) return std::fprintf(stderr, "%s\n", source.error().message.c_str()), 1;
  auto read = (*source)->read(std::nullopt, [](const wslog::LogRecord& r) {
    rapidjson::StringBuffer buffer;
    json::Writer w(buffer);
    w.StartObject();
    json::field(w, "partition", static_cast<std::int64_t>(r.position.partition));
    json::field(w, "offset", r.position.offset);
    json::field(w, "value", r.payload);
    w.EndObject();
    std::printf("%s\n", buffer.GetString());
    return true;
  });
  if (!read.ok()) return std::fprintf(stderr, "%s\n", read.error().message.c_str()), 1;
  return 0;
}

// Records the broker refused; counted by delivery reports, which run inside rd_kafka_flush
// on this (the only) thread.
int failures = 0;

int load(const log::KafkaOptions& options) {
  auto producer = log::makeKafkaClient(RD_KAFKA_PRODUCER, log::producerSettings(options), [](rd_kafka_conf_t* conf) {
    rd_kafka_conf_set_dr_msg_cb(conf, [](rd_kafka_t*, const rd_kafka_message_t* m, void*) {
      if (m->err != RD_KAFKA_RESP_ERR_NO_ERROR) ++failures;
    });
  });
  if (!producer.ok()) return std::fprintf(stderr, "%s\n", producer.error().message.c_str()), 1;
  if (auto created = log::ensureKafkaTopic(*producer, options); !created.ok()) {
    return std::fprintf(stderr, "%s\n", created.error().message.c_str()), 1;
  }
  std::string line;
  while (std::getline(std::cin, line)) {
    json::Document doc;
    if (!json::parse(doc, line) || !doc.IsObject()) return std::fprintf(stderr, "not JSON: %s\n", line.c_str()), 1;
    const auto partition = json::int64(doc, "partition");
    const auto value = json::string(doc, "value");
    if (!partition || !value) return std::fprintf(stderr, "no partition or value: %s\n", line.c_str()), 1;
    const rd_kafka_resp_err_t err = rd_kafka_producev(*producer, RD_KAFKA_V_TOPIC(options.topic.c_str()),
                                                      RD_KAFKA_V_PARTITION(static_cast<std::int32_t>(*partition)),
                                                      RD_KAFKA_V_VALUE(const_cast<char*>(value->data()), value->size()),
                                                      RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR) return std::fprintf(stderr, "%s\n", rd_kafka_err2str(err)), 1;
  }
  const rd_kafka_resp_err_t flushed = rd_kafka_flush(*producer, 30000);
  rd_kafka_destroy(*producer);
  if (flushed != RD_KAFKA_RESP_ERR_NO_ERROR || failures > 0) return std::fprintf(stderr, "not all delivered\n"), 1;
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string mode = argc > 1 ? argv[1] : "";
  if (argc < 4 || (mode != "dump" && mode != "load") || (mode == "load" && argc < 5)) {
    std::fprintf(stderr, "usage: topic_records dump BROKERS TOPIC | load BROKERS TOPIC PARTITIONS\n");
    return 2;
  }
  wsd::log::KafkaOptions options;
  options.brokers = argv[2];
  options.topic = argv[3];
  if (mode == "dump") return dump(options);
  options.partitions = std::stoi(argv[4]);
  return load(options);
}
