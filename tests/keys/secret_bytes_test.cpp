#include "keys/secret_bytes.hpp"

#include <gtest/gtest.h>

#include <type_traits>

namespace sluis::keys {
namespace {

static_assert(!std::is_copy_constructible_v<secret_bytes>, "secrets are never copied by accident");
static_assert(!std::is_copy_assignable_v<secret_bytes>);

TEST(SecretBytes, RandomBytesDifferAndCompareInConstantTime) {
  secret_bytes a = secret_bytes::random(32);
  secret_bytes b = secret_bytes::random(32);
  EXPECT_EQ(a.size(), 32u);
  EXPECT_FALSE(a == b);
  EXPECT_TRUE(a == a.clone());
}

TEST(SecretBytes, MoveLeavesSourceEmpty) {
  secret_bytes a = secret_bytes::random(16);
  secret_bytes b = std::move(a);
  EXPECT_TRUE(a.empty());  // NOLINT(bugprone-use-after-move): checking the moved-from state.
  EXPECT_EQ(b.size(), 16u);
}

}  // namespace
}  // namespace sluis::keys
