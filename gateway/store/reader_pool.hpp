#pragma once
// A fixed set of read-only connections, lent out one at a time.
//
// borrow() waits while every connection is in use. A reader sees only committed data (WAL gives
// each read a snapshot) and refuses writes. Lending ends when the lease is destroyed; any cached
// statement is reset then, so no lease keeps an old snapshot alive. All members are thread-safe;
// a lease is used by the thread that holds it.

#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <utility>
#include <vector>

#include "gateway/store/connection.hpp"

namespace sluis::store {

class reader_pool {
 public:
  class lease {
   public:
    lease(lease&& other) noexcept;
    lease& operator=(lease&&) = delete;
    lease(const lease&) = delete;
    lease& operator=(const lease&) = delete;
    ~lease();

    connection& operator*() const noexcept { return *connection_; }
    connection* operator->() const noexcept { return connection_; }

   private:
    friend class reader_pool;
    lease(reader_pool& pool, connection& c) noexcept : pool_(&pool), connection_(&c) {}
    reader_pool* pool_;  // null once moved from
    connection* connection_;
  };

  // `connections` must not be empty; open them with connection_options::read_only.
  explicit reader_pool(std::vector<connection>&& connections);
  reader_pool(const reader_pool&) = delete;
  reader_pool& operator=(const reader_pool&) = delete;
  // Every lease must have ended.
  ~reader_pool() = default;

  // A connection for the caller alone, waiting until one is free.
  lease borrow();
  // Every connection at once, waiting until no read is in flight: for maintenance such as rekey.
  // Do not hold a lease while calling it.
  std::vector<lease> borrow_all();

  // Runs f(connection&) on a borrowed connection and returns what f returns.
  template <class F>
  decltype(auto) with(F&& f) {
    lease l = borrow();
    return std::forward<F>(f)(*l);
  }

  std::size_t size() const noexcept { return connections_.size(); }

 private:
  void give_back(connection& c) noexcept;

  std::vector<connection> connections_;  // never resized: leases point into it
  std::mutex mutex_;
  std::condition_variable returned_;
  std::vector<connection*> idle_;
};

}  // namespace sluis::store
