#include "core/schema_registry.h"

#include <map>
#include <valijson/adapters/rapidjson_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

#include "core/json.h"

namespace wsd {

struct SchemaRegistry::Impl {
  std::map<std::string, std::unique_ptr<valijson::Schema>, std::less<>> schemas;
};

SchemaRegistry::SchemaRegistry(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SchemaRegistry::~SchemaRegistry() = default;

Result<std::unique_ptr<SchemaRegistry>> SchemaRegistry::compile(std::span<const SchemaFile> files) {
  auto impl = std::make_unique<Impl>();
  for (const auto& file : files) {
    rapidjson::Document doc;
    if (!json::parse(doc, file.text)) {
      return makeError("schema_invalid", std::string(file.name) + ".json is not valid JSON");
    }
    auto schema = std::make_unique<valijson::Schema>();
    try {  // valijson reports a bad schema by throwing; this runs only at start-up
      valijson::SchemaParser parser;
      valijson::adapters::RapidJsonAdapter adapter(doc);
      parser.populateSchema(adapter, *schema);
    } catch (const std::exception& e) {
      return makeError("schema_invalid", std::string(file.name) + ".json: " + e.what());
    }
    impl->schemas.emplace(std::string(file.name), std::move(schema));
  }
  return std::unique_ptr<SchemaRegistry>(new SchemaRegistry(std::move(impl)));
}

bool SchemaRegistry::has(std::string_view name) const { return impl_->schemas.find(name) != impl_->schemas.end(); }

std::optional<std::string> SchemaRegistry::check(std::string_view name, const rapidjson::Value& doc) const {
  auto it = impl_->schemas.find(name);
  if (it == impl_->schemas.end()) return "no schema named " + std::string(name);
  valijson::Validator validator;
  valijson::ValidationResults results;
  valijson::adapters::RapidJsonAdapter adapter(doc);
  if (validator.validate(*it->second, adapter, &results)) return std::nullopt;
  // The deepest error is the most specific one; valijson reports outer ones first.
  valijson::ValidationResults::Error deepest;
  for (const auto& error : results) {
    if (error.context.size() >= deepest.context.size()) deepest = error;
  }
  std::string path;
  for (std::size_t i = 1; i < deepest.context.size(); ++i) {  // context[0] is "<root>"
    std::string part = deepest.context[i];
    if (part.size() >= 2 && part.front() == '[' && part.back() == ']') {
      part = part.substr(1, part.size() - 2);
      if (part.size() >= 2 && part.front() == '"') part = part.substr(1, part.size() - 2);
    }
    path += "/" + part;
  }
  return (path.empty() ? std::string("/") : path) + ": " + deepest.description;
}

}  // namespace wsd
