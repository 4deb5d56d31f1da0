// The texts made from the option table: `wsd --help`, `wsd config print` (the effective
// configuration with each value's source) and `wsd config example` (a starter TOML file).
#include <sstream>

#include "app/config.h"

namespace wsd {
namespace {

std::string defaultText(const Option& o) { return o.byDefault != nullptr ? o.byDefault : o.unset; }

const Setting* settingOf(const Config& config, const Option& o) {
  for (const auto& s : config.settings) {
    if (s.option == o.name) return &s;
  }
  return nullptr;
}

std::string joined(const std::vector<std::string>& values) {
  std::string out;
  for (const auto& v : values) out += (out.empty() ? "" : "; ") + v;
  return out;
}

// A TOML string: the few characters TOML's basic strings escape.
std::string quoted(const std::string& text) {
  std::string out = "\"";
  for (char ch : text) {
    if (ch == '"' || ch == '\\') out += '\\';
    out += ch;
  }
  return out + "\"";
}

bool isNumber(OptionKind kind) { return kind == OptionKind::kWhole || kind == OptionKind::kNumber; }

}  // namespace

std::string helpText() {
  std::ostringstream out;
  out << "usage: wsd [all|serve|project|mail|hooks] [options]\n"
         "       wsd log repair [--data-dir DIR]\n"
         "       wsd config print [options]    the effective configuration, each value's source, secrets masked\n"
         "       wsd config example            a commented TOML file with every option at its default\n\n"
         "Roles: all (default) runs every role in one process, on the embedded log in DATA_DIR/log\n"
         "or, with --kafka-brokers, on an Apache Kafka topic (and, with --redis, projects it into Redis).\n"
         "serve is a gateway only; project is a projector only (needs --kafka-brokers and --redis);\n"
         "mail is the mailer only (needs --kafka-brokers; run one per topic); hooks is the webhook\n"
         "dispatcher only (needs --kafka-brokers; run one per topic).\n"
         "wsd log repair moves the damaged part of the embedded log in DATA_DIR/log aside into\n"
         "DATA_DIR/log/damaged-TIME/ (nothing is deleted) so that wsd starts on the records before it.\n\n"
         "Every option is read from the command line, else the environment variable shown, else the\n"
         "--config file (NAME = VALUE). DURATION: 500ms, 25s, 5m, 1h, 3d (a bare number is seconds);\n"
         "SIZE: 512B, 64KiB, 4MiB, 1GiB (a bare number is bytes).\n\n"
         "Options:\n";
  for (const auto& o : optionTable()) {
    out << "  --" << o.name << " " << o.value << "\n      " << o.meaning << " (default: " << defaultText(o) << ")\n"
        << "      env " << envName(o.name) << "; roles: " << rolesText(o.roles) << (o.secret ? "; secret" : "") << "\n";
  }
  out << "  --help\n      print this text\n  --version\n      print the version\n";
  return out.str();
}

std::string configPrintText(const Config& config) {
  std::ostringstream out;
  for (const auto& o : optionTable()) {
    const Setting* s = settingOf(config, o);
    std::string value = s == nullptr ? defaultText(o) : joined(s->values);
    if (s != nullptr && o.secret) value = "***";
    if (s == nullptr && o.byDefault == nullptr) value = "(" + value + ")";
    out << o.name << " = " << value << "  # " << sourceName(s == nullptr ? Source::kDefault : s->source) << "\n";
  }
  return out.str();
}

std::string configExampleText() {
  std::ostringstream out;
  out << "# wsd configuration (TOML), for `wsd --config FILE`: every option at its default.\n"
         "# The command line beats the environment (WSD_*), which beats this file.\n"
         "# DURATION: 500ms, 25s, 5m, 1h, 3d; SIZE: 512B, 64KiB, 4MiB, 1GiB. A # starts a comment,\n"
         "# also inside quotes: give a secret holding # in the environment.\n";
  for (const auto& o : optionTable()) {
    if (std::string_view(o.name) == "config") continue;
    out << "\n# " << o.meaning << "\n# env " << envName(o.name) << "; roles: " << rolesText(o.roles) << "\n";
    if (o.byDefault == nullptr) {
      const std::string placeholder = quoted(o.value);
      out << "# default: " << o.unset << "\n# " << o.name << " = "
          << (o.kind == OptionKind::kList ? "[" + placeholder + "]" : placeholder) << "\n";
    } else {
      out << o.name << " = " << (isNumber(o.kind) ? std::string(o.byDefault) : quoted(o.byDefault)) << "\n";
    }
  }
  return out.str();
}

}  // namespace wsd
