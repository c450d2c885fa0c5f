#pragma once
// Turns a SQLite result code into a sluis::error. Internal to gateway/store.

#include <string_view>

#include "common/error.hpp"

struct sqlite3;

namespace sluis::store::detail {

// `what` says what was being done ("preparing a statement"); SQLite's own message for `db` is
// appended. SQLite's messages name tables and columns, never bound values, so the result is safe
// to show and log.
error sqlite_error(int code, sqlite3* db, std::string_view what);

}  // namespace sluis::store::detail
