#pragma once
// The HTTPS server: TLS with optional client certificates, bounded HTTP/1.1, graceful shutdown.
//
// One io_context is run by `threads` threads; each connection lives on its own strand and handles
// one request at a time (no pipelining: a client's next request is read after the previous
// response is written), which bounds the memory a connection can hold. Every connection passes, in
// order: cap per client address -> connection cap (evicting the slowest) -> TLS handshake (a
// presented client certificate must verify against the configured CA) -> header deadline and
// limit -> body deadline and limit -> rate limit per caller -> the handler.
//
// Slow clients cannot hold the server: a whole request header must arrive within header_timeout of
// its first byte, and a whole body within read_timeout of the header's end, however the bytes
// trickle; one address holds at most max_connections_per_address connections; and at the cap, the
// connection slowest to deliver (bytes per second in its current phase; a handshake or an idle
// keep-alive delivers none) is closed to make room; a handshake or a request younger than
// eviction_grace is never closed.

#include <algorithm>
#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "common/error.hpp"
#include "gateway/http/handler.hpp"
#include "gateway/http/metrics.hpp"

namespace sluis::http {

namespace detail {
struct server_state;
}

// PEM files. The client CA is the only issuer whose client certificates are accepted.
struct tls_files {
  std::filesystem::path certificate_chain;  // server certificate first, then intermediates
  std::filesystem::path private_key;
  std::filesystem::path client_ca;
};

// A TLS handshake that failed, for an audit entry "where a connection got that far".
struct handshake_refusal {
  std::string remote_address;
  std::string reason;  // e.g. "client certificate: certificate has expired"; no personal data
};

struct server_config {
  std::string bind_address = "127.0.0.1";
  std::uint16_t port = 0;  // 0: any free port; see server::local_endpoint()
  unsigned threads = std::max(1U, std::thread::hardware_concurrency());
  std::size_t header_limit =
      std::size_t{16} * 1024;  // bytes of request line plus headers; over it: 431
  std::uint64_t body_limit = std::uint64_t{1024} * 1024;  // bytes; over it: 413
  std::chrono::milliseconds handshake_timeout{10'000};    // TCP accept to finished TLS handshake
  std::chrono::milliseconds header_timeout{10'000};  // first byte of a request to its header's end
  std::chrono::milliseconds read_timeout{30'000};    // header's end to body's end; also writes
  std::chrono::milliseconds idle_timeout{60'000};    // keep-alive wait for a next request
  // At it, the slowest connection older than eviction_grace that is not being handled or answered
  // is closed to make room; when there is none (or an eighth over it, while those close), new
  // connections are closed.
  std::size_t max_connections = 1024;
  std::size_t max_connections_per_address = 64;  // more from one address are closed at once
  std::chrono::milliseconds eviction_grace{500};
  double rate_limit_per_second = 50;  // per certificate, or per address without one; <= 0: off
  double rate_limit_burst = 100;
  tls_files tls;
  // Called on an io thread for every failed handshake; must be thread-safe and must not block.
  std::function<void(const handshake_refusal&)> on_handshake_refused;
};

// Owns the listening socket, the threads and every connection. Thread-safe: stop() and
// local_endpoint() may be called from any thread except the server's own io threads (a handler
// must not call stop(): it would wait for itself). The handler must call every `done` it was given
// (or drop it) before the server is destroyed.
class server {
 public:
  // Loads the TLS files, binds, listens and starts serving. Errors: io (bind, listen) and
  // invalid_argument (TLS files unreadable or mismatched), with the setting in `field`.
  static result<std::unique_ptr<server>> start(server_config config,
                                               std::shared_ptr<handler> handler,
                                               std::shared_ptr<metrics_registry> metrics = nullptr);

  server(const server&) = delete;
  server& operator=(const server&) = delete;
  ~server();  // stop(0s) if still running

  boost::asio::ip::tcp::endpoint local_endpoint() const { return endpoint_; }
  metrics_registry& metrics() noexcept;

  // False once stop() has closed the listening socket: new connections are refused from then on.
  bool accepting() const noexcept { return accepting_; }

  // Stops accepting, closes idle connections, lets in-flight requests finish and their responses
  // be written (then closes those connections), and returns when every connection is gone or
  // `deadline` has passed, in which case the rest are closed forcibly. Idempotent.
  void stop(std::chrono::steady_clock::duration deadline);

  // Loads the TLS files again (the same paths: server certificate chain, key, trusted client CAs)
  // into a fresh context for new connections; connections already open keep theirs and are not
  // dropped. On an error (as start()'s) nothing changes: the files loaded before stay in force.
  // The certificates' expiry is exported as sluis_tls_server_certificate_expiry_timestamp_seconds
  // and sluis_tls_client_ca_expiry_timestamp_seconds. Thread-safe.
  result<void> reload_tls();

  // Serves until SIGTERM or SIGINT (or until stop() is called elsewhere), then stop(deadline).
  void run_until_signal(std::chrono::steady_clock::duration deadline = std::chrono::seconds{30});

 private:
  server(std::shared_ptr<detail::server_state> state);
  result<void> listen();
  void accept();
  void on_accept(boost::system::error_code ec, boost::asio::ip::tcp::socket socket);
  void close_acceptor();
  void cancel_signal_wait();

  std::shared_ptr<detail::server_state> state_;
  boost::asio::io_context ioc_;
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work_;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::steady_timer accept_backoff_;
  boost::asio::ip::tcp::endpoint endpoint_;
  std::atomic<bool> accepting_{false};
  std::vector<std::thread> threads_;
  std::mutex stop_mutex_;
  bool stopped_ = false;
  std::mutex signal_mutex_;
  bool signal_wait_cancelled_ = false;  // guarded by signal_mutex_
  std::optional<boost::asio::signal_set> signals_;
};

}  // namespace sluis::http
