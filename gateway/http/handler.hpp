#pragma once
// The contract between the HTTPS server and the API layer: a request in, a response out, no
// sockets.
//
// The server parses and bounds the request, establishes the peer's identity from its verified
// client certificate, applies rate limits and then calls handler::handle. Anything that can build
// a request (a fuzzer, a unit test) can drive a handler directly.

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace sluis::http {

// Who is on the other end, from a client certificate that the configured CA verified.
struct peer_identity {
  std::string sha256_fingerprint;     // lowercase hex of the DER certificate
  std::string subject_serial_number;  // subject serialNumber (the OIN on PKIoverheid certs), or ""
  std::string subject_common_name;
};

// Facts about one request that are not in the HTTP message itself.
struct request_context {
  std::string request_id;  // random; the server also returns it in the X-Request-Id header
  std::optional<peer_identity> peer;  // empty when the client presented no certificate
  std::string remote_address;         // the peer's IP address, for rate limits and audit
};

using request = boost::beast::http::request<boost::beast::http::string_body>;
using response = boost::beast::http::response<boost::beast::http::string_body>;

// A handler sets this response header to the route template it matched ("/v1/families/{id}"),
// which labels the request in the metrics. The server removes it before sending the response.
// Without it a request is labelled "unmatched": raw paths never become labels, they may hold ids.
inline constexpr std::string_view route_header = "X-Sluis-Route";

// Turns requests into responses. Implementations must be safe to call from several threads at
// once (the server runs one io_context on N threads) and must not throw.
class handler {
 public:
  virtual ~handler() = default;

  // Answers `req` by calling `done` exactly once, on any thread, now or later; the server posts the
  // response back to the connection's strand (later calls are ignored). `ctx` stays valid until
  // `done` is called. The server sets Server, X-Request-Id, keep-alive and Content-Length itself.
  virtual void handle(request&& req, const request_context& ctx,
                      std::function<void(response&&)> done) = 0;
};

}  // namespace sluis::http
