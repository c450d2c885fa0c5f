#pragma once
// The append side of the audit log: entries are hash-chained rows in the audit log's own database
// (DIR/audit.db, schema in schema.hpp), and every `checkpoint_interval` entries the head is signed
// (see checkpoint.hpp).
//
// append() runs inside a write transaction on that database (a work item of the audit writer; see
// journal.hpp for how a case write and its entry are ordered across the two files). It reads the
// previous hash from the last row each time instead of caching it, so a rolled-back savepoint can
// never leave a stale head behind. An audit_log holds no mutable state: it is safe to share, but
// appends must be serialised by the store's single writer (one write transaction at a time), as the
// chain needs a total order.

#include <chrono>
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "common/error.hpp"
#include "gateway/audit/audit_entry.hpp"
#include "gateway/audit/checkpoint.hpp"

namespace sluis::store {
class connection;
}

namespace sluis::audit {

struct log_options {
  // Sign the head after every this many entries (seq % interval == 0). At least 1.
  std::int64_t checkpoint_interval = 100;
  // The clock that stamps entries; replaceable so that tests can pin time.
  std::function<timestamp()> clock = [] {
    return std::chrono::time_point_cast<std::chrono::milliseconds>(
        std::chrono::system_clock::now());
  };
};

class audit_log {
 public:
  // `signer` must outlive the audit_log.
  explicit audit_log(const checkpoint_signer& signer, log_options options = {});

  // Validates and normalises `entry`, assigns the next sequence number and the time, chains it to
  // the previous entry and stores it with its subjects; signs a checkpoint when the new sequence
  // number is a multiple of the interval. Must be called inside a write transaction on `db`, in a
  // savepoint of the caller's (the writer gives each work item one): an invalid entry writes
  // nothing, but an I/O error half-way leaves the rows so far for that savepoint to undo. Returns
  // the sequence number. `outbox_id` (when not 0) is the receipt of an entry that a case write
  // staged (journal.hpp); the log holds each receipt at most once.
  result<std::int64_t> append(store::connection& db, audit_entry entry,
                              std::int64_t outbox_id = 0) const;

  // An entry and its receipt (0: none), for append_all().
  struct pending_entry {
    audit_entry entry;
    std::int64_t outbox_id = 0;
  };
  // append() for many entries in order, with one multi-row INSERT per 32 entries: SQLite journals
  // (and SQLCipher encrypts) each page a statement changes, so a group costs about what one entry
  // does. Nothing is written when any entry is invalid. Fills in each entry's seq and time, and
  // returns the sequence numbers.
  result<std::vector<std::int64_t>> append_all(store::connection& db,
                                               std::span<pending_entry> entries) const;

  // Signs the current head now (e.g. at shutdown or before a backup), unless it already has a
  // checkpoint or the log is empty. Must be called inside a write transaction. Returns the sequence
  // number of the newest checkpoint afterwards (0 when the log is empty).
  result<std::int64_t> checkpoint_now(store::connection& db) const;

 private:
  result<void> sign_head(store::connection& db, std::int64_t seq, const chain_hash& hash) const;

  const checkpoint_signer& signer_;
  log_options options_;
};

}  // namespace sluis::audit
