#pragma once
// One client connection: TLS handshake, then request/response cycles. Internal to gateway/http.

#include <array>
#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "gateway/http/handler.hpp"

namespace sluis::http::detail {

struct server_state;

// Owns itself through shared_from_this while an operation is pending. Every member function runs
// on the connection's strand, except stop() and force_close(), which post to it.
class session : public std::enable_shared_from_this<session> {
 public:
  session(boost::asio::ip::tcp::socket&& socket, std::shared_ptr<server_state> state);
  ~session();

  void run();
  void stop();         // graceful: close if idle, otherwise after the current response
  void force_close();  // close now
  // Makes room when the server is full: closes the connection if it is still waiting for its
  // handshake or idle between requests, never in the middle of a request. Any thread.
  void shed();
  // True while shed() would close it and nobody has asked yet. Any thread.
  bool sheddable() const noexcept {
    const phase p = phase_.load(std::memory_order_relaxed);
    return (p == phase::handshake || p == phase::idle) && !shed_requested_.load();
  }

 private:
  enum class phase { handshake, idle, reading, handling, writing, closing };

  void on_handshake(boost::system::error_code ec);
  void refuse_handshake(boost::system::error_code ec);
  void wait_for_request();
  void on_first_bytes(boost::system::error_code ec, std::size_t bytes);
  void read_request();
  void on_read(boost::system::error_code ec, std::size_t bytes);
  void answer_read_error(boost::system::error_code ec);
  void dispatch(request&& req);
  void send(response&& res, bool close_after);
  void on_write(boost::system::error_code ec, std::size_t bytes);
  void shutdown();
  void linger_then_close();
  void drain();
  void close();

  static constexpr std::chrono::seconds linger_deadline{2};

  // Declared first, so destroyed last: the session leaves the server's table (after which stop()
  // may destroy the io_context) only once stream_ and its timers are gone. The last reference can
  // be dropped on any thread, e.g. by a handler's writer thread releasing `done`.
  struct registration {
    std::shared_ptr<server_state> state;
    session* owner;
    ~registration();
  };
  registration registration_;
  std::shared_ptr<server_state> state_;
  boost::beast::ssl_stream<boost::beast::tcp_stream> stream_;
  boost::beast::flat_buffer buffer_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
  std::optional<response> response_;
  request_context ctx_;
  std::string rate_key_;
  // Atomic: sheddable() reads them from the accepting thread; all writes are on the strand.
  std::atomic<phase> phase_{phase::handshake};
  std::atomic<bool> shed_requested_{false};
  unsigned version_ = 11;
  bool keep_alive_ = false;
  bool stop_requested_ = false;
  std::chrono::steady_clock::time_point request_start_;
  std::array<char, 4096> discard_;  // bytes read and thrown away while lingering
};

}  // namespace sluis::http::detail
