#include "gateway/store/statement.hpp"

#include <sqlite3.h>

#include <string>
#include <utility>

#include "gateway/store/detail/sqlite_error.hpp"

namespace sluis::store {

statement::statement(statement&& other) noexcept
    : handle_(std::exchange(other.handle_, nullptr)),
      db_(std::exchange(other.db_, nullptr)),
      bind_error_(std::move(other.bind_error_)) {}

statement& statement::operator=(statement&& other) noexcept {
  if (this != &other) {
    sqlite3_finalize(handle_);
    handle_ = std::exchange(other.handle_, nullptr);
    db_ = std::exchange(other.db_, nullptr);
    bind_error_ = std::move(other.bind_error_);
  }
  return *this;
}

statement::~statement() { sqlite3_finalize(handle_); }

statement& statement::check_bind(int code, int index) {
  if (code != SQLITE_OK && !bind_error_) {
    // The parameter index, never the value: the value may be personal data.
    bind_error_ = detail::sqlite_error(code, db_, "binding parameter " + std::to_string(index));
  }
  return *this;
}

statement& statement::bind(int index, std::int64_t value) {
  return check_bind(sqlite3_bind_int64(handle_, index, value), index);
}

statement& statement::bind(int index, double value) {
  return check_bind(sqlite3_bind_double(handle_, index, value), index);
}

statement& statement::bind(int index, std::string_view text) {
  // SQLITE_TRANSIENT: SQLite copies the bytes, so the caller's buffer may go away before step().
  return check_bind(
      sqlite3_bind_text64(handle_, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8),
      index);
}

statement& statement::bind(int index, std::span<const unsigned char> blob) {
  // An empty span may have a null data(); SQLite would bind that as NULL, not as an empty blob.
  if (blob.empty()) return check_bind(sqlite3_bind_zeroblob(handle_, index, 0), index);
  return check_bind(sqlite3_bind_blob64(handle_, index, blob.data(), blob.size(), SQLITE_TRANSIENT),
                    index);
}

statement& statement::bind(int index, std::nullopt_t) {
  return check_bind(sqlite3_bind_null(handle_, index), index);
}

result<bool> statement::step() {
  if (bind_error_) {
    error e = std::move(*bind_error_);
    bind_error_.reset();
    return e;
  }
  const int code = sqlite3_step(handle_);
  if (code == SQLITE_ROW) return true;
  if (code == SQLITE_DONE) return false;
  error e = detail::sqlite_error(code, db_, "running a statement");
  // Leave the statement reusable after a failure (e.g. a constraint violation).
  sqlite3_reset(handle_);
  return e;
}

result<void> statement::run() {
  for (;;) {
    auto row = step();
    if (!row) return row.error();
    if (!*row) return {};
  }
}

void statement::reset() noexcept {
  sqlite3_reset(handle_);
  sqlite3_clear_bindings(handle_);
  bind_error_.reset();
}

int statement::column_count() const noexcept { return sqlite3_column_count(handle_); }

bool statement::is_null(int column) const noexcept {
  return sqlite3_column_type(handle_, column) == SQLITE_NULL;
}

std::int64_t statement::column_int64(int column) const noexcept {
  return sqlite3_column_int64(handle_, column);
}

double statement::column_double(int column) const noexcept {
  return sqlite3_column_double(handle_, column);
}

std::string_view statement::column_text(int column) const noexcept {
  // Text first, then its size: that is the order SQLite documents as conversion-safe.
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(handle_, column));
  if (text == nullptr) return {};
  return {text, static_cast<std::size_t>(sqlite3_column_bytes(handle_, column))};
}

std::span<const unsigned char> statement::column_blob(int column) const noexcept {
  const auto* blob = static_cast<const unsigned char*>(sqlite3_column_blob(handle_, column));
  if (blob == nullptr) return {};
  return {blob, static_cast<std::size_t>(sqlite3_column_bytes(handle_, column))};
}

std::optional<std::int64_t> statement::column_optional_int64(int column) const noexcept {
  if (is_null(column)) return std::nullopt;
  return column_int64(column);
}

}  // namespace sluis::store
