// The ceiling for store ingest (issue 6): the insert work of store_bench's BM_store_submit on plain
// SQLite, with the same durability settings (WAL, synchronous=FULL, secure_delete, foreign keys)
// and the same group commit (one writer thread; each queued item in its own savepoint inside one
// BEGIN IMMEDIATE transaction; one COMMIT, so one fsync, per batch of up to 256), but no
// encryption: no database key, no family key unwrap, no sealing. The ratio of the two is the cost
// of SQLCipher and sealing.
//
// Links the SQLCipher library without ever giving it a key: SQLCipher without a key is plain SQLite
// (the same engine version as the store uses, which keeps the comparison fair). This program is a
// separate executable; nothing of it goes into build/sluis, whose store refuses unkeyed files.

#include <benchmark/benchmark.h>
#include <sqlite3.h>

#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/temp_dir.hpp"

namespace {

void check(int code, sqlite3* db, const char* what) {
  if (code != SQLITE_OK && code != SQLITE_DONE && code != SQLITE_ROW)
    throw std::runtime_error(std::string(what) + ": " + sqlite3_errmsg(db));
}

void exec(sqlite3* db, const char* sql) {
  check(sqlite3_exec(db, sql, nullptr, nullptr, nullptr), db, sql);
}

struct stmt {
  sqlite3_stmt* s = nullptr;
  stmt(sqlite3* db, const char* sql) {
    check(sqlite3_prepare_v2(db, sql, -1, &s, nullptr), db, sql);
  }
  ~stmt() { sqlite3_finalize(s); }
  stmt(const stmt&) = delete;
  stmt& operator=(const stmt&) = delete;
};

std::string random_hex(std::mt19937_64& rng, std::size_t n) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += digits[rng() % 16];
  return out;
}

// The tables the submit path touches, as in gateway/store/migrations.cpp, minus the sealed columns'
// key id (the content is stored as plaintext of the same size as the store's encoded content).
constexpr const char* schema = R"(
CREATE TABLE organisations (id TEXT PRIMARY KEY);
CREATE TABLE families (id TEXT PRIMARY KEY, gezinsmanager_org TEXT NOT NULL REFERENCES organisations(id));
CREATE TABLE members (id TEXT PRIMARY KEY, family_id TEXT NOT NULL REFERENCES families(id),
  pseudonym BLOB NOT NULL, removed_at INTEGER);
CREATE INDEX members_by_family ON members(family_id);
CREATE INDEX members_by_pseudonym ON members(pseudonym);
CREATE TABLE contributions (id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL REFERENCES organisations(id), source_ref TEXT NOT NULL,
  family_id TEXT REFERENCES families(id), subject_pseudonym BLOB,
  domain TEXT NOT NULL, kind TEXT NOT NULL, category TEXT NOT NULL, status TEXT NOT NULL,
  content BLOB NOT NULL,
  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, withdrawn_at INTEGER,
  UNIQUE (org_id, source_ref));
CREATE INDEX contributions_by_family ON contributions(family_id);
CREATE INDEX contributions_by_subject ON contributions(subject_pseudonym);
)";

struct testing_dir_holder {
  sluis::testing::temp_dir dir;
};

struct item {
  std::vector<unsigned char> subject;
  std::string source_ref;
  std::promise<bool> done;
};

