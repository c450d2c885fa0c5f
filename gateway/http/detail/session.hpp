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
struct tls_state;

// Owns itself through shared_from_this while an operation is pending. Every member function runs
// on the connection's strand, except stop() and force_close(), which post to it.
class session : public std::enable_shared_from_this<session> {
 public:
  // `address` was admitted for this connection by server_state::admit.
  session(boost::asio::ip::tcp::socket&& socket, std::shared_ptr<server_state> state,
          std::string address);
  ~session();

  void run();
  void stop();         // graceful: close if idle, otherwise after the current response
  void force_close();  // close now
  // Makes room when the server is full: closes the connection if it is in its handshake, idle
  // between requests or still receiving a request; never one whose request is being handled or
  // answered. Any thread.
  void shed();
  // Bytes per second delivered since the current phase began (a handshake or an idle wait
  // delivers none), while shed() would close it, nobody has asked yet and the phase is at least
  // `grace` old (an idle keep-alive connection needs no grace); otherwise nullopt. Any thread.
  std::optional<double> delivery_rate(std::chrono::steady_clock::time_point now,
                                      std::chrono::milliseconds grace) const noexcept;

 private:
  enum class phase { handshake, idle, reading, handling, writing, closing };
  void enter(phase p) noexcept;
  static bool sheddable(phase p) noexcept {
    return p == phase::handshake || p == phase::idle || p == phase::reading;
  }

  void on_handshake(boost::system::error_code ec);
  void refuse_handshake(boost::system::error_code ec);
  void wait_for_request();
  void on_first_bytes(boost::system::error_code ec, std::size_t bytes);
  void read_request();
  void read_more();
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
    std::string address;  // admitted by server_state::admit, released here
    ~registration();
  };
  registration registration_;
  std::shared_ptr<server_state> state_;
  // The TLS context this connection started with; declared before stream_, so it outlives it. A
  // reload of the TLS files (server::reload_tls) leaves it alone.
  std::shared_ptr<const tls_state> tls_;
  boost::beast::ssl_stream<boost::beast::tcp_stream> stream_;
  boost::beast::flat_buffer buffer_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
  std::optional<response> response_;
  request_context ctx_;
  std::string rate_key_;
  // Atomic: sheddable() reads them from the accepting thread; all writes are on the strand.
  std::atomic<phase> phase_{phase::handshake};
  std::atomic<bool> shed_requested_{false};
  std::atomic<std::int64_t> phase_since_{0};   // steady_clock ticks when phase_ was entered
  std::atomic<std::uint64_t> phase_bytes_{0};  // bytes received since then
  bool body_deadline_set_ = false;
  unsigned version_ = 11;
  bool keep_alive_ = false;
  bool stop_requested_ = false;
  std::chrono::steady_clock::time_point request_start_;
  std::array<char, 4096> discard_;  // bytes read and thrown away while lingering
};

}  // namespace sluis::http::detail
