#include "logging/logger.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <memory>
#include <vector>

namespace wsd::logging {
namespace {

std::atomic<Level> gLeast{Level::kInfo};
std::atomic<Format> gFormat{Format::kText};

// Written before the threads that log start (configure time), read-only after.
std::vector<std::string>& secrets() {
  static std::vector<std::string> values;
  return values;
}

const char* levelName(Level level) {
  switch (level) {
    case Level::kDebug: return "debug";
    case Level::kInfo: return "info";
    case Level::kWarn: return "warn";
    case Level::kError: return "error";
  }
  return "info";
}

spdlog::level::level_enum spdlogLevel(Level level) {
  switch (level) {
    case Level::kDebug: return spdlog::level::debug;
    case Level::kInfo: return spdlog::level::info;
    case Level::kWarn: return spdlog::level::warn;
    case Level::kError: return spdlog::level::err;
  }
  return spdlog::level::info;
}

// spdlog adds the UTC timestamp; the rest of the line is ours (render()).
std::unique_ptr<spdlog::formatter> formatterFor(Format format) {
  const char* pattern = format == Format::kJson ? R"({"ts":"%Y-%m-%dT%H:%M:%S.%eZ",%v)" : "%Y-%m-%dT%H:%M:%S.%eZ %v";
  return std::make_unique<spdlog::pattern_formatter>(pattern, spdlog::pattern_time_type::utc);
}

spdlog::logger& theLogger() {
  static spdlog::logger logger = [] {
    spdlog::logger made("wsd", std::make_shared<spdlog::sinks::stderr_sink_mt>());
    made.set_formatter(formatterFor(Format::kText));
    made.set_level(spdlog::level::trace);  // wsd filters (enabled()) before formatting
    return made;
  }();
  return logger;
}

std::string redacted(std::string line) {
  for (const auto& secret : secrets()) {
    for (auto at = line.find(secret); at != std::string::npos; at = line.find(secret, at + 3)) {
      line.replace(at, secret.size(), "***");
    }
  }
  return line;
}

void jsonString(rapidjson::Writer<rapidjson::StringBuffer>& w, std::string_view s) {
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}

// `"level":"info","msg":"...",...}`: the rest of a JSON object whose "ts" spdlog wrote.
std::string jsonTail(Level level, std::string_view message, Fields fields) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  w.StartObject();
  w.Key("level");
  w.String(levelName(level));
  w.Key("msg");
  jsonString(w, message);
  for (const auto& f : fields) {
    jsonString(w, f.key);
    jsonString(w, f.value);
  }
  w.EndObject();
  return {buffer.GetString() + 1, buffer.GetSize() - 1};  // without the opening brace
}

}  // namespace

void configure(Level least, Format format) {
  gLeast.store(least);
  gFormat.store(format);
  theLogger().set_formatter(formatterFor(format));
}

Level levelNamed(std::string_view name) {
  if (name == "debug") return Level::kDebug;
  if (name == "warn") return Level::kWarn;
  if (name == "error") return Level::kError;
  return Level::kInfo;
}

Format formatNamed(std::string_view name) { return name == "json" ? Format::kJson : Format::kText; }

bool enabled(Level level) { return level >= gLeast.load(); }

void addSecret(const std::string& value) {
  if (!value.empty()) secrets().push_back(value);
}

std::string render(Format format, Level level, std::string_view message, Fields fields) {
  if (format == Format::kJson) return redacted(jsonTail(level, message, fields));
  std::string line = std::string(levelName(level)) + " wsd: ";
  line += message;
  for (const auto& f : fields) {
    std::string pair = std::string(f.key) + "=" + f.value;
    if (message.find(pair) == std::string_view::npos) line += " " + pair;  // the wording may hold it already
  }
  return redacted(std::move(line));
}

void write(Level level, std::string_view message, Fields fields) {
  if (!enabled(level)) return;
  const std::string line = render(gFormat.load(), level, message, fields);
  theLogger().log(spdlogLevel(level), spdlog::string_view_t(line.data(), line.size()));
}

}  // namespace wsd::logging
