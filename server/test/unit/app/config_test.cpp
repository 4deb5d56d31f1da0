// The command-line contract that tools and tests depend on.
#include "app/config.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

namespace wsd {
namespace {

TEST(Config, DefaultsMatchTheDocumentedContract) {
  auto c = parseConfig({});
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->role, Role::kAll);
  EXPECT_EQ(c->listenHost, "127.0.0.1");
  EXPECT_EQ(c->listenPort, 8080);
  EXPECT_EQ(c->dataDir, "./data");
  EXPECT_EQ(c->heartbeatSeconds, 15);
  EXPECT_EQ(c->offlineTtlSeconds, 259200);
}

TEST(Config, FlagsAcceptSpaceOrEqualsForm) {
  auto c = parseConfig({"serve", "--listen", "0.0.0.0:9000", "--heartbeat-interval=0.5", "--data-dir", "/x"});
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->role, Role::kServe);
  EXPECT_EQ(c->listenHost, "0.0.0.0");
  EXPECT_EQ(c->listenPort, 9000);
  EXPECT_DOUBLE_EQ(c->heartbeatSeconds, 0.5);
  EXPECT_EQ(c->dataDir, "/x");
}

TEST(Config, BadInputSaysWhatToChange) {
  auto unknown = parseConfig({"--nope"});
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.error().message.find("--nope"), std::string::npos);
  auto badValue = parseConfig({"--listen", "nowhere"});
  ASSERT_FALSE(badValue.ok());
  EXPECT_NE(badValue.error().message.find("HOST:PORT"), std::string::npos);
  EXPECT_FALSE(parseConfig({"--offline-ttl"}).ok());
  EXPECT_FALSE(parseConfig({"everything"}).ok());
  EXPECT_FALSE(parseConfig({"--fsync", "sometimes"}).ok());
}

TEST(Config, MailDefaultsFollowTheSeed) {
  auto c = parseConfig({});
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->mailLimit, 10);
  EXPECT_EQ(c->mailWindowSeconds, 60);
  EXPECT_EQ(c->mailFromName, "WebSocket Server");
}

TEST(Config, MailRelaysAreCheckedAtStartUp) {
  EXPECT_TRUE(parseConfig({"--smtp-url", "smtps://mail.example.com:465"}).ok());
  EXPECT_FALSE(parseConfig({"--smtp-url", "mail.example.com:25"}).ok());
  EXPECT_FALSE(parseConfig({"--smtp-starttls", "maybe"}).ok());
  auto both = parseConfig({"--smtp-url", "smtp://a:25", "--mail-http-url", "https://api.example.com/send"});
  ASSERT_FALSE(both.ok());
  EXPECT_NE(both.error().message.find("not both"), std::string::npos);
  auto mailAlone = parseConfig({"mail"});
  ASSERT_FALSE(mailAlone.ok());
  EXPECT_NE(mailAlone.error().message.find("--kafka-brokers"), std::string::npos);
  EXPECT_TRUE(parseConfig({"mail", "--kafka-brokers", "127.0.0.1:9092"}).ok());
}

TEST(Config, WebhookRetriesAreConfigurableAndTheHooksRoleNeedsKafka) {
  auto defaults = parseConfig({});
  ASSERT_TRUE(defaults.ok());
  EXPECT_EQ(defaults->webhookAttempts, 5);
  EXPECT_DOUBLE_EQ(defaults->webhookTimeoutSeconds, 10);
  EXPECT_DOUBLE_EQ(defaults->webhookBackoffSeconds, 1);
  auto c = parseConfig({"hooks", "--kafka-brokers", "k:9092", "--webhook-attempts", "3", "--webhook-timeout", "2.5",
                        "--webhook-backoff=0.2"});
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->role, Role::kHooks);
  EXPECT_EQ(c->webhookAttempts, 3);
  EXPECT_DOUBLE_EQ(c->webhookTimeoutSeconds, 2.5);
  EXPECT_DOUBLE_EQ(c->webhookBackoffSeconds, 0.2);
  EXPECT_FALSE(parseConfig({"--webhook-attempts", "0"}).ok());
  auto embedded = parseConfig({"hooks"});
  ASSERT_FALSE(embedded.ok());
  EXPECT_NE(embedded.error().message.find("--kafka-brokers"), std::string::npos);
}

