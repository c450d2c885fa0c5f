#include "gateway/store/reader_pool.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <latch>
#include <thread>
#include <vector>

#include "gateway/store/store.hpp"
#include "tests/support/temp_dir.hpp"

namespace sluis::store {
namespace {

std::int64_t organisation_count(connection& c) {
  auto s = c.prepare("SELECT count(*) FROM organisations");
  EXPECT_TRUE(s.has_value());
  EXPECT_TRUE(s->step().value());
  return s->column_int64(0);
}

result<void> add_organisation(connection& c, std::string_view id) {
  auto s = c.cached("INSERT INTO organisations VALUES (?, 'Wijkteam', 'social', 0)");
  if (!s) return s.error();
  return (*s)->bind(1, id).run();
}

TEST(ReaderPool, ReadersNeverSeeUncommittedData) {
  testing::temp_dir dir;
  auto s = store::open(dir.path(), keys::secret_bytes::random(32));
  ASSERT_TRUE(s.has_value()) << s.error().what();
  std::latch written(1), release(1), committed(1);
  (*s)->writes().submit(
      [&](connection& c) -> result<void> {
        auto r = add_organisation(c, "org-1");
        written.count_down();
        release.wait();
        return r;
      },
      [&](result<void> r) {
        EXPECT_TRUE(r.has_value());
        committed.count_down();
      });
  written.wait();
  EXPECT_EQ((*s)->reads().with(organisation_count), 0);
  release.count_down();
  committed.wait();
  EXPECT_EQ((*s)->reads().with(organisation_count), 1);
}

TEST(ReaderPool, AConnectionIsLentToOneBorrowerAtATime) {
  testing::temp_dir dir;
  auto s = store::open(dir.path(), keys::secret_bytes::random(32), {.readers = 2});
  ASSERT_TRUE(s.has_value());
  reader_pool& pool = (*s)->reads();
  EXPECT_EQ(pool.size(), 2u);

  std::vector<std::atomic<int>> holders(2);
  std::atomic<int> overlaps = 0;
  std::atomic<int> reads = 0;
  std::vector<connection*> seen;
  {
    auto a = pool.borrow();
    auto b = pool.borrow();
    EXPECT_NE(&*a, &*b);
    seen = {&*a, &*b};
  }
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 50; ++i) {
        pool.with([&](connection& c) {
          const std::size_t slot = &c == seen[0] ? 0 : 1;
          if (holders[slot].fetch_add(1) != 0) ++overlaps;
          reads += static_cast<int>(organisation_count(c) == 0);
          holders[slot].fetch_sub(1);
        });
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(overlaps, 0);
  EXPECT_EQ(reads, 300);
}

TEST(ReaderPool, BorrowAllWaitsForEveryLeaseAndReturnsThemAll) {
  testing::temp_dir dir;
  auto s = store::open(dir.path(), keys::secret_bytes::random(32), {.readers = 3});
  ASSERT_TRUE(s.has_value());
  reader_pool& pool = (*s)->reads();
  std::latch got_all(1);
  std::optional<reader_pool::lease> held = pool.borrow();
  std::thread maintenance([&] {
    auto all = pool.borrow_all();
    EXPECT_EQ(all.size(), 3u);
    got_all.count_down();
  });
  held.reset();  // borrow_all can only finish after this
  got_all.wait();
  maintenance.join();
  auto again = pool.borrow_all();
  EXPECT_EQ(again.size(), 3u) << "every lease came back";
}

TEST(ReaderPool, ReadersRefuseWrites) {
  testing::temp_dir dir;
  auto s = store::open(dir.path(), keys::secret_bytes::random(32));
  ASSERT_TRUE(s.has_value());
  auto r = (*s)->reads().with([](connection& c) { return add_organisation(c, "org-1"); });
  EXPECT_FALSE(r.has_value());
}

}  // namespace
}  // namespace sluis::store
