#include "gateway/store/detail/sqlite_error.hpp"

#include <sqlite3.h>

#include <string>

namespace sluis::store::detail {
namespace {

errc classify(int code) {
  switch (code & 0xff) {
    case SQLITE_CONSTRAINT:
      return errc::conflict;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return errc::unavailable;
    case SQLITE_NOTADB:
      return errc::crypto;
    case SQLITE_CORRUPT:
      return errc::corrupt;
    case SQLITE_MISUSE:
    case SQLITE_RANGE:
      return errc::internal;
    default:
      return errc::io;
  }
}

}  // namespace

error sqlite_error(int code, sqlite3* db, std::string_view what) {
  std::string message(what);
  message += ": ";
  message += db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(code);
  return {classify(code), std::move(message)};
}

}  // namespace sluis::store::detail
