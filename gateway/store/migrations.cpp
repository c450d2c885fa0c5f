#include "gateway/store/migrations.hpp"

#include <array>
#include <string>

#include "gateway/store/connection.hpp"
#include "gateway/store/transaction.hpp"

namespace sluis::store {
namespace {

// Append new migrations at the end with the next version number. Columns used for look-ups hold
// ids and pseudonyms; everything personal is in `sealed` columns, encrypted with the family key.
constexpr std::array<migration, 7> all_migrations{{
    {1, "organisations, families, family keys, members, contributions, keyring events", R"sql(
CREATE TABLE organisations (id TEXT PRIMARY KEY, name TEXT NOT NULL, sector TEXT NOT NULL,
  professional_secrecy INTEGER NOT NULL CHECK (professional_secrecy IN (0, 1)));
-- sealed: the family's label and the gezinsmanager's name, sealed with the family key.
CREATE TABLE families (id TEXT PRIMARY KEY,
  created_by_org TEXT NOT NULL REFERENCES organisations(id),
  gezinsmanager_org TEXT NOT NULL REFERENCES organisations(id),
  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,
  sealed BLOB NOT NULL);
CREATE TABLE family_keys (family_id TEXT PRIMARY KEY REFERENCES families(id),
  key_id TEXT NOT NULL UNIQUE, kek_version INTEGER NOT NULL, wrapped BLOB NOT NULL,
  created_at INTEGER NOT NULL);
CREATE TABLE members (id TEXT PRIMARY KEY, family_id TEXT NOT NULL REFERENCES families(id),
  pseudonym BLOB NOT NULL, role TEXT NOT NULL, sealed BLOB NOT NULL,
  added_at INTEGER NOT NULL, removed_at INTEGER);
CREATE INDEX members_by_family ON members(family_id);
CREATE INDEX members_by_pseudonym ON members(pseudonym);
CREATE TABLE contributions (id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL REFERENCES organisations(id), source_ref TEXT NOT NULL,
  family_id TEXT REFERENCES families(id), subject_pseudonym BLOB,
  domain TEXT NOT NULL, kind TEXT NOT NULL, category TEXT NOT NULL, status TEXT NOT NULL,
  key_id TEXT NOT NULL, sealed BLOB NOT NULL,
  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, withdrawn_at INTEGER,
  UNIQUE (org_id, source_ref));
CREATE INDEX contributions_by_family ON contributions(family_id);
CREATE INDEX contributions_by_subject ON contributions(subject_pseudonym);
-- Key operations, loggable view only: ids and versions, never key bytes.
CREATE TABLE keyring_events (seq INTEGER PRIMARY KEY, at INTEGER NOT NULL, event TEXT NOT NULL,
  detail TEXT NOT NULL);
)sql"},
    // Appended by the audit log (gateway/audit); its code reads and writes these tables.
    {2, "audit log: hash-chained entries, their subjects, signed checkpoints", R"sql(
-- The audit log (gateway/audit): hash-chained entries, never a BSN or a name. Columns are for
-- search; `canonical`, `prev_hash` and `hash` are what verify checks them against.
CREATE TABLE audit_log (seq INTEGER PRIMARY KEY, at INTEGER NOT NULL,
  actor_org TEXT NOT NULL, actor_user TEXT NOT NULL, action TEXT NOT NULL,
  resource_type TEXT NOT NULL, resource_id TEXT NOT NULL, family_id TEXT NOT NULL,
  purpose TEXT NOT NULL, legal_basis TEXT NOT NULL,
  outcome TEXT NOT NULL, outcome_code TEXT NOT NULL, policy_version TEXT NOT NULL,
  request_id TEXT NOT NULL, break_glass INTEGER NOT NULL, detail TEXT NOT NULL,
  canonical BLOB NOT NULL, prev_hash BLOB NOT NULL, hash BLOB NOT NULL);
CREATE INDEX audit_log_by_family ON audit_log(family_id);
CREATE INDEX audit_log_by_actor ON audit_log(actor_org, actor_user);
CREATE INDEX audit_log_by_action ON audit_log(action);
CREATE INDEX audit_log_by_time ON audit_log(at);
-- Subject pseudonyms (hex) of each entry: answers a citizen's inzage request.
CREATE TABLE audit_subjects (seq INTEGER NOT NULL REFERENCES audit_log(seq),
  pseudonym TEXT NOT NULL, PRIMARY KEY (pseudonym, seq)) WITHOUT ROWID;
CREATE INDEX audit_subjects_by_seq ON audit_subjects(seq, pseudonym);
-- Signed heads of the chain (Ed25519 over seq, hash and the previous checkpoint's seq).
CREATE TABLE audit_checkpoints (seq INTEGER PRIMARY KEY REFERENCES audit_log(seq),
  hash BLOB NOT NULL, previous_seq INTEGER NOT NULL, key_id TEXT NOT NULL,
  public_key BLOB NOT NULL, signature BLOB NOT NULL, created_at INTEGER NOT NULL);
-- Append-only for the application: a bug cannot quietly change history. (Someone with the key can
-- drop these; the chain and the signatures are what catch that.)
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
    {3, "signal keys: unmatched involvement signals sealed per person until they join a family",
     R"sql(
-- While a person is in no family, their signals are sealed under a key of their own, found by
-- pseudonym; when they join a family the signals are re-sealed with the family key and the
-- signal key is deleted.
CREATE TABLE subject_keys (pseudonym BLOB PRIMARY KEY, key_id TEXT NOT NULL UNIQUE,
  kek_version INTEGER NOT NULL, wrapped BLOB NOT NULL, created_at INTEGER NOT NULL);
)sql"},
    // Appended by the legal grounds of a family (gateway/case/legal_store).
    {4, "legal grounds: consents, coordination grounds, break-the-glass; gezinsmanager user",
     R"sql(
-- The gezinsmanager's user id is the organisation's own id for a professional, not personal
-- data: kept in the clear so a gezinsmanager's families are found by index. The family's label
-- ("Gezin V.") is in families.sealed.
ALTER TABLE families ADD COLUMN gezinsmanager_user TEXT NOT NULL DEFAULT '';
CREATE INDEX families_by_gezinsmanager ON families(gezinsmanager_org, gezinsmanager_user);
-- Look-up columns are ids and unix times only; signers, recipients, purposes, evidence, motivation
-- texts and notes are in `sealed`, under the family key.
CREATE TABLE consents (id TEXT PRIMARY KEY, family_id TEXT NOT NULL REFERENCES families(id),
  subject_member_id TEXT NOT NULL, valid_from INTEGER NOT NULL, valid_until INTEGER NOT NULL,
  withdrawn_at INTEGER, recorded_at INTEGER NOT NULL, recorded_by_org TEXT NOT NULL,
  recorded_by_user TEXT NOT NULL, withdrawn_by_user TEXT, sealed BLOB NOT NULL);
CREATE INDEX consents_by_family ON consents(family_id);
CREATE TABLE coordination_grounds (id TEXT PRIMARY KEY,
  family_id TEXT NOT NULL REFERENCES families(id),
  valid_from INTEGER NOT NULL, valid_until INTEGER NOT NULL, ended_at INTEGER,
  recorded_at INTEGER NOT NULL, recorded_by_org TEXT NOT NULL, recorded_by_user TEXT NOT NULL,
  ended_by_user TEXT, sealed BLOB NOT NULL);
CREATE INDEX coordination_grounds_by_family ON coordination_grounds(family_id);
CREATE TABLE break_glass (id TEXT PRIMARY KEY, family_id TEXT NOT NULL REFERENCES families(id),
  user_id TEXT NOT NULL, org_id TEXT NOT NULL, started_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  review_state TEXT NOT NULL DEFAULT 'pending'
    CHECK (review_state IN ('pending', 'justified', 'unjustified')),
  reviewed_by TEXT, reviewed_at INTEGER, sealed BLOB NOT NULL);
CREATE INDEX break_glass_by_family ON break_glass(family_id);
CREATE INDEX break_glass_by_review ON break_glass(review_state, started_at);
)sql"},
    // Appended by the accounts of people using the web UI (gateway/people/user_store).
    {5, "users: accounts of people who log in to the web UI", R"sql(
-- id is the login and the professional id partner systems send (X-Sluis-User). password_hash is an
-- Argon2id string (crypto_pwhash_str). The TOTP secret is in totp_sealed, sealed with a key of its
-- own (totp_key_id) that is wrapped under a KEK version like a family key. generation goes up on
-- every reset and disable, ending sessions made before. failed_logins, failures_since and
-- locked_until are the account lock-out.
CREATE TABLE users (id TEXT PRIMARY KEY,
  organisation_id TEXT NOT NULL REFERENCES organisations(id),
  role TEXT NOT NULL CHECK (role IN ('gezinsmanager', 'procesmanager', 'professional',
                                     'privacy-officer', 'admin')),
  display_name TEXT NOT NULL, password_hash TEXT NOT NULL,
  totp_key_id TEXT NOT NULL UNIQUE, totp_kek_version INTEGER NOT NULL,
  totp_wrapped_key BLOB NOT NULL, totp_sealed BLOB NOT NULL, totp_last_step INTEGER,
  disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
  generation INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, last_login_at INTEGER,
  failed_logins INTEGER NOT NULL DEFAULT 0, failures_since INTEGER, locked_until INTEGER);
CREATE INDEX users_by_organisation ON users(organisation_id);
)sql"},
    // The audit log moved to a file of its own (gateway/audit/journal.hpp); the tables of
    // migration 2 stay only until their entries are copied there, then they are dropped.
    {6, "audit outbox: audit entries of case writes, staged in the same transaction", R"sql(
-- A case write stages its audit entry here in its own transaction; the entry is appended to the
-- audit log (audit.db) after the commit, and the row is deleted once the log has it. At start-up,
-- rows left by a crash are appended (once: audit_log.outbox_id) before anything is served.
-- AUTOINCREMENT: an id is never reused, so it identifies its entry in the audit log for good.
CREATE TABLE audit_outbox (id INTEGER PRIMARY KEY AUTOINCREMENT, entry TEXT NOT NULL);
)sql"},
    // Calendar days became Dutch (policy/calendar.hpp). A period given as dates was stored from
    // 00:00 UTC of its first day to 00:00 UTC of the day after its last; it now runs from 00:00 in
    // the Netherlands, one hour earlier (two in summer time). Exact UTC midnights are such dates
    // and move; other values are moments (a period that starts "now") and stay. The offset is the
    // EU rule the Netherlands has kept since 1996: summer time from the last Sunday of March to
    // the last Sunday of October, changing at 02:00 and 03:00, never at midnight
    // (tests/gateway/store/migrations_test.cpp checks it against policy/calendar.hpp).
    {7, "consent and coordination periods from UTC midnights to Dutch midnights", R"sql(
CREATE TEMP TABLE moved_midnights (utc INTEGER PRIMARY KEY, dutch INTEGER NOT NULL);
INSERT INTO moved_midnights
SELECT v, v - CASE
    WHEN date(v, 'unixepoch') > date(strftime('%Y', v, 'unixepoch') || '-03-25', 'weekday 0')
     AND date(v, 'unixepoch') <= date(strftime('%Y', v, 'unixepoch') || '-10-25', 'weekday 0')
    THEN 7200 ELSE 3600 END
FROM (SELECT valid_from AS v FROM consents UNION SELECT valid_until FROM consents
      UNION SELECT valid_from FROM coordination_grounds
      UNION SELECT valid_until FROM coordination_grounds)
WHERE v % 86400 = 0;
UPDATE consents SET
  valid_from = coalesce((SELECT dutch FROM moved_midnights WHERE utc = valid_from), valid_from),
  valid_until = coalesce((SELECT dutch FROM moved_midnights WHERE utc = valid_until), valid_until);
UPDATE coordination_grounds SET
  valid_from = coalesce((SELECT dutch FROM moved_midnights WHERE utc = valid_from), valid_from),
  valid_until = coalesce((SELECT dutch FROM moved_midnights WHERE utc = valid_until), valid_until);
DROP TABLE moved_midnights;
)sql"},
}};

constexpr bool versions_are_consecutive() {
  for (std::size_t i = 0; i < all_migrations.size(); ++i) {
    if (all_migrations[i].version != static_cast<int>(i) + 1) return false;
  }
  return true;
}
static_assert(versions_are_consecutive(), "migration versions must be 1, 2, 3, ... in order");

}  // namespace

std::span<const migration> migrations() noexcept { return all_migrations; }

int latest_schema_version() noexcept { return all_migrations.back().version; }

result<int> schema_version(connection& c) {
  auto s = c.prepare("PRAGMA user_version");
  if (!s) return s.error();
  auto row = s->step();
  if (!row) return row.error();
  return *row ? static_cast<int>(s->column_int64(0)) : 0;
}

result<int> migrate(connection& c, std::span<const migration> schema) {
  // BEGIN IMMEDIATE before reading the version: two processes opening one new database at once
  // cannot both apply migration 1.
  auto tx = transaction::begin(c);
  if (!tx) return tx.error();
  auto current = schema_version(c);
  if (!current) return current.error();
  const int latest = schema.empty() ? 0 : schema.back().version;
  if (*current > latest) {
    return error::conflict("the database has schema version " + std::to_string(*current) +
                           ", newer than this sluis knows (" + std::to_string(latest) +
                           "): upgrade sluis");
  }
  for (const migration& m : schema) {
    if (m.version <= *current) continue;
    if (auto r = c.execute(m.sql); !r) {
      return error(r.error().code(), "migration " + std::to_string(m.version) + " (" +
                                         std::string(m.description) + "): " + r.error().message());
    }
  }
  // The version comes from our own table, not from input: the one pragma that cannot be bound.
  if (*current == latest) return latest;  // nothing to do: the transaction rolls back unchanged
  if (auto r = c.execute("PRAGMA user_version = " + std::to_string(latest)); !r) {
    return r.error();
  }
  if (auto r = tx->commit(); !r) return r.error();
  return latest;
}

}  // namespace sluis::store
