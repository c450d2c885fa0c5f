#include "gateway/http/detail/server_state.hpp"

#include "gateway/http/detail/session.hpp"

namespace sluis::http::detail {

server_state::server_state(server_config c, std::shared_ptr<http::handler> h,
                           std::shared_ptr<metrics_registry> m)
    : config(std::move(c)),
      handler(std::move(h)),
      metrics(std::move(m)),
      limiter(config.rate_limit_per_second, config.rate_limit_burst) {}

std::shared_ptr<const tls_state> server_state::tls() const {
  std::lock_guard lock(tls_mutex_);
  return tls_;
}

void server_state::set_tls(std::shared_ptr<const tls_state> fresh) {
  std::lock_guard lock(tls_mutex_);
  tls_ = std::move(fresh);
}

void server_state::add(session* s, std::weak_ptr<session> weak) {
  std::lock_guard lock(mutex_);
  sessions_.emplace(s, entry{std::move(weak), added_++});
}

void server_state::remove(session* s) {
  {
    std::lock_guard lock(mutex_);
    sessions_.erase(s);
  }
  sessions_changed_.notify_all();
}

std::size_t server_state::session_count() {
  std::lock_guard lock(mutex_);
  return sessions_.size();
}

std::vector<std::shared_ptr<session>> server_state::sessions() {
  std::lock_guard lock(mutex_);
  std::vector<std::shared_ptr<session>> out;
  out.reserve(sessions_.size());
  for (const auto& [raw, e] : sessions_) {
    if (auto s = e.weak.lock()) out.push_back(std::move(s));
  }
  return out;
}

bool server_state::admit(const std::string& address) {
  std::lock_guard lock(mutex_);
  auto& open = per_address_[address];
  if (open >= config.max_connections_per_address) {
    if (open == 0) per_address_.erase(address);
    return false;
  }
  ++open;
  return true;
}

void server_state::release(const std::string& address) {
  std::lock_guard lock(mutex_);
  const auto it = per_address_.find(address);
  if (it != per_address_.end() && --it->second == 0) per_address_.erase(it);
}

bool server_state::shed_slowest() {
  // Every session looked at is held until the lock is released: dropping what may be the last
  // reference runs the destructor, which takes the lock.
  std::vector<std::shared_ptr<session>> held;
  std::shared_ptr<session> slowest;
  const auto now = std::chrono::steady_clock::now();
  {
    std::lock_guard lock(mutex_);
    held.reserve(sessions_.size());
    double slowest_rate = 0;
    std::uint64_t slowest_order = 0;
    for (const auto& [raw, e] : sessions_) {
      auto s = e.weak.lock();  // empty once its destructor has begun
      if (!s) continue;
      const auto rate = s->delivery_rate(now, config.eviction_grace);
      if (rate && (!slowest || *rate < slowest_rate ||
                   (*rate == slowest_rate && e.order < slowest_order))) {
        slowest = s;
        slowest_rate = *rate;
        slowest_order = e.order;
      }
      held.push_back(std::move(s));
    }
  }
  if (!slowest) return false;
  slowest->shed();
  return true;
}

bool server_state::wait_until_no_sessions(std::chrono::steady_clock::time_point until) {
  std::unique_lock lock(mutex_);
  return sessions_changed_.wait_until(lock, until, [&] { return sessions_.empty(); });
}

}  // namespace sluis::http::detail
