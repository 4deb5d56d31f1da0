// Fuzzes the embedded log's reading of a segment file (log/segment_log.h) through its
// public API only: the input becomes the one segment of a fresh directory, opened
// read_only and replayed, then opened for writing (recovery) and replayed again.
// Whatever the bytes, open() and replay() answer, the records read are exactly an intact
// prefix of the file (u32 length | u32 crc32 | payload), and recovery keeps that prefix.
#include <zlib.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "log/segment_log.h"

namespace {

namespace fs = std::filesystem;

std::string recordBytes(std::string_view payload) {
  std::string out;
  auto putU32 = [&out](std::uint32_t v) {
    for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
  };
  putU32(static_cast<std::uint32_t>(payload.size()));
  putU32(static_cast<std::uint32_t>(
      crc32(0L, reinterpret_cast<const Bytef*>(payload.data()), static_cast<uInt>(payload.size()))));
  out.append(payload);
  return out;
}

// Opens the directory and returns every record replayed from offset 0; aborts when the
// log's own count disagrees with what it replayed.
std::vector<std::string> readAll(const fs::path& dir, bool readOnly) {
  auto log =
      wsd::log::SegmentLog::open({.directory = dir.string(), .max_record_bytes = 1u << 20, .read_only = readOnly});
  if (!log.ok()) std::abort();  // a corrupt segment is read around, never a failed open
  std::vector<std::string> records;
  auto status = (*log)->replay(0, [&records](wsd::log::Offset offset, std::string_view payload) {
    if (offset != records.size()) std::abort();
    records.emplace_back(payload);
  });
  if (!status.ok() || (*log)->nextOffset() != records.size()) std::abort();
  return records;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const fs::path root = [] {
    std::string pattern = (fs::temp_directory_path() / "wsd-segment-fuzz-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) std::abort();
    return fs::path(pattern);
  }();
  const fs::path dir = root / "log";
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::ofstream(dir / "00000000000000000000.log", std::ios::binary)
      .write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));

  const std::vector<std::string> records = readAll(dir, true);
  std::string prefix;
  for (const auto& record : records) prefix += recordBytes(record);
  if (std::string_view(reinterpret_cast<const char*>(data), size).substr(0, prefix.size()) != prefix) std::abort();

  if (readAll(dir, false) != records) std::abort();
  return 0;
}
