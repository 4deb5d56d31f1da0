// The export formats. JSON Lines: each line is the event exactly as the log stores
// it (schemas/events/<type>.json), so an export round-trips byte for byte. CSV (RFC
// 4180): one row per event with the envelope in columns and `data` as JSON text, plus
// where the event is in the log and its time in ISO-8601.
#pragma once

#include <string>
#include <string_view>

#include "record.h"

namespace wsd::wslog {

// Parquet: the CSV rows, typed (parquet_export.h).
enum class ExportFormat { kJsonLines, kCsv, kParquet };

Result<ExportFormat> parseExportFormat(std::string_view text);

// The first line of the output ("" for JSON Lines).
std::string exportHeader(ExportFormat format);
// One event, ending in "\n".
std::string exportLine(ExportFormat format, const LogRecord& record);

// A CSV field, quoted when it holds a comma, quote, CR or LF (quotes doubled).
std::string csvField(std::string_view value);

}  // namespace wsd::wslog
