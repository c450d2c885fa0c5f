#pragma once
// The single writer: one thread owns the write connection and commits queued work in groups.
//
// submit() never blocks on the database, so an I/O thread can hand it a write. The writer takes
// everything queued (up to max_batch items), runs each item in its own savepoint inside one
// BEGIN IMMEDIATE transaction, and commits once: one fsync for the whole batch. An item that fails
// rolls back only its own savepoint and gets its own error; the others commit.
//
// Savepoints are not free: inside one, SQLite journals each page an item changes, and SQLCipher
// encrypts each journaled page, so they cost about a third of a write. Two ways around them, each
// keeping the promise above:
// - an item alone in its batch runs without a savepoint: the transaction is one;
// - a batch of items that may run twice (submit(..., rerun::allowed)) runs without savepoints.
//   An item that fails without having changed a row needs no undoing. Should one fail after it
//   changed rows, the whole transaction is rolled back and the batch runs again, each item in its
//   savepoint. Such work must start from scratch on each run (no state carried over from a
//   previous run) and must change nothing outside the database it would not change again.
//
// Only after the commit is each `done` called, so done(ok) means durable. All members are
// thread-safe.

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

#include "common/error.hpp"
#include "gateway/store/connection.hpp"

namespace sluis::store {

// A unit of work: runs on the writer thread inside a savepoint; returning an error (or throwing)
// undoes everything it did.
using write_work = std::function<result<void>(connection&)>;
// The outcome of a unit of work. Called on the writer thread: it must be quick, must not throw,
// and must post back to the caller's own executor rather than do the caller's work there.
using write_done = std::function<void(result<void>)>;

struct writer_options {
  std::size_t max_batch = 256;
  // Called on the writer thread after each committed batch with its size (for metrics).
  std::function<void(std::size_t)> on_batch = {};
};

// Counters since the writer started.
struct writer_stats {
  std::uint64_t batches = 0;
  std::uint64_t items = 0;
  std::uint64_t failed_items = 0;  // items whose work or whose batch's commit failed
  std::uint64_t reruns = 0;        // batches run again with savepoints (see above)
  std::size_t last_batch = 0;
  std::size_t max_batch = 0;
  std::size_t queued = 0;  // items waiting for the writer at the moment of stats()
};

class writer {
 public:
  explicit writer(connection&& write_connection, writer_options options = {});
  writer(const writer&) = delete;
  writer& operator=(const writer&) = delete;
  // stop()s.
  ~writer();

  // Whether an item's work may be run a second time (see above).
  enum class rerun { not_allowed, allowed };
  // Queues `work`; `done` gets its outcome after the batch's commit. After stop(), `done` is
  // called at once, on the calling thread, with errc::unavailable.
  void submit(write_work&& work, write_done&& done, rerun may_rerun = rerun::not_allowed);
  // Submits and waits for the outcome: for the command line and tests. Never call it from the
  // writer thread (from inside work or done): it would wait for itself.
  result<void> run(write_work&& work);
  // Runs `work` alone, outside any transaction, between batches, and waits for it: for
  // maintenance that cannot run in a transaction (PRAGMA rekey). Same caveat as run().
  result<void> run_exclusive(write_work&& work);

  // Drains the queue (every queued item is committed and gets its done), then joins the thread.
  // Idempotent.
  void stop();

  writer_stats stats() const;

 private:
  struct job {
    write_work work;
    write_done done;
    bool exclusive = false;
    rerun may_rerun = rerun::not_allowed;
  };

  void enqueue(job&& j);
  void loop();
  std::deque<job> take_batch();
  void commit_batch(std::deque<job>& batch);
  // The batch without savepoints; false (and nothing kept) when an item failed after changing rows.
  bool commit_without_savepoints(std::deque<job>& batch, std::vector<result<void>>& outcomes);
  void record_batch(std::size_t size, std::size_t failed);

  connection connection_;
  const writer_options options_;

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<job> queue_;
  bool stopping_ = false;
  writer_stats stats_;

  std::thread thread_;  // last: it starts after everything above exists
};

}  // namespace sluis::store
