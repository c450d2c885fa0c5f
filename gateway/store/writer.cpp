#include "gateway/store/writer.hpp"

#include <algorithm>
#include <future>
#include <utility>
#include <vector>

#include "gateway/store/transaction.hpp"

namespace sluis::store {
namespace {

// Work is our own code, but a throw must cost one item, not the writer thread. The exception's
// text is not passed on: it may quote data.
result<void> run_guarded(const write_work& work, connection& c) {
  try {
    return work(c);
  } catch (...) {
    return error::internal("a write failed with an exception");
  }
}

void call_done(const write_done& done, result<void> outcome) {
  try {
    if (done) done(std::move(outcome));
  } catch (...) {
    // A broken callback must not take the writer, and every later write, down with it.
  }
}

}  // namespace

writer::writer(connection&& write_connection, writer_options options)
    : connection_(std::move(write_connection)),
      options_(std::move(options)),
      thread_([this] { loop(); }) {}

writer::~writer() { stop(); }

void writer::submit(write_work&& work, write_done&& done, rerun may_rerun) {
  enqueue({std::move(work), std::move(done), false, may_rerun});
}

void writer::enqueue(job&& j) {
  {
    std::lock_guard lock(mutex_);
    if (!stopping_) {
      queue_.push_back(std::move(j));
      wake_.notify_one();
      return;
    }
  }
  call_done(j.done, error::unavailable("the store is shutting down"));
}

result<void> writer::run(write_work&& work) {
  std::promise<result<void>> outcome;
  auto future = outcome.get_future();
  submit(std::move(work), [&outcome](result<void> r) { outcome.set_value(std::move(r)); });
  return future.get();
}

result<void> writer::run_exclusive(write_work&& work) {
  std::promise<result<void>> outcome;
  auto future = outcome.get_future();
  enqueue({std::move(work), [&outcome](result<void> r) { outcome.set_value(std::move(r)); }, true});
  return future.get();
}

void writer::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
}

writer_stats writer::stats() const {
  std::lock_guard lock(mutex_);
  writer_stats s = stats_;
  s.queued = queue_.size();
  return s;
}

void writer::loop() {
  for (;;) {
    std::deque<job> batch = take_batch();
    if (batch.empty()) return;
    if (batch.front().exclusive) {
      auto outcome = run_guarded(batch.front().work, connection_);
      connection_.reset_cached();
      call_done(batch.front().done, std::move(outcome));
      continue;
    }
    commit_batch(batch);
  }
}

// Waits for work; returns up to max_batch ordinary jobs, or one exclusive job alone, or nothing
// when stopping with an empty queue.
std::deque<writer::job> writer::take_batch() {
  std::unique_lock lock(mutex_);
  wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
  std::deque<job> batch;
  if (!queue_.empty() && queue_.front().exclusive) {
    batch.push_back(std::move(queue_.front()));
    queue_.pop_front();
    return batch;
  }
  while (!queue_.empty() && !queue_.front().exclusive && batch.size() < options_.max_batch) {
    batch.push_back(std::move(queue_.front()));
    queue_.pop_front();
  }
  return batch;
}

void writer::commit_batch(std::deque<job>& batch) {
  std::vector<result<void>> outcomes;
  outcomes.reserve(batch.size());
  const bool rerunnable = std::all_of(batch.begin(), batch.end(),
                                      [](const job& j) { return j.may_rerun == rerun::allowed; });
  if (batch.size() == 1 || rerunnable) {
    if (!commit_without_savepoints(batch, outcomes)) {
      outcomes.clear();
      {
        std::lock_guard lock(mutex_);
        ++stats_.reruns;
      }
    }
  }
  if (outcomes.empty()) {
    auto tx = transaction::begin(connection_);
    if (!tx) {
      for (std::size_t i = 0; i < batch.size(); ++i) outcomes.emplace_back(tx.error());
    } else {
      for (const job& j : batch) {
        auto sp = savepoint::begin(connection_);
        if (!sp) {
          outcomes.emplace_back(sp.error());
          continue;
        }
        auto outcome = run_guarded(j.work, connection_);
        // On failure the savepoint's destructor rolls back this item only.
        outcomes.push_back(outcome ? sp->release() : std::move(outcome));
      }
      if (auto committed = tx->commit(); !committed) {
        for (auto& outcome : outcomes) {
          if (outcome) outcome = committed.error();
        }
      }
    }
  }
  std::size_t failed = 0;
  for (const auto& outcome : outcomes) failed += outcome ? 0 : 1;
  record_batch(batch.size(), failed);
  for (std::size_t i = 0; i < batch.size(); ++i) call_done(batch[i].done, std::move(outcomes[i]));
}

bool writer::commit_without_savepoints(std::deque<job>& batch,
                                       std::vector<result<void>>& outcomes) {
  auto tx = transaction::begin(connection_);
  if (!tx) {
    for (std::size_t i = 0; i < batch.size(); ++i) outcomes.emplace_back(tx.error());
    return true;
  }
  bool any_ok = false;
  for (const job& j : batch) {
    const std::int64_t before = connection_.total_changes();
    auto outcome = run_guarded(j.work, connection_);
    if (!outcome && batch.size() > 1 &&
        (connection_.total_changes() != before || !connection_.in_transaction()))
      return false;  // rows to undo, or SQLite ended the transaction: `tx` rolls back
    any_ok = any_ok || outcome.has_value();
    outcomes.push_back(std::move(outcome));
  }
  // Alone, a failed item is undone with the transaction.
  if (!any_ok) return true;
  if (auto committed = tx->commit(); !committed) {
    for (auto& outcome : outcomes) {
      if (outcome) outcome = committed.error();
    }
  }
  return true;
}

void writer::record_batch(std::size_t size, std::size_t failed) {
  {
    std::lock_guard lock(mutex_);
    ++stats_.batches;
    stats_.items += size;
    stats_.failed_items += failed;
    stats_.last_batch = size;
    if (size > stats_.max_batch) stats_.max_batch = size;
  }
  if (options_.on_batch) options_.on_batch(size);
}

}  // namespace sluis::store
