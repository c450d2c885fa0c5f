#pragma once
// A blocking TLS client for server tests: optional client certificate, raw bytes or Beast messages.
//
// Every socket read and write gives up after a few seconds (SO_RCVTIMEO/SO_SNDTIMEO), so a broken
// server fails a test instead of hanging it. Not thread-safe; one client per thread.

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/system/error_code.hpp>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "tests/support/test_pki.hpp"

namespace sluis::testing {

using http_response = boost::beast::http::response<boost::beast::http::string_body>;
using http_request = boost::beast::http::request<boost::beast::http::string_body>;

struct tls_client_options {
  std::filesystem::path ca_certificate;                  // to verify the server
  const test_client_certificate* certificate = nullptr;  // none: no client certificate
  bool tls_1_1_only =
      false;  // offer only TLS 1.1 (with OpenSSL's security level lowered to allow it)
  std::string source_address;  // a loopback address to connect from (127.0.0.2, ...); empty: any
};

class tls_client {
 public:
  tls_client(unsigned short port, tls_client_options options);

  // TCP connect and TLS handshake. With TLS 1.3 a server that rejects the client certificate
  // does so after the client's handshake completed: the error then shows on the first read.
  boost::system::error_code connect();

  boost::system::error_code send(const http_request& req);
  boost::system::error_code send_raw(std::string_view bytes);
  std::optional<http_response> receive(boost::system::error_code& ec);

  // send + receive; nullopt when either failed.
  std::optional<http_response> request(const http_request& req);
  std::optional<http_response> get(std::string_view target);

  // True when the server has closed the connection: a read ends without data.
  bool closed_by_server();

 private:
  boost::asio::io_context ioc_;
  boost::asio::ssl::context ctx_;
  boost::asio::ssl::stream<boost::asio::ip::tcp::socket> stream_;
  boost::beast::flat_buffer buffer_;
  unsigned short port_;
  std::string source_address_;
};

// A plain TCP connection to 127.0.0.1:port from `source_address` (empty: any); a closed socket
// when the connection failed.
boost::asio::ip::tcp::socket tcp_connect(boost::asio::io_context& ioc, unsigned short port,
                                         const std::string& source_address);

http_request make_get(std::string_view target);

}  // namespace sluis::testing
