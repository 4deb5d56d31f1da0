// wsd's own log: every line an operator reads on stderr, from every layer and from the
// libraries wsd drives (librdkafka, libwebsockets), in one of two formats:
//   text: `2026-12-06T03:49:08.123Z info wsd: listening on http://127.0.0.1:8080 project=p`
//   json: `{"ts":"2026-12-06T03:49:08.123Z","level":"info","msg":"listening on ...","project":"p"}`
// written by spdlog. Values registered as secret are replaced by *** in every line.
//
// Locality: any thread; configure() and addSecret() before the threads that log start.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

namespace wsd::logging {

enum class Level { kDebug, kInfo, kWarn, kError };
enum class Format { kText, kJson };

// A key wsd keeps stable in JSON lines (project, conn, uid, event, node...) and its value.
struct Field {
  std::string_view key;
  std::string value;
};
using Fields = std::initializer_list<Field>;

// Unconfigured, the log writes info and above as text.
void configure(Level least, Format format);
Level levelNamed(std::string_view name);    // debug | info | warn | error; else info
Format formatNamed(std::string_view name);  // text | json; else text
bool enabled(Level level);

// Never written: each occurrence in a line becomes ***. Empty values are ignored.
void addSecret(const std::string& value);

void write(Level level, std::string_view message, Fields fields = {});
inline void debug(std::string_view message, Fields fields = {}) { write(Level::kDebug, message, fields); }
inline void info(std::string_view message, Fields fields = {}) { write(Level::kInfo, message, fields); }
inline void warn(std::string_view message, Fields fields = {}) { write(Level::kWarn, message, fields); }
inline void error(std::string_view message, Fields fields = {}) { write(Level::kError, message, fields); }

// The line as it would be written, without the timestamp (what the tests check).
std::string render(Format format, Level level, std::string_view message, Fields fields);

}  // namespace wsd::logging