TEST(Config, AGatewayTimeoutShorterThanTwoHeartbeatsIsRefused) {
  const std::vector<std::string> kafka{"--kafka-brokers", "k:9092"};
  auto with = [&](std::vector<std::string> extra) {
    extra.insert(extra.end(), kafka.begin(), kafka.end());
    return parseConfig(extra);
  };
  auto quiet = with({"--node-heartbeat", "3600"});
  ASSERT_FALSE(quiet.ok());
  EXPECT_EQ(quiet.error().code, "bad_config");
  EXPECT_NE(quiet.error().message.find("--node-timeout (10s) must be at least twice --node-heartbeat (3600s)"),
            std::string::npos)
      << quiet.error().message;
  EXPECT_FALSE(with({"--node-heartbeat", "3s", "--node-timeout", "5s"}).ok());
  EXPECT_TRUE(with({"--node-heartbeat", "3600", "--node-timeout", "2h"}).ok());
  EXPECT_TRUE(with({"--node-heartbeat", "0.2", "--node-timeout", "1.5"}).ok());
  EXPECT_TRUE(parseConfig({"--node-heartbeat", "3600"}).ok()) << "without Kafka neither is used";
}

TEST(Config, HelpListsEveryFlagWithItsDefault) {
  auto help = helpText();
  for (const char* flag : {"--listen", "--admin-token", "--data-dir", "--heartbeat-interval", "--offline-ttl",
                           "--max-message-bytes", "--rate-limit", "--poll-timeout", "--fsync"}) {
    EXPECT_NE(help.find(flag), std::string::npos) << flag;
  }
}

TEST(Config, KafkaPropertiesAreRepeatableKeyValuePairsKeptInOrder) {
  auto c =
      parseConfig({"serve", "--kafka-brokers", "k:9092", "--kafka-producer-config", "linger.ms=1",
                   "--kafka-producer-config=compression.type=lz4", "--kafka-consumer-config", "fetch.wait.max.ms=1"});
  ASSERT_TRUE(c.ok()) << c.error().message;
  using Pairs = std::vector<std::pair<std::string, std::string>>;
  EXPECT_EQ(c->kafkaProducerConfig, (Pairs{{"linger.ms", "1"}, {"compression.type", "lz4"}}));
  EXPECT_EQ(c->kafkaConsumerConfig, (Pairs{{"fetch.wait.max.ms", "1"}}));
  EXPECT_FALSE(parseConfig({"--kafka-producer-config", "linger.ms"}).ok());
  EXPECT_FALSE(parseConfig({"--kafka-consumer-config", "=1"}).ok());
}

// ---- Three sources: the command line, then WSD_* variables, then the --config file ----

namespace three_sources {

using Env = std::map<std::string, std::string>;

EnvLookup lookupIn(const Env& env) {
  return [&env](const std::string& name) -> const char* {
    auto it = env.find(name);
    return it == env.end() ? nullptr : it->second.c_str();
  };
}

// A TOML file of its own for one test, removed when the test ends.
class ConfigFile {
 public:
  explicit ConfigFile(const std::string& text) {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    path_ = std::filesystem::temp_directory_path() /
            ("wsd-config-" + std::string(info->name()) + "-" + std::to_string(::getpid()) + ".toml");
    std::ofstream(path_) << text;
  }
  ~ConfigFile() { std::filesystem::remove(path_); }
  std::string path() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

Source sourceOf(const Config& c, const std::string& option) {
  for (const auto& s : c.settings) {
    if (s.option == option) return s.source;
  }
  return Source::kDefault;
}

TEST(ConfigSources, TheCommandLineBeatsTheEnvironmentWhichBeatsTheFile) {
  ConfigFile file("poll-timeout = \"7s\"\nrate-limit = 5\nmax-inbox = 9\n");
  Env env{{"WSD_POLL_TIMEOUT", "8s"}, {"WSD_RATE_LIMIT", "6"}};
  auto c = parseConfig({"--config", file.path(), "--poll-timeout", "9s"}, lookupIn(env));
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_DOUBLE_EQ(c->pollTimeoutSeconds, 9);
  EXPECT_EQ(sourceOf(*c, "poll-timeout"), Source::kFlag);
  EXPECT_DOUBLE_EQ(c->rateLimit, 6);
  EXPECT_EQ(sourceOf(*c, "rate-limit"), Source::kEnv);
  EXPECT_EQ(c->inboxMax, 9u);
  EXPECT_EQ(sourceOf(*c, "max-inbox"), Source::kFile);
  EXPECT_EQ(c->roomsPerConn, 64u);
  EXPECT_EQ(sourceOf(*c, "max-rooms-per-conn"), Source::kDefault);
}

TEST(ConfigSources, TheFileCanBeNamedInTheEnvironment) {
  ConfigFile file("listen = \"127.0.0.1:9123\"\nmail-from-name = \"Chat Server\"\n");
  Env env{{"WSD_CONFIG", file.path()}};
  auto c = parseConfig({}, lookupIn(env));
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->listenPort, 9123);
  EXPECT_EQ(c->mailFromName, "Chat Server");
}

TEST(ConfigSources, AStrongerSourceReplacesARepeatableOptionWhole) {
  ConfigFile file("kafka-producer-config = [\"acks=all\", \"linger.ms=5\"]\n");
  using Pairs = std::vector<std::pair<std::string, std::string>>;
  auto fromFile = parseConfig({"--config", file.path()}, lookupIn({}));
  ASSERT_TRUE(fromFile.ok()) << fromFile.error().message;
  EXPECT_EQ(fromFile->kafkaProducerConfig, (Pairs{{"acks", "all"}, {"linger.ms", "5"}}));
  Env env{{"WSD_KAFKA_PRODUCER_CONFIG", "linger.ms=1;compression.type=lz4"}};
  auto fromEnv = parseConfig({"--config", file.path()}, lookupIn(env));
  ASSERT_TRUE(fromEnv.ok()) << fromEnv.error().message;
  EXPECT_EQ(fromEnv->kafkaProducerConfig, (Pairs{{"linger.ms", "1"}, {"compression.type", "lz4"}}));
}

TEST(ConfigSources, AnEmptyVariableIsUnset) {
  Env env{{"WSD_ADMIN_TOKEN", ""}, {"WSD_DATA_DIR", ""}};
  auto c = parseConfig({}, lookupIn(env));
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->adminToken, "");
  EXPECT_EQ(c->dataDir, "./data");
}

