#include "gateway/store/migrations.hpp"

#include <array>
#include <string>

#include "gateway/store/connection.hpp"
#include "gateway/store/transaction.hpp"

namespace sluis::store {
namespace {

// Append new migrations at the end with the next version number. Columns used for look-ups hold
// ids and pseudonyms; everything personal is in `sealed` columns, encrypted with the family key.
constexpr std::array<migration, 1> all_migrations{{
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

result<int> migrate(connection& c) {
  // BEGIN IMMEDIATE before reading the version: two processes opening one new database at once
  // cannot both apply migration 1.
  auto tx = transaction::begin(c);
  if (!tx) return tx.error();
  auto current = schema_version(c);
  if (!current) return current.error();
  if (*current > latest_schema_version()) {
    return error::conflict("the database has schema version " + std::to_string(*current) +
                           ", newer than this sluis knows (" +
                           std::to_string(latest_schema_version()) + "): upgrade sluis");
  }
  for (const migration& m : all_migrations) {
    if (m.version <= *current) continue;
    if (auto r = c.execute(m.sql); !r) {
      return error(r.error().code(), "migration " + std::to_string(m.version) + " (" +
                                         std::string(m.description) + "): " + r.error().message());
    }
  }
  // The version comes from our own table, not from input: the one pragma that cannot be bound.
  if (auto r = c.execute("PRAGMA user_version = " + std::to_string(latest_schema_version())); !r) {
    return r.error();
  }
  if (auto r = tx->commit(); !r) return r.error();
  return latest_schema_version();
}

}  // namespace sluis::store
