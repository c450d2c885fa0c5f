#include "gateway/store/writer.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <array>
#include <atomic>
#include <latch>
#include <mutex>
#include <stdexcept>
#include <vector>

#include "gateway/store/connection.hpp"
#include "tests/support/temp_dir.hpp"

namespace sluis::store {
namespace {

using keys::secret_bytes;

result<void> insert(connection& c, int v) {
  auto s = c.cached("INSERT INTO t VALUES (?)");
  if (!s) return s.error();
  return (*s)->bind(1, v).run();
}

// Outcomes of done callbacks, in submission slots, collected from the writer thread.
class outcomes {
 public:
  explicit outcomes(std::size_t n) : results_(n), all_done_(static_cast<std::ptrdiff_t>(n)) {}
  write_done slot(std::size_t i) {
    return [this, i](result<void> r) {
      {
        std::lock_guard lock(mutex_);
        results_[i] = std::move(r);
      }
      all_done_.count_down();
    };
  }
  void wait() { all_done_.wait(); }
  const result<void>& operator[](std::size_t i) const { return *results_[i]; }

 private:
  std::mutex mutex_;
  std::vector<std::optional<result<void>>> results_;
  std::latch all_done_;
};

class WriterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto c = connection::open(file(), key_);
    ASSERT_TRUE(c.has_value()) << c.error().what();
    ASSERT_TRUE(c->execute("CREATE TABLE t (v INTEGER UNIQUE)").has_value());
    // Counts real commits (each one an fsync), to check that a batch is one transaction.
    sqlite3_commit_hook(
        c->native_handle(),
        [](void* commits) {
          ++*static_cast<std::atomic<int>*>(commits);
          return 0;
        },
        &commits_);
    writer_ = std::make_unique<writer>(std::move(*c), writer_options{.on_batch = [this](auto n) {
                                         std::lock_guard lock(mutex_);
                                         batch_sizes_.push_back(n);
                                       }});
  }

  std::filesystem::path file() const { return dir_ / "t.db"; }

  // Queues an item that holds the writer thread until `release` opens, so that everything
  // submitted meanwhile is queued and forms the next batch: a batch without timing.
  void hold_writer(std::latch& holding, std::latch& release, write_done done) {
    writer_->submit(
        [&holding, &release](connection& c) {
          holding.count_down();
          release.wait();
          return insert(c, -1);
        },
        std::move(done));
    holding.wait();
  }

  std::vector<std::int64_t> stored_values() {
    writer_.reset();
    auto c = connection::open(file(), key_);
    auto s = c->prepare("SELECT v FROM t ORDER BY v");
    std::vector<std::int64_t> values;
    while (s->step().value()) values.push_back(s->column_int64(0));
    return values;
  }

  testing::temp_dir dir_;
  const secret_bytes key_ = secret_bytes::random(32);
  std::atomic<int> commits_ = 0;
  std::mutex mutex_;
  std::vector<std::size_t> batch_sizes_;
  std::unique_ptr<writer> writer_;  // last: its thread uses the members above until it stops
};

TEST_F(WriterTest, RunWaitsForTheCommittedOutcome) {
  ASSERT_TRUE(writer_->run([](connection& c) { return insert(c, 1); }).has_value());
  auto failed = writer_->run([](connection& c) { return insert(c, 1); });
  ASSERT_FALSE(failed.has_value());
  EXPECT_EQ(failed.error().code(), errc::conflict);
  EXPECT_EQ(stored_values(), (std::vector<std::int64_t>{1}));
}

