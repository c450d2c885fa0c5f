#pragma once
// The audit log of a running data directory: its own database file (DIR/audit.db) with its own
// writer and readers, and the one order in which a case write and its audit entry become durable.
//
// Why a file of its own: SQLite empties every reader's page cache when its database file changes,
// so with the log inside sluis.db each plan view (one audit entry) made every other view decrypt
// its pages again. Now an entry that belongs to no case write (a view, a refusal, a login) touches
// audit.db only.
//
// SQLite cannot commit one transaction across two WAL files, so a case write and its entry are
// ordered through an outbox (the transactional-outbox pattern):
//   1. the case write stages its entry in sluis.db's audit_outbox, in the case transaction;
//   2. after that commit, which makes the entry durable, the entry is handed to the audit writer,
//      and the caller may be answered;
//   3. the audit writer appends it to audit.db with the outbox row's id as receipt;
//   4. a later case write deletes outbox rows whose entries are known to be in the log.
// Every reader of the log (reads()) first waits for the appends handed over before it, so a search
// made after an answer finds that answer's entry.
// After a crash (kill -9 anywhere), open() appends every staged entry the log has no receipt for,
// before anything is served. So no case write is ever without its entry, nothing is acknowledged
// before its entry is durable (in the outbox, if not yet in the log), and no entry is appended
// twice. An entry appended in recovery carries detail "recovered": true and the time of the
// recovery.
//
// An entry appended without a case write (append()) is durable before `done` is called, so a
// response sent from `done` is never ahead of its trace. Appends that arrive while the audit writer
// is busy are taken together by one work item and written with multi-row INSERTs
// (audit_log::append_all): SQLite journals, and SQLCipher encrypts, each page a statement changes,
// so a group costs the log about what one entry did.
//
// Data directories from before the split keep their entries: open() copies them, in one
// transaction, from sluis.db's old tables into audit.db and then drops the old tables.
//
// Thread-safe. stage() runs on the case writer's thread (inside its work item); everything else
// may run anywhere except the blocking *_now functions and reads(), which must not run on either
// writer.

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "common/error.hpp"
#include "gateway/audit/audit_entry.hpp"
#include "gateway/audit/audit_log.hpp"
#include "gateway/audit/checkpoint.hpp"
#include "gateway/store/store.hpp"
#include "keys/secret_bytes.hpp"

namespace sluis::audit {

struct journal_options {
  log_options log = {};
  std::size_t readers = 2;
  // How many appends may already wait for the audit writer when a write commits, for its answer
  // not to wait for its own entry's commit in audit.db: back-pressure, so that the case writer
  // cannot outrun the log. 0: every write waits for its entry in audit.db, as a view does.
  std::size_t max_lag = 4096;
};

// What open() found and did, for the start-up log line.
struct journal_start {
  std::size_t recovered = 0;  // staged entries a crash had left unappended
  std::size_t moved = 0;      // entries copied from a data directory from before the split
};

// An entry a case write staged, waiting for that write's commit.
struct staged_entry {
  std::int64_t outbox_id = 0;
  audit_entry entry;
};

class journal {
 public:
  static constexpr const char* file_name = "audit.db";

  // Opens DIR/audit.db under `key` (creating it), moves entries of an older data directory, and
  // recovers what a crash left staged in `cases`. `cases` and `signer` must outlive the journal.
  static result<std::unique_ptr<journal>> open(const std::filesystem::path& data_dir,
                                               const keys::secret_bytes& key, store::store& cases,
                                               const checkpoint_signer& signer,
                                               journal_options options = {});
  journal(const journal&) = delete;
  journal& operator=(const journal&) = delete;
  // Drains the case store's writer (its writes' entries come here), then the audit writer: every
  // acknowledged write and entry is committed. The case store cannot write afterwards.
  ~journal();

  // Called with the entry's sequence number, or the error that kept it out of the log.
  using appended = std::function<void(result<std::int64_t>)>;

  // Step 1, inside a case write's work item on `case_db`: stages `entry` (validated first, so a bad
  // entry fails the case write too) and returns the outbox id for append_staged().
  result<std::int64_t> stage(store::connection& case_db, const audit_entry& entry);
  // Step 2, after that case write committed.
  void append_staged(std::int64_t outbox_id, audit_entry entry, appended done);
  // Step 2 for the many entries of one case write (a bulk load), in one audit transaction.
  void append_staged(std::vector<staged_entry> entries, std::function<void(result<void>)> done);
  // An entry that belongs to no case write.
  void append(audit_entry entry, appended done);

  // Blocking forms, for the command line and tests.
  result<std::int64_t> append_now(audit_entry entry);
  // Runs `change` on the case writer, stages the entry it completes, and waits until both are
  // durable. Returns the entry's sequence number.
  using change_fn = std::function<result<void>(store::connection&, audit_entry&)>;
  result<std::int64_t> write_now(change_fn change, audit_entry entry);
  result<void> append_staged_now(std::vector<staged_entry> entries);

  // The audit file's writer, for maintenance that is no append (and for tests that hold it). An
  // entry must go through stage()/append*() above, never straight to this writer.
  store::writer& writer() noexcept { return store_->writes(); }
  // Readers of audit.db (search, verify, inzage). Waits first until every entry handed to
  // append*() before this call is committed (or has failed), so that what a reader finds includes
  // the entry of every write already answered. Blocks: never call it on either writer.
  store::reader_pool& reads();
  // That wait on its own.
  void settle_now();
  // Its writer's statistics.
  store::writer_stats writer_stats() const { return store_->writes().stats(); }
  // Whether as many appends wait for the audit writer as options.max_lag allows (see there).
  bool lagging() const noexcept { return in_flight_.load() >= max_lag_; }
  // Whether an append of a staged entry has failed since start-up: its entry waits in the outbox
  // for the next start. Writes are refused meanwhile (api::write_then_send).
  bool failing() const noexcept { return stuck_.load(); }
  // Appends waiting to be written: taken by no writer item yet, or in its queue.
  std::size_t waiting_appends();

  // What open() did.
  const journal_start& started() const noexcept { return started_; }

 private:
  journal(std::unique_ptr<store::store> audit_store, store::store& cases,
          const checkpoint_signer& signer, journal_options options);
  result<std::size_t> move_old_entries();
  result<std::size_t> recover();
  void settled(std::int64_t outbox_id, bool ok);

  // Appends waiting for the audit writer. They are taken together by one work item (a few
  // multi-row INSERTs), however many arrived while the writer was busy.
  // A barrier carries no entry: its `done` runs once everything queued before it is committed.
  struct queued {
    audit_log::pending_entry pending;
    appended done;
    bool barrier = false;
  };
  void enqueue(queued q);

  std::unique_ptr<store::store> store_;
  store::store& cases_;
  audit_log log_;
  journal_start started_;
  std::size_t max_lag_;
  // Every outbox id up to this one has its entry in the log (ids settle in commit order).
  std::atomic<std::int64_t> settled_up_to_{0};
  // Set when an append of a staged entry failed: from then on nothing is deleted from the outbox
  // until the next start-up recovers it.
  std::atomic<bool> stuck_{false};
  std::mutex queue_mutex_;
  std::vector<queued> queue_;
  bool drain_submitted_ = false;  // a drain item is in the writer's queue and has not started
  // Appends handed over whose `done` has not run yet (settle_now() returns at once at zero).
  std::atomic<std::size_t> in_flight_{0};
};

}  // namespace sluis::audit
