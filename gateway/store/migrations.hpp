#pragma once
// Versioned schema migrations, applied in one transaction when the store opens.
//
// The schema version lives in PRAGMA user_version. Migrations are an ordered list in
// migrations.cpp with versions 1, 2, 3, ...; later work appends, never edits an applied one.
// Stateless; safe to call from any thread on a connection that thread uses.

#include <span>
#include <string_view>

#include "common/error.hpp"

namespace sluis::store {

class connection;

struct migration {
  int version;
  std::string_view description;
  std::string_view sql;
};

// Every migration of the case database (sluis.db) this binary knows, in order. Other databases
// (the audit log's) bring lists of their own.
std::span<const migration> migrations() noexcept;

// The version a fully migrated case database has.
int latest_schema_version() noexcept;

// The database's schema version (0 for a new database).
result<int> schema_version(connection& c);

// Applies every migration of `schema` (versions 1, 2, 3, ... in order) newer than the database,
// all in one transaction, and returns the resulting version. Running it again changes nothing. A
// database newer than this binary is refused with errc::conflict, untouched.
result<int> migrate(connection& c, std::span<const migration> schema = migrations());

}  // namespace sluis::store
