// A projector over the in-memory store, with helpers that apply one event each, for the
// tests of the projector's parts (filters, receipts, caps). Every helper returns the effects.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/decide.h"
#include "core/json.h"
#include "core/projector.h"
#include "store/memory_store.h"

namespace wsd::test {

class ProjectorHarness : public ::testing::Test {
 protected:
  store::MemoryStore state;
  Projector projector{state, ProjectorLimits{}};
  IdGenerator ids;
  std::int64_t now = 1'700'000'000'000;

  std::shared_ptr<Event> event(EventType type, const std::string& conn) {
    DecideContext ctx;
    ctx.node = "n1";
    ctx.nowMs = ++now;
    ctx.ids = &ids;
    return newEvent(type, "p", conn, ctx);
  }
  static void put(Event& e, const char* key, const std::string& value) {
    e.data.AddMember(rapidjson::StringRef(key), rapidjson::Value(value.c_str(), e.alloc()), e.alloc());
  }
  static void putList(Event& e, const char* key, const std::vector<std::string>& values) {
    rapidjson::Value list(rapidjson::kArrayType);
    for (const auto& v : values) list.PushBack(rapidjson::Value(v.c_str(), e.alloc()), e.alloc());
    e.data.AddMember(rapidjson::StringRef(key), list, e.alloc());
  }
  Effects apply(const std::shared_ptr<Event>& e) { return projector.apply(*e); }

  // Project "p" with token "tok"; `settings` is a project.update patch ("" for none).
  void createProject(const std::string& settings = "") {
    auto p = event(EventType::kProjectCreate, "");
    put(*p, "key", "p");
    put(*p, "name", "P");
    apply(p);
    auto t = event(EventType::kTokenIssue, "");
    put(*t, "token", "tok");
    apply(t);
    if (settings.empty()) return;
    auto u = event(EventType::kProjectUpdate, "");
    rapidjson::Document patch;
    json::parse(patch, settings);
    u->data.AddMember("settings", rapidjson::Value(patch, u->alloc()), u->alloc());
    apply(u);
  }
  Effects open(const std::string& conn, const std::string& node = "n1") {
    auto e = event(EventType::kConnOpen, conn);
    e->node = node;
    put(*e, "token", "tok");
    put(*e, "transport", "ws");
    return apply(e);
  }
  Effects bind(const std::string& conn, const std::string& uid) {
    auto e = event(EventType::kUidBind, conn);
    put(*e, "uid", uid);
    return apply(e);
  }
  Effects close(const std::string& conn) { return apply(event(EventType::kConnClose, conn)); }
  // A send whose stored copy expires `ttl` ms after it; returns the event's id too.
  Effects send(const std::string& conn, const std::string& from, const std::string& to, const std::string& msg,
               std::string* id = nullptr, std::int64_t ttl = 1000) {
    auto e = event(EventType::kMessageDirect, conn);
    put(*e, "from", from);
    put(*e, "to", to);
    put(*e, "msg", msg);
    e->data.AddMember("expiresAt", e->ts + ttl, e->alloc());
    if (id != nullptr) *id = e->id;
    return apply(e);
  }

  static std::vector<std::string> messagesTo(const Effects& fx, const std::string& conn) {
    std::vector<std::string> out;
    for (const auto& d : fx.deliveries) {
      if (d.to == Delivery::To::kConn && d.target == conn) out.push_back(*d.message);
    }
    return out;
  }
  static rapidjson::Document parsed(const std::string& message) {
    rapidjson::Document doc;
    json::parse(doc, message);
    return doc;
  }
  static std::string typeOf(const std::string& message) { return json::string(parsed(message), "type").value_or(""); }
  // The string array `key` of a message.
  static std::vector<std::string> listOf(const std::string& message, const char* key) {
    std::vector<std::string> out;
    auto doc = parsed(message);
    for (const auto& v : doc[key].GetArray()) out.emplace_back(json::view(v));
    return out;
  }
};

}  // namespace wsd::test
