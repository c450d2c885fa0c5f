#include "gateway/store/transaction.hpp"

#include <utility>

#include "gateway/store/connection.hpp"

namespace sluis::store {
namespace {

// Savepoint names cannot be bound, and need not be unique: ROLLBACK TO and RELEASE act on the
// innermost savepoint of that name, which is exactly the nesting a RAII object gives.
constexpr const char* savepoint_name = "sluis_savepoint";

}  // namespace

result<transaction> transaction::begin(connection& c) {
  if (auto r = c.execute("BEGIN IMMEDIATE"); !r) return r.error();
  return transaction(c);
}

transaction::transaction(transaction&& other) noexcept
    : connection_(std::exchange(other.connection_, nullptr)) {}

transaction::~transaction() {
  if (connection_ == nullptr) return;
  connection_->reset_cached();
  // Ignored on purpose: after some errors (disk full, I/O) SQLite has already rolled back and
  // ROLLBACK fails with "no transaction is active"; either way nothing of it was committed.
  (void)connection_->execute("ROLLBACK");
}

result<void> transaction::commit() {
  if (connection_ == nullptr) return error::internal("commit on a finished transaction");
  // A statement left mid-way would make COMMIT fail as busy.
  connection_->reset_cached();
  if (auto r = connection_->execute("COMMIT"); !r) return r.error();
  connection_ = nullptr;
  return {};
}

result<savepoint> savepoint::begin(connection& c) {
  if (auto r = c.execute(std::string("SAVEPOINT ") + savepoint_name); !r) return r.error();
  return savepoint(c);
}

savepoint::savepoint(savepoint&& other) noexcept
    : connection_(std::exchange(other.connection_, nullptr)) {}

savepoint::~savepoint() {
  if (connection_ == nullptr) return;
  connection_->reset_cached();
  // Ignored for the same reason as in ~transaction(): a failed rollback means SQLite already did.
  (void)connection_->execute(std::string("ROLLBACK TO ") + savepoint_name + "; RELEASE " +
                             savepoint_name);
}

result<void> savepoint::release() {
  if (connection_ == nullptr) return error::internal("release on a finished savepoint");
  if (auto r = connection_->execute(std::string("RELEASE ") + savepoint_name); !r) return r.error();
  connection_ = nullptr;
  return {};
}

}  // namespace sluis::store
