// Token buckets with an injected clock: burst, refill, Retry-After, independent keys.
#include "gateway/http/rate_limiter.hpp"

#include <gtest/gtest.h>

namespace sluis::http {
namespace {

using namespace std::chrono_literals;
const rate_limiter::clock::time_point t0{};

TEST(rate_limiter, AllowsTheBurstThenRefuses) {
  rate_limiter limiter(2, 3);
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(limiter.acquire("org", t0).allowed);
  const auto refused = limiter.acquire("org", t0);
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.retry_after, 1s);  // half a second at 2/s, rounded up to whole seconds
}

TEST(rate_limiter, RefillsAtTheRate) {
  rate_limiter limiter(2, 1);
  EXPECT_TRUE(limiter.acquire("org", t0).allowed);
  EXPECT_FALSE(limiter.acquire("org", t0 + 100ms).allowed);
  EXPECT_TRUE(limiter.acquire("org", t0 + 600ms).allowed);
}

TEST(rate_limiter, RetryAfterCoversTheWait) {
  rate_limiter limiter(0.1, 1);  // one token per 10 s
  EXPECT_TRUE(limiter.acquire("org", t0).allowed);
  EXPECT_EQ(limiter.acquire("org", t0).retry_after, 10s);
}

TEST(rate_limiter, KeysHaveTheirOwnBuckets) {
  rate_limiter limiter(1, 1);
  EXPECT_TRUE(limiter.acquire("cert:a", t0).allowed);
  EXPECT_FALSE(limiter.acquire("cert:a", t0).allowed);
  EXPECT_TRUE(limiter.acquire("cert:b", t0).allowed);
}

TEST(rate_limiter, ZeroRateDisablesLimiting) {
  rate_limiter limiter(0, 1);
  for (int i = 0; i < 100; ++i) EXPECT_TRUE(limiter.acquire("org", t0).allowed);
}

TEST(rate_limiter, ForgettingFullBucketsKeepsLimitsOfActiveKeys) {
  rate_limiter limiter(1, 1, 2);
  EXPECT_TRUE(limiter.acquire("busy", t0).allowed);
  EXPECT_TRUE(limiter.acquire("a", t0 - 10s).allowed);  // refilled by t0: forgettable
  EXPECT_TRUE(limiter.acquire("b", t0).allowed);        // table full: "a" goes, "busy" stays
  EXPECT_FALSE(limiter.acquire("busy", t0).allowed);
}

}  // namespace
}  // namespace sluis::http
