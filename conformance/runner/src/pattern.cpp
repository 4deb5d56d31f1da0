#include "pattern.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace wsconform {
namespace {

std::string show(const rapidjson::Value& v) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  v.Accept(writer);
  std::string out(buffer.GetString(), buffer.GetSize());
  return out.size() > 200 ? out.substr(0, 200) + "..." : out;
}

std::optional<std::string> typeMatch(const std::string& p, const rapidjson::Value& actual) {
  if (p == "$any") return std::nullopt;
  bool ok = (p == "$string" && actual.IsString()) || (p == "$number" && actual.IsNumber()) ||
            (p == "$bool" && actual.IsBool()) || (p == "$object" && actual.IsObject()) ||
            (p == "$array" && actual.IsArray());
  if (ok) return std::nullopt;
  return "expected " + p.substr(1) + ", got " + show(actual);
}

}  // namespace

std::string substitute(const std::string& text, const Variables& vars) {
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    if (text.compare(i, 2, "${") == 0) {
      auto end = text.find('}', i);
      if (end != std::string::npos) {
        auto it = vars.find(text.substr(i + 2, end - i - 2));
        if (it != vars.end()) {
          out += it->second;
          i = end + 1;
          continue;
        }
      }
    }
    out += text[i++];
  }
  return out;
}

void substitute(rapidjson::Value& value, rapidjson::Document::AllocatorType& alloc, const Variables& vars) {
  if (value.IsString()) {
    std::string replaced = substitute(std::string(value.GetString(), value.GetStringLength()), vars);
    value.SetString(replaced.c_str(), static_cast<rapidjson::SizeType>(replaced.size()), alloc);
  } else if (value.IsObject()) {
    for (auto& m : value.GetObject()) substitute(m.value, alloc, vars);
  } else if (value.IsArray()) {
    for (auto& v : value.GetArray()) substitute(v, alloc, vars);
  }
}

namespace {

// Appends every place where `actual` does not match `pattern` to `out`; stops at the first
// one when `firstOnly`.
void collectMismatches(const rapidjson::Value& pattern, const rapidjson::Value& actual, const Variables& vars,
                       const std::string& path, bool firstOnly, std::vector<std::string>& out) {
  const std::string where = path.empty() ? "/" : path;
  if (pattern.IsString()) {
    std::string p = substitute(std::string(pattern.GetString(), pattern.GetStringLength()), vars);
    if (!p.empty() && p[0] == '$' && p != "$absent") {
      if (auto problem = typeMatch(p, actual)) out.push_back(where + ": " + *problem);
      return;
    }
    if (actual.IsString() && p == std::string(actual.GetString(), actual.GetStringLength())) return;
    out.push_back(where + ": expected \"" + p + "\", got " + show(actual));
    return;
  }
  if (pattern.IsObject()) {
    if (!actual.IsObject()) return out.push_back(where + ": expected an object, got " + show(actual));
    for (const auto& m : pattern.GetObject()) {
      if (firstOnly && !out.empty()) return;
      const std::string key(m.name.GetString(), m.name.GetStringLength());
      auto it = actual.FindMember(m.name);
      const bool wantsAbsent = m.value.IsString() && std::string(m.value.GetString()) == "$absent";
      if (it == actual.MemberEnd()) {
        if (!wantsAbsent) out.push_back(path + "/" + key + ": missing");
      } else if (wantsAbsent) {
        out.push_back(path + "/" + key + ": expected absent, got " + show(it->value));
      } else {
        collectMismatches(m.value, it->value, vars, path + "/" + key, firstOnly, out);
      }
    }
    return;
  }
  if (pattern.IsArray()) {
    if (!actual.IsArray()) return out.push_back(where + ": expected an array, got " + show(actual));
    if (pattern.Size() != actual.Size()) {
      return out.push_back(where + ": expected " + std::to_string(pattern.Size()) + " items, got " + show(actual));
    }
    for (rapidjson::SizeType i = 0; i < pattern.Size() && !(firstOnly && !out.empty()); ++i) {
      collectMismatches(pattern[i], actual[i], vars, path + "/" + std::to_string(i), firstOnly, out);
    }
    return;
  }
  if (pattern != actual) out.push_back(where + ": expected " + show(pattern) + ", got " + show(actual));
}

}  // namespace

std::optional<std::string> patternMismatch(const rapidjson::Value& pattern, const rapidjson::Value& actual,
                                           const Variables& vars, const std::string& path) {
  std::vector<std::string> found;
  collectMismatches(pattern, actual, vars, path, true, found);
  if (found.empty()) return std::nullopt;
  return found.front();
}

std::vector<std::string> patternMismatches(const rapidjson::Value& pattern, const rapidjson::Value& actual,
                                           const Variables& vars) {
  std::vector<std::string> found;
  collectMismatches(pattern, actual, vars, "", false, found);
  return found;
}

}  // namespace wsconform
