#include "app/secrets.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>

namespace wsd {

Result<std::string> loadOrCreate(const std::string& dir, const std::string& name, std::string (*generate)(),
                                 bool* created) {
  const std::string path = dir + "/" + name;
  std::ifstream in(path);
  std::string value;
  if (in && std::getline(in, value) && !value.empty()) return value;
  value = generate();
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (fd < 0) return makeError("data_dir", "cannot write " + path + ": " + std::strerror(errno));
  std::string line = value + "\n";
  bool written = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size());
  ::close(fd);
  if (!written) return makeError("data_dir", "cannot write " + path);
  if (created != nullptr) *created = true;
  return value;
}

}  // namespace wsd
