#include "gateway/http/server.hpp"

#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <ctime>
#include <future>

#include "common/log.hpp"
#include "gateway/http/detail/server_state.hpp"
#include "gateway/http/detail/session.hpp"

namespace sluis::http {
namespace asio = boost::asio;
namespace ssl = boost::asio::ssl;
using boost::system::error_code;

namespace {

// TLS 1.2 suites: forward secrecy (ECDHE) and AEAD only. TLS 1.3 suites are all of that already.
constexpr const char* tls12_ciphers =
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:"
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256";

// Resumed sessions keep the verified client certificate; OpenSSL refuses to resume a session
// with client verification unless the context names itself.
constexpr unsigned char session_id_context[] = "sluis";

// A certificate's notAfter in unix seconds; 0 when it cannot be read.
std::int64_t not_after(const X509* cert) {
  std::tm tm{};
  if (cert == nullptr || ASN1_TIME_to_tm(X509_get0_notAfter(cert), &tm) != 1) return 0;
  return static_cast<std::int64_t>(timegm(&tm));
}

// The earliest notAfter of the certificates the context trusts for client verification.
std::int64_t earliest_trusted_not_after(SSL_CTX* ctx) {
  std::int64_t earliest = 0;
  STACK_OF(X509_OBJECT)* objects = X509_STORE_get0_objects(SSL_CTX_get_cert_store(ctx));
  for (int i = 0; i < sk_X509_OBJECT_num(objects); ++i) {
    const X509* cert = X509_OBJECT_get0_X509(sk_X509_OBJECT_value(objects, i));
    const auto t = not_after(cert);
    if (t != 0 && (earliest == 0 || t < earliest)) earliest = t;
  }
  return earliest;
}

result<void> configure_tls(ssl::context& ctx, const tls_files& files) {
  SSL_CTX* native = ctx.native_handle();
  ctx.set_options(ssl::context::default_workarounds | ssl::context::no_compression |
                  ssl::context::single_dh_use);
  SSL_CTX_set_options(native, SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
  if (SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION) != 1 ||
      SSL_CTX_set_cipher_list(native, tls12_ciphers) != 1 ||
      SSL_CTX_set_session_id_context(native, session_id_context, sizeof session_id_context - 1) !=
          1) {
    return error::internal("TLS settings rejected by OpenSSL");
  }
  error_code ec;
  ctx.use_certificate_chain_file(files.certificate_chain.string(), ec);
  if (ec) return error::invalid("tls.certificate_chain", "cannot load the certificate chain");
  ctx.use_private_key_file(files.private_key.string(), ssl::context::pem, ec);
  if (ec || SSL_CTX_check_private_key(native) != 1) {
    return error::invalid("tls.private_key", "cannot load the key, or it does not match");
  }
  ctx.load_verify_file(files.client_ca.string(), ec);
  STACK_OF(X509_NAME)* ca_names = SSL_load_client_CA_file(files.client_ca.c_str());
  if (ec || ca_names == nullptr) {
    // A reload runs this again and again: nothing may leak on the way out.
    if (ca_names != nullptr) sk_X509_NAME_pop_free(ca_names, X509_NAME_free);
    return error::invalid("tls.client_ca", "cannot load the client CA certificates");
  }
  // Tells clients which issuer we accept, so a client with several certificates picks the right
  // one.
  SSL_CTX_set_client_CA_list(native, ca_names);
  // Not fail_if_no_peer_cert: the same port serves the web UI to people without certificates. A
  // certificate that is presented must verify, or the handshake fails.
  ctx.set_verify_mode(ssl::verify_peer, ec);
  if (ec) return error::internal("TLS verify mode rejected by OpenSSL");
  return {};
}

result<std::shared_ptr<const detail::tls_state>> load_tls(const tls_files& files) {
  auto state = std::make_shared<detail::tls_state>();
  state->context = std::make_shared<ssl::context>(ssl::context::tls_server);
  if (auto loaded = configure_tls(*state->context, files); !loaded) return loaded.error();
  SSL_CTX* native = state->context->native_handle();
  state->server_not_after = not_after(SSL_CTX_get0_certificate(native));
  state->client_ca_not_after = earliest_trusted_not_after(native);
  return std::shared_ptr<const detail::tls_state>(std::move(state));
}

void register_tls_metrics(const std::shared_ptr<detail::server_state>& state) {
  std::weak_ptr<detail::server_state> weak = state;
  const auto expiry = [weak](auto field) {
    return [weak, field]() -> double {
      const auto s = weak.lock();
      const auto tls = s ? s->tls() : nullptr;
      return tls ? static_cast<double>((*tls).*field) : 0.0;
    };
  };
  state->metrics->register_callback("sluis_tls_server_certificate_expiry_timestamp_seconds",
                                    "When the server certificate in force expires (unix seconds).",
                                    metrics_registry::kind::gauge,
                                    expiry(&detail::tls_state::server_not_after));
  state->metrics->register_callback(
      "sluis_tls_client_ca_expiry_timestamp_seconds",
      "When the first of the trusted client CA certificates in force expires (unix seconds).",
      metrics_registry::kind::gauge, expiry(&detail::tls_state::client_ca_not_after));
}

}  // namespace

result<std::unique_ptr<server>> server::start(server_config config,
                                              std::shared_ptr<handler> handler,
                                              std::shared_ptr<metrics_registry> metrics) {
  if (!handler) return error::internal("server started without a handler");
  if (config.threads == 0) return error::invalid("threads", "must be at least 1");
  if (!metrics) metrics = std::make_shared<metrics_registry>();
  auto state = std::make_shared<detail::server_state>(std::move(config), std::move(handler),
                                                      std::move(metrics));
  auto tls = load_tls(state->config.tls);
  if (!tls) return tls.error();
  state->set_tls(std::move(*tls));
  register_tls_metrics(state);

  std::unique_ptr<server> s(new server(std::move(state)));
  if (auto listening = s->listen(); !listening) return listening.error();
  s->accepting_ = true;
  s->accept();
  const unsigned threads = s->state_->config.threads;
  s->threads_.reserve(threads);
  for (unsigned i = 0; i < threads; ++i)
    s->threads_.emplace_back([srv = s.get()] { srv->ioc_.run(); });
  log::info("http_listening", {{"address", s->endpoint_.address().to_string()},
                               {"port", std::to_string(s->endpoint_.port())}});
  return s;
}

server::server(std::shared_ptr<detail::server_state> state)
    : state_(std::move(state)),
      ioc_(static_cast<int>(state_->config.threads)),
      work_(asio::make_work_guard(ioc_)),
      acceptor_(asio::make_strand(ioc_)),
      accept_backoff_(acceptor_.get_executor()) {}

server::~server() {
  // stop() closes sockets and joins threads; a failure there must not escape a destructor.
  try {
    stop(std::chrono::seconds{0});
  } catch (const std::exception& e) {
    log::error("server.stop_failed", {{"error", e.what()}});
  } catch (...) {
    log::error("server.stop_failed");
  }
}

metrics_registry& server::metrics() noexcept { return *state_->metrics; }

result<void> server::reload_tls() {
  auto tls = load_tls(state_->config.tls);
  if (!tls) return tls.error();
  state_->set_tls(std::move(*tls));
  return {};
}

result<void> server::listen() {
  error_code ec;
  const auto address = asio::ip::make_address(state_->config.bind_address, ec);
  if (ec) return error::invalid("bind_address", "not an IP address");
  const asio::ip::tcp::endpoint endpoint{address, state_->config.port};
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (!ec) endpoint_ = acceptor_.local_endpoint(ec);
  if (ec) return error{errc::io, "cannot listen: " + ec.message(), "port"};
  return {};
}

void server::accept() {
  // Each connection gets its own strand: its handlers never run concurrently.
  acceptor_.async_accept(
      asio::make_strand(ioc_),
      [this](error_code ec, asio::ip::tcp::socket socket) { on_accept(ec, std::move(socket)); });
}

void server::on_accept(error_code ec, asio::ip::tcp::socket socket) {
  if (!acceptor_.is_open()) return;  // stop() closed it
  if (ec) {
    // Usually out of file descriptors: wait a moment instead of spinning on the same error.
    log::error("http_accept_failed", {{"reason", ec.message()}});
    accept_backoff_.expires_after(std::chrono::milliseconds{100});
    accept_backoff_.async_wait([this](error_code wait_ec) {
      if (!wait_ec && acceptor_.is_open()) accept();
    });
    return;
  }
  error_code ignored;
  // Every response is written whole in one go, so Nagle's algorithm only delays it: without this,
  // a fresh connection's first bytes can wait ~40 ms for the client's delayed ACK.
  socket.set_option(asio::ip::tcp::no_delay(true), ignored);
  const auto remote = socket.remote_endpoint(ignored);
  std::string address = ignored ? std::string("unknown") : remote.address().to_string();
  // One address cannot take more than its share, however patient it is.
  if (!state_->admit(address)) {
    state_->metrics->connection_rejected();
    socket.close(ignored);
    return accept();
  }
  // At the cap, the connection slowest to deliver makes room (closing takes a moment, hence a
  // little headroom): idle and slow clients cannot lock everyone else out.
  const std::size_t cap = state_->config.max_connections;
  const std::size_t open = state_->session_count();
  if (open >= cap) state_->metrics->connection_rejected();
  if (open >= cap && (open >= cap + std::max<std::size_t>(1, cap / 8) || !state_->shed_slowest())) {
    state_->release(address);
    socket.close(ignored);
  } else {
    std::make_shared<detail::session>(std::move(socket), state_, std::move(address))->run();
  }
  accept();
}

void server::close_acceptor() {
  std::promise<void> closed;
  asio::post(acceptor_.get_executor(), [this, &closed] {
    error_code ignored;
    acceptor_.close(ignored);
    accept_backoff_.cancel();
    closed.set_value();
  });
  closed.get_future().wait();
  accepting_ = false;
}

void server::stop(std::chrono::steady_clock::duration deadline) {
  std::lock_guard stop_lock(stop_mutex_);
  if (stopped_) return;
  stopped_ = true;
  if (threads_.empty()) {  // start() failed before serving: nothing runs, nothing to drain
    error_code ignored;
    acceptor_.close(ignored);
    return;
  }
  const auto until = std::chrono::steady_clock::now() + deadline;
  state_->stopping = true;
  cancel_signal_wait();
  close_acceptor();
  for (const auto& s : state_->sessions()) s->stop();
  const bool drained = state_->wait_until_no_sessions(until);
  if (!drained) {
    for (const auto& s : state_->sessions()) s->force_close();
  }
  log::info("http_stopped", {{"graceful", drained ? "true" : "false"}});
  // Without the guard, run() returns once the last connection's last handler has run.
  work_.reset();
  for (auto& t : threads_) t.join();
  threads_.clear();
}

void server::cancel_signal_wait() {
  std::lock_guard lock(signal_mutex_);
  signal_wait_cancelled_ = true;
  if (!signals_) return;
  asio::post(signals_->get_executor(), [this] {
    std::lock_guard inner(signal_mutex_);
    error_code ignored;
    if (signals_) signals_->cancel(ignored);
  });
}

void server::run_until_signal(std::chrono::steady_clock::duration deadline) {
  std::promise<int> received;
  {
    std::lock_guard lock(signal_mutex_);
    if (signal_wait_cancelled_) return;
    signals_.emplace(asio::make_strand(ioc_), SIGINT, SIGTERM);
    signals_->async_wait([&received](error_code ec, int signal_number) {
      received.set_value(ec ? 0 : signal_number);
    });
  }
  const int signal_number = received.get_future().get();
  {
    std::lock_guard lock(signal_mutex_);
    signals_.reset();
  }
  if (signal_number != 0) {
    log::info("shutdown_signal", {{"signal", std::to_string(signal_number)}});
  }
  stop(deadline);
}

}  // namespace sluis::http
