#include "gateway/people/login_throttle.hpp"

#include <algorithm>

namespace sluis::people {

login_throttle::login_throttle(login_throttle_options options) : options_(options) {}

login_throttle::decision login_throttle::check(std::string_view key, unix_seconds now) const {
  std::lock_guard lock(mutex_);
  const auto it = entries_.find(std::string(key));
  if (it == entries_.end() || it->second.blocked_until <= now) return {};
  return {false, std::chrono::seconds(std::max<unix_seconds>(1, it->second.blocked_until - now))};
}

void login_throttle::record_failure(std::string_view key, unix_seconds now) {
  std::lock_guard lock(mutex_);
  auto it = entries_.find(std::string(key));
  if (it == entries_.end()) {
    make_room(now);
    it = entries_.emplace(std::string(key), entry{}).first;
  }
  entry& e = it->second;
  if (e.failures == 0 || now - e.window_start >= options_.window.count()) {
    e.failures = 0;
    e.window_start = now;
  }
  if (++e.failures >= options_.max_failures) {
    e.blocked_until = now + options_.block.count();
    e.failures = 0;
  }
}

void login_throttle::record_success(std::string_view key) {
  std::lock_guard lock(mutex_);
  entries_.erase(std::string(key));
}

std::size_t login_throttle::size() const {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

void login_throttle::make_room(unix_seconds now) {
  if (entries_.size() < options_.max_keys) return;
  std::erase_if(entries_, [&](const auto& kv) {
    const entry& e = kv.second;
    return e.blocked_until <= now && now - e.window_start >= options_.window.count();
  });
  // Still full (an attack from very many addresses): drop the oldest window. Losing a count
  // only ever lets a key try again sooner; the account lock-out in the store still holds.
  if (entries_.size() < options_.max_keys) return;
  const auto oldest = std::min_element(
      entries_.begin(), entries_.end(),
      [](const auto& a, const auto& b) { return a.second.window_start < b.second.window_start; });
  entries_.erase(oldest);
}

}  // namespace sluis::people
