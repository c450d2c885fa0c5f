#pragma once
// Verification of the whole audit log: the hash chain, sequence contiguity and every checkpoint.
//
// verify() walks the log in sequence order, recomputes every entry's encoding from its stored
// columns and subjects and every hash, and checks every checkpoint's signature and its place in
// the chain of checkpoints. It stops at the first problem and names it.
//
// What it can and cannot see (the honest limits of a hash chain signed now and then):
// - Anyone with the database key but not the audit signing key can rewrite entries and recompute
//   every hash after them. Such a rewrite is caught by the next checkpoint, which is then named
//   (the change lies after the checkpoint before it): the first bad sequence number is then the
//   checkpoint's, not necessarily the first rewritten entry's.
// - Entries after the newest checkpoint are protected by the chain only: removing or rewriting
//   that tail (and any checkpoints after an older one, together) cannot be detected from the
//   database alone. The report therefore gives the newest checkpoint and the number of unsigned
//   entries; keep the newest checkpoint somewhere else (an operator's notes, a peer, a backup)
//   and compare, and sign on demand (audit_log::checkpoint_now) at shutdown and before backups.
// - A checkpoint proves who signed it only if its public key is trusted: pass every public audit
//   key of the keyring's history (current and retired).
// Stateless and thread-safe; reads run on the caller's connection (a reader is fine).

#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "common/error.hpp"
#include "gateway/audit/checkpoint.hpp"

namespace sluis::store {
class connection;
}

namespace sluis::audit {

enum class problem {
  none,
  entry_missing,        // a sequence number is absent (a deleted entry, or a truncated log)
  entry_out_of_order,   // an entry sits at another entry's sequence number (reordered)
  entry_changed,        // stored fields differ from the hashed encoding (edited columns)
  link_broken,          // the stored previous hash is not the previous entry's hash
  hash_mismatch,        // the stored hash is not the hash of the encoding
  checkpoint_mismatch,  // a signed checkpoint disagrees with the recomputed chain
  checkpoint_signature_invalid,  // a signature does not verify
  checkpoint_untrusted_key,      // a signature verifies, but under a key that is not trusted
  checkpoint_missing,            // a checkpoint names a previous checkpoint that is gone
};

std::string_view to_string(problem p) noexcept;

struct verify_report {
  bool ok() const noexcept { return kind == problem::none; }

  audit::problem kind = problem::none;
  // The first sequence number found changed, removed or reordered (0 when ok).
  std::int64_t first_bad_seq = 0;
  // For people: "hash mismatch at 57", "entry 58 missing", "checkpoint 100 signature invalid".
  std::string reason;

  std::int64_t entries_checked = 0;
  std::int64_t checkpoints_checked = 0;
  // The newest checkpoint that verified: keep it outside the database to detect truncation.
  std::optional<checkpoint> last_checkpoint;
  // Entries after the newest verified checkpoint, protected by the hash chain alone.
  std::int64_t unsigned_entries = 0;
};

// Verifies the whole log. A store failure is an error; a tampered log is a report with ok() false.
result<verify_report> verify(store::connection& db, std::span<const public_key> trusted_keys);
result<verify_report> verify(store::connection& db, const public_key& trusted_key);

}  // namespace sluis::audit
