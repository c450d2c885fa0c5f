#pragma once
// RAII transactions and savepoints on one connection.
//
// A transaction starts with BEGIN IMMEDIATE (it takes the write lock at once, so it cannot fail
// half-way for want of it) and rolls back in its destructor unless commit() succeeded: an early
// return or an exception leaves the database as it was. A savepoint does the same inside a
// transaction. Both are used by the thread that uses their connection, and must not outlive it.

#include "common/error.hpp"

namespace sluis::store {

class connection;

class transaction {
 public:
  static result<transaction> begin(connection& c);

  transaction(transaction&& other) noexcept;
  transaction& operator=(transaction&&) = delete;
  transaction(const transaction&) = delete;
  transaction& operator=(const transaction&) = delete;
  ~transaction();

  // Makes every change durable. After a failed commit the destructor still rolls back.
  result<void> commit();

 private:
  explicit transaction(connection& c) noexcept : connection_(&c) {}
  connection* connection_;  // null once committed or moved from
};

class savepoint {
 public:
  static result<savepoint> begin(connection& c);

  savepoint(savepoint&& other) noexcept;
  savepoint& operator=(savepoint&&) = delete;
  savepoint(const savepoint&) = delete;
  savepoint& operator=(const savepoint&) = delete;
  // Rolls back to the savepoint and ends it, unless release() succeeded.
  ~savepoint();

  // Keeps the changes since begin() as part of the enclosing transaction.
  result<void> release();

 private:
  explicit savepoint(connection& c) noexcept : connection_(&c) {}
  connection* connection_;  // null once released or moved from
};

}  // namespace sluis::store
