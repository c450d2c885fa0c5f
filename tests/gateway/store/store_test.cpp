#include "gateway/store/store.hpp"

#include <gtest/gtest.h>
#include <sodium.h>
#include <sys/wait.h>

#include <cstdlib>
#include <latch>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/temp_dir.hpp"

namespace sluis::store {
namespace {

using keys::secret_bytes;

constexpr std::string_view marker = "Fatima-de-Vries-MARKER-4711";

result<void> add_organisation(connection& c, std::string_view id, std::string_view name) {
  auto s = c.cached("INSERT INTO organisations VALUES (?, ?, 'social', 0)");
  if (!s) return s.error();
  return (*s)->bind(1, id).bind(2, name).run();
}

std::int64_t organisation_count(connection& c) {
  auto s = c.prepare("SELECT count(*) FROM organisations");
  EXPECT_TRUE(s.has_value());
  EXPECT_TRUE(s->step().value());
  return s->column_int64(0);
}

std::string hex(const secret_bytes& key) {
  std::string out(2 * key.size() + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), key.data(), key.size());
  out.pop_back();
  return out;
}

struct process_result {
  int exit_code;
  std::string output;
};

// Runs a shell command with its output captured in a file next to the database.
process_result run_process(const testing::temp_dir& dir, const std::string& command) {
  const auto output = dir / "process-output.txt";
  const int status = std::system((command + " > '" + output.string() + "' 2>&1").c_str());
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, testing::read_file(output)};
}

TEST(Store, OpensCreatesAndReopensTheDatabase) {
  testing::temp_dir dir;
  const secret_bytes key = secret_bytes::random(32);
  {
    auto s = store::open(dir.path(), key);
    ASSERT_TRUE(s.has_value()) << s.error().what();
    EXPECT_EQ((*s)->file(), dir / "sluis.db");
    ASSERT_TRUE(
        (*s)->writes().run([](connection& c) { return add_organisation(c, "org-1", "A"); }));
  }
  EXPECT_TRUE(std::filesystem::exists(dir / "sluis.db"));
  auto s = store::open(dir.path(), key);
  ASSERT_TRUE(s.has_value()) << s.error().what();
  EXPECT_EQ((*s)->reads().with(organisation_count), 1);
}

TEST(Store, MissingDataDirectoryIsAClearError) {
  testing::temp_dir dir;
  auto s = store::open(dir / "absent", secret_bytes::random(32));
  ASSERT_FALSE(s.has_value());
  EXPECT_EQ(s.error().code(), errc::io);
  EXPECT_NE(s.error().message().find("does not exist"), std::string::npos);
}

TEST(Store, WrongKeyIsRefusedCleanlyAndTheRightKeyStillOpens) {
  testing::temp_dir dir;
  const secret_bytes key = secret_bytes::random(32);
  ASSERT_TRUE(store::open(dir.path(), key).has_value());
  auto wrong = store::open(dir.path(), secret_bytes::random(32));
  ASSERT_FALSE(wrong.has_value());
  EXPECT_EQ(wrong.error().code(), errc::crypto);
  EXPECT_EQ(wrong.error().message(),
            "the database key does not open " + (dir / "sluis.db").string() + " (wrong keyring?)");
  EXPECT_TRUE(store::open(dir.path(), key).has_value());
}

TEST(Store, EveryAcknowledgedConcurrentWriteSurvivesReopen) {
  testing::temp_dir dir;
  const secret_bytes key = secret_bytes::random(32);
  constexpr int threads = 8;
  constexpr int per_thread = 25;
  std::mutex mutex;
  std::vector<std::string> acknowledged;
  std::size_t max_batch = 0;
  {
    auto s = store::open(dir.path(), key);
    ASSERT_TRUE(s.has_value()) << s.error().what();
    // Hold the writer until every thread has queued its writes, so they form batches (no timing).
    std::latch holding(1), release(1), queued(threads), done(threads * per_thread);
    (*s)->writes().submit(
        [&](connection&) -> result<void> {
          holding.count_down();
          release.wait();
          return {};
        },
        {});
    holding.wait();
    std::vector<std::thread> submitters;
    for (int t = 0; t < threads; ++t) {
      submitters.emplace_back([&, t] {
        for (int i = 0; i < per_thread; ++i) {
          std::string id = "org-" + std::to_string(t) + "-" + std::to_string(i);
          (*s)->writes().submit([id](connection& c) { return add_organisation(c, id, "N"); },
                                [&, id](result<void> r) {
                                  if (r) {
                                    std::lock_guard lock(mutex);
                                    acknowledged.push_back(id);
                                  }
                                  done.count_down();
                                });
        }
        queued.count_down();
      });
    }
    queued.wait();
    release.count_down();
    done.wait();
    for (auto& t : submitters) t.join();
    max_batch = (*s)->writes().stats().max_batch;
  }
  EXPECT_GT(max_batch, 1u);
  ASSERT_EQ(acknowledged.size(), static_cast<std::size_t>(threads * per_thread));

  auto reopened = store::open(dir.path(), key);
  ASSERT_TRUE(reopened.has_value());
  (*reopened)->reads().with([&](connection& c) {
    auto s = c.prepare("SELECT count(*) FROM organisations WHERE id = ?");
    for (const std::string& id : acknowledged) {
      s->bind(1, id);
      ASSERT_TRUE(s->step().value());
      EXPECT_EQ(s->column_int64(0), 1) << id;
      s->reset();
    }
  });
}

