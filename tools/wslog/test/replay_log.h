// A small but complete story for the replay tests: a project and a token, two users who
// bind, a message stored for a third, a room, a mail request, one user leaving.
#pragma once

#include "test_events.h"

namespace wsd::wslog::testing {

inline Log storyLog() {
  Log log;
  log.add({"project.create", "demo", "", 100, R"({"key":"demo","name":"Demo"})"});
  log.add({"token.issue", "demo", "", 101, R"({"token":"tok","expiresAt":null})"});
  log.add({"conn.open", "demo", "ca", 102, R"({"transport":"ws","mode":"short","token":"tok"})"});
  log.add({"uid.bind", "demo", "ca", 103, R"({"uid":"alice"})"});
  log.add({"conn.open", "demo", "cb", 104, R"({"transport":"sse","mode":"short","token":"tok"})"});
  log.add({"uid.bind", "demo", "cb", 105, R"({"uid":"bob"})"});
  log.add({"message.direct", "demo", "ca", 106, R"({"from":"alice","to":"dave","msg":"hi","expiresAt":10000})"});
  log.add({"room.create", "demo", "ca", 107, R"({"roomId":"r1"})"});
  log.add({"room.join", "demo", "cb", 108, R"({"roomId":"r1"})"});
  log.add({"signal.offer", "demo", "ca", 109, R"({"roomId":"r1","to":"bob","sdp":{"type":"offer","sdp":"v=0"}})"});
  log.add({"signal.ice", "demo", "cb", 110, R"({"roomId":"r1","to":"carol","candidate":null})"});
  log.add({"mail.request", "demo", "", 111,
           R"({"token":"tok","max":1,"windowMs":60000,"mail":{"from":"a@b.c","fromName":"","to":["x@y.z"],)"
           R"("subject":"s","text":"t","html":""}})"});
  log.add({"conn.close", "demo", "cb", 112, R"({"code":1000,"reason":""})"});
  log.add({"node.alive", "", "", 113});
  return log;
}

}  // namespace wsd::wslog::testing
