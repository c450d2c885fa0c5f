#include "gateway/audit/schema.hpp"

#include <array>

namespace sluis::audit {
namespace {

// Append new migrations at the end with the next version number.
constexpr std::array<store::migration, 1> audit_migrations{{
    {1, "audit log: hash-chained entries, their subjects, signed checkpoints", R"sql(
-- Hash-chained entries, never a BSN or a name. Columns are for search; `canonical`, `prev_hash`
-- and `hash` are what verify checks them against. outbox_id is the receipt of an entry staged by a
-- case write (sluis.db's audit_outbox): it makes the append after a crash happen exactly once. It
-- is not part of the chained fields.
CREATE TABLE audit_log (seq INTEGER PRIMARY KEY, at INTEGER NOT NULL,
  actor_org TEXT NOT NULL, actor_user TEXT NOT NULL, action TEXT NOT NULL,
  resource_type TEXT NOT NULL, resource_id TEXT NOT NULL, family_id TEXT NOT NULL,
  purpose TEXT NOT NULL, legal_basis TEXT NOT NULL,
  outcome TEXT NOT NULL, outcome_code TEXT NOT NULL, policy_version TEXT NOT NULL,
  request_id TEXT NOT NULL, break_glass INTEGER NOT NULL, detail TEXT NOT NULL,
  canonical BLOB NOT NULL, prev_hash BLOB NOT NULL, hash BLOB NOT NULL,
  outbox_id INTEGER);
CREATE INDEX audit_log_by_family ON audit_log(family_id, seq);
CREATE INDEX audit_log_by_actor ON audit_log(actor_org, actor_user, seq);
CREATE INDEX audit_log_by_action ON audit_log(action, seq);
CREATE INDEX audit_log_by_time ON audit_log(at);
CREATE UNIQUE INDEX audit_log_by_outbox ON audit_log(outbox_id) WHERE outbox_id IS NOT NULL;
-- Subject pseudonyms (hex) of each entry: a citizen's inzage request is a range scan of the
-- primary key (pseudonym, seq), newest first, however long the log grows.
CREATE TABLE audit_subjects (seq INTEGER NOT NULL REFERENCES audit_log(seq),
  pseudonym TEXT NOT NULL, PRIMARY KEY (pseudonym, seq)) WITHOUT ROWID;
CREATE INDEX audit_subjects_by_seq ON audit_subjects(seq, pseudonym);
-- Signed heads of the chain (Ed25519 over seq, hash and the previous checkpoint's seq).
CREATE TABLE audit_checkpoints (seq INTEGER PRIMARY KEY REFERENCES audit_log(seq),
  hash BLOB NOT NULL, previous_seq INTEGER NOT NULL, key_id TEXT NOT NULL,
  public_key BLOB NOT NULL, signature BLOB NOT NULL, created_at INTEGER NOT NULL);
-- Append-only for the application: a bug cannot quietly change history. (Someone with the key can
-- drop these; the chain and the signatures are what catch that.) Retention will truncate only at a
-- signed checkpoint, in a migration that replaces the delete triggers with one that allows
-- deleting entries older than a recorded, signed anchor.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_subjects_no_update BEFORE UPDATE ON audit_subjects
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_subjects_no_delete BEFORE DELETE ON audit_subjects
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_checkpoints_no_update BEFORE UPDATE ON audit_checkpoints
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_checkpoints_no_delete BEFORE DELETE ON audit_checkpoints
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
)sql"},
}};

}  // namespace

std::span<const store::migration> schema() noexcept { return audit_migrations; }

}  // namespace sluis::audit
