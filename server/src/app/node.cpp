#include "app/node.h"

#include <event2/thread.h>

#include <csignal>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <thread>

#include "app/backend_loop.h"
#include "app/log_command.h"
#include "app/projector_role.h"
#include "app/secrets.h"
#include "core/error_codes.h"
#include "core/ids.h"
#include "core/projector.h"
#include "gateway/cluster/cluster_session_directory.h"
#include "gateway/cluster/node_liveness.h"
#include "gateway/cluster/node_twin_watch.h"
#include "gateway/metrics/gateway_metrics.h"
#include "gateway/net/server.h"
#include "gateway/sessions/local_session_directory.h"
#include "gateway/sessions/output_overflow.h"
#include "log/cross_thread_appends.h"
#include "log/embedded_log.h"
#include "log/kafka_log.h"
#include "logging/logger.h"
#include "mail/http_relay.h"
#include "mail/mailer.h"
#include "mail/smtp_relay.h"
#include "store/memory_store.h"
#include "webhook/dispatcher.h"

namespace wsd {
namespace {

std::atomic<bool> gStop{false};
GatewayServer* gServer = nullptr;

void onSignal(int) {
  gStop.store(true);
  if (gServer != nullptr) gServer->wake();  // async-signal safe enough: it writes the serving loop's cancel pipe
}

std::string newAdminToken() { return randomHex(24); }
std::string newNodeId() { return "node-" + randomHex(4); }

int fail(const std::string& message) {
  logging::error(message);
  return 1;
}

log::FsyncPolicy fsyncPolicy(const std::string& name) {
  if (name == "always") return log::FsyncPolicy::kAlways;
  if (name == "never") return log::FsyncPolicy::kNever;
  return log::FsyncPolicy::kEverySecond;
}

GatewayOptions gatewayOptions(const Config& c, std::string adminToken, std::string node) {
  GatewayOptions o;
  o.listenHost = c.listenHost;
  o.listenPort = c.listenPort;
  o.adminToken = std::move(adminToken);
  o.node = std::move(node);
  o.version = versionString();
  o.logName = c.kafkaBrokers.empty() ? "embedded" : c.kafkaTopic;
  o.projectorLimits = ProjectorLimits{c.inboxMax, c.roomsPerConn};
  if (o.version.rfind("wsd ", 0) == 0) o.version.erase(0, 4);  // the number alone
  o.heartbeatMs = static_cast<std::int64_t>(c.heartbeatSeconds * 1000);
  o.offlineTtlMs = c.offlineTtlSeconds * 1000;
  o.tokenTtlMs = c.tokenTtlSeconds * 1000;
  o.maxMessageBytes = c.maxMessageBytes;
  o.rateLimit = c.rateLimit;
  o.rateBurst = c.rateBurst;
  o.multicastMax = c.multicastMax;
  o.connsPerProject = c.connsPerProject;
  o.wsDeflate = c.wsDeflate;
  o.wsDeflateThreshold = c.wsDeflateThreshold;
  o.wsReceiveBuffer = c.wsReceiveBuffer;
  o.pollTimeoutMs = static_cast<std::int64_t>(c.pollTimeoutSeconds * 1000);
  o.pollSessionTimeoutMs = static_cast<std::int64_t>(c.pollSessionTimeoutSeconds * 1000);
  o.sseResumeMs = static_cast<std::int64_t>(c.sseResumeSeconds * 1000);
  o.sseReplayMessages = c.sseReplayMessages;
  o.output = {c.sessionOutputBytes, c.outputBytes, c.sessionOutputMessages};
  // One gateway (the embedded log) has nobody to tell it is alive.
  o.nodeHeartbeatMs = c.kafkaBrokers.empty() ? 0 : static_cast<std::int64_t>(c.nodeHeartbeatSeconds * 1000);
  o.nodeTimeoutMs = static_cast<std::int64_t>(c.nodeTimeoutSeconds * 1000);
  o.mailLimit = c.mailLimit;
  o.mailWindowMs = static_cast<std::int64_t>(c.mailWindowSeconds * 1000);
  o.mailTimeoutMs = static_cast<std::int64_t>(c.mailTimeoutSeconds * 1000);
  o.mailSender = {c.mailFrom, c.mailFromName};
  return o;
}

log::KafkaOptions kafkaOptions(const Config& config) {
  log::KafkaOptions options;
  options.brokers = config.kafkaBrokers;
  options.topic = config.kafkaTopic;
  options.partitions = config.kafkaPartitions;
  options.producerOverrides = config.kafkaProducerConfig;
  options.consumerOverrides = config.kafkaConsumerConfig;
  return options;
}

// The event log the configuration asks for: Kafka when brokers are named, else the
// embedded segment files in DATA_DIR/log.
// The log's chain checkpoints: their envelopes name this node, with ids of their own
// generator (the log calls it under its chain lock, one call at a time).
log::Checkpoints chainCheckpoints(const Config& config, const std::string& node) {
  log::Checkpoints checkpoints;
  checkpoints.policy.everyRecords = config.chainCheckpointRecords;
  checkpoints.policy.everyMs = static_cast<std::int64_t>(config.chainCheckpointSeconds * 1000);
  checkpoints.policy.key = config.chainKey;
  checkpoints.newEvent = [node, ids = std::make_shared<IdGenerator>()] {
    auto event = std::make_shared<Event>();
    event->ts = wallClockMs();
    event->id = ids->next(event->ts);
    event->node = node;
    return event;
  };
  return checkpoints;
}

Result<std::unique_ptr<log::EventLog>> openEventLog(const Config& config, event_base* base, const std::string& node) {
  if (!config.kafkaBrokers.empty()) {
    // This process's chains in the topic: the node, and a nonce for this start (a node
    // restarted on the same id begins chains of its own).
    auto kafka =
        log::KafkaLog::connect(kafkaOptions(config), base, chainCheckpoints(config, node), node + "/" + randomHex(4));
    if (!kafka.ok()) return kafka.error();
    return std::unique_ptr<log::EventLog>(std::move(kafka.value()));
  }
  log::SegmentLog::Options logOptions;
  logOptions.directory = config.dataDir + "/log";
  logOptions.sync_each_append = fsyncPolicy(config.fsync) == log::FsyncPolicy::kAlways;
  logOptions.defer_rolled_syncs = fsyncPolicy(config.fsync) == log::FsyncPolicy::kEverySecond;
  logOptions.repair_hint = "To keep the records before the damage and move the rest aside (nothing is deleted), run: " +
                           logRepairCommand(config.dataDir);
  logOptions.warn = [](const std::string& warning) { logging::warn(warning); };
  auto segments = log::SegmentLog::open(logOptions);
  if (!segments.ok()) return segments.error();
  return std::unique_ptr<log::EventLog>(std::make_unique<log::EmbeddedLog>(
      std::move(segments.value()), base, fsyncPolicy(config.fsync), chainCheckpoints(config, node)));
}

// The projector role when the configuration asks for Redis projections (else null); its
// partition checkpoints name `node`.
Result<std::unique_ptr<ProjectorRole>> startProjector(const Config& config, event_base* base, const std::string& node) {
  if (config.redisUrl.empty()) return std::unique_ptr<ProjectorRole>();
  auto redis = store::parseRedisUrl(config.redisUrl);
  if (!redis.ok()) return redis.error();
  auto role =
      ProjectorRole::start({kafkaOptions(config), config.projectorGroup, *redis,
                            ProjectorLimits{config.inboxMax, config.roomsPerConn}, chainCheckpoints(config, node)},
                           base);
  if (!role.ok()) return role.error();
  logging::info("projecting " + config.kafkaTopic + " into " + redis->text() + " (consumer group " +
                config.projectorGroup + ")");
  return std::move(role.value());
}

// The relay the configuration names, or null: then accepted mail fails with
// mail_not_configured, which the client sees as 503.
std::unique_ptr<mail::Relay> mailRelay(const Config& c) {
  const auto timeoutMs = static_cast<std::int64_t>(c.mailTimeoutSeconds * 1000);
  if (!c.smtpUrl.empty()) {
    return std::make_unique<mail::SmtpRelay>(
        mail::SmtpOptions{c.smtpUrl, c.smtpUser, c.smtpPassword, c.smtpStarttls, timeoutMs});
  }
  if (!c.mailHttpUrl.empty())
    return std::make_unique<mail::HttpRelay>(mail::HttpRelayOptions{c.mailHttpUrl, c.mailHttpKey, timeoutMs});
  return nullptr;
}

webhook::RetryPolicy webhookPolicy(const Config& c) {
  webhook::RetryPolicy policy;
  policy.attempts = c.webhookAttempts;
  policy.timeoutMs = static_cast<std::int64_t>(c.webhookTimeoutSeconds * 1000);
  policy.backoffMs = static_cast<std::int64_t>(c.webhookBackoffSeconds * 1000);
  return policy;
}

std::string relayName(const Config& c) {
  if (!c.smtpUrl.empty()) return c.smtpUrl;
  if (!c.mailHttpUrl.empty()) return c.mailHttpUrl;
  return "no relay configured";
}

// For roles whose work all happens on the backend loop: this thread only waits to be
// told to stop (SIGINT, SIGTERM).
void waitForStopSignal() {
  while (!gStop.load()) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  logging::info("shutting down");
}

void catchStopSignals() {
  std::signal(SIGINT, onSignal);
  std::signal(SIGTERM, onSignal);
  std::signal(SIGPIPE, SIG_IGN);
}

// The admin token's value is never logged. A token generated on this start is shown once
// on stdout (the terminal of `deploy/local/start.sh`, not the log); afterwards it is in the
// data dir. Returns what the log says about it instead.
std::string showAdminTokenOnce(const Config& config, const std::string& token, bool created) {
  const std::string file = config.dataDir + "/admin-token";
  if (!config.adminToken.empty()) return "given in the configuration";
  if (!created) return "kept in " + file;
  std::printf("wsd: admin token: %s\n", token.c_str());
  std::fflush(stdout);
  return "new, shown once on stdout and kept in " + file;
}

std::string logName(const Config& config) {
  return config.kafkaBrokers.empty() ? config.dataDir + "/log" : "kafka topic " + config.kafkaTopic;
}

// The serving roles' one libevent loop, run by the main thread: libwebsockets (a foreign
// loop), the log (the embedded log's timers and its fsync thread's hand-back; Kafka's
// queue event fds), Redis and the projector role all register their events in it
// (docs/architecture.md, "Threads"). Freed last, after everything that registered.
class ServingLoop {
 public:
  ServingLoop() {
    evthread_use_pthreads();  // event_active() from the fsync, mailer and webhook threads
    base_ = event_base_new();
  }
  ~ServingLoop() { event_base_free(base_); }
  ServingLoop(const ServingLoop&) = delete;
  ServingLoop& operator=(const ServingLoop&) = delete;
  event_base* base() { return base_; }

