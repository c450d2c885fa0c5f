#include "gateway/http/rate_limiter.hpp"

#include <algorithm>
#include <cmath>

namespace sluis::http {

rate_limiter::rate_limiter(double rate_per_second, double burst, std::size_t max_keys)
    : rate_(rate_per_second), burst_(std::max(burst, 1.0)), max_keys_(max_keys) {}

rate_limiter::decision rate_limiter::acquire(std::string_view key, clock::time_point now) {
  if (rate_ <= 0) return {true, std::chrono::seconds{0}};
  std::lock_guard lock(mutex_);
  auto it = buckets_.find(std::string(key));
  if (it == buckets_.end()) {
    if (buckets_.size() >= max_keys_) forget_full_buckets(now);
    it = buckets_.emplace(std::string(key), bucket{burst_, now}).first;
  }
  auto& b = it->second;
  const double elapsed = std::chrono::duration<double>(now - b.updated).count();
  b.tokens = std::min(burst_, b.tokens + std::max(elapsed, 0.0) * rate_);
  b.updated = std::max(now, b.updated);
  if (b.tokens >= 1.0) {
    b.tokens -= 1.0;
    return {true, std::chrono::seconds{0}};
  }
  const double wait = (1.0 - b.tokens) / rate_;
  return {false, std::chrono::seconds{std::max<long long>(1, std::llround(std::ceil(wait)))}};
}

void rate_limiter::forget_full_buckets(clock::time_point now) {
  std::erase_if(buckets_, [&](const auto& entry) {
    const double elapsed = std::chrono::duration<double>(now - entry.second.updated).count();
    return entry.second.tokens + elapsed * rate_ >= burst_;
  });
}

}  // namespace sluis::http