TEST(ConfigSources, DurationsAndSizesTakeUnitsAndABareNumberKeepsTheOldUnit) {
  auto c = parseConfig({"--poll-timeout", "500ms", "--offline-ttl", "2d", "--node-timeout=1.5m",
                        "--session-output-budget", "64KiB", "--output-budget", "1GiB", "--max-message-bytes", "100"},
                       lookupIn({}));
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_DOUBLE_EQ(c->pollTimeoutSeconds, 0.5);
  EXPECT_EQ(c->offlineTtlSeconds, 172800);
  EXPECT_DOUBLE_EQ(c->nodeTimeoutSeconds, 90);
  EXPECT_EQ(c->sessionOutputBytes, 65536u);
  EXPECT_EQ(c->outputBytes, 1073741824u);
  EXPECT_EQ(c->maxMessageBytes, 100u);
  auto bare = parseConfig({"--poll-timeout", "3", "--webhook-backoff", "0.25"}, lookupIn({}));
  ASSERT_TRUE(bare.ok());
  EXPECT_DOUBLE_EQ(bare->pollTimeoutSeconds, 3);
  EXPECT_DOUBLE_EQ(bare->webhookBackoffSeconds, 0.25);
}

TEST(ConfigSources, ABadValueNamesTheOptionAndItsSource) {
  auto flag = parseConfig({"--poll-timeout", "soon"}, lookupIn({}));
  ASSERT_FALSE(flag.ok());
  EXPECT_NE(flag.error().message.find("'soon' for --poll-timeout from the command line"), std::string::npos)
      << flag.error().message;
  Env env{{"WSD_MAX_INBOX", "lots"}};
  auto fromEnv = parseConfig({}, lookupIn(env));
  ASSERT_FALSE(fromEnv.ok());
  EXPECT_NE(fromEnv.error().message.find("'lots' for --max-inbox from WSD_MAX_INBOX"), std::string::npos)
      << fromEnv.error().message;
  ConfigFile file("output-budget = \"12 parsecs\"\n");
  auto fromFile = parseConfig({"--config", file.path()}, lookupIn({}));
  ASSERT_FALSE(fromFile.ok());
  EXPECT_NE(fromFile.error().message.find("for --output-budget from " + file.path()), std::string::npos)
      << fromFile.error().message;
  EXPECT_FALSE(parseConfig({"--offline-ttl", "1500ms"}, lookupIn({})).ok());  // whole seconds only
  EXPECT_FALSE(parseConfig({"--poll-timeout", "-1s"}, lookupIn({})).ok());
}

