#pragma once
// The running gateway's control socket: how a command asks `sluis serve` to do work that must not
// happen behind its back (today: `keys rotate`), instead of refusing.
//
// DIR/control.sock is a Unix stream socket, mode 0600 inside the 0700 data directory, and the
// gateway also checks the caller's uid (SO_PEERCRED): only the directory's owner (or root) may ask.
// A request is one line ("keys rotate" or "keys rotate --retire-old"); the answer is "ok" or
// "error" on its first line, then the text for the operator, then end of stream. One request at a
// time: the gateway serves them on the thread that also handles its signals.

#include <boost/asio/io_context.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "common/error.hpp"

namespace sluis::cli {

inline constexpr std::string_view control_socket_name = "control.sock";

class control_socket {
 public:
  // Answers one request line; an error becomes an "error" answer with its message.
  using handler = std::function<result<std::string>(const std::string& request)>;

  // Binds DIR/control.sock (replacing a stale file: the caller holds the data-directory lock) and
  // serves requests on `ioc`. errc::io when the socket cannot be made.
  static result<std::unique_ptr<control_socket>> listen(boost::asio::io_context& ioc,
                                                        const std::filesystem::path& dir,
                                                        handler h);
  ~control_socket();  // closes and removes the socket file

 private:
  control_socket(boost::asio::io_context& ioc, std::filesystem::path file, handler h);
  void accept();
  void serve(boost::asio::local::stream_protocol::socket& peer);

  std::filesystem::path file_;
  handler handler_;
  boost::asio::local::stream_protocol::acceptor acceptor_;
};

// Sends `request` to the gateway serving `dir` and returns its text. errc::unavailable when no
// gateway answers on the socket; the gateway's own error (errc::internal with its message) when
// the work failed.
result<std::string> ask_gateway(const std::filesystem::path& dir, const std::string& request);

}  // namespace sluis::cli