 private:
  event_base* base_ = nullptr;
};

}  // namespace

int runNode(const Config& config) {
  std::error_code ec;
  std::filesystem::create_directories(config.dataDir, ec);
  if (ec) return fail("cannot create data dir " + config.dataDir + ": " + ec.message());

  bool tokenCreated = false;
  auto adminToken = config.adminToken.empty()
                        ? loadOrCreate(config.dataDir, "admin-token", newAdminToken, &tokenCreated)
                        : Result<std::string>(config.adminToken);
  if (!adminToken.ok()) return fail(adminToken.error().message);
  logging::addSecret(*adminToken);
  const std::string adminTokenOrigin = showAdminTokenOnce(config, *adminToken, tokenCreated);
  auto node =
      config.nodeId.empty() ? loadOrCreate(config.dataDir, "node-id", newNodeId) : Result<std::string>(config.nodeId);
  if (!node.ok()) return fail(node.error().message);

  auto schemas = SchemaRegistry::compile(embeddedSchemas());
  if (!schemas.ok()) return fail(schemas.error().message);

  ServingLoop loop;
  if (loop.base() == nullptr) return fail("cannot create the event loop");
  auto opened = openEventLog(config, loop.base(), *node);
  if (!opened.ok()) return fail(opened.error().message);
  log::EventLog& eventLog = **opened;
  store::MemoryStore state;
  Projector projector(state, ProjectorLimits{config.inboxMax, config.roomsPerConn});
  // The mailer and the webhook sender append from their own threads; the log is the loop's.
  log::CrossThreadAppends otherThreads(loop.base(), [&eventLog](EventPtr e) { eventLog.append(std::move(e)); });
  auto appendFromOtherThread = [&otherThreads](std::shared_ptr<Event> e) { otherThreads.append(std::move(e)); };
  // `wsd all` sends the mail too; `wsd serve` leaves that to `wsd mail`.
  std::unique_ptr<mail::Mailer> mailer;
  if (config.role == Role::kAll)
    mailer = std::make_unique<mail::Mailer>(*node, mailRelay(config), appendFromOtherThread);

  // Likewise webhooks: `wsd all` delivers them; with `wsd serve`, `wsd hooks` does.
  std::unique_ptr<webhook::Dispatcher> hooks;
  if (config.role == Role::kAll)
    hooks = std::make_unique<webhook::Dispatcher>(*node, state, webhookPolicy(config), appendFromOtherThread);

  ProjectionCursor cursor;  // where `state` stands in the log (GET /admin/state-snapshot)
  auto replay = eventLog.replay([&](const Event& event, log::LogPosition at) {
    Effects effects = projector.apply(event);                // rebuild: effects are for connections long gone,
    if (mailer != nullptr) mailer->observe(event, effects);  // but the mailer learns what is undone
    if (hooks != nullptr) hooks->observe(event, effects);    // and so does the webhook dispatcher
    cursor.advance(event, at.partition, at.offset);
  });
  if (!replay.ok()) return fail("cannot read the event log: " + replay.error().message);
  const std::uint64_t replayed = cursor.applied();

  GatewayMetrics metrics;
  watchEventLog(eventLog, metrics);
  SessionRegistry sessions;
  sessions.countSentInto(&metrics.messagesOut);
  GatewayServer* server = nullptr;
  EventPipeline pipeline(eventLog, projector, cursor, sessions, [&server] {
    if (server != nullptr) server->applySoon();
  });
  GatewayContext ctx{gatewayOptions(config, *adminToken, *node), **schemas, state, sessions, pipeline, metrics, {}};
  sessions.output().configure(
      ctx.options.output, [&ctx](Session& session, OutputBudget::Over over) { endOverBudget(ctx, session, over); },
      [&ctx](const std::string& project, const std::string& conn, const std::string& rendered) {
        spillUndelivered(ctx, project, conn, rendered);
      });
  // Given --redis, SSE and polling clients may spread their requests over the gateways;
  // without it each one stays on the gateway holding its session.
  LocalSessionDirectory localDirectory;
  std::unique_ptr<RedisBridge> redis;
  std::unique_ptr<ClusterSessionDirectory> clusterDirectory;
  if (!config.redisUrl.empty()) {
    auto address = store::parseRedisUrl(config.redisUrl);
    if (!address.ok()) return fail(address.error().message);
    redis = std::make_unique<RedisBridge>(*address, loop.base(), [&server] {
      if (server != nullptr) server->applySoon();
    });
    clusterDirectory = std::make_unique<ClusterSessionDirectory>(*redis, ctx);
  }
  SessionDirectory& directory = clusterDirectory ? static_cast<SessionDirectory&>(*clusterDirectory)
                                                 : static_cast<SessionDirectory&>(localDirectory);
  GatewayServer gateway(ctx, directory, loop.base());
  if (redis) {
    auto connected = redis->connect(clusterDirectory->channels(),
                                    [&clusterDirectory](const std::string& channel, const std::string& payload) {
                                      clusterDirectory->onPublished(channel, payload);
                                    });
    if (!connected.ok()) return fail(connected.error().message);
    metrics.probes.push_back({"redis", [&redis] { return redis->problem(); }});
  }
  if (auto listening = gateway.listen(); !listening.ok()) return fail(listening.error().message);
  server = &gateway;
  gServer = &gateway;
  catchStopSignals();
  std::unique_ptr<ProjectorRole> projectorRole;
  if (config.role == Role::kAll) {
    auto started = startProjector(config, loop.base(), *node);
    if (!started.ok()) return fail(started.error().message);
    projectorRole = std::move(started.value());
    if (projectorRole != nullptr) {
      metrics.collectors.emplace_back([&projectorRole](std::vector<metrics::Family>& out) {
        const auto lag = projectorRole->lag();
        out.push_back(partitionLagFamily("wsd_projector_lag",
                                         "Records of this projector's partitions not yet written to Redis (high "
                                         "watermark minus the offset stored with the projections)",
                                         lag));
        out.push_back(partitionLagFamily("wsd_projector_lag_seconds",
                                         "How old the oldest record of each partition not yet written to Redis is, "
                                         "within a second (0 when caught up)",
                                         lag, true));
      });
    }
  }

  pipeline.observe([&metrics](const Event& event, const Effects&) { countDeliveryOutcome(metrics, event); });
  if (mailer != nullptr) {
    pipeline.observe([&mailer](const Event& event, const Effects& effects) { mailer->observe(event, effects); });
  }
  if (hooks != nullptr) {
    pipeline.observe([&hooks](const Event& event, const Effects& effects) { hooks->observe(event, effects); });
  }
  // A second gateway started under this node id ends this one's sessions: this one stops.
  bool twinStarted = false;
  NodeTwinWatch twins(*node, [&](const std::string& why) {
    logging::error(why, {{"node", *node}});
    twinStarted = true;
    gStop.store(true);
    gateway.wake();
  });
  pipeline.observe([&twins](const Event& event, const Effects&) { twins.observe(event); });
  if (auto started = pipeline.start(); !started.ok()) return fail(started.error().message);
  if (hooks != nullptr) {
    if (auto resumed = hooks->start(); resumed > 0)
      logging::info("webhooks: " + std::to_string(resumed) + " undelivered delivery(ies) resumed");
  }
  if (mailer != nullptr) {
    mailer->start();
    logging::info("mailer: sending through " + relayName(config));
  }
  // Clears the presence this node had before a restart (see Projector::nodeStart).
  twins.started(submitNodeEvents(ctx, EventType::kNodeStart, ctx.options.node));

  logging::info(std::string(versionString()) + ", node " + *node + ", " + std::to_string(replayed) +
                    " events replayed from " + logName(config),
                {{"node", *node}});
  logging::info("admin token: " + adminTokenOrigin);
  logging::info("listening on http://" + config.listenHost + ":" + std::to_string(gateway.port()));

  gateway.run(gStop);
  logging::info("shutting down");
  gServer = nullptr;
  // Sessions end first: their conn.close events go to the log before it stops (in a Kafka
  // topic, within this process's chains, before their closing checkpoints).
  gateway.closeConnections();
  // The loop no longer runs: nothing below waits for it. The threads that append stop
  // first, their last appends go to the log from here, and then each backend finishes
  // on its own (Kafka flushes, Redis writes the projector's last batch, the embedded log
  // writes what its fsync thread still holds and syncs).
  if (mailer != nullptr) mailer->stop();
  if (hooks != nullptr) hooks->stop();
  otherThreads.appendQueued();
  if (projectorRole != nullptr) projectorRole->stop();
  eventLog.stop();
  return twinStarted ? kExitConfigMustChange : 0;
}

int runProjector(const Config& config) {
  BackendLoop backend;
  const std::string node = config.nodeId.empty() ? "projector-" + randomHex(4) : config.nodeId;
  auto role = startProjector(config, backend.base(), node);
  if (!role.ok()) return fail(role.error().message);
  catchStopSignals();
  backend.start();
  logging::info(std::string(versionString()) + ", projector");
  waitForStopSignal();
  backend.stop();
  (*role)->stop();
  return 0;
}

namespace {

// The roles that follow the whole log like a gateway but serve no clients (the mailer,
// the webhook dispatcher): every event, replayed and then live, is applied to the role's
// own projection and handed to `observe` with its effects. Live events arrive on the
// backend thread, the only thread that touches that projection once replay is done.
Status followLog(log::EventLog& eventLog, Projector& projector, const char* role,
                 std::function<void(const Event&, const Effects&)> observe) {
  auto replay = eventLog.replay([&](const Event& event, log::LogPosition) { observe(event, projector.apply(event)); });
  if (!replay.ok())
    return makeError(error_codes::kLogUnavailable.name, "cannot read the event log: " + replay.error().message);
  return eventLog.start([&projector, role, observe = std::move(observe)](std::vector<log::Committed>&& batch) {
    for (const auto& committed : batch) {
      if (!committed.ok) {
        logging::error(std::string(role) + ": log append failed: " + committed.error.message);
        continue;
      }
      observe(*committed.event, projector.apply(*committed.event));
    }
  });
}

}  // namespace

// The mailer follows the whole log like a gateway (to decide each mail.request as every
// gateway does), but serves no clients: the log's sink applies events right on the
// backend thread, the only thread that touches this projection.
int runMailer(const Config& config) {
  BackendLoop backend;
  const std::string node = config.nodeId.empty() ? "mail-" + randomHex(4) : config.nodeId;
  auto opened = openEventLog(config, backend.base(), node);
  if (!opened.ok()) return fail(opened.error().message);
  log::EventLog& eventLog = **opened;
  store::MemoryStore state;
  Projector projector(state, ProjectorLimits{config.inboxMax, config.roomsPerConn});
  mail::Mailer mailer(node, mailRelay(config),
                      [&eventLog](std::shared_ptr<Event> e) { eventLog.append(std::move(e)); });

  auto followed = followLog(eventLog, projector, "mailer",
                            [&mailer](const Event& event, const Effects& fx) { mailer.observe(event, fx); });
  if (!followed.ok()) return fail(followed.error().message);
  catchStopSignals();
  mailer.start();
  backend.start();
  logging::info(std::string(versionString()) + ", mailer " + node + " on " + logName(config) + ", sending through " +
                    relayName(config),
                {{"node", node}});
  logging::info("mailer ready");
  waitForStopSignal();
  mailer.stop();
  backend.stop();
  eventLog.stop();
  return 0;
}

// The webhook dispatcher alone (distributed mode), following the whole log like the
// mailer: the log's sink applies events on the backend thread, the only thread that
// touches this projection, and the dispatcher reads the webhooks there.
int runHooks(const Config& config) {
  BackendLoop backend;
  const std::string node = config.nodeId.empty() ? "hooks-" + randomHex(4) : config.nodeId;
  auto opened = openEventLog(config, backend.base(), node);
  if (!opened.ok()) return fail(opened.error().message);
  log::EventLog& eventLog = **opened;
  store::MemoryStore state;
  Projector projector(state, ProjectorLimits{config.inboxMax, config.roomsPerConn});
  webhook::Dispatcher hooks(node, state, webhookPolicy(config),
                            [&eventLog](std::shared_ptr<Event> e) { eventLog.append(std::move(e)); });

  auto followed = followLog(eventLog, projector, "webhooks",
                            [&hooks](const Event& event, const Effects& fx) { hooks.observe(event, fx); });
  if (!followed.ok()) return fail(followed.error().message);
  catchStopSignals();
  const std::size_t resumed = hooks.start();
  backend.start();
  logging::info(std::string(versionString()) + ", webhook dispatcher " + node + " on " + logName(config) + ", " +
                    std::to_string(resumed) + " undelivered delivery(ies) resumed",
                {{"node", node}});
  logging::info("hooks ready");
  waitForStopSignal();
  hooks.stop();
  backend.stop();
  eventLog.stop();
  return 0;
}

}  // namespace wsd
