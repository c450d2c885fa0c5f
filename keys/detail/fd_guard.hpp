#pragma once
// Closes a file descriptor on every path out of a function (key files, the terminal).

#include <unistd.h>

namespace sluis::keys::detail {

class fd_guard {
 public:
  explicit fd_guard(int fd) noexcept : fd_(fd) {}
  ~fd_guard() {
    if (fd_ >= 0) ::close(fd_);
  }
  fd_guard(const fd_guard&) = delete;
  fd_guard& operator=(const fd_guard&) = delete;
  int get() const noexcept { return fd_; }

 private:
  int fd_;
};

}  // namespace sluis::keys::detail
