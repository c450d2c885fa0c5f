#include "gateway/cli/data_dir_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <string>

namespace sluis::cli {
namespace {

std::optional<pid_t> pid_in(int fd) {
  char text[32] = {};
  const ssize_t n = ::pread(fd, text, sizeof text - 1, 0);
  if (n <= 0) return std::nullopt;
  pid_t pid = 0;
  const auto [end, ec] = std::from_chars(text, text + n, pid);
  if (ec != std::errc() || pid <= 0) return std::nullopt;
  return pid;
}

std::string holder_text(std::optional<pid_t> pid) {
  return pid ? "the gateway (pid " + std::to_string(*pid) + ")" : "another sluis process";
}

}  // namespace

result<data_dir_lock> data_dir_lock::acquire(const std::filesystem::path& dir,
                                             std::string_view doing) {
  const auto file = dir / file_name;
  const int fd = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return error::io("cannot open " + file.string() + ": " + std::strerror(errno));
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int saved = errno;
    const auto pid = pid_in(fd);
    ::close(fd);
    if (saved != EWOULDBLOCK)
      return error::io("cannot lock " + file.string() + ": " + std::strerror(saved));
    return error::conflict(holder_text(pid) + " is using the data directory " + dir.string() +
                           ", so " + std::string(doing) +
                           " would change it behind its back: stop the gateway first");
  }
  const std::string pid = std::to_string(::getpid()) + "\n";
  if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, pid.data(), pid.size(), 0) < 0) {
    const int saved = errno;
    ::close(fd);
    return error::io("cannot write " + file.string() + ": " + std::strerror(saved));
  }
  return data_dir_lock(fd);
}

data_dir_lock::~data_dir_lock() {
  if (fd_ >= 0) ::close(fd_);  // closing releases the flock
}

}  // namespace sluis::cli