TEST(Store, NothingReadableOnDiskIncludingTheWal) {
  testing::temp_dir dir;
  const secret_bytes key = secret_bytes::random(32);
  auto s = store::open(dir.path(), key);
  ASSERT_TRUE(s.has_value());
  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE((*s)->writes().run(
        [i](connection& c) { return add_organisation(c, "org-" + std::to_string(i), marker); }));
  }
  // The scan only means something if the marker really is stored and the WAL holds it.
  const auto stored = (*s)->reads().with([](connection& c) {
    auto q = c.prepare("SELECT count(*) FROM organisations WHERE name = ?");
    q->bind(1, marker);
    EXPECT_TRUE(q->step().value());
    return q->column_int64(0);
  });
  EXPECT_EQ(stored, 20);
  ASSERT_GT(std::filesystem::file_size(dir / "sluis.db-wal"), 0u);
  ASSERT_TRUE(std::filesystem::exists(dir / "sluis.db-shm"));

  std::vector<std::filesystem::path> hits;
  EXPECT_FALSE(testing::any_file_contains(dir.path(), marker, &hits)) << hits.front();
  s->reset();
  EXPECT_FALSE(testing::any_file_contains(dir.path(), marker, &hits)) << hits.front();
}

TEST(Store, PlainSqliteCannotOpenTheFileButSqlcipherWithTheKeyCan) {
  testing::temp_dir dir;
  const secret_bytes key = secret_bytes::random(32);
  {
    auto s = store::open(dir.path(), key);
    ASSERT_TRUE(s.has_value());
    ASSERT_TRUE((*s)->writes().run([](connection& c) { return add_organisation(c, "o", "A"); }));
  }
  const std::string file = "'" + (dir / "sluis.db").string() + "'";

  const auto plain = run_process(dir, "sqlite3 " + file + " 'SELECT count(*) FROM sqlite_master'");
  EXPECT_NE(plain.exit_code, 0);
  EXPECT_NE(plain.output.find("file is not a database"), std::string::npos) << plain.output;

  // Sluis's files have 4 KiB pages, which SQLCipher 3 must be told after the key.
  testing::write_file(dir / "script.sql", "PRAGMA key = \"x'" + hex(key) +
                                              "'\";\nPRAGMA cipher_page_size = 4096;\n"
                                              "SELECT 'count=' || count(*) FROM organisations;\n");
  const auto keyed =
      run_process(dir, "sqlcipher " + file + " < '" + (dir / "script.sql").string() + "'");
  EXPECT_NE(keyed.output.find("count=1"), std::string::npos) << keyed.output;
}

TEST(Store, RekeyLeavesOnlyTheNewKeyWorking) {
  testing::temp_dir dir;
  const secret_bytes old_key = secret_bytes::random(32);
  const secret_bytes new_key = secret_bytes::random(32);
  {
    auto s = store::open(dir.path(), old_key, {.readers = 2});
    ASSERT_TRUE(s.has_value());
    ASSERT_TRUE((*s)->writes().run([](connection& c) { return add_organisation(c, "a", "A"); }));
    ASSERT_TRUE((*s)->rekey(new_key).has_value());
    EXPECT_EQ(std::filesystem::file_size(dir / "sluis.db-wal"), 0u)
        << "no frames under the old key";
    // Writer and readers carry on under the new key.
    ASSERT_TRUE((*s)->writes().run([](connection& c) { return add_organisation(c, "b", "B"); }));
    EXPECT_EQ((*s)->reads().with(organisation_count), 2);
  }
  auto with_old = store::open(dir.path(), old_key);
  ASSERT_FALSE(with_old.has_value());
  EXPECT_EQ(with_old.error().code(), errc::crypto);
  auto with_new = store::open(dir.path(), new_key);
  ASSERT_TRUE(with_new.has_value()) << with_new.error().what();
  EXPECT_EQ((*with_new)->reads().with(organisation_count), 2);
}

TEST(Store, RekeyRefusesAKeyOfTheWrongSize) {
  testing::temp_dir dir;
  const secret_bytes key = secret_bytes::random(32);
  auto s = store::open(dir.path(), key);
  ASSERT_TRUE(s.has_value());
  auto r = (*s)->rekey(secret_bytes::random(31));
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), errc::invalid_argument);
  EXPECT_EQ((*s)->reads().with(organisation_count), 0) << "readers still work";
}

}  // namespace
}  // namespace sluis::store
