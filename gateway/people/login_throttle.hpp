#pragma once
// In-memory throttling of failed logins per key, in front of the per-account lock-out that the
// user_store keeps in the store.
//
// The HTTP layer keys it by client address (so one address cannot try many accounts) and by the
// submitted user id (so an unknown id is throttled like a known one and a 429 does not reveal
// which ids exist). After `max_failures` failures of a key within `window`, the key is refused
// for `block` (counted from the failure that reached the limit). Forgotten on restart, like the
// sessions. Safe for concurrent use from any number of threads; memory is bounded by `max_keys`
// (entries with nothing to remember are dropped first, then the oldest).

#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "gateway/people/totp.hpp"

namespace sluis::people {

struct login_throttle_options {
  int max_failures = 20;  // per key; an office behind one address has many people
  std::chrono::seconds window{15 * 60};
  std::chrono::seconds block{15 * 60};
  std::size_t max_keys = 100'000;
};

class login_throttle {
 public:
  struct decision {
    bool allowed = true;
    std::chrono::seconds retry_after{0};  // when refused: whole seconds until allowed (>= 1)
  };

  explicit login_throttle(login_throttle_options options = {});

  // Whether `key` may try to log in at `now`. Call before check_login(); a refused attempt must
  // not reach the password check (answer 429 with Retry-After).
  decision check(std::string_view key, unix_seconds now) const;
  // Counts a failed login of `key` at `now`.
  void record_failure(std::string_view key, unix_seconds now);
  // Forgets `key`'s failures (after a successful login).
  void record_success(std::string_view key);

  // How many keys are remembered (for metrics and tests).
  std::size_t size() const;

 private:
  struct entry {
    int failures = 0;
    unix_seconds window_start = 0;
    unix_seconds blocked_until = 0;
  };

  void make_room(unix_seconds now);

  const login_throttle_options options_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, entry> entries_;
};

}  // namespace sluis::people
