#include "gateway/store/connection.hpp"

#include <sodium.h>
#include <sqlite3.h>

#include <cstring>
#include <utility>

#include "gateway/store/detail/sqlite_error.hpp"

namespace sluis::store {
namespace {

constexpr std::size_t key_size = 32;

// `<prefix>x'<64 hex>'<suffix>`, NUL-terminated, built in secret memory: these statements cannot
// use a bind, so the hex form of the key exists only here and is wiped on release.
keys::secret_bytes key_statement(std::string_view prefix, const keys::secret_bytes& key,
                                 std::string_view suffix) {
  keys::secret_bytes text(prefix.size() + 2 + 2 * key.size() + 1 + suffix.size() + 1);
  char* out = reinterpret_cast<char*>(text.data());
  std::memcpy(out, prefix.data(), prefix.size());
  out += prefix.size();
  *out++ = 'x';
  *out++ = '\'';
  sodium_bin2hex(out, 2 * key.size() + 1, key.data(), key.size());
  out += 2 * key.size();
  *out++ = '\'';
  std::memcpy(out, suffix.data(), suffix.size());
  return text;  // the last byte stays zero: the terminator
}

// `PRAGMA <name> = "x'<64 hex>'"`.
keys::secret_bytes key_pragma(std::string_view name, const keys::secret_bytes& key) {
  return key_statement("PRAGMA " + std::string(name) + " = \"", key, "\"");
}

// A file name as an SQL string literal.
std::string quoted(const std::filesystem::path& file) {
  std::string out = "'";
  for (const char ch : file.string()) {
    out += ch;
    if (ch == '\'') out += '\'';
  }
  return out + "'";
}

result<void> execute_secret(sqlite3* db, const keys::secret_bytes& sql, std::string_view what) {
  const int code =
      sqlite3_exec(db, reinterpret_cast<const char*>(sql.data()), nullptr, nullptr, nullptr);
  if (code != SQLITE_OK) return detail::sqlite_error(code, db, what);
  return {};
}

// One text value from a single-row query, or empty when there is no row.
result<std::string> query_text(connection& c, std::string_view sql) {
  auto s = c.prepare(sql);
  if (!s) return s.error();
  auto row = s->step();
  if (!row) return row.error();
  if (!*row) return std::string();
  return std::string(s->column_text(0));
}

// Keys `raw` for `format`, then reads the schema: the key is only tried when a page is read, so
// that read is the proof (errc::crypto when it fails, or when the file has another format).
result<void> key_and_read(sqlite3* raw, connection& c, const keys::secret_bytes& key,
                          const cipher_format& format) {
  // The key must be the first statement on the connection.
  if (auto keyed = execute_secret(raw, key_pragma("key", key), "keying the database"); !keyed) {
    return keyed.error();
  }
  // SQLCipher 4.6 writes its own errors to stderr (process-wide), among them an "hmac check
  // failed" for each format tried that is not the file's. We report every failure ourselves,
  // without key material, so its log stays off. Set after the key: SQLCipher's initialisation,
  // which the key starts, resets it; it reads no page, so the read below is still the proof.
  if (auto quiet = c.execute("PRAGMA cipher_log_level = NONE"); !quiet) return quiet.error();
  if (format != current_format) {
    if (auto r = c.execute("PRAGMA cipher_compatibility = " + std::to_string(format.compatibility) +
                           "; PRAGMA cipher_page_size = " + std::to_string(format.page_size));
        !r)
      return r.error();
  }
  return c.execute("SELECT count(*) FROM sqlite_master");
}

}  // namespace

void connection::closer::operator()(sqlite3* db) const noexcept { sqlite3_close_v2(db); }

connection::connection(sqlite3* db) noexcept : db_(db) {}
connection::connection(connection&&) noexcept = default;
connection::~connection() = default;

connection& connection::operator=(connection&& other) noexcept {
  if (this != &other) {
    // Statements first: they belong to the handle being replaced.
    cache_.clear();
    db_ = std::move(other.db_);
    cache_ = std::move(other.cache_);
  }
  return *this;
}

result<connection> connection::open(const std::filesystem::path& file,
                                    const keys::secret_bytes& key,
                                    const connection_options& options) {
  if (key.size() != key_size) {
    return error::invalid("database_key", "the database key must be 32 bytes");
  }
  const auto open_handle = [&](const cipher_format& format) -> result<connection> {
    sqlite3* raw = nullptr;
    const int code =
        sqlite3_open_v2(file.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
    connection c(raw);  // owns the handle from here on, even when opening failed
    if (code != SQLITE_OK) return detail::sqlite_error(code, raw, "opening " + file.string());
    if (auto read = key_and_read(raw, c, key, format); !read) return read.error();
    c.format_ = format;
    return c;
  };
  auto opened = open_handle(current_format);
  // A file made on SQLCipher 3 reads as garbage in SQLCipher 4's format: try the older ones.
  for (const auto& legacy : legacy_formats) {
    if (opened || opened.error().code() != errc::crypto) break;
    if (auto older = open_handle(legacy)) opened = std::move(older);
  }
  if (!opened) {
    if (opened.error().code() == errc::crypto) {
      return error::crypto("the database key does not open " + file.string() + " (wrong keyring?)");
    }
    return opened.error();
  }
  connection c = std::move(*opened);
  // Plain SQLite ignores PRAGMA key and would store everything in the clear: refuse to run on it.
  auto version = query_text(c, "PRAGMA cipher_version");
  if (!version) return version.error();
  if (version->empty()) {
    return error::internal(
        "the SQLite library is not SQLCipher: refusing to store data unencrypted");
  }
  if (auto applied = c.apply_settings(options); !applied) return applied.error();
  return c;
}

result<void> connection::apply_settings(const connection_options& options) {
  sqlite3_busy_timeout(db_.get(), static_cast<int>(options.busy_timeout.count()));
  // WAL: readers never block the writer and never see uncommitted data.
  auto mode = query_text(*this, "PRAGMA journal_mode = WAL");
  if (!mode) return mode.error();
  if (*mode != "wal") return error::io("the database could not switch to WAL mode");
  // FULL in WAL mode fsyncs the WAL at every commit, so an acknowledged write survives power loss;
  // NORMAL could lose the last commits, and a 2xx from the API must mean durable.
  return execute(
      "PRAGMA synchronous = FULL;"
      // References between tables are checked by the database, not only by our code.
      "PRAGMA foreign_keys = ON;"
      // Freed pages are zeroed: deleted rows and shredded keys leave no ciphertext behind.
      "PRAGMA secure_delete = ON;"
      // Sorts and temporary tables stay in memory instead of temporary files.
      "PRAGMA temp_store = MEMORY;"
      // Wipes SQLCipher's freed memory.
      "PRAGMA cipher_memory_security = ON;" +
      std::string(options.read_only ? "PRAGMA query_only = ON;" : ""));
}

result<statement> connection::prepare(std::string_view sql) {
  sqlite3_stmt* handle = nullptr;
  const int code =
      sqlite3_prepare_v2(db_.get(), sql.data(), static_cast<int>(sql.size()), &handle, nullptr);
  if (code != SQLITE_OK) {
    sqlite3_finalize(handle);
    return detail::sqlite_error(code, db_.get(), "preparing a statement");
  }
  if (handle == nullptr) return error::internal("preparing a statement: the SQL text is empty");
  return statement(handle, db_.get());
}

result<statement*> connection::cached(std::string_view sql) {
  auto found = cache_.find(std::string(sql));
  if (found == cache_.end()) {
    auto fresh = prepare(sql);
    if (!fresh) return fresh.error();
    found = cache_.emplace(std::string(sql), std::move(*fresh)).first;
  }
  found->second.reset();
  return &found->second;
}

void connection::reset_cached() noexcept {
  for (auto& [sql, s] : cache_) s.reset();
}

result<void> connection::execute(std::string_view sql) {
  const std::string text(sql);  // sqlite3_exec needs a terminated string
  const int code = sqlite3_exec(db_.get(), text.c_str(), nullptr, nullptr, nullptr);
  if (code != SQLITE_OK) return detail::sqlite_error(code, db_.get(), "running SQL");
  return {};
}

result<void> connection::rekey(const keys::secret_bytes& new_key) {
  if (new_key.size() != key_size) {
    return error::invalid("database_key", "the database key must be 32 bytes");
  }
  reset_cached();
  if (auto r = execute_secret(db_.get(), key_pragma("rekey", new_key), "re-keying the database");
      !r) {
    return r.error();
  }
  // Older WAL frames are still under the old key: copy the new pages back and empty the WAL.
  auto checkpoint = prepare("PRAGMA wal_checkpoint(TRUNCATE)");
  if (!checkpoint) return checkpoint.error();
  auto row = checkpoint->step();
  if (!row) return row.error();
  if (*row && checkpoint->column_int64(0) != 0) {
    return error::unavailable(
        "re-keyed, but a reader kept the old pages in the WAL: close readers");
  }
  return {};
}

result<void> connection::attach(const std::filesystem::path& file, std::string_view name,
                                const keys::secret_bytes& key) {
  if (key.size() != key_size) {
    return error::invalid("database_key", "the database key must be 32 bytes");
  }
  // ATTACH keys the file with SQLCipher's defaults, which are current_format's: nothing in Sluis
  // changes the cipher_default_* settings.
  return execute_secret(
      db_.get(),
      key_statement("ATTACH DATABASE " + quoted(file) + " AS " + std::string(name) + " KEY \"", key,
                    "\""),
      "attaching a database");
}

std::int64_t connection::last_insert_rowid() const noexcept {
  return sqlite3_last_insert_rowid(db_.get());
}

int connection::changes() const noexcept { return sqlite3_changes(db_.get()); }

std::int64_t connection::total_changes() const noexcept { return sqlite3_total_changes(db_.get()); }

bool connection::in_transaction() const noexcept { return sqlite3_get_autocommit(db_.get()) == 0; }

}  // namespace sluis::store
