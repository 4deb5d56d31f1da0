// Rendering events for `wslog export`.
#include "export_format.h"

#include "core/json.h"
#include "time_text.h"

namespace wsd::wslog {

Result<ExportFormat> parseExportFormat(std::string_view text) {
  if (text == "jsonl") return ExportFormat::kJsonLines;
  if (text == "csv") return ExportFormat::kCsv;
  if (text == "parquet") return ExportFormat::kParquet;
  return makeError("bad_format", "--format is jsonl, csv or parquet, not '" + std::string(text) + "'");
}

std::string exportHeader(ExportFormat format) {
  return format != ExportFormat::kJsonLines ? "partition,offset,id,ts,time,project,node,conn,type,data\n" : "";
}

std::string csvField(std::string_view value) {
  if (value.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(value);
  std::string out = "\"";
  for (char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string exportLine(ExportFormat format, const LogRecord& record) {
  if (format == ExportFormat::kJsonLines) return std::string(record.payload) + "\n";
  const Event& e = *record.event;
  std::string out = std::to_string(record.position.partition) + "," + std::to_string(record.position.offset) + ",";
  out += csvField(e.id) + "," + std::to_string(e.ts) + "," + formatTime(e.ts) + ",";
  out += csvField(e.project) + "," + csvField(e.node) + "," + csvField(e.conn) + ",";
  out += std::string(eventTypeName(e.type)) + "," + csvField(json::stringify(e.data));
  return out + "\n";
}

}  // namespace wsd::wslog
