#pragma once
// Token buckets keyed by caller (certificate fingerprint, or remote address without a certificate).
//
// Each key may make `burst` requests at once and `rate_per_second` on average. Safe for concurrent
// use from any number of threads. Memory is bounded: full buckets are forgotten when the table
// grows.

#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace sluis::http {

class rate_limiter {
 public:
  using clock = std::chrono::steady_clock;

  struct decision {
    bool allowed;
    std::chrono::seconds retry_after;  // when refused: whole seconds until a token is back (>= 1)
  };

  // A rate of 0 or less disables limiting: every request is allowed.
  rate_limiter(double rate_per_second, double burst, std::size_t max_keys = 100'000);

  // Takes one token for `key` at time `now` if there is one.
  decision acquire(std::string_view key, clock::time_point now);

 private:
  struct bucket {
    double tokens;
    clock::time_point updated;
  };

  void forget_full_buckets(clock::time_point now);

  const double rate_;
  const double burst_;
  const std::size_t max_keys_;
  std::mutex mutex_;
  std::unordered_map<std::string, bucket> buckets_;
};

}  // namespace sluis::http
