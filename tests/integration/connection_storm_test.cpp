// A connection storm against the real gateway: more idle TCP connections than the server's
// connection cap (that never start TLS), idle TLS connections that never send a request, and
// slowloris clients that send their headers a byte at a time. While the storm holds, a normal
// request must still be answered with 200. This is a liveness check with a generous bound (5 s),
// not a benchmark.

#include <sys/resource.h>
#include <sys/socket.h>

#include <atomic>
#include <boost/asio/connect.hpp>
#include <boost/asio/write.hpp>
#include <iostream>
#include <thread>

#include "tests/integration/gateway_fixture.hpp"

namespace sluis::testing {
namespace {

namespace asio = boost::asio;
namespace bhttp = boost::beast::http;

constexpr std::size_t connection_cap = 1024;
constexpr int idle_tcp = 2000;
constexpr int idle_tls = 150;
constexpr int slow_clients = 40;

// Both ends of every connection live in this process: make room for them.
void raise_file_limit(rlim_t wanted) {
  rlimit limit{};
  ASSERT_EQ(::getrlimit(RLIMIT_NOFILE, &limit), 0);
  if (limit.rlim_cur >= wanted) return;
  limit.rlim_cur = std::min(wanted, limit.rlim_max);
  ASSERT_EQ(::setrlimit(RLIMIT_NOFILE, &limit), 0);
  if (limit.rlim_cur < wanted) GTEST_SKIP() << "the hard limit on open files is too low";
}

// The value of an unlabelled counter in Prometheus text; -1 when it is not there.
double metric(const std::string& text, const std::string& name) {
  const auto at = text.find("\n" + name + " ");
  if (at == std::string::npos) return -1;
  return std::stod(text.substr(at + name.size() + 2));
}

class ConnectionStorm : public gateway_fixture {
 protected:
  // The fixture's server, replaced by one with a connection cap and the default timeouts.
  void restart_with_cap() {
    stop_server();
    http::server_config sc;
    sc.port = 0;
    sc.threads = 2;
    sc.max_connections = connection_cap;
    sc.body_limit = body_limit;
    sc.rate_limit_per_second = 1000;
    sc.rate_limit_burst = 1000;
    sc.tls = {pki_.server_certificate, pki_.server_key, pki_.ca_certificate};
    auto srv =
        http::server::start(sc, std::make_shared<api::gateway_handler>(*services_), metrics_);
    ASSERT_TRUE(srv) << srv.error().what();
    server_ = std::move(*srv);
    port_ = server_->local_endpoint().port();
  }

  // A normal request on a fresh connection: its status (0 when refused) and how long it took.
  std::pair<unsigned, std::chrono::milliseconds> timed_normal_request(const std::string& target) {
    const auto begin = std::chrono::steady_clock::now();
    tls_client c = wijkteam();
    unsigned status = 0;
    if (!c.connect()) {
      const auto res = c.get(target);
      if (res) status = res->result_int();
    }
    return {status, std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::steady_clock::now() - begin)};
  }
};

TEST_F(ConnectionStorm, NormalRequestsAreAnsweredWhileTheStormHolds) {
  raise_file_limit(3 * (idle_tcp + idle_tls + slow_clients) + 512);
  if (IsSkipped()) return;
  start();
  const std::string family_id = register_family();
  restart_with_cap();

  // Idle TCP: connected, never a byte of TLS. More of them than the cap.
  asio::io_context ioc;
  std::vector<asio::ip::tcp::socket> idle;
  idle.reserve(idle_tcp);
  for (int i = 0; i < idle_tcp; ++i) {
    asio::ip::tcp::socket s(ioc);
    boost::system::error_code ec;
    s.connect({asio::ip::make_address("127.0.0.1"), port_}, ec);
    if (!ec) idle.push_back(std::move(s));
  }
  EXPECT_GT(idle.size(), connection_cap);

  // Idle TLS: handshake done, no request.
  std::vector<std::unique_ptr<tls_client>> tls_idle;
  for (int i = 0; i < idle_tls; ++i) {
    tls_idle.push_back(
        std::make_unique<tls_client>(port_, tls_client_options{pki_.ca_certificate, &pki_.client}));
    (void)tls_idle.back()->connect();  // may be refused while the server is full: that is fine
  }

  // Slowloris: a request line and headers, one byte every 50 ms, never finished.
  std::atomic<bool> storming{true};
  std::thread slowloris([&] {
    std::vector<std::unique_ptr<tls_client>> slow;
    for (int i = 0; i < slow_clients; ++i) {
      slow.push_back(std::make_unique<tls_client>(
          port_, tls_client_options{pki_.ca_certificate, &pki_.client}));
      (void)slow.back()->connect();
    }
    const std::string drip =
        "GET /v1/families HTTP/1.1\r\nHost: localhost\r\nX-Slow: " + std::string(4000, 'z');
    for (std::size_t at = 0; storming && at < drip.size(); ++at) {
      for (auto& c : slow) (void)c->send_raw(drip.substr(at, 1));
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  });

  std::cout << "storm: " << idle.size() << " idle TCP connections, "
            << metric(metrics_->render(), "sluis_http_open_connections") << " open at the server, "
            << metric(metrics_->render(), "sluis_http_rejected_connections_total")
            << " turned away\n";
  // While all that holds: normal requests, a probe and a partner read, each answered in time.
  for (int i = 0; i < 5; ++i) {
    for (const std::string& target : {std::string("/healthz"), "/v1/families/" + family_id}) {
      const auto [status, took] = timed_normal_request(target);
      EXPECT_EQ(status, 200u) << target << " during the storm (attempt " << i << ")";
      EXPECT_LT(took, std::chrono::seconds(5)) << target;
      std::cout << "storm: " << target.substr(0, 12) << " answered " << status << " in "
                << took.count() << " ms\n";
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  // The storm was real: the server was at its cap and turned connections away.
  EXPECT_GT(metric(metrics_->render(), "sluis_http_rejected_connections_total"), 0);
  storming = false;
  slowloris.join();
}

}  // namespace
}  // namespace sluis::testing
