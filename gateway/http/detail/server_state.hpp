#pragma once
// What the server and its sessions share. Internal to gateway/http.

#include <atomic>
#include <boost/asio/ssl/context.hpp>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "gateway/http/handler.hpp"
#include "gateway/http/metrics.hpp"
#include "gateway/http/rate_limiter.hpp"
#include "gateway/http/server.hpp"

namespace sluis::http::detail {

class session;

// The TLS files as loaded: the context new connections handshake with, and when its certificates
// expire (unix seconds; 0 when unknown). Immutable once made; a reload makes a new one.
struct tls_state {
  std::shared_ptr<boost::asio::ssl::context> context;
  std::int64_t server_not_after = 0;     // the server certificate (the chain's leaf)
  std::int64_t client_ca_not_after = 0;  // the earliest of the trusted client CA certificates
};

// Thread-safe: the session table is guarded by its mutex, the TLS state by its own; everything else
// is set before the first connection and then only read (except `stopping`, which is atomic).
struct server_state {
  server_state(server_config c, std::shared_ptr<http::handler> h,
               std::shared_ptr<metrics_registry> m);

  void add(session* s, std::weak_ptr<session> weak);
  void remove(session* s);
  std::size_t session_count();
  std::vector<std::shared_ptr<session>> sessions();
  // Counts a new connection from `address`; false (and nothing counted) when the address already
  // has max_connections_per_address. Every admitted connection is released once.
  bool admit(const std::string& address);
  void release(const std::string& address);
  // Asks the connection slowest to deliver (session::delivery_rate) among those older than the
  // eviction grace that are not being handled or answered to close (session::shed), to make room
  // for a new one. False when there is no such connection.
  bool shed_slowest();
  // True when the last session is gone before `until`.
  bool wait_until_no_sessions(std::chrono::steady_clock::time_point until);

  const server_config config;
  const std::shared_ptr<http::handler> handler;
  const std::shared_ptr<metrics_registry> metrics;
  rate_limiter limiter;
  std::atomic<bool> stopping{false};

  // The TLS state new connections use; a connection keeps the one it started with.
  std::shared_ptr<const tls_state> tls() const;
  void set_tls(std::shared_ptr<const tls_state> fresh);

 private:
  mutable std::mutex tls_mutex_;
  std::shared_ptr<const tls_state> tls_;
  std::mutex mutex_;
  std::condition_variable sessions_changed_;
  struct entry {
    std::weak_ptr<session> weak;
    std::uint64_t order;  // when it was added: the smallest is the oldest
  };
  std::unordered_map<session*, entry> sessions_;
  std::uint64_t added_ = 0;
  std::unordered_map<std::string, std::size_t> per_address_;
};

}  // namespace sluis::http::detail
