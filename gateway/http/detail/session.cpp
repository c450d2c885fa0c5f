#include "gateway/http/detail/session.hpp"

#include <openssl/rand.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <atomic>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/rfc7230.hpp>
#include <boost/beast/http/write.hpp>
#include <exception>

#include "common/log.hpp"
#include "gateway/http/detail/server_state.hpp"
#include "gateway/http/problem.hpp"

namespace sluis::http::detail {
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace asio = boost::asio;
using boost::system::error_code;

namespace {

// Bytes asked for while waiting for a keep-alive connection's next request; the parser takes
// them from the buffer, so nothing read here is lost.
constexpr std::size_t first_read_size = 4096;

std::string to_hex(const unsigned char* data, std::size_t size) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * size);
  for (std::size_t i = 0; i < size; ++i) {
    out += digits[data[i] >> 4];
    out += digits[data[i] & 0x0f];
  }
  return out;
}

std::string new_request_id() {
  unsigned char bytes[16];
  if (RAND_bytes(bytes, sizeof bytes) != 1) {
    // The id only correlates log lines; uniqueness within the process is enough as a fallback.
    static std::atomic<unsigned long long> counter{0};
    const auto n = ++counter;
    for (std::size_t i = 0; i < sizeof bytes; ++i)
      bytes[i] = static_cast<unsigned char>(n >> (i % 8 * 8));
  }
  return to_hex(bytes, sizeof bytes);
}

std::string name_entry(X509_NAME* name, int nid) {
  const int index = X509_NAME_get_index_by_NID(name, nid, -1);
  if (index < 0) return {};
  ASN1_STRING* data = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, index));
  unsigned char* utf8 = nullptr;
  const int length = ASN1_STRING_to_UTF8(&utf8, data);
  if (length < 0) return {};
  std::string out(reinterpret_cast<const char*>(utf8), static_cast<std::size_t>(length));
  OPENSSL_free(utf8);
  return out;
}

// The identity of a client certificate that OpenSSL verified during the handshake, if any.
std::optional<peer_identity> verified_peer(SSL* ssl) {
  X509* cert = SSL_get0_peer_certificate(ssl);
  if (cert == nullptr || SSL_get_verify_result(ssl) != X509_V_OK) return std::nullopt;
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (X509_digest(cert, EVP_sha256(), digest, &length) != 1) return std::nullopt;
  X509_NAME* subject = X509_get_subject_name(cert);
  return peer_identity{to_hex(digest, length), name_entry(subject, NID_serialNumber),
                       name_entry(subject, NID_commonName)};
}

std::string handshake_failure_reason(SSL* ssl, error_code ec) {
  if (ec == beast::error::timeout) return "handshake timeout";
  const long verify = SSL_get_verify_result(ssl);
  if (verify != X509_V_OK) {
    return std::string("client certificate: ") + X509_verify_cert_error_string(verify);
  }
  return ec.message();
}

// Route labels come from our own handler, but a label is a Prometheus label value and a log field:
// accept only what a route template can contain, so an id can never slip in through a bug.
std::string route_label(response& res) {
  const auto it = res.find(route_header);
  if (it == res.end()) return "unmatched";
  std::string route(it->value());
  res.erase(it);
  const bool plausible =
      !route.empty() && route.size() <= 128 &&
      route.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789/{}_-.") == std::string::npos;
  return plausible ? route : "unmatched";
}

bool is_http_parse_error(error_code ec) {
  return ec.category() == bhttp::make_error_code(bhttp::error::bad_method).category();
}

}  // namespace

session::session(asio::ip::tcp::socket&& socket, std::shared_ptr<server_state> state,
                 std::string address)
    : registration_{state, this, address},
      state_(std::move(state)),
      tls_(state_->tls()),
      stream_(std::move(socket), *tls_->context) {
  ctx_.remote_address = std::move(address);
  enter(phase::handshake);
  state_->metrics->connection_opened();
}

void session::enter(phase p) noexcept {
  phase_bytes_.store(0, std::memory_order_relaxed);
  phase_since_.store(std::chrono::steady_clock::now().time_since_epoch().count(),
                     std::memory_order_relaxed);
  phase_.store(p);
}

std::optional<double> session::delivery_rate(std::chrono::steady_clock::time_point now,
                                             std::chrono::milliseconds grace) const noexcept {
  const phase p = phase_.load();
  if (!sheddable(p) || shed_requested_.load()) return std::nullopt;
  // A keep-alive connection between requests has been served: it can go at once. The grace
  // protects new connections in their handshake and requests being received.
  if (p == phase::idle) return 0.0;
  const std::chrono::steady_clock::time_point since{
      std::chrono::steady_clock::duration{phase_since_.load(std::memory_order_relaxed)}};
  const std::chrono::duration<double> age = now - since;
  if (age < grace) return std::nullopt;
  return static_cast<double>(phase_bytes_.load(std::memory_order_relaxed)) / age.count();
}

