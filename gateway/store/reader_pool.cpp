#include "gateway/store/reader_pool.hpp"

#include <cassert>

namespace sluis::store {

reader_pool::lease::lease(lease&& other) noexcept
    : pool_(std::exchange(other.pool_, nullptr)), connection_(other.connection_) {}

reader_pool::lease::~lease() {
  if (pool_ != nullptr) pool_->give_back(*connection_);
}

reader_pool::reader_pool(std::vector<connection>&& connections)
    : connections_(std::move(connections)) {
  assert(!connections_.empty() && "a reader pool needs at least one connection");
  for (connection& c : connections_) idle_.push_back(&c);
}

reader_pool::lease reader_pool::borrow() {
  std::unique_lock lock(mutex_);
  returned_.wait(lock, [this] { return !idle_.empty(); });
  connection* c = idle_.back();
  idle_.pop_back();
  return lease(*this, *c);
}

std::vector<reader_pool::lease> reader_pool::borrow_all() {
  std::unique_lock lock(mutex_);
  // All at once, not one by one: two callers taking some each would wait for each other forever.
  returned_.wait(lock, [this] { return idle_.size() == connections_.size(); });
  std::vector<lease> all;
  all.reserve(idle_.size());
  for (connection* c : idle_) all.push_back(lease(*this, *c));
  idle_.clear();
  return all;
}

void reader_pool::give_back(connection& c) noexcept {
  c.reset_cached();
  {
    std::lock_guard lock(mutex_);
    idle_.push_back(&c);
  }
  // notify_all: borrow_all() waits for a different condition than borrow().
  returned_.notify_all();
}

}  // namespace sluis::store
