// wslog report's page: one self-contained HTML file (styles inline, charts as inline SVG
// drawn here; no script, no font, no request of any kind when it is opened). Pure.
//
// Each chart is an <svg class="chart" data-chart=NAME>; each data point is an element
// with class "point" (a line chart's <circle>) or "bar" (a bar chart's <rect>) carrying
// data-series, data-x and data-value, so a reader (or a test) can check every number
// against the log. Headline numbers are <div class="metric" data-metric=NAME>.
#pragma once

#include <string>
#include <string_view>

#include "report_data.h"

namespace wsd::wslog {

struct ReportOptions {
  std::string title = "wsd event log";  // shown in the heading
  std::string source;                   // which log, as the command line named it
  std::size_t topSenders = 10;          // bars in "top uids by messages"
};

std::string renderReport(const ReportData& data, const ReportOptions& options);

// Text made safe inside HTML elements and attribute values.
std::string escapeHtml(std::string_view text);

}  // namespace wsd::wslog
