// The in-memory login throttle, at explicit times.

#include "gateway/people/login_throttle.hpp"

#include <gtest/gtest.h>

namespace sluis::people {
namespace {

constexpr unix_seconds t0 = 1'800'000'000;

login_throttle small() {
  return login_throttle(
      {.max_failures = 3, .window = std::chrono::seconds(600), .block = std::chrono::seconds(900)});
}

TEST(LoginThrottle, BlocksAKeyAfterTheLimitUntilTheBlockEnds) {
  auto throttle = small();
  for (int i = 0; i < 2; ++i) {
    EXPECT_TRUE(throttle.check("10.0.0.1", t0 + i).allowed);
    throttle.record_failure("10.0.0.1", t0 + i);
  }
  EXPECT_TRUE(throttle.check("10.0.0.1", t0 + 2).allowed);
  throttle.record_failure("10.0.0.1", t0 + 2);
  const auto refused = throttle.check("10.0.0.1", t0 + 3);
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.retry_after, std::chrono::seconds(899));
  EXPECT_TRUE(throttle.check("10.0.0.2", t0 + 3).allowed);  // other keys are not affected
  EXPECT_FALSE(throttle.check("10.0.0.1", t0 + 2 + 899).allowed);
  EXPECT_TRUE(throttle.check("10.0.0.1", t0 + 2 + 900).allowed);
}

TEST(LoginThrottle, FailuresOutsideTheWindowStartANewCount) {
  auto throttle = small();
  throttle.record_failure("k", t0);
  throttle.record_failure("k", t0 + 1);
  throttle.record_failure("k", t0 + 600);
  throttle.record_failure("k", t0 + 601);
  EXPECT_TRUE(throttle.check("k", t0 + 602).allowed);
}

TEST(LoginThrottle, SuccessForgetsTheFailures) {
  auto throttle = small();
  throttle.record_failure("k", t0);
  throttle.record_failure("k", t0 + 1);
  throttle.record_success("k");
  throttle.record_failure("k", t0 + 2);
  throttle.record_failure("k", t0 + 3);
  EXPECT_TRUE(throttle.check("k", t0 + 4).allowed);
}

TEST(LoginThrottle, MemoryIsBounded) {
  login_throttle throttle({.max_failures = 2, .max_keys = 10});
  for (int i = 0; i < 1000; ++i) throttle.record_failure("key-" + std::to_string(i), t0);
  EXPECT_LE(throttle.size(), 10u);
  // A key blocked just now is still blocked.
  throttle.record_failure("attacker", t0);
  throttle.record_failure("attacker", t0);
  EXPECT_FALSE(throttle.check("attacker", t0).allowed);
}

}  // namespace
}  // namespace sluis::people
