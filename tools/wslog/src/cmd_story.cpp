// wslog timeline and wslog whatif: replays that look at what was decided. Both apply
// the events of the project in question (and the node table's) through the Projector,
// so each event is judged against the state it met.
#include <cstdio>

#include "commands.h"
#include "core/json.h"
#include "progress.h"
#include "replayer.h"
#include "store/memory_store.h"
#include "timeline.h"

namespace wsd::wslog {
namespace {

bool concerns(const std::optional<std::string>& project, const Event& e) {
  return !project || e.project == *project || e.project.empty();
}

bool inTime(const FilterSpec& f, const Event& e) {
  return (!f.since || e.ts >= *f.since) && (!f.until || e.ts < *f.until);
}

}  // namespace

int runTimeline(const Options& o, LogSource& source) {
  TimelineSelector selector({*o.filter.project, o.room, o.filter.uid, o.filter.since, o.filter.until});
  {
    Progress progress("timeline: finding the connections", source.recordCount());
    auto learnt = source.read(std::nullopt, [&](const LogRecord& r) {
      progress.step();
      selector.learn(*r.event);
      return true;
    });
    if (!learnt.ok()) return fail(learnt.error());
  }
  store::MemoryStore state;
  Replayer replayer(state, o.limits, {});
  TimelineRenderer renderer(source.partitioned());
  std::size_t lines = 0;
  Progress progress("timeline", source.recordCount());
  auto read = source.read(std::nullopt, [&](const LogRecord& r) {
    progress.step();
    if (!concerns(o.filter.project, *r.event)) return true;
    const Effects effects = replayer.apply(r);
    renderer.follow(*r.event);
    if (!selector.matches(*r.event)) return true;
    std::fputs(renderer.line(r, effects).c_str(), stdout);
    ++lines;
    return true;
  });
  progress.finish();
  if (!read.ok()) return fail(read.error());
  if (lines == 0) std::fprintf(stderr, "wslog: no event matches\n");
  return kExitOk;
}

int runWhatIf(const Options& o, LogSource& source) {
  store::MemoryStore state;
  Replayer replayer(state, o.limits, {});
  WhatIf whatIf(o.rule);
  Progress progress("whatif", source.recordCount());
  auto read = source.read(std::nullopt, [&](const LogRecord& r) {
    progress.step();
    const Event& e = *r.event;
    if (!concerns(o.filter.project, e)) return true;
    const Effects effects = replayer.apply(r);
    if (e.type != EventType::kMailRequest || !inTime(o.filter, e) || e.project.empty()) return true;
    MailRequestSeen seen;
    seen.project = e.project;
    seen.token = json::string(e.data, "token").value_or("");
    seen.id = e.id;
    seen.ts = e.ts;
    seen.windowMs = json::int64(e.data, "windowMs").value_or(0);
    seen.tokenValid = !effects.rejection.has_value();
    seen.accepted = effects.mail.has_value() && effects.mail->accepted;
    whatIf.add(seen);
    return true;
  });
  progress.finish();
  if (!read.ok()) return fail(read.error());
  std::fputs(renderWhatIf(whatIf, o.rule, o.details).c_str(), stdout);
  return kExitOk;
}

}  // namespace wsd::wslog
