#include "common/durable_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace sluis {
namespace {

error io_error(std::string_view what, const std::filesystem::path& file) {
  return error::io(std::string(what) + " " + file.string() + ": " + std::strerror(errno));
}

}  // namespace

result<void> sync_to_disk(const std::filesystem::path& file) {
  const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return io_error("cannot open", file);
  const bool synced = ::fsync(fd) == 0;
  const bool closed = ::close(fd) == 0;
  if (!synced || !closed) return io_error("cannot flush", file);
  return {};
}

result<void> write_file_durably(const std::filesystem::path& file, std::string_view text,
                                mode_t mode) {
  const std::filesystem::path temp = file.string() + ".tmp";
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, mode);
  if (fd < 0) return io_error("cannot create", temp);
  while (!text.empty()) {
    const ssize_t n = ::write(fd, text.data(), text.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      auto failed = io_error("cannot write", temp);
      ::close(fd);
      ::unlink(temp.c_str());
      return failed;
    }
    text.remove_prefix(static_cast<std::size_t>(n));
  }
  const bool synced = ::fsync(fd) == 0;
  const bool closed = ::close(fd) == 0;
  if (!synced || !closed || ::rename(temp.c_str(), file.c_str()) != 0) {
    auto failed = io_error("cannot write", file);
    ::unlink(temp.c_str());
    return failed;
  }
  return sync_to_disk(file.has_parent_path() ? file.parent_path() : ".");
}

result<std::string> read_whole_file(const std::filesystem::path& file) {
  std::error_code ec;
  if (!std::filesystem::exists(file, ec))
    return error::not_found(file.string() + " does not exist");
  std::ifstream in(file, std::ios::binary);
  if (!in) return io_error("cannot read", file);
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return io_error("cannot read", file);
  return text.str();
}

}  // namespace sluis
