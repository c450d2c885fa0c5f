// Slow and idle clients against the real gateway (issue 10): slowloris headers, slow POST bodies,
// slow TLS handshakes, idle TCP connections by the thousand, and all of them at once. The attackers
// connect from other loopback addresses (127.0.0.2 and up) while the normal client uses 127.0.0.1,
// as a real attacker and a real user would come from different addresses. While each attack runs,
// a normal request must be answered with 200 in under a second.
//
// The suite runs a short version of each attack (a few seconds, a 256-connection cap). The long
// version, with the numbers (a 1,024 cap, 2,000 slowloris connections opened at 400 per
// second with a header line every 10 s, 10,000 idle TCP connections, 30 s per attack), runs with
// SLUIS_STORM_LONG=1 (see README, "Robustness").

#include <sys/resource.h>
#include <sys/socket.h>

#include <atomic>
#include <boost/asio/connect.hpp>
#include <boost/asio/write.hpp>
#include <cstdlib>
#include <iostream>
#include <thread>

#include "tests/integration/gateway_fixture.hpp"

namespace sluis::testing {
namespace {

namespace asio = boost::asio;
namespace bhttp = boost::beast::http;
using namespace std::chrono_literals;
using clock_type = std::chrono::steady_clock;

// The sizes of one run: short in the suite, the numbers with SLUIS_STORM_LONG=1.
struct storm_size {
  std::size_t cap;                 // the server's connection cap
  std::size_t per_address;         // and its cap per client address
  int slow_connections;            // slowloris or slow-body connections
  int open_per_second;             // how fast the attackers open them
  std::chrono::milliseconds drip;  // one header line (or body chunk) per drip
  int idle_tcp;                    // idle TCP connections
  std::chrono::seconds duration;   // how long each attack holds
};

storm_size size_of_run(bool long_allowed = true) {
  const char* long_run = std::getenv("SLUIS_STORM_LONG");
  if (long_allowed && long_run != nullptr && std::string(long_run) == "1")
    return {1024, 64, 2000, 400, 10s, 10000, 30s};
  return {256, 16, 400, 400, 1s, 2000, 4s};
}

// How fast a normal request must be answered during an attack: 1 s, as the issue asks. The
// ThreadSanitizer stage of ./deploy/dev.sh test, where every instruction costs several times more,
// sets SLUIS_STORM_BOUND_MS=5000: there the storm tests look for races, not for speed.
std::chrono::milliseconds answer_bound() {
  const char* bound = std::getenv("SLUIS_STORM_BOUND_MS");
  return std::chrono::milliseconds(bound != nullptr ? std::atoi(bound) : 1000);
}

// The attackers' addresses: 127.0.0.2, 127.0.0.3, ... (every 127/8 address is loopback on Linux).
// `spread` 1 is one attacker on one address, as in the issue; more spreads it over that many.
std::string attacker_address(int first, int i, int spread) {
  return "127.0.0." + std::to_string(2 + first + i % spread);
}

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

enum class attack { slow_headers, slow_body, slow_handshake, idle_tcp };

const char* name_of(attack a) {
  switch (a) {
    case attack::slow_headers:
      return "slowloris headers";
    case attack::slow_body:
      return "slow POST bodies";
    case attack::slow_handshake:
      return "slow TLS handshakes";
    case attack::idle_tcp:
      return "idle TCP connections";
  }
  return "?";
}

class ConnectionStorm : public gateway_fixture {
 protected:
  // The fixture's server, replaced by one with the storm's caps and the default deadlines.
  void restart_with_caps(const storm_size& size) {
    stop_server();
    http::server_config sc;
    sc.port = 0;
    sc.threads = 2;
    sc.max_connections = size.cap;
    sc.max_connections_per_address = size.per_address;
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

  // Runs one attacker (or several at once) until `stop`, from the attackers' addresses.
  void run_attack(attack kind, const storm_size& size, int first, int spread,
                  const std::atomic<bool>& stop, std::atomic<int>& opened) {
    asio::io_context ioc;
    std::vector<asio::ip::tcp::socket> raw;
    std::vector<std::unique_ptr<tls_client>> tls;
    const int count = kind == attack::idle_tcp ? size.idle_tcp : size.slow_connections;
    const auto pause = std::chrono::microseconds(1'000'000 / size.open_per_second);
    const std::string lead =
        kind == attack::slow_body
            ? "POST /v1/contributions HTTP/1.1\r\nHost: localhost\r\nContent-Type: "
              "application/json\r\nContent-Length: 60000\r\n\r\n{"
            : "GET /v1/families HTTP/1.1\r\nHost: localhost\r\n";
    for (int i = 0; i < count && !stop; ++i) {
      const auto started = clock_type::now();
      if (kind == attack::idle_tcp || kind == attack::slow_handshake) {
        auto s = tcp_connect(ioc, port_, attacker_address(first, i, spread));
        if (!s.is_open()) continue;
        boost::system::error_code ec;
        // A TLS record header and the first byte of a ClientHello, then nothing for a while.
        if (kind == attack::slow_handshake)
          asio::write(s, asio::buffer("\x16\x03\x01\x02\x00", 5), ec);
        raw.push_back(std::move(s));
      } else {
        auto c = std::make_unique<tls_client>(
            port_, tls_client_options{pki_.ca_certificate, &pki_.client, false,
                                      attacker_address(first, i, spread)});
        if (c->connect() || c->send_raw(lead)) continue;
        tls.push_back(std::move(c));
      }
      std::this_thread::sleep_until(started + pause);
    }
    ++opened;
    // Drip: a header line, a body chunk or a handshake byte per connection, then wait.
    while (!stop) {
      for (auto& c : tls)
        (void)c->send_raw(kind == attack::slow_body ? std::string(8, ' ') : "X-Slow: z\r\n");
      for (auto& s : raw) {
        boost::system::error_code ec;
        if (kind == attack::slow_handshake) asio::write(s, asio::buffer("\x01", 1), ec);
      }
      for (auto waited = 0ms; waited < size.drip && !stop; waited += 50ms)
        std::this_thread::sleep_for(50ms);
    }
  }

  // A normal request from 127.0.0.1 on a fresh connection: its status (0 when refused) and time.
  std::pair<unsigned, std::chrono::milliseconds> timed_normal_request(const std::string& target) {
    const auto begin = clock_type::now();
    tls_client c = wijkteam();
    unsigned status = 0;
    if (!c.connect()) {
      const auto res = c.get(target);
      if (res) status = res->result_int();
    }
    return {status,
            std::chrono::duration_cast<std::chrono::milliseconds>(clock_type::now() - begin)};
  }

  // Holds the attacks for the run's duration and probes all the while.
  // Each attack comes from its own address (127.0.0.2, .3, ...), or, with `spread` > 1, from that
  // many; a spread attack is probed once it has opened its connections, since while a thousand
  // addresses keep opening, any newcomer competes with them for the last free slot.
  void hold(const std::vector<attack>& attacks, const storm_size& size,
            const std::string& family_id, int spread) {
    std::atomic<bool> stop{false};
    std::atomic<int> opened{0};
    std::vector<std::thread> attackers;
    for (std::size_t k = 0; k < attacks.size(); ++k)
      attackers.emplace_back([this, kind = attacks[k], k, spread, &size, &stop, &opened] {
        run_attack(kind, size, static_cast<int>(k) * spread, spread, stop, opened);
      });
    std::string names;
    for (const auto kind : attacks)
      names += std::string(names.empty() ? "" : " + ") + name_of(kind);
    // The attack first fills the server (or is turned away trying), however slow this machine
    // is today; then the probes run for the attack's duration.
    const auto filling = clock_type::now() + 60s;
    while (clock_type::now() < filling) {
      const auto text = metrics_->render();
      if (spread == 1 && metric(text, "sluis_http_rejected_connections_total") > 0) break;
      if (opened == static_cast<int>(attacks.size())) break;
      std::this_thread::sleep_for(100ms);
    }
    const auto until = clock_type::now() + size.duration;
    std::chrono::milliseconds slowest{0};
    int probes = 0;
    while (clock_type::now() < until) {
      for (const std::string& target : {std::string("/healthz"), "/v1/families/" + family_id}) {
        const auto [status, took] = timed_normal_request(target);
        EXPECT_EQ(status, 200u) << names << ": " << target;
        EXPECT_LT(took, answer_bound()) << names << ": " << target;
        slowest = std::max(slowest, took);
        ++probes;
      }
      std::this_thread::sleep_for(250ms);
    }
    const auto text = metrics_->render();
    std::cout << "storm: " << names << ": " << probes << " normal requests, slowest "
              << slowest.count() << " ms; " << metric(text, "sluis_http_open_connections")
              << " open at the server, " << metric(text, "sluis_http_rejected_connections_total")
              << " turned away so far\n";
    stop = true;
    for (auto& t : attackers) t.join();
  }

  void storm(const std::vector<attack>& attacks, int spread = 1) {
    // A spread attack keeps the short sizes: at the long run's pace (a line every 10 s) the header
    // deadline closes its connections faster than one thread can open 1,024 TLS connections.
    const auto size = size_of_run(spread == 1);
    // The attackers' ends of every connection, and the server's (at most its cap, plus a little
    // while it closes what it refuses).
    raise_file_limit(
        static_cast<rlim_t>(size.idle_tcp + 2 * size.slow_connections + 2 * size.cap + 512));
    if (IsSkipped()) return;
    start();
    const std::string family_id = register_family();
    restart_with_caps(size);
    hold(attacks, size, family_id, spread);
    // The storm was real: connections were turned away or evicted.
    EXPECT_GT(metric(metrics_->render(), "sluis_http_rejected_connections_total"), 0);
  }
};

TEST_F(ConnectionStorm, SlowlorisHeaders) { storm({attack::slow_headers}); }
TEST_F(ConnectionStorm, SlowPostBodies) { storm({attack::slow_body}); }
TEST_F(ConnectionStorm, SlowTlsHandshakes) { storm({attack::slow_handshake}); }
TEST_F(ConnectionStorm, IdleTcpConnections) { storm({attack::idle_tcp}); }
TEST_F(ConnectionStorm, AllAtOnce) {
  storm({attack::slow_headers, attack::slow_body, attack::slow_handshake, attack::idle_tcp});
}
// Slowloris from 40 addresses, more connections than the cap: the per-address cap does not help,
// so the slowest connections must make room for the normal client.
TEST_F(ConnectionStorm, SlowlorisFromManyAddressesFillsTheCapAndTheSlowestMakeRoom) {
  storm({attack::slow_headers}, 40);
}

// The header deadline counts from the header's first byte, not per read: a client that sends a
// header line every half second is cut off once the header deadline has passed, however steady.
TEST_F(ConnectionStorm, AHeaderTrickledLineByLineMeetsItsDeadline) {
  start();
  stop_server();
  http::server_config sc;
  sc.port = 0;
  sc.threads = 2;
  sc.header_timeout = 2s;
  sc.tls = {pki_.server_certificate, pki_.server_key, pki_.ca_certificate};
  auto srv = http::server::start(sc, std::make_shared<api::gateway_handler>(*services_), metrics_);
  ASSERT_TRUE(srv) << srv.error().what();
  server_ = std::move(*srv);
  port_ = server_->local_endpoint().port();
  tls_client c = wijkteam();
  ASSERT_FALSE(c.connect());
  ASSERT_FALSE(c.send_raw("GET /healthz HTTP/1.1\r\nHost: localhost\r\n"));
  const auto begin = clock_type::now();
  bool cut_off = false;
  while (clock_type::now() - begin < 8s) {
    if (c.send_raw("X-Slow: z\r\n")) {
      cut_off = true;
      break;
    }
    std::this_thread::sleep_for(500ms);
  }
  EXPECT_TRUE(cut_off || c.closed_by_server()) << "a header trickled for 8 s was still accepted";
}

}  // namespace
}  // namespace sluis::testing
