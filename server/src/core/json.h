// Small helpers over RapidJSON shared by every layer: reading typed fields out of
// untrusted documents without throwing, and writing compact JSON.
#pragma once

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace wsd::json {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

inline std::string_view view(const rapidjson::Value& v) { return {v.GetString(), v.GetStringLength()}; }

inline const rapidjson::Value* member(const rapidjson::Value& obj, const char* name) {
  if (!obj.IsObject()) return nullptr;
  auto it = obj.FindMember(name);
  return it == obj.MemberEnd() ? nullptr : &it->value;
}

inline std::optional<std::string> string(const rapidjson::Value& obj, const char* name) {
  const auto* v = member(obj, name);
  if (v == nullptr || !v->IsString()) return std::nullopt;
  return std::string(view(*v));
}

inline std::optional<std::int64_t> int64(const rapidjson::Value& obj, const char* name) {
  const auto* v = member(obj, name);
  if (v == nullptr || !v->IsInt64()) return std::nullopt;
  return v->GetInt64();
}

inline void key(Writer& w, std::string_view k) { w.Key(k.data(), static_cast<rapidjson::SizeType>(k.size())); }

inline void str(Writer& w, std::string_view s) { w.String(s.data(), static_cast<rapidjson::SizeType>(s.size())); }

inline void field(Writer& w, std::string_view k, std::string_view s) {
  key(w, k);
  str(w, s);
}

inline void field(Writer& w, std::string_view k, std::int64_t n) {
  key(w, k);
  w.Int64(n);
}

// Writes `value` (any JSON) into `w` as is.
inline void value(Writer& w, const rapidjson::Value& v) { v.Accept(w); }

inline std::string stringify(const rapidjson::Value& v) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  v.Accept(w);
  return {buffer.GetString(), buffer.GetSize()};
}

// Parses `text`; an error names the position so a client can find its mistake.
inline bool parse(rapidjson::Document& doc, std::string_view text) {
  doc.Parse<rapidjson::kParseStopWhenDoneFlag>(text.data(), text.size());
  return !doc.HasParseError();
}

}  // namespace wsd::json
