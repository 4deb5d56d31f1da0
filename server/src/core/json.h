// Small helpers over RapidJSON shared by every layer: reading typed fields out of
// untrusted documents without throwing, and writing compact JSON.
#pragma once

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace wsd::json {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

namespace detail {
// Owns the pool a Document allocates from. A base class, not a member, so that it is
// built before the rapidjson::Document that points at it and destroyed after it.
struct SmallChunkPool {
  // RapidJSON's default pool starts every document with a 64 KiB chunk. A wsd document
  // holds one client message or one event, a few hundred bytes, and thousands are alive
  // at once under load (events in flight or queued, a burst of connections opening):
  // 64 KiB each costs a large malloc per message and leaves the heap fragmented, which
  // showed as resident memory per idle connection. Larger documents take more chunks.
  static constexpr std::size_t kChunkBytes = 1024;
  std::unique_ptr<rapidjson::MemoryPoolAllocator<>> pool =
      std::make_unique<rapidjson::MemoryPoolAllocator<>>(kChunkBytes);
};
}  // namespace detail

// The document type for everything wsd parses or builds: a rapidjson::Document whose
// pool takes memory in small chunks. Movable like its base; never Swap() it with a
// plain rapidjson::Document, which would leave that one pointing at this pool.
class Document : private detail::SmallChunkPool, public rapidjson::Document {
 public:
  explicit Document(rapidjson::Type type = rapidjson::kNullType) : rapidjson::Document(type, pool.get()) {}
};

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

// Whether every number in `v` is finite. RapidJSON 1.1.0 reads some numbers too large for a
// double (17009.4452109e305) as infinity instead of failing, and its Writer then refuses
// such a value and stops mid-document: a client could make wsd write an event that it can
// never read back. So a document holding one counts as unparsable. O(size of `v`).
inline bool allFinite(const rapidjson::Value& v) {
  if (v.IsObject()) {
    for (const auto& member : v.GetObject()) {
      if (!allFinite(member.value)) return false;
    }
    return true;
  }
  if (v.IsArray()) {
    for (const auto& item : v.GetArray()) {
      if (!allFinite(item)) return false;
    }
    return true;
  }
  return !v.IsDouble() || std::isfinite(v.GetDouble());
}

// Parses `text` that came from outside (a client, an HTTP body); an error names the
// position so a client can find its mistake. Strings must be UTF-8 (RFC 8259): the schema
// checks (valijson) count characters assuming it, and read past a table on a long run of
// stray continuation bytes.
// Not kParseFullPrecisionFlag: in RapidJSON 1.1.0 it reads 0e110 as 1.6e293; without it a
// number of more than 15 significant digits may come back one ulp off.
inline bool parse(rapidjson::Document& doc, std::string_view text) {
  constexpr unsigned kFlags = rapidjson::kParseStopWhenDoneFlag | rapidjson::kParseValidateEncodingFlag;
  doc.Parse<kFlags>(text.data(), text.size());
  return !doc.HasParseError() && allFinite(doc);
}

// Parses what wsd wrote itself (a log record) without the UTF-8 check: RapidJSON 1.1.0
// accepts a lone low surrogate escape (U+DC00 as an escape) from a client and writes it as three raw
// bytes that its own check would then refuse, which would make the event unreadable.
inline bool parseWritten(rapidjson::Document& doc, std::string_view text) {
  doc.Parse<rapidjson::kParseStopWhenDoneFlag>(text.data(), text.size());
  return !doc.HasParseError() && allFinite(doc);
}

}  // namespace wsd::json
