#pragma once
// A prepared SQLite statement with typed binds and column getters.
//
// Values reach SQL only through binds, never by building SQL text. A bind error (an index out of
// range, out of memory) is remembered and returned by the next step(), so binds chain without a
// check after each. Parameter and column indexes follow SQLite: parameters from 1, columns from 0.
// A statement belongs to one connection and, like it, is used by one thread at a time.

#include <concepts>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "common/error.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace sluis::store {

class statement {
 public:
  statement(statement&& other) noexcept;
  statement& operator=(statement&& other) noexcept;
  statement(const statement&) = delete;
  statement& operator=(const statement&) = delete;
  ~statement();

  statement& bind(int index, std::int64_t value);
  statement& bind(int index, double value);
  statement& bind(int index, std::string_view text);
  statement& bind(int index, std::span<const unsigned char> blob);
  statement& bind(int index, std::nullopt_t);
  // Any integer (int, bool, std::size_t, ...) binds as int64; without this, `bind(1, 42)` would be
  // ambiguous between int64 and double.
  template <std::integral Integer>
  statement& bind(int index, Integer value) {
    return bind(index, static_cast<std::int64_t>(value));
  }
  // Binds the value, or NULL when empty.
  template <class T>
  statement& bind(int index, const std::optional<T>& value) {
    return value ? bind(index, *value) : bind(index, std::nullopt);
  }

  // Runs to the next row: true when a row is available, false when the statement is done.
  result<bool> step();
  // Steps until done, ignoring any rows: for INSERT, UPDATE, DELETE.
  result<void> run();
  // Makes the statement ready to run again and clears every bind.
  void reset() noexcept;

  // Column getters for the current row. Text and blob views stay valid until the next step() or
  // reset(). A NULL reads as 0, 0.0 or empty; use is_null() to tell.
  int column_count() const noexcept;
  bool is_null(int column) const noexcept;
  std::int64_t column_int64(int column) const noexcept;
  double column_double(int column) const noexcept;
  std::string_view column_text(int column) const noexcept;
  std::span<const unsigned char> column_blob(int column) const noexcept;
  std::optional<std::int64_t> column_optional_int64(int column) const noexcept;

 private:
  friend class connection;
  statement(sqlite3_stmt* handle, sqlite3* db) noexcept : handle_(handle), db_(db) {}
  statement& check_bind(int code, int index);

  sqlite3_stmt* handle_ = nullptr;
  sqlite3* db_ = nullptr;
  std::optional<error> bind_error_;
};

}  // namespace sluis::store
