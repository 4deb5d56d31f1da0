// The JSON Schemas of schemas/, compiled once at start-up and used to validate every
// inbound client message and HTTP request body. The same files are shipped to users and
// used by the tests, so what the server accepts is exactly what the schemas say.
//
// Threads: immutable after construction; check() may be called from any thread.
#pragma once

#include <rapidjson/document.h>

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "core/result.h"

namespace wsd {

struct SchemaFile {
  std::string_view name;  // path below schemas/ without ".json", e.g. "client/bind"
  std::string_view text;
};

// The schema files compiled into the binary (generated at build time).
std::span<const SchemaFile> embeddedSchemas();

class SchemaRegistry {
 public:
  // Fails with the name of the first file that is not a valid schema.
  static Result<std::unique_ptr<SchemaRegistry>> compile(std::span<const SchemaFile> files);
  ~SchemaRegistry();

  bool has(std::string_view name) const;
  // nullopt when `doc` satisfies schema `name`; otherwise one line naming the failing
  // field, e.g. "/to: value type not permitted by 'type' constraint".
  std::optional<std::string> check(std::string_view name, const rapidjson::Value& doc) const;

 private:
  struct Impl;
  explicit SchemaRegistry(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace wsd
