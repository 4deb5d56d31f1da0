// wslog export --format parquet: the CSV export piped into Apache Arrow's Python writer
// (parquet_writer.py, embedded in the binary), which writes the Parquet file. Debian has
// no C++ Parquet library, so wslog leaves the format to the project that defines it.
#pragma once

#include <sys/types.h>

#include <cstdio>
#include <memory>
#include <string>

#include "core/result.h"

namespace wsd::wslog {

// parquet_writer.py's text (generated from the file at configure time).
const char* parquetWriterScript();

// A running writer: what is written to input() lands in the Parquet file once finish()
// says so. Not copyable; finish() must be called (it reaps the process).
class ParquetWriter {
 public:
  // Starts `python -c SCRIPT OUT_PATH`; `python` is looked up in PATH.
  static Result<std::unique_ptr<ParquetWriter>> start(const std::string& python, const std::string& outPath);
  std::FILE* input() { return input_; }
  // Ends the input and waits: an error (`parquet_failed`) when the writer did not exit 0;
  // its own message is on stderr already.
  Status finish();

  ParquetWriter(const ParquetWriter&) = delete;
  ParquetWriter& operator=(const ParquetWriter&) = delete;
  ~ParquetWriter();

 private:
  ParquetWriter(std::FILE* input, pid_t pid) : input_(input), pid_(pid) {}
  std::FILE* input_;
  pid_t pid_;
};

}  // namespace wsd::wslog