session::~session() = default;

session::registration::~registration() {
  state->metrics->connection_closed();
  state->release(address);
  state->remove(owner);
}

void session::run() {
  state_->add(this, weak_from_this());
  // The socket's executor is this connection's strand: dispatch makes the handshake start on it.
  asio::dispatch(stream_.get_executor(), [self = shared_from_this()] {
    if (self->stop_requested_) return self->close();
    beast::get_lowest_layer(self->stream_).expires_after(self->state_->config.handshake_timeout);
    self->stream_.async_handshake(asio::ssl::stream_base::server,
                                  beast::bind_front_handler(&session::on_handshake, self));
  });
}

void session::stop() {
  asio::post(stream_.get_executor(), [self = shared_from_this()] {
    self->stop_requested_ = true;
    // A connection in the middle of a request finishes it; one with nothing to do goes now.
    if (self->phase_ == phase::handshake || self->phase_ == phase::idle) self->close();
  });
}

void session::force_close() {
  asio::post(stream_.get_executor(), [self = shared_from_this()] { self->close(); });
}

void session::shed() {
  shed_requested_ = true;
  asio::post(stream_.get_executor(), [self = shared_from_this()] {
    if (sheddable(self->phase_)) self->close();
  });
}

void session::on_handshake(error_code ec) {
  // Shed to make room for a new connection: the server's decision, not a refused handshake.
  if (ec && shed_requested_) return close();
  if (ec) return refuse_handshake(ec);
  ctx_.peer = verified_peer(stream_.native_handle());
  rate_key_ = ctx_.peer ? "cert:" + ctx_.peer->sha256_fingerprint : "addr:" + ctx_.remote_address;
  wait_for_request();
}

void session::refuse_handshake(error_code ec) {
  const std::string reason = handshake_failure_reason(stream_.native_handle(), ec);
  state_->metrics->handshake_refused();
  // The remote address may identify a person (web UI users): it goes to the audit hook, which
  // decides what to keep, and not into the log.
  log::warn("tls_handshake_refused", {{"reason", reason}});
  if (state_->config.on_handshake_refused) {
    state_->config.on_handshake_refused(handshake_refusal{ctx_.remote_address, reason});
  }
  close();
}

void session::wait_for_request() {
  if (stop_requested_) return shutdown();
  if (buffer_.size() > 0) return read_request();
  enter(phase::idle);
  beast::get_lowest_layer(stream_).expires_after(state_->config.idle_timeout);
  stream_.async_read_some(buffer_.prepare(first_read_size),
                          beast::bind_front_handler(&session::on_first_bytes, shared_from_this()));
}

void session::on_first_bytes(error_code ec, std::size_t bytes) {
  buffer_.commit(bytes);
  if (ec) return close();  // idle timeout, the client went away, or stop() closed the socket
  read_request();
}

// The first bytes of the request are in the buffer: from now the whole header must arrive within
// header_timeout, and then the whole body within read_timeout. The deadlines are set once per
// part, not per read, so a client trickling a byte at a time gains nothing.
void session::read_request() {
  enter(phase::reading);  // the parser's count of bytes consumed includes what is buffered
  // A fresh parser per message: limits apply to each request, and no state leaks between them.
  parser_.emplace();
  parser_->header_limit(static_cast<std::uint32_t>(state_->config.header_limit));
  parser_->body_limit(state_->config.body_limit);
  body_deadline_set_ = false;
  beast::get_lowest_layer(stream_).expires_after(state_->config.header_timeout);
  read_more();
}

void session::read_more() {
  bhttp::async_read_some(stream_, buffer_, *parser_,
                         beast::bind_front_handler(&session::on_read, shared_from_this()));
}

void session::on_read(error_code ec, std::size_t bytes) {
  if (ec) return answer_read_error(ec);
  phase_bytes_.fetch_add(bytes, std::memory_order_relaxed);
  if (!parser_->is_done()) {
    if (parser_->is_header_done() && !body_deadline_set_) {
      body_deadline_set_ = true;
      beast::get_lowest_layer(stream_).expires_after(state_->config.read_timeout);
    }
    return read_more();
  }
  request_start_ = std::chrono::steady_clock::now();
  request req = parser_->release();
  parser_.reset();
  dispatch(std::move(req));
}

