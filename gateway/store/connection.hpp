#pragma once
// One open, keyed SQLCipher connection with Sluis's settings applied.
//
// open() keys the file with a raw 256-bit key, proves the key by reading the schema, checks that
// the library really is SQLCipher and applies the durability and privacy settings; on any failure
// the handle is closed again, so there is never a half-open connection. A connection is used by
// one thread at a time (the writer thread, or whoever holds a reader lease); it is movable, not
// copyable.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "common/error.hpp"
#include "gateway/store/statement.hpp"
#include "keys/secret_bytes.hpp"

struct sqlite3;

namespace sluis::store {

struct connection_options {
  // Readers refuse writes (PRAGMA query_only), so a view can never change stored data by mistake.
  bool read_only = false;
  // How long a statement waits for a lock held by another connection before failing as busy.
  std::chrono::milliseconds busy_timeout{5000};
};

// How a file is encrypted. New files get SQLCipher 4's defaults: 4 KiB pages (one page per memory
// page and per common disk block), HMAC-SHA512 per page. Files made by Sluis on SQLCipher 3 (HMAC-
// SHA1; 4 KiB pages, or 1 KiB before that) still open, read and write as they are, and `sluis
// store upgrade` copies them to the current format (store/format_upgrade.hpp).
struct cipher_format {
  int compatibility;  // SQLCipher's major version whose defaults the file uses: 4, or 3
  int page_size;      // bytes
  friend bool operator==(const cipher_format&, const cipher_format&) = default;
};
inline constexpr cipher_format current_format{4, 4096};
// The older formats open() tries, in this order, when the current one does not read the file.
inline constexpr cipher_format legacy_formats[] = {{3, 4096}, {3, 1024}};

class connection {
 public:
  // Opens (creating if missing) `file` with `key`, which must be 32 bytes. A key that does not
  // open the file gives errc::crypto "the database key does not open FILE (wrong keyring?)". A new
  // file gets current_format; an existing file of a legacy format opens in it.
  static result<connection> open(const std::filesystem::path& file, const keys::secret_bytes& key,
                                 const connection_options& options = {});

  connection(connection&&) noexcept;
  connection& operator=(connection&&) noexcept;
  connection(const connection&) = delete;
  connection& operator=(const connection&) = delete;
  ~connection();

  // A fresh statement, owned by the caller; it must not outlive the connection.
  result<statement> prepare(std::string_view sql);
  // The connection's own statement for `sql`, prepared on first use and kept: reset, binds
  // cleared, ready to bind. Valid for the connection's lifetime. Two uses of the same SQL text at
  // once share one statement, so finish one before starting the other.
  result<statement*> cached(std::string_view sql);
  // Resets every cached statement, ending any read they keep open. The writer and the reader pool
  // call this when a unit of work ends.
  void reset_cached() noexcept;

  // Runs SQL text without parameters, possibly several statements (pragmas, migrations, BEGIN).
  // Never pass text that contains values: use prepare() and bind.
  result<void> execute(std::string_view sql);

  // Re-encrypts every page under `new_key` (32 bytes) and truncates the WAL, so no page under the
  // old key remains. Needs exclusive use of the database: no other connection may be reading.
  result<void> rekey(const keys::secret_bytes& new_key);

  // Attaches another SQLCipher file under `key` as schema `name` (in current_format: a new file, or
  // one of that format), for copying between files (sqlcipher_export). Detach with
  // execute("DETACH ...").
  result<void> attach(const std::filesystem::path& file, std::string_view name,
                      const keys::secret_bytes& key);

  // The format of this connection's file.
  cipher_format format() const noexcept { return format_; }

  std::int64_t last_insert_rowid() const noexcept;
  // Rows changed by the last INSERT, UPDATE or DELETE.
  int changes() const noexcept;
  // Rows changed by every completed statement since the connection opened (a statement that
  // failed changed nothing: SQLite undoes it whole).
  std::int64_t total_changes() const noexcept;
  // Whether a transaction is open (SQLite ends one by itself after some errors).
  bool in_transaction() const noexcept;
  sqlite3* native_handle() noexcept { return db_.get(); }

 private:
  struct closer {
    void operator()(sqlite3* db) const noexcept;
  };
  explicit connection(sqlite3* db) noexcept;
  result<void> apply_settings(const connection_options& options);

  // Declared first so that it is destroyed last, after the statements that belong to it.
  std::unique_ptr<sqlite3, closer> db_;
  std::unordered_map<std::string, statement> cache_;
  cipher_format format_ = current_format;
};

// The connection's cached statement for `sql` with `args` bound in order (1, 2, ...).
template <class... Args>
result<statement*> bound(connection& db, std::string_view sql, const Args&... args) {
  auto st = db.cached(sql);
  if (!st) return st.error();
  int index = 1;
  ((*st)->bind(index++, args), ...);
  return *st;
}

// Runs `sql` with `args` bound, for statements that return no rows.
template <class... Args>
result<void> exec(connection& db, std::string_view sql, const Args&... args) {
  auto st = bound(db, sql, args...);
  if (!st) return st.error();
  return (*st)->run();
}

// The first column of the first row of `sql` (no parameters), or 0 when there is no row: counts,
// pragmas.
inline result<std::int64_t> query_int(connection& db, std::string_view sql) {
  auto st = db.prepare(sql);
  if (!st) return st.error();
  auto row = st->step();
  if (!row) return row.error();
  return *row ? st->column_int64(0) : 0;
}

}  // namespace sluis::store
