#include "keys/terminal_prompt.hpp"

#include <fcntl.h>
#include <sodium.h>
#include <termios.h>
#include <unistd.h>

#include <string>

#include "keys/detail/fd_guard.hpp"

namespace sluis::keys {
namespace {

using detail::fd_guard;

// Restores the terminal's echo setting on every path out of the prompt.
class echo_off {
 public:
  explicit echo_off(int fd) : fd_(fd) {
    active_ = ::tcgetattr(fd_, &saved_) == 0;
    if (!active_) return;
    termios quiet = saved_;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    ::tcsetattr(fd_, TCSAFLUSH, &quiet);
  }
  ~echo_off() {
    if (active_) ::tcsetattr(fd_, TCSAFLUSH, &saved_);
  }
  echo_off(const echo_off&) = delete;
  echo_off& operator=(const echo_off&) = delete;
  bool active() const noexcept { return active_; }

 private:
  int fd_;
  termios saved_{};
  bool active_ = false;
};

void write_text(int fd, std::string_view text) {
  // The prompt is a courtesy; a failed write does not stop the secret from being read.
  [[maybe_unused]] const ssize_t ignored = ::write(fd, text.data(), text.size());
}

}  // namespace

result<secret_bytes> read_secret_from_terminal(std::string_view prompt, std::string_view what,
                                               std::size_t max_size) {
  const fd_guard tty(::open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC));
  if (tty.get() < 0) return error::unavailable("no terminal to ask for the " + std::string(what));
  secret_bytes buffer(max_size);
  std::size_t size = 0;
  {
    const echo_off quiet(tty.get());
    if (!quiet.active()) return error::unavailable("cannot switch off echo on the terminal");
    write_text(tty.get(), prompt);
    unsigned char c = 0;
    while (size < buffer.size() && ::read(tty.get(), &c, 1) == 1 && c != '\n') {
      buffer.data()[size++] = c;
    }
    sodium_memzero(&c, sizeof c);
  }
  write_text(tty.get(), "\n");
  if (size == 0) return error::invalid(std::string(what), "the " + std::string(what) + " is empty");
  if (size == buffer.size()) {
    return error::invalid(std::string(what), "the " + std::string(what) + " is too long");
  }
  return secret_bytes::copy_of(buffer.span().first(size));
}

}  // namespace sluis::keys