TEST_F(WriterTest, FailingItemsInABatchDoNotLoseTheOthers) {
  std::latch holding(1), release(1);
  outcomes out(6);
  hold_writer(holding, release, out.slot(0));
  writer_->submit([](connection& c) { return insert(c, 1); }, out.slot(1));
  writer_->submit(
      [](connection& c) -> result<void> {
        if (auto r = insert(c, 2); !r) return r;
        return error::invalid("v", "rejected after writing");
      },
      out.slot(2));
  writer_->submit([](connection& c) { return insert(c, 1); }, out.slot(3));  // duplicate
  writer_->submit(
      [](connection& c) -> result<void> {
        (void)insert(c, 4);
        throw std::runtime_error("boom");
      },
      out.slot(4));
  writer_->submit([](connection& c) { return insert(c, 5); }, out.slot(5));
  EXPECT_EQ(writer_->stats().queued, 5u) << "five items wait while the first one holds the writer";
  release.count_down();
  out.wait();

  EXPECT_TRUE(out[0].has_value());
  EXPECT_TRUE(out[1].has_value());
  EXPECT_EQ(out[2].error().code(), errc::invalid_argument);
  EXPECT_EQ(out[3].error().code(), errc::conflict);
  EXPECT_EQ(out[4].error().code(), errc::internal);
  EXPECT_EQ(out[4].error().message().find("boom"), std::string::npos);
  EXPECT_TRUE(out[5].has_value());
  EXPECT_EQ(writer_->stats().last_batch, 5u) << "the five items formed one batch";
  EXPECT_EQ(writer_->stats().failed_items, 3u);
  EXPECT_EQ(writer_->stats().queued, 0u);
  EXPECT_EQ(stored_values(), (std::vector<std::int64_t>{-1, 1, 5}));
}

// An item alone in its batch runs without a savepoint of its own: when it fails after writing,
// the whole transaction goes, and nothing of it stays; the next item starts clean.
TEST_F(WriterTest, AnItemAloneInItsBatchThatFailsAfterWritingLeavesNothing) {
  auto rejected = writer_->run([](connection& c) -> result<void> {
    if (auto r = insert(c, 2); !r) return r;
    return error::invalid("v", "rejected after writing");
  });
  EXPECT_EQ(rejected.error().code(), errc::invalid_argument);
  auto thrown = writer_->run([](connection& c) -> result<void> {
    (void)insert(c, 3);
    throw std::runtime_error("boom");
  });
  EXPECT_EQ(thrown.error().code(), errc::internal);
  EXPECT_EQ(commits_.load(), 0) << "nothing was committed";
  ASSERT_TRUE(writer_->run([](connection& c) { return insert(c, 4); }).has_value());
  EXPECT_EQ(commits_.load(), 1);
  EXPECT_EQ(writer_->stats().failed_items, 2u);
  EXPECT_EQ(stored_values(), (std::vector<std::int64_t>{4}));
}

// Items that may run twice are committed without savepoints. One that fails before it changed a
// row leaves nothing to undo, and each item runs once. One that fails after changing rows makes
// the writer roll the batch back and run it again with a savepoint per item: the same outcomes as
// without the shortcut, the items up to it run twice, and only what succeeded kept.
TEST_F(WriterTest, ItemsThatMayRunTwiceKeepEveryPromiseWithoutSavepoints) {
  for (const bool fails_after_writing : {false, true}) {
    SCOPED_TRACE(fails_after_writing ? "fails after writing" : "fails before writing");
    const int base = fails_after_writing ? 100 : 10;
    std::latch holding(1), release(1);
    outcomes out(5);
    hold_writer(holding, release, out.slot(0));
    std::array<std::atomic<int>, 5> runs{};
    const auto rerunnable = writer::rerun::allowed;
    writer_->submit([&runs, base](connection& c) { return ++runs[1], insert(c, base + 1); },
                    out.slot(1), rerunnable);
    writer_->submit(
        [&runs, base, fails_after_writing](connection& c) -> result<void> {
          ++runs[2];
          if (fails_after_writing) (void)insert(c, base + 2);
          return error::conflict("no");
        },
        out.slot(2), rerunnable);
    writer_->submit([&runs, base](connection& c) { return ++runs[3], insert(c, base + 1); },
                    out.slot(3), rerunnable);  // a duplicate: fails, changing nothing
    writer_->submit([&runs, base](connection& c) { return ++runs[4], insert(c, base + 4); },
                    out.slot(4), rerunnable);
    const auto reruns_before = writer_->stats().reruns;
    release.count_down();
    out.wait();
    EXPECT_TRUE(out[1].has_value());
    EXPECT_EQ(out[2].error().code(), errc::conflict);
    EXPECT_EQ(out[3].error().code(), errc::conflict);
    EXPECT_TRUE(out[4].has_value());
    EXPECT_EQ(writer_->stats().last_batch, 4u);
    const int times = fails_after_writing ? 2 : 1;
    EXPECT_EQ(runs[1].load(), times);
    EXPECT_EQ(runs[2].load(), times);
    EXPECT_EQ(runs[3].load(), 1) << "the batch stopped at the item that failed after writing";
    EXPECT_EQ(runs[4].load(), 1);
    EXPECT_EQ(writer_->stats().reruns - reruns_before, fails_after_writing ? 1u : 0u);
  }
  // (The second hold_writer item's -1 is a duplicate and was refused.)
  EXPECT_EQ(stored_values(), (std::vector<std::int64_t>{-1, 11, 14, 101, 104}));
}