// A plain-SQLite group-commit writer: the same batching as gateway/store/writer.cpp.
class baseline_writer {
 public:
  explicit baseline_writer(const std::filesystem::path& file) {
    check(sqlite3_open_v2(file.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr),
          db_, "open");
    exec(db_,
         "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;"
         "PRAGMA secure_delete = ON; PRAGMA temp_store = MEMORY;");
    exec(db_, schema);
    populate();
    find_family_ = std::make_unique<stmt>(
        db_, "SELECT family_id FROM members WHERE pseudonym = ? AND removed_at IS NULL");
    existing_ = std::make_unique<stmt>(
        db_, "SELECT id FROM contributions WHERE org_id = ? AND source_ref = ?");
    insert_ = std::make_unique<stmt>(
        db_,
        "INSERT INTO contributions (id, org_id, source_ref, family_id, subject_pseudonym, "
        "domain, kind, category, status, content, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    thread_ = std::thread([this] { loop(); });
  }
  ~baseline_writer() {
    {
      const std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_one();
    thread_.join();
    find_family_.reset();
    existing_.reset();
    insert_.reset();
    sqlite3_close(db_);
  }

  std::future<bool> submit(std::vector<unsigned char> subject, std::string ref) {
    item it{std::move(subject), std::move(ref), {}};
    auto f = it.done.get_future();
    {
      const std::lock_guard lock(mutex_);
      queue_.push_back(std::move(it));
    }
    wake_.notify_one();
    return f;
  }

  const std::vector<std::vector<unsigned char>>& subjects() const { return subjects_; }
  std::atomic<std::uint64_t> batches{0}, items{0};

 private:
  // 256 families of four members, as in store_bench.
  void populate() {
    std::mt19937_64 rng(42);
    exec(db_, "BEGIN; INSERT INTO organisations VALUES ('wijkteam'), ('schuldhulp');");
    stmt fam(db_, "INSERT INTO families VALUES (?, 'wijkteam')");
    stmt mem(db_, "INSERT INTO members (id, family_id, pseudonym) VALUES (?, ?, ?)");
    for (int f = 0; f < 256; ++f) {
      const std::string fid = "fam-" + random_hex(rng, 24);
      sqlite3_bind_text(fam.s, 1, fid.c_str(), -1, SQLITE_TRANSIENT);
      check(sqlite3_step(fam.s), db_, "family");
      sqlite3_reset(fam.s);
      for (int m = 0; m < 4; ++m) {
        std::vector<unsigned char> p(32);
        for (auto& b : p) b = static_cast<unsigned char>(rng());
        const std::string mid = "mem-" + random_hex(rng, 24);
        sqlite3_bind_text(mem.s, 1, mid.c_str(), -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(mem.s, 2, fid.c_str(), -1, SQLITE_TRANSIENT);
        sqlite3_bind_blob(mem.s, 3, p.data(), 32, SQLITE_TRANSIENT);
        check(sqlite3_step(mem.s), db_, "member");
        sqlite3_reset(mem.s);
        subjects_.push_back(std::move(p));
      }
    }
    exec(db_, "COMMIT");
  }

  // What case_store::submit does in SQL: find the subject's family, look for an existing row of
  // (org, source_ref), insert. `content` has the size of the store's encoded content for
  // store_bench's submission (~430 bytes) plus the 50 bytes a sealed blob adds.
  bool run_one(item& it) {
    sqlite3_bind_blob(find_family_->s, 1, it.subject.data(), 32, SQLITE_STATIC);
    const bool found = sqlite3_step(find_family_->s) == SQLITE_ROW;
    std::string family =
        found ? reinterpret_cast<const char*>(sqlite3_column_text(find_family_->s, 0)) : "";
    sqlite3_reset(find_family_->s);
    if (!found) return false;
    sqlite3_bind_text(existing_->s, 1, "schuldhulp", -1, SQLITE_STATIC);
    sqlite3_bind_text(existing_->s, 2, it.source_ref.c_str(), -1, SQLITE_STATIC);
    const bool exists = sqlite3_step(existing_->s) == SQLITE_ROW;
    sqlite3_reset(existing_->s);
    if (exists) return false;
    const std::string id = "con-" + random_hex(rng_, 24);
    int i = 1;
    sqlite3_bind_text(insert_->s, i++, id.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(insert_->s, i++, "schuldhulp", -1, SQLITE_STATIC);
    sqlite3_bind_text(insert_->s, i++, it.source_ref.c_str(), -1, SQLITE_STATIC);
    sqlite3_bind_text(insert_->s, i++, family.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_blob(insert_->s, i++, it.subject.data(), 32, SQLITE_STATIC);
    sqlite3_bind_text(insert_->s, i++, "financien", -1, SQLITE_STATIC);
    sqlite3_bind_text(insert_->s, i++, "goal", -1, SQLITE_STATIC);
    sqlite3_bind_text(insert_->s, i++, "regular", -1, SQLITE_STATIC);
    sqlite3_bind_text(insert_->s, i++, "active", -1, SQLITE_STATIC);
    sqlite3_bind_blob(insert_->s, i++, content_.data(), static_cast<int>(content_.size()),
                      SQLITE_STATIC);
    sqlite3_bind_int64(insert_->s, i++, 1'780'000'000);
    sqlite3_bind_int64(insert_->s, i++, 1'780'000'000);
    const int rc = sqlite3_step(insert_->s);
    sqlite3_reset(insert_->s);
    return rc == SQLITE_DONE;
  }

  void loop() {
    for (;;) {
      std::deque<item> batch;
      {
        std::unique_lock lock(mutex_);
        wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
        if (queue_.empty()) return;
        while (!queue_.empty() && batch.size() < 256) {
          batch.push_back(std::move(queue_.front()));
          queue_.pop_front();
        }
      }
      exec(db_, "BEGIN IMMEDIATE");
      std::vector<bool> ok;
      for (auto& it : batch) {
        exec(db_, "SAVEPOINT item");
        const bool good = run_one(it);
        exec(db_, good ? "RELEASE item" : "ROLLBACK TO item; RELEASE item");
        ok.push_back(good);
      }
      exec(db_, "COMMIT");
      ++batches;
      items += batch.size();
      for (std::size_t i = 0; i < batch.size(); ++i) batch[i].done.set_value(ok[i]);
    }
  }

  sqlite3* db_ = nullptr;
  std::vector<std::vector<unsigned char>> subjects_;
  std::unique_ptr<stmt> find_family_, existing_, insert_;
  std::vector<unsigned char> content_ = std::vector<unsigned char>(480, 'x');
  std::mt19937_64 rng_{7};
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<item> queue_;
  bool stopping_ = false;
  std::thread thread_;
};

baseline_writer& writer() {
  static testing_dir_holder holder;
  static baseline_writer w(holder.dir / "baseline.db");
  return w;
}

std::atomic<std::uint64_t> next_ref{0};

// One insert through the group-commit writer, waiting for its commit, as in store_bench.
void BM_plain_sqlite_submit(benchmark::State& state) {
  auto& w = writer();
  const auto batches_before = w.batches.load();
  const auto items_before = w.items.load();
  std::size_t i = static_cast<std::size_t>(state.thread_index()) * 7919;
  for (auto _ : state) {
    const auto& subject = w.subjects()[i++ % w.subjects().size()];
    if (!w.submit(subject, "bench-" + std::to_string(next_ref++)).get())
      state.SkipWithError("insert failed");
  }
  state.SetItemsProcessed(state.iterations());
  if (state.thread_index() == 0) {
    const auto batches = w.batches.load() - batches_before;
    if (batches > 0)
      state.counters["batch"] =
          static_cast<double>(w.items.load() - items_before) / static_cast<double>(batches);
  }
}
BENCHMARK(BM_plain_sqlite_submit)->Threads(1)->Threads(16)->Threads(64)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
