#pragma once
// One process changes a data directory at a time.
//
// `sluis serve` holds an exclusive lock on DIR/sluis.lock (flock) for as long as it runs, with its
// pid in the file. Every command that changes the directory (init, keys rotate, user add|disable|
// reset, demo load|generate) takes the same lock for its whole run, so it refuses while a gateway
// serves the directory, naming the gateway's pid; `keys rotate` instead asks the running gateway to
// rotate (see control_socket.hpp), because a rotation behind the gateway's back would retire a KEK
// version that its in-memory keyring still wraps new family keys under. Commands that only read
// (audit verify, keys status, user list, policy check) take no lock and work beside a gateway.
//
// The lock is released by the kernel when the process ends, however it ends: a crashed gateway
// leaves no stale lock behind, only a stale pid in the file, which nobody trusts without the lock.

#include <sys/types.h>

#include <filesystem>
#include <optional>

#include "common/error.hpp"

namespace sluis::cli {

class data_dir_lock {
 public:
  static constexpr std::string_view file_name = "sluis.lock";

  // Takes the lock without waiting. errc::conflict, with a message naming the holder's pid and what
  // `doing` cannot do, when another process holds it; errc::io when the file cannot be opened.
  static result<data_dir_lock> acquire(const std::filesystem::path& dir, std::string_view doing);

  data_dir_lock(data_dir_lock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  data_dir_lock& operator=(data_dir_lock&&) = delete;
  data_dir_lock(const data_dir_lock&) = delete;
  ~data_dir_lock();

 private:
  explicit data_dir_lock(int fd) noexcept : fd_(fd) {}
  int fd_;
};

}  // namespace sluis::cli
