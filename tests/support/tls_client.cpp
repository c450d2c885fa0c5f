#include "tests/support/tls_client.hpp"

#include <openssl/ssl.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

namespace sluis::testing {
namespace asio = boost::asio;
namespace ssl = boost::asio::ssl;
namespace bhttp = boost::beast::http;
using boost::system::error_code;

namespace {

ssl::context make_context(const tls_client_options& options) {
  ssl::context ctx(ssl::context::tls_client);
  ctx.load_verify_file(options.ca_certificate.string());
  ctx.set_verify_mode(ssl::verify_peer);
  if (options.certificate != nullptr) {
    ctx.use_certificate_file(options.certificate->certificate.string(), ssl::context::pem);
    ctx.use_private_key_file(options.certificate->key.string(), ssl::context::pem);
  }
  if (options.tls_1_1_only) {
    // OpenSSL 3 allows TLS 1.1 only at security level 0: lower it here, so that the refusal the
    // test sees is the server's.
    SSL_CTX_set_security_level(ctx.native_handle(), 0);
    SSL_CTX_set_cipher_list(ctx.native_handle(), "DEFAULT:@SECLEVEL=0");
    SSL_CTX_set_min_proto_version(ctx.native_handle(), TLS1_1_VERSION);
    SSL_CTX_set_max_proto_version(ctx.native_handle(), TLS1_1_VERSION);
  }
  return ctx;
}

void set_socket_timeouts(asio::ip::tcp::socket& socket) {
  timeval tv{5, 0};
  ::setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::setsockopt(socket.native_handle(), SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
}

}  // namespace

tls_client::tls_client(unsigned short port, tls_client_options options)
    : ctx_(make_context(options)),
      stream_(ioc_, ctx_),
      port_(port),
      source_address_(std::move(options.source_address)) {}

namespace {
error_code connect_from(asio::ip::tcp::socket& socket, unsigned short port,
                        const std::string& source_address) {
  error_code ec;
  if (!source_address.empty()) {
    socket.open(asio::ip::tcp::v4(), ec);
    if (!ec) socket.bind({asio::ip::make_address(source_address), 0}, ec);
    if (ec) return ec;
  }
  socket.connect({asio::ip::make_address("127.0.0.1"), port}, ec);
  return ec;
}
}  // namespace

asio::ip::tcp::socket tcp_connect(asio::io_context& ioc, unsigned short port,
                                  const std::string& source_address) {
  asio::ip::tcp::socket socket(ioc);
  if (connect_from(socket, port, source_address)) {
    error_code ignored;
    socket.close(ignored);
  }
  return socket;
}

error_code tls_client::connect() {
  error_code ec = connect_from(stream_.next_layer(), port_, source_address_);
  if (ec) return ec;
  set_socket_timeouts(stream_.next_layer());
  SSL_set_tlsext_host_name(stream_.native_handle(), "localhost");
  stream_.set_verify_callback(ssl::host_name_verification("localhost"));
  stream_.handshake(ssl::stream_base::client, ec);
  return ec;
}

error_code tls_client::send(const http_request& req) {
  error_code ec;
  bhttp::write(stream_, req, ec);
  return ec;
}

error_code tls_client::send_raw(std::string_view bytes) {
  error_code ec;
  asio::write(stream_, asio::buffer(bytes.data(), bytes.size()), ec);
  return ec;
}

std::optional<http_response> tls_client::receive(error_code& ec) {
  http_response res;
  bhttp::read(stream_, buffer_, res, ec);
  if (ec) return std::nullopt;
  return res;
}

std::optional<http_response> tls_client::request(const http_request& req) {
  if (send(req)) return std::nullopt;
  error_code ec;
  return receive(ec);
}

std::optional<http_response> tls_client::get(std::string_view target) {
  return request(make_get(target));
}

bool tls_client::closed_by_server() {
  char byte;
  error_code ec;
  const auto n = stream_.read_some(asio::buffer(&byte, 1), ec);
  // eof (close_notify), stream_truncated (TCP closed without it) or a reset all mean "closed";
  // a read timeout (would_block / try_again from SO_RCVTIMEO) means the server kept it open.
  return n == 0 && ec && ec != asio::error::would_block && ec != asio::error::try_again;
}

http_request make_get(std::string_view target) {
  http_request req{bhttp::verb::get, target, 11};
  req.set(bhttp::field::host, "localhost");
  return req;
}

}  // namespace sluis::testing
