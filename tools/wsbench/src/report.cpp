#include "report.h"

#include <cstdio>
#include <sstream>

namespace wsbench {
namespace {

const char* modeName(Mode mode) {
  switch (mode) {
    case Mode::kIdle: return "idle";
    case Mode::kDirect: return "direct";
    case Mode::kBroadcast: return "broadcast";
    case Mode::kEcho: return "echo";
    case Mode::kRoom: return "room";
    case Mode::kRecovery: return "recovery";
  }
  return "?";
}

const char* transportName(Transport t) { return t == Transport::kWs ? "ws" : "sse"; }

double micros(std::int64_t ns) { return static_cast<double>(ns) / 1000.0; }

// What the figures derive from the samples; absent samples give zeros.
struct Derived {
  double throughput = 0;  // deliveries per second
  double serverCpu = 0;   // seconds
  double perCpuSecond = 0;
  double rssBeforeMiB = 0, rssAfterMiB = 0;
  double serverBytesPerConnection = 0;
  double kernelBytesPerConnection = 0;
};

Derived derive(const RunResult& r) {
  Derived d;
  if (r.measuredSeconds > 0) d.throughput = static_cast<double>(r.received) / r.measuredSeconds;
  if (r.serverBefore && r.serverAfter) {
    d.serverCpu = r.serverAfter->cpuSeconds - r.serverBefore->cpuSeconds;
    if (d.serverCpu > 0) d.perCpuSecond = static_cast<double>(r.received) / d.serverCpu;
    d.rssBeforeMiB = static_cast<double>(r.serverBefore->rssBytes) / (1 << 20);
    d.rssAfterMiB = static_cast<double>(r.serverAfter->rssBytes) / (1 << 20);
    if (r.connections > 0)
      d.serverBytesPerConnection =
          static_cast<double>(r.serverAfter->rssBytes - r.serverBefore->rssBytes) / static_cast<double>(r.connections);
  }
  if (r.kernelTcpBefore && r.kernelTcpAfter && r.connections > 0) {
    d.kernelBytesPerConnection =
        static_cast<double>(*r.kernelTcpAfter - *r.kernelTcpBefore) / static_cast<double>(r.connections);
  }
  return d;
}

}  // namespace

std::string textReport(const Options& o, const RunResult& r) {
  const Derived d = derive(r);
  char line[512];
  std::ostringstream out;
  std::snprintf(line, sizeof line, "wsbench %s over %s: %d connections, rate %.0f/s, %.1f s measured\n",
                modeName(o.mode), transportName(o.transport), o.connections, o.rate, r.measuredSeconds);
  out << line;
  if (r.setupErrors > 0)
    out << "  setup failed for " << r.setupErrors << " connections; first: " << r.firstError << "\n";
  if (o.mode == Mode::kIdle) {
    std::snprintf(line, sizeof line,
                  "  open %zu; server grew %.0f B per connection; kernel TCP memory %.0f B per connection\n",
                  r.connections, d.serverBytesPerConnection, d.kernelBytesPerConnection);
    out << line;
  } else {
    std::snprintf(
        line, sizeof line, "  sent %llu  delivered %llu of %llu  errors %llu\n  throughput %.0f deliveries/s\n",
        static_cast<unsigned long long>(r.sent), static_cast<unsigned long long>(r.received),
        static_cast<unsigned long long>(r.expected), static_cast<unsigned long long>(r.protocolErrors), d.throughput);
    out << line;
    const auto& h = r.latencyNs;
    std::snprintf(line, sizeof line, "  latency us: p50 %.0f  p99 %.0f  p99.9 %.0f  max %.0f  mean %.0f\n",
                  micros(h.percentile(50)), micros(h.percentile(99)), micros(h.percentile(99.9)), micros(h.max()),
                  h.mean() / 1000.0);
    out << line;
    if (r.protocolErrors > 0) out << "  first error: " << r.firstError << "\n";
  }
  if (r.serverBefore && r.serverAfter) {
    std::snprintf(line, sizeof line, "  server: %.2f CPU s (%.0f deliveries per CPU s), RSS %.1f -> %.1f MiB\n",
                  d.serverCpu, d.perCpuSecond, d.rssBeforeMiB, d.rssAfterMiB);
    out << line;
  }
  return out.str();
}

std::string jsonReport(const Options& o, const RunResult& r) {
  const Derived d = derive(r);
  const auto& h = r.latencyNs;
  char buffer[2048];
  std::snprintf(buffer, sizeof buffer,
                "{\"mode\":\"%s\",\"transport\":\"%s\",\"connections\":%d,\"open\":%zu,\"rate\":%.3f,"
                "\"measuredSeconds\":%.3f,\"setupErrors\":%zu,\"sent\":%llu,\"delivered\":%llu,\"expected\":%llu,"
                "\"errors\":%llu,\"throughput\":%.1f,\"latencyUs\":{\"p50\":%.1f,\"p99\":%.1f,\"p999\":%.1f,"
                "\"max\":%.1f,\"mean\":%.1f,\"count\":%llu},\"serverCpuSeconds\":%.3f,\"deliveriesPerCpuSecond\":%.1f,"
                "\"serverRssBeforeBytes\":%lld,\"serverRssAfterBytes\":%lld,\"serverBytesPerConnection\":%.1f,"
                "\"kernelTcpBytesPerConnection\":%.1f}\n",
                modeName(o.mode), transportName(o.transport), o.connections, r.connections, o.rate, r.measuredSeconds,
                r.setupErrors, static_cast<unsigned long long>(r.sent), static_cast<unsigned long long>(r.received),
                static_cast<unsigned long long>(r.expected), static_cast<unsigned long long>(r.protocolErrors),
                d.throughput, micros(h.percentile(50)), micros(h.percentile(99)), micros(h.percentile(99.9)),
                micros(h.max()), h.mean() / 1000.0, static_cast<unsigned long long>(h.count()), d.serverCpu,
                d.perCpuSecond, static_cast<long long>(r.serverBefore ? r.serverBefore->rssBytes : 0),
                static_cast<long long>(r.serverAfter ? r.serverAfter->rssBytes : 0), d.serverBytesPerConnection,
                d.kernelBytesPerConnection);
  return buffer;
}

}  // namespace wsbench
