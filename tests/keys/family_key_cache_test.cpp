#include "keys/family_key_cache.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <string>
#include <thread>
#include <vector>

namespace sluis::keys {
namespace {

using origin = family_key_cache::origin;

const std::vector<unsigned char> wrapped_a{1, 2, 3};
const std::vector<unsigned char> wrapped_b{4, 5, 6};

// A fill that writes `value` into every byte and counts its calls.
struct filler {
  unsigned char value;
  int calls = 0;
  bool operator()(std::span<unsigned char> slot) {
    ++calls;
    std::fill(slot.begin(), slot.end(), value);
    return true;
  }
};

bool all_equal(std::span<const unsigned char> bytes, unsigned char value) {
  return std::all_of(bytes.begin(), bytes.end(), [&](unsigned char b) { return b == value; });
}

TEST(FamilyKeyCache, ASecondRequestForTheSameWrappedKeyIsAHitWithoutUnwrapping) {
  family_key_cache cache(4);
  filler fill{7};
  auto first = cache.get({"fk-1", 1, wrapped_a}, std::ref(fill));
  ASSERT_TRUE(first);
  auto second = cache.get({"fk-1", 1, wrapped_a}, std::ref(fill));
  ASSERT_TRUE(second);
  EXPECT_EQ(fill.calls, 1);
  EXPECT_TRUE(all_equal(second.bytes(), 7));
  EXPECT_EQ(first.bytes().data(), second.bytes().data()) << "one slot, not a copy";
  const auto stats = cache.stats();
  EXPECT_EQ(stats.hits, 1u);
  EXPECT_EQ(stats.misses, 1u);
  EXPECT_EQ(stats.size, 1u);
}

TEST(FamilyKeyCache, AnotherWrappingOrVersionOfTheSameKeyIdIsUnwrappedAnew) {
  family_key_cache cache(4);
  filler fill{7};
  (void)cache.get({"fk-1", 1, wrapped_a}, std::ref(fill));
  (void)cache.get({"fk-1", 1, wrapped_b}, std::ref(fill));
  (void)cache.get({"fk-1", 2, wrapped_b}, std::ref(fill));
  EXPECT_EQ(fill.calls, 3);
  EXPECT_EQ(cache.stats().size, 1u) << "the older wrapping is dropped";
}

TEST(FamilyKeyCache, AFailedUnwrapLeavesNothingBehind) {
  family_key_cache cache(2);
  auto p = cache.get({"fk-1", 1, wrapped_a}, [](std::span<unsigned char> slot) {
    std::fill(slot.begin(), slot.end(), 9);
    return false;
  });
  EXPECT_FALSE(p);
  EXPECT_EQ(cache.stats().size, 0u);
  // The slot it was given is wiped before it is handed out again.
  std::array<bool, 2> clean{};
  for (int i = 0; i < 2; ++i) {
    auto q = cache.get({"fk-" + std::to_string(10 + i), 1, wrapped_a},
                       [&](std::span<unsigned char> slot) {
                         clean[i] = all_equal(slot, 0);
                         return true;
                       });
    ASSERT_TRUE(q);
  }
  EXPECT_TRUE(clean[0] && clean[1]);
}

TEST(FamilyKeyCache, EvictsTheLeastRecentlyUsedKeyNobodyUses) {
  family_key_cache cache(2);
  filler fill{1};
  (void)cache.get({"fk-a", 1, wrapped_a}, std::ref(fill));
  (void)cache.get({"fk-b", 1, wrapped_a}, std::ref(fill));
  (void)cache.get({"fk-a", 1, wrapped_a}, std::ref(fill));  // a is now the most recent
  (void)cache.get({"fk-c", 1, wrapped_a}, std::ref(fill));  // evicts b
  EXPECT_EQ(fill.calls, 3);
  (void)cache.get({"fk-a", 1, wrapped_a}, std::ref(fill));
  EXPECT_EQ(fill.calls, 3) << "a stayed";
  (void)cache.get({"fk-b", 1, wrapped_a}, std::ref(fill));
  EXPECT_EQ(fill.calls, 4) << "b had gone";
  EXPECT_EQ(cache.stats().evictions, 2u);
}

TEST(FamilyKeyCache, APinnedKeyIsNeverEvictedOrWipedUnderItsUser) {
  family_key_cache cache(1);
  filler seven{7};
  auto held = cache.get({"fk-a", 1, wrapped_a}, std::ref(seven));
  ASSERT_TRUE(held);
  filler eight{8};
  auto other = cache.get({"fk-b", 1, wrapped_a}, std::ref(eight));
  EXPECT_FALSE(other) << "every slot is in use: the caller must use memory of its own";
  EXPECT_TRUE(all_equal(held.bytes(), 7));
  held = {};
  other = cache.get({"fk-b", 1, wrapped_a}, std::ref(eight));
  ASSERT_TRUE(other);
  EXPECT_TRUE(all_equal(other.bytes(), 8));
}

TEST(FamilyKeyCache, AForgottenKeyIsWipedWhenItsLastUserIsDone) {
  family_key_cache cache(1);
  filler seven{7};
  auto held = cache.get({"fk-a", 1, wrapped_a}, std::ref(seven));
  cache.forget("fk-a");
  EXPECT_EQ(cache.stats().size, 0u) << "out of the index at once";
  EXPECT_TRUE(all_equal(held.bytes(), 7)) << "still intact for the request that uses it";
  held = {};
  bool wiped = false;
  auto next = cache.get({"fk-a", 1, wrapped_a}, [&](std::span<unsigned char> slot) {
    wiped = all_equal(slot, 0);
    return true;
  });
  ASSERT_TRUE(next);
  EXPECT_TRUE(wiped) << "the slot was zeroed when its last pin ended";
  EXPECT_EQ(seven.calls, 1) << "a forgotten key is unwrapped again, never served from memory";
}

TEST(FamilyKeyCache, ClearForgetsEveryKey) {
  family_key_cache cache(3);
  filler fill{5};
  for (const char* id : {"fk-a", "fk-b", "fk-c"})
    (void)cache.get({id, 1, wrapped_a}, std::ref(fill));
  cache.clear();
  EXPECT_EQ(cache.stats().size, 0u);
  (void)cache.get({"fk-a", 1, wrapped_a}, std::ref(fill));
  EXPECT_EQ(fill.calls, 4);
}

TEST(FamilyKeyCache, ManyThreadsGetAndForgetWithoutSeeingAnotherKeysBytes) {
  family_key_cache cache(8);
  std::atomic<bool> wrong{false};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 2000; ++i) {
        const int k = (i * 7 + t) % 16;
        const auto value = static_cast<unsigned char>(k + 1);
        const std::string id = "fk-" + std::to_string(k);
        auto p = cache.get({id, 1, wrapped_a}, [&](std::span<unsigned char> slot) {
          std::fill(slot.begin(), slot.end(), value);
          return true;
        });
        if (p && !all_equal(p.bytes(), value)) wrong = true;
        if (i % 97 == 0) cache.forget(id);
      }
    });
  for (auto& th : threads) th.join();
  EXPECT_FALSE(wrong.load());
  EXPECT_LE(cache.stats().size, 8u);
}

}  // namespace
}  // namespace sluis::keys