TEST(ConfigSources, AFileWithAnUnknownNameASectionOrAMissingPathIsRefused) {
  ConfigFile typo("pol-timeout = 5\n");
  auto unknown = parseConfig({"--config", typo.path()}, lookupIn({}));
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.error().message.find("unknown option 'pol-timeout'"), std::string::npos);
  ConfigFile section("[gateway]\npoll-timeout = 5\n");
  EXPECT_FALSE(parseConfig({"--config", section.path()}, lookupIn({})).ok());
  ConfigFile list("poll-timeout = [1, 2]\n");
  EXPECT_FALSE(parseConfig({"--config", list.path()}, lookupIn({})).ok());
  auto missing = parseConfig({"--config", "/nonexistent/wsd.toml"}, lookupIn({}));
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("/nonexistent/wsd.toml"), std::string::npos);
}

TEST(ConfigSources, EveryOptionHasItsOwnVariableAndHelpShowsIt) {
  std::set<std::string> names;
  const std::string help = helpText();
  for (const auto& o : optionTable()) {
    const std::string env = envName(o.name);
    EXPECT_TRUE(names.insert(env).second) << env << " is taken twice";
    EXPECT_EQ(env.rfind("WSD_", 0), 0u);
    EXPECT_EQ(env.find('-'), std::string::npos);
    EXPECT_NE(help.find("  --" + std::string(o.name) + " "), std::string::npos) << o.name;
    EXPECT_NE(help.find("env " + env + ";"), std::string::npos) << env;
  }
  EXPECT_EQ(envName("data-dir"), "WSD_DATA_DIR");
}

TEST(ConfigSources, TheExampleFileReadsBackAsTheDefaults) {
  ConfigFile example(configExampleText());
  auto fromExample = parseConfig({"--config", example.path()}, lookupIn({}));
  ASSERT_TRUE(fromExample.ok()) << fromExample.error().message;
  auto defaults = parseConfig({}, lookupIn({}));
  ASSERT_TRUE(defaults.ok());
  // Every value set in the example came from it, and prints as the default does.
  for (const auto& s : fromExample->settings) {
    if (s.option != "config") {
      EXPECT_EQ(s.source, Source::kFile) << s.option;
    }
  }
  EXPECT_GT(fromExample->settings.size(), 30u);
  // Printed without sources (and without `config`, the file's own name), the two agree.
  auto valuesOnly = [](const std::string& text) {
    std::string out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
      if (!line.starts_with("config = ")) out += line.substr(0, line.find("  #")) + "\n";
    }
    return out;
  };
  EXPECT_EQ(valuesOnly(configPrintText(*fromExample)), valuesOnly(configPrintText(*defaults)));
  EXPECT_EQ(fromExample->pollTimeoutSeconds, defaults->pollTimeoutSeconds);
  EXPECT_EQ(fromExample->offlineTtlSeconds, defaults->offlineTtlSeconds);
  EXPECT_EQ(fromExample->outputBytes, defaults->outputBytes);
  EXPECT_EQ(fromExample->sessionOutputBytes, defaults->sessionOutputBytes);
  EXPECT_EQ(fromExample->listenPort, defaults->listenPort);
  EXPECT_EQ(fromExample->mailFromName, defaults->mailFromName);
  EXPECT_EQ(fromExample->wsDeflate, defaults->wsDeflate);
  EXPECT_EQ(fromExample->kafkaBrokers, defaults->kafkaBrokers);
}

TEST(ConfigSources, PrintShowsEachValueWithItsSourceAndMasksSecrets) {
  Env env{{"WSD_SMTP_PASSWORD", "hunter2"}, {"WSD_MAX_INBOX", "7"}};
  auto c = parseConfig({"--admin-token", "s3cret", "--poll-timeout", "2s"}, lookupIn(env));
  ASSERT_TRUE(c.ok()) << c.error().message;
  const std::string printed = configPrintText(*c);
  EXPECT_EQ(printed.find("s3cret"), std::string::npos);
  EXPECT_EQ(printed.find("hunter2"), std::string::npos);
  EXPECT_NE(printed.find("admin-token = ***  # flag\n"), std::string::npos) << printed;
  EXPECT_NE(printed.find("smtp-password = ***  # env\n"), std::string::npos);
  EXPECT_NE(printed.find("poll-timeout = 2s  # flag\n"), std::string::npos);
  EXPECT_NE(printed.find("max-inbox = 7  # env\n"), std::string::npos);
  EXPECT_NE(printed.find("rate-limit = 1000  # default\n"), std::string::npos);
  EXPECT_EQ(std::count(printed.begin(), printed.end(), '\n'), static_cast<long>(optionTable().size()));
}

}  // namespace three_sources

}  // namespace
}  // namespace wsd