void session::answer_read_error(error_code ec) {
  if (ec == bhttp::error::end_of_stream) return shutdown();
  request_start_ = std::chrono::steady_clock::now();
  ctx_.request_id = new_request_id();
  version_ = parser_ && parser_->is_header_done() ? parser_->get().version() : 11;
  keep_alive_ = false;
  if (ec == bhttp::error::header_limit) {
    return send(make_problem_response(make_problem(problem_type::headers_too_large),
                                      ctx_.request_id, version_, false),
                true);
  }
  if (ec == bhttp::error::body_limit) {
    return send(make_problem_response(make_problem(problem_type::payload_too_large),
                                      ctx_.request_id, version_, false),
                true);
  }
  // A truncated message is a client that left, not a malformed request: nobody to answer.
  if (is_http_parse_error(ec) && ec != bhttp::error::partial_message) {
    return send(make_problem_response(
                    make_problem(problem_type::bad_request, "The HTTP request is malformed."),
                    ctx_.request_id, version_, false),
                true);
  }
  close();  // read timeout, TLS error or the client closed the connection
}

void session::dispatch(request&& req) {
  enter(phase::handling);
  ctx_.request_id = new_request_id();
  version_ = req.version();
  keep_alive_ = req.keep_alive();

  const auto limit = state_->limiter.acquire(rate_key_, std::chrono::steady_clock::now());
  if (!limit.allowed) {
    state_->metrics->request_rate_limited();
    auto res = make_problem_response(make_problem(problem_type::rate_limited), ctx_.request_id,
                                     version_, keep_alive_);
    res.set(bhttp::field::retry_after, std::to_string(limit.retry_after.count()));
    return send(std::move(res), false);
  }

  // `done` may be called on any thread: it hops back to this connection's strand. The flag makes
  // a second call harmless instead of a second response on the wire.
  auto called = std::make_shared<std::atomic<bool>>(false);
  auto done = [self = shared_from_this(), called](response&& res) {
    if (called->exchange(true)) return;
    asio::post(self->stream_.get_executor(),
               [self, res = std::move(res)]() mutable { self->send(std::move(res), false); });
  };
  try {
    state_->handler->handle(std::move(req), ctx_, std::move(done));
  } catch (const std::exception&) {
    // The handler contract forbids this; answer 500 rather than take the io thread down.
    log::error("handler_threw", {{"request_id", ctx_.request_id}});
    if (!called->exchange(true)) {
      send(make_problem_response(make_problem(problem_type::internal), ctx_.request_id, version_,
                                 false),
           true);
    }
  }
}

void session::send(response&& res, bool close_after) {
  const std::string route = route_label(res);
  const bool handler_closes = bhttp::token_list(res[bhttp::field::connection]).exists("close");
  keep_alive_ = keep_alive_ && !close_after && !handler_closes && !stop_requested_;
  res.version(version_);
  res.set(bhttp::field::server, "Sluis");
  res.set("X-Request-Id", ctx_.request_id);
  res.keep_alive(keep_alive_);
  res.prepare_payload();
  state_->metrics->record_request(route, res.result_int(),
                                  std::chrono::steady_clock::now() - request_start_);

  enter(phase::writing);
  response_.emplace(std::move(res));
  beast::get_lowest_layer(stream_).expires_after(state_->config.read_timeout);
  bhttp::async_write(stream_, *response_,
                     beast::bind_front_handler(&session::on_write, shared_from_this()));
}

void session::on_write(error_code ec, std::size_t) {
  response_.reset();
  if (ec) return close();
  if (!keep_alive_ || stop_requested_) return shutdown();
  wait_for_request();
}

void session::shutdown() {
  // While the server stops, do not wait for the client's close_notify: every response it was
  // promised is complete on the wire (Content-Length framing), and stop() waits for this session.
  if (stop_requested_) return close();
  enter(phase::closing);
  beast::get_lowest_layer(stream_).expires_after(state_->config.handshake_timeout);
  stream_.async_shutdown([self = shared_from_this()](error_code) {
    // Errors are expected here and ignored: many clients close the TCP connection without sending
    // close_notify (stream_truncated), and we are closing anyway.
    self->linger_then_close();
  });
}

// A client may still be sending a request body we refused (413, 431, 400). Closing a socket with
// unread data makes the kernel send RST, which can destroy our answer in the client's receive
// queue before it reads it. So, as nginx's lingering close does, stop sending, read and discard
// what still arrives for a short while, and close at end of stream or after the deadline.
void session::linger_then_close() {
  auto& tcp = beast::get_lowest_layer(stream_);
  error_code ec;
  tcp.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ec);
  if (ec) return close();
  tcp.expires_after(linger_deadline);
  drain();
}

void session::drain() {
  beast::get_lowest_layer(stream_).async_read_some(
      asio::buffer(discard_), [self = shared_from_this()](error_code ec, std::size_t) {
        if (ec || self->stop_requested_) return self->close();
        self->drain();
      });
}

void session::close() {
  enter(phase::closing);
  error_code ec;
  beast::get_lowest_layer(stream_).socket().shutdown(asio::ip::tcp::socket::shutdown_both, ec);
  beast::get_lowest_layer(stream_).socket().close(ec);
}

}  // namespace sluis::http::detail