TEST_F(WriterTest, CountsBatchesAndReportsThemToTheObserver) {
  std::latch holding(1), release(1);
  outcomes out(4);
  hold_writer(holding, release, out.slot(0));
  for (int i = 1; i <= 3; ++i) {
    writer_->submit([i](connection& c) { return insert(c, i); }, out.slot(i));
  }
  release.count_down();
  out.wait();
  const writer_stats stats = writer_->stats();
  EXPECT_EQ(stats.batches, 2u);
  EXPECT_EQ(stats.items, 4u);
  EXPECT_EQ(stats.last_batch, 3u);
  EXPECT_EQ(stats.max_batch, 3u);
  EXPECT_EQ(commits_, 2) << "one commit per batch, not per item";
  std::lock_guard lock(mutex_);
  EXPECT_EQ(batch_sizes_, (std::vector<std::size_t>{1, 3}));
}

TEST_F(WriterTest, DoneIsCalledOnlyOnceTheWriteIsCommitted) {
  // Another connection sees only committed rows; done() looks through it.
  auto observer = connection::open(file(), key_, {.read_only = true});
  ASSERT_TRUE(observer.has_value());
  std::optional<std::int64_t> visible_in_done;
  std::latch done(1);
  writer_->submit([](connection& c) { return insert(c, 8); },
                  [&](result<void> r) {
                    EXPECT_TRUE(r.has_value());
                    auto s = observer->prepare("SELECT count(*) FROM t WHERE v = 8");
                    EXPECT_TRUE(s->step().value());
                    visible_in_done = s->column_int64(0);
                    done.count_down();
                  });
  done.wait();
  EXPECT_EQ(visible_in_done, 1);
}

TEST_F(WriterTest, MaxBatchBoundsABatch) {
  auto c = connection::open(dir_ / "u.db", key_);
  ASSERT_TRUE(c->execute("CREATE TABLE t (v INTEGER UNIQUE)").has_value());
  writer small(std::move(*c), {.max_batch = 2});
  std::latch holding(1), release(1);
  outcomes out(6);
  small.submit(
      [&](connection&) -> result<void> {
        holding.count_down();
        release.wait();
        return {};
      },
      out.slot(0));
  holding.wait();
  for (int i = 1; i <= 5; ++i) {
    small.submit([i](connection& conn) { return insert(conn, i); }, out.slot(i));
  }
  release.count_down();
  out.wait();
  EXPECT_EQ(small.stats().max_batch, 2u);
  EXPECT_EQ(small.stats().batches, 4u);  // 1, then 2, 2, 1
}

TEST_F(WriterTest, StopDrainsTheQueueAndLaterSubmitsAreRefused) {
  std::latch holding(1), release(1);
  outcomes out(11);
  hold_writer(holding, release, out.slot(0));
  for (int i = 1; i <= 10; ++i) {
    writer_->submit([i](connection& c) { return insert(c, i); }, out.slot(i));
  }
  release.count_down();
  writer_->stop();
  for (std::size_t i = 0; i <= 10; ++i) EXPECT_TRUE(out[i].has_value()) << i;

  auto late = writer_->run([](connection& c) { return insert(c, 99); });
  ASSERT_FALSE(late.has_value());
  EXPECT_EQ(late.error().code(), errc::unavailable);
  EXPECT_EQ(stored_values().size(), 11u);
}

TEST_F(WriterTest, ExclusiveWorkRunsOutsideATransaction) {
  auto r = writer_->run_exclusive([](connection& c) { return c.execute("BEGIN; COMMIT"); });
  EXPECT_TRUE(r.has_value());
  auto in_batch = writer_->run([](connection& c) { return c.execute("BEGIN; COMMIT"); });
  EXPECT_FALSE(in_batch.has_value()) << "ordinary work runs inside the batch's transaction";
}

}  // namespace
}  // namespace sluis::store
