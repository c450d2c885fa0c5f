#include "gateway/cli/control_socket.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <chrono>
#include <optional>

#include "common/log.hpp"

namespace sluis::cli {
namespace {

namespace asio = boost::asio;
using local = asio::local::stream_protocol;
constexpr std::size_t max_request = 256;
constexpr std::chrono::seconds request_timeout{5};

bool caller_may_ask(local::socket& peer) {
  ucred cred{};
  socklen_t size = sizeof cred;
  if (::getsockopt(peer.native_handle(), SOL_SOCKET, SO_PEERCRED, &cred, &size) != 0) return false;
  return cred.uid == ::geteuid() || cred.uid == 0;
}

// One request line, within request_timeout of the connection; nullopt when it does not come.
std::optional<std::string> read_line(int fd) {
  using clock = std::chrono::steady_clock;
  const auto deadline = clock::now() + request_timeout;
  std::string line;
  while (line.size() < max_request) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock::now()).count();
    pollfd ready{fd, POLLIN, 0};
    if (left <= 0 || ::poll(&ready, 1, static_cast<int>(left)) <= 0) return std::nullopt;
    char ch = 0;
    if (::recv(fd, &ch, 1, 0) != 1) return std::nullopt;
    if (ch == '\n') return line;
    line += ch;
  }
  return std::nullopt;
}

}  // namespace

control_socket::control_socket(asio::io_context& ioc, std::filesystem::path file, handler h)
    : file_(std::move(file)), handler_(std::move(h)), acceptor_(ioc) {}

result<std::unique_ptr<control_socket>> control_socket::listen(asio::io_context& ioc,
                                                               const std::filesystem::path& dir,
                                                               handler h) {
  const auto file = dir / control_socket_name;
  std::unique_ptr<control_socket> out(new control_socket(ioc, file, std::move(h)));
  std::error_code removed;
  std::filesystem::remove(file, removed);
  boost::system::error_code ec;
  const mode_t old_mask = ::umask(0077);  // the socket file is made 0600
  out->acceptor_.open(local(), ec);
  if (!ec) out->acceptor_.bind(local::endpoint(file.string()), ec);
  ::umask(old_mask);
  if (!ec) out->acceptor_.listen(8, ec);
  if (ec) return error::io("cannot listen on " + file.string() + ": " + ec.message());
  out->accept();
  return out;
}

control_socket::~control_socket() {
  boost::system::error_code ignored;
  acceptor_.close(ignored);
  std::error_code removed;
  std::filesystem::remove(file_, removed);
}

void control_socket::accept() {
  acceptor_.async_accept([this](boost::system::error_code ec, local::socket peer) {
    if (ec == asio::error::operation_aborted) return;
    if (!ec) serve(peer);
    accept();
  });
}

// Synchronous: requests are rare, come from the operator, and take as long as the work does. A
// caller that connects and says nothing is given up on after a few seconds, so it cannot hold the
// thread that also handles SIGHUP.
void control_socket::serve(local::socket& peer) {
  boost::system::error_code ec;
  std::string answer;
  if (!caller_may_ask(peer)) {
    answer = "error\nonly the owner of the data directory may ask the gateway\n";
  } else {
    const auto line = read_line(peer.native_handle());
    if (!line) return;
    const std::string& request = *line;
    log::info("control.request", {{"request", request.substr(0, 64)}});
    auto done = handler_(request);
    answer = done ? "ok\n" + *done : "error\n" + done.error().message() + "\n";
  }
  asio::write(peer, asio::buffer(answer), ec);
}

result<std::string> ask_gateway(const std::filesystem::path& dir, const std::string& request) {
  asio::io_context ioc;
  local::socket socket(ioc);
  boost::system::error_code ec;
  const auto file = dir / control_socket_name;
  socket.connect(local::endpoint(file.string()), ec);
  if (ec) return error::unavailable("no gateway answers on " + file.string() + ": " + ec.message());
  asio::write(socket, asio::buffer(request + "\n"), ec);
  std::string answer;
  asio::read(socket, asio::dynamic_buffer(answer), ec);
  if (ec && ec != asio::error::eof)
    return error::unavailable("the gateway did not answer: " + ec.message());
  const auto first = answer.find('\n');
  const std::string status = answer.substr(0, first);
  std::string text = first == std::string::npos ? "" : answer.substr(first + 1);
  if (status == "ok") return text;
  if (status == "error") {
    if (!text.empty() && text.back() == '\n') text.pop_back();
    return error::internal(text);
  }
  return error::unavailable("the gateway gave no answer to: " + request);
}

}  // namespace sluis::cli
