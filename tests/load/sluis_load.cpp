// sluis_load: a load generator for a running Sluis gateway (issue 6), and for nginx as its ceiling.
//
// Opens N keep-alive HTTPS connections (mutual TLS when --cert/--key are given), each sending one
// request at a time for D seconds, and reports throughput, latency percentiles (every sample is
// kept, so p99.9 is exact) and errors. Modes:
//   write   POST /v1/contributions: contributions about members of families the tool registers
//           first (--families K, not timed), spread over all of them, with a new source_ref each
//   read    GET --url; "{family}" in it is replaced by a family id (registered first, or from
//           --families-file), cycling over all of them
//   static  GET --url without a client certificate (for nginx serving a file)
// --cookie and --header add headers to every timed request (for session-authenticated routes).
//
// Not a test: run it from tests/bench/run.sh, see BENCHMARKS.md. Everything it sends is fictional:
// BSNs are generated numbers that pass the elfproef.

#include <algorithm>
#include <atomic>
#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/json.hpp>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace {

namespace asio = boost::asio;
namespace ssl = asio::ssl;
namespace beast = boost::beast;
namespace http = beast::http;
using asio::awaitable;
using asio::use_awaitable;
using clock_type = std::chrono::steady_clock;

struct options {
  std::string mode = "read";
  std::string host = "127.0.0.1";
  std::string server_name = "localhost";
  unsigned short port = 8443;
  std::string ca, cert, key;
  std::string url = "/v1/families/{family}/involvement?purpose=signalling";
  unsigned connections = 16;
  double duration = 10;
  double warmup = 1;
  unsigned threads = 1;
  unsigned families = 0;
  std::string families_file, families_out;
  std::string cookie;
  std::vector<std::string> headers;
  std::uint64_t seed = 0;
  bool quiet = false;
};

[[noreturn]] void usage(const std::string& why) {
  std::cerr
      << "sluis_load: " << why << "\n"
      << "usage: sluis_load --mode write|read|static --port P --ca CA.pem\n"
         "         [--cert C.pem --key C.key] [--host 127.0.0.1] [--sni localhost]\n"
         "         [--connections N] [--duration SECONDS] [--warmup SECONDS] [--threads T]\n"
         "         [--url PATH] [--families K] [--families-file F] [--families-out F]\n"
         "         [--cookie 'name=value'] [--header 'Name: value']... [--seed S] [--quiet]\n";
  std::exit(2);
}

options parse(int argc, char** argv) {
  options o;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) usage(a + " needs a value");
      return argv[++i];
    };
    if (a == "--mode")
      o.mode = value();
    else if (a == "--host")
      o.host = value();
    else if (a == "--sni")
      o.server_name = value();
    else if (a == "--port")
      o.port = static_cast<unsigned short>(std::stoul(value()));
    else if (a == "--ca")
      o.ca = value();
    else if (a == "--cert")
      o.cert = value();
    else if (a == "--key")
      o.key = value();
    else if (a == "--url")
      o.url = value();
    else if (a == "--connections")
      o.connections = static_cast<unsigned>(std::stoul(value()));
    else if (a == "--duration")
      o.duration = std::stod(value());
    else if (a == "--warmup")
      o.warmup = std::stod(value());
    else if (a == "--threads")
      o.threads = static_cast<unsigned>(std::stoul(value()));
    else if (a == "--families")
      o.families = static_cast<unsigned>(std::stoul(value()));
    else if (a == "--families-file")
      o.families_file = value();
    else if (a == "--families-out")
      o.families_out = value();
    else if (a == "--cookie")
      o.cookie = value();
    else if (a == "--header")
      o.headers.push_back(value());
    else if (a == "--seed")
      o.seed = std::stoull(value());
    else if (a == "--quiet")
      o.quiet = true;
    else
      usage("unknown option " + a);
  }
  if (o.mode != "write" && o.mode != "read" && o.mode != "static") usage("unknown mode " + o.mode);
  if (o.ca.empty()) usage("--ca is required");
  if (o.mode != "static" && (o.cert.empty() || o.key.empty()))
    usage("modes write and read need --cert and --key (mutual TLS)");
  if (o.connections == 0 || o.threads == 0) usage("--connections and --threads must be > 0");
  if (o.mode == "write" && o.families == 0) o.families = 100;
  return o;
}

// ---- fictional people ----

bool elfproef(unsigned v) {
  const std::string s = std::to_string(v);
  int sum = 0;
  for (int i = 0; i < 8; ++i) sum += (9 - i) * (s[static_cast<std::size_t>(i)] - '0');
  sum -= s[8] - '0';
  return sum % 11 == 0;
}

// Consecutive valid BSNs from a random start, so that two runs do not share people.
class bsn_source {
 public:
  explicit bsn_source(std::uint64_t seed)
      : next_(100000000u + static_cast<unsigned>(seed % 800000000u)) {}
  std::string next() {
    while (!elfproef(next_)) ++next_;
    return std::to_string(next_++);
  }

 private:
  unsigned next_;
};

struct family {
  std::string id;
  std::vector<std::string> bsns;  // members, as registered
};

constexpr const char* domains[] = {"financien", "wonen",      "werk-inkomen",
                                   "opvoeding", "onderwijs",  "gezondheid",
                                   "netwerk",   "veiligheid", "psychische-gezondheid"};
constexpr const char* kinds[] = {"goal", "action", "evaluation", "deadline", "note"};

std::string registration_body(const std::vector<std::string>& bsns, std::size_t n) {
  boost::json::array members;
  const char* labels[] = {"moeder", "vader", "dochter", "zoon"};
  for (std::size_t m = 0; m < bsns.size(); ++m) {
    boost::json::object member{{"bsn", bsns[m]},
                               {"role", m < 2 ? "parent" : "child"},
                               {"label", labels[m]},
                               {"date_of_birth", m < 2 ? "1985-03-01" : "2012-06-15"}};
    if (m >= 2) member["gezag_holders"] = boost::json::array{"moeder", "vader"};
    members.push_back(std::move(member));
  }
  return boost::json::serialize(boost::json::object{
      {"gezinsmanager",
       {{"user_id", "gm-" + std::to_string(n % 50)}, {"name", "Gezinsmanager Load"}}},
      {"members", std::move(members)}});
}

std::string contribution_body(const family& f, std::uint64_t n, const std::string& run) {
  const auto& bsn = f.bsns[n % f.bsns.size()];
  return boost::json::serialize(boost::json::object{
      {"source_ref", "load-" + run + "-" + std::to_string(n)},
      {"bsn", bsn},
      {"family_id", f.id},
      {"domain", domains[n % std::size(domains)]},
      {"kind", kinds[n % std::size(kinds)]},
      {"category", "regular"},
      {"status", "active"},
      {"title", "Afspraken over de aanpak, ronde " + std::to_string(n % 97)},
      {"body",
       "Besproken met het gezin: de volgende stappen en wie ze zet. Evaluatie over zes weken, "
       "samen met de gezinsmanager en de betrokken organisaties."},
      {"owner", "Medewerker Load"},
      {"due_date", "2027-01-15"}});
}

// ---- requests and results ----

using request = http::request<http::string_body>;
using response = http::response<http::string_body>;

struct phase {
  // Returns the n-th request of the phase, or nothing when the phase has no more.
  std::function<std::optional<request>(std::uint64_t)> make;
  // Called with every response (on the connection's thread): return false to count it as an error.
  std::function<bool(std::uint64_t, const response&)> check;
  std::atomic<std::uint64_t> next{0};
  clock_type::time_point record_from{}, stop_at = clock_type::time_point::max();
};

struct connection_stats {
  std::vector<std::uint32_t> micros;  // latency of every recorded success
  std::map<int, std::uint64_t> errors_by_status;
  std::uint64_t transport_errors = 0, reconnects = 0, bytes = 0;
};

using tls_stream = beast::ssl_stream<beast::tcp_stream>;

awaitable<void> run_connection(ssl::context& tls, const options& o,
                               const asio::ip::tcp::endpoint& endpoint, phase& p,
                               connection_stats& stats) {
  auto executor = co_await asio::this_coro::executor;
  std::unique_ptr<tls_stream> stream;
  beast::flat_buffer buffer;
  for (;;) {
    if (clock_type::now() >= p.stop_at) break;
    const std::uint64_t n = p.next++;
    auto req = p.make(n);
    if (!req) break;
    try {
      if (!stream) {
        stream = std::make_unique<tls_stream>(executor, tls);
        SSL_set_tlsext_host_name(stream->native_handle(), o.server_name.c_str());
        beast::get_lowest_layer(*stream).expires_after(std::chrono::seconds(10));
        co_await beast::get_lowest_layer(*stream).async_connect(endpoint, use_awaitable);
        co_await stream->async_handshake(ssl::stream_base::client, use_awaitable);
        buffer.clear();
      }
      const auto t0 = clock_type::now();
      beast::get_lowest_layer(*stream).expires_after(std::chrono::seconds(30));
      co_await http::async_write(*stream, *req, use_awaitable);
      response res;
      http::response_parser<http::string_body> parser;
      parser.body_limit(64 * 1024 * 1024);
      co_await http::async_read(*stream, buffer, parser, use_awaitable);
      res = parser.release();
      const auto t1 = clock_type::now();
      const bool ok = p.check(n, res);
      if (t0 >= p.record_from) {
        if (ok) {
          stats.micros.push_back(static_cast<std::uint32_t>(
              std::chrono::duration_cast<std::chrono::microseconds>(t1 - t0).count()));
          stats.bytes += res.body().size();
        } else {
          ++stats.errors_by_status[res.result_int()];
        }
      }
      if (!res.keep_alive()) {
        stream.reset();
        ++stats.reconnects;
      }
    } catch (const std::exception&) {
      if (clock_type::now() >= p.record_from && clock_type::now() < p.stop_at)
        ++stats.transport_errors;
      stream.reset();
      ++stats.reconnects;
    }
  }
  if (stream) {
    beast::get_lowest_layer(*stream).expires_after(std::chrono::seconds(2));
    boost::system::error_code ec;  // the peer may close first: nothing to report
    co_await stream->async_shutdown(asio::redirect_error(use_awaitable, ec));
  }
}

// Runs `p` over o.connections connections spread over o.threads threads until it has no more
// requests or its stop time has passed; returns the merged statistics.
connection_stats run_phase(ssl::context& tls, const options& o, phase& p, unsigned connections) {
  asio::ip::tcp::endpoint endpoint(asio::ip::make_address(o.host), o.port);
  std::vector<std::unique_ptr<asio::io_context>> contexts;
  for (unsigned t = 0; t < o.threads; ++t)
    contexts.push_back(std::make_unique<asio::io_context>(1));
  std::vector<connection_stats> stats(connections);
  for (unsigned c = 0; c < connections; ++c)
    asio::co_spawn(*contexts[c % o.threads], run_connection(tls, o, endpoint, p, stats[c]),
                   asio::detached);
  std::vector<std::thread> threads;
  for (auto& ctx : contexts) threads.emplace_back([&ctx] { ctx->run(); });
  for (auto& t : threads) t.join();
  connection_stats all;
  for (auto& s : stats) {
    all.micros.insert(all.micros.end(), s.micros.begin(), s.micros.end());
    for (const auto& [status, count] : s.errors_by_status) all.errors_by_status[status] += count;
    all.transport_errors += s.transport_errors;
    all.reconnects += s.reconnects;
    all.bytes += s.bytes;
  }
  return all;
}

request base_request(const options& o, http::verb verb, const std::string& target, bool timed) {
  request req{verb, target, 11};
  req.set(http::field::host, o.server_name);
  req.set(http::field::user_agent, "sluis_load");
  if (timed) {
    if (!o.cookie.empty()) req.set(http::field::cookie, o.cookie);
    for (const auto& h : o.headers) {
      const auto colon = h.find(':');
      if (colon == std::string::npos) usage("--header needs 'Name: value'");
      std::string value = h.substr(colon + 1);
      value.erase(0, value.find_first_not_of(' '));
      req.set(h.substr(0, colon), value);
    }
  }
  req.keep_alive(true);
  return req;
}

double percentile(const std::vector<std::uint32_t>& sorted, double q) {
  if (sorted.empty()) return 0;
  const auto rank = static_cast<std::size_t>(q * static_cast<double>(sorted.size() - 1) + 0.5);
  return sorted[std::min(rank, sorted.size() - 1)] / 1000.0;
}

}  // namespace

int main(int argc, char** argv) {
  const options o = parse(argc, argv);
  std::uint64_t seed = o.seed;
  if (seed == 0)
    seed = std::random_device{}() ^
           static_cast<std::uint64_t>(clock_type::now().time_since_epoch().count());
  const std::string run = [&] {
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(seed));
    return std::string(buf);
  }();

  ssl::context tls(ssl::context::tls_client);
  tls.load_verify_file(o.ca);
  tls.set_verify_mode(ssl::verify_peer);
  tls.set_verify_callback(ssl::host_name_verification(o.server_name));
  if (o.mode != "static") {
    tls.use_certificate_chain_file(o.cert);
    tls.use_private_key_file(o.key, ssl::context::pem);
  }

  // Setup (not timed): register families, or read their ids from a file.
  std::vector<family> families;
  if (!o.families_file.empty()) {
    std::ifstream in(o.families_file);
    for (std::string line; std::getline(in, line);)
      if (!line.empty()) families.push_back({line, {}});
  }
  if (o.families > 0 && (o.mode == "write" || families.empty())) {
    bsn_source bsns(seed);
    std::vector<family> fresh(o.families);
    for (auto& f : fresh)
      for (int m = 0; m < 4; ++m) f.bsns.push_back(bsns.next());
    std::mutex mutex;
    std::uint64_t failed = 0;
    phase setup;
    setup.make = [&](std::uint64_t n) -> std::optional<request> {
      if (n >= fresh.size()) return std::nullopt;
      auto req = base_request(o, http::verb::post, "/v1/families", false);
      req.set(http::field::content_type, "application/json");
      req.body() = registration_body(fresh[n].bsns, n);
      req.prepare_payload();
      return req;
    };
    setup.check = [&](std::uint64_t n, const response& res) {
      boost::system::error_code ec;
      auto v = boost::json::parse(res.body(), ec);
      const auto* id = !ec && v.is_object() ? v.as_object().if_contains("family_id") : nullptr;
      if (res.result_int() != 201 || id == nullptr || !id->is_string()) {
        const std::lock_guard lock(mutex);
        if (failed++ == 0)
          std::cerr << "sluis_load: registering a family failed: " << res.result_int() << " "
                    << res.body().substr(0, 300) << "\n";
        return false;
      }
      fresh[n].id = std::string(id->as_string());
      return true;
    };
    const auto t0 = clock_type::now();
    auto s = run_phase(tls, o, setup, std::min(o.connections, 16u));
    const double secs = std::chrono::duration<double>(clock_type::now() - t0).count();
    std::erase_if(fresh, [](const family& f) { return f.id.empty(); });
    if (!o.quiet)
      std::cerr << "setup: registered " << fresh.size() << " families in " << secs << " s ("
                << s.transport_errors << " transport errors)\n";
    if (fresh.empty()) {
      std::cerr << "sluis_load: no family could be registered\n";
      return 1;
    }
    if (!o.families_out.empty()) {
      std::ofstream out(o.families_out);
      for (const auto& f : fresh) out << f.id << "\n";
    }
    families = std::move(fresh);
  }
  if (o.mode != "static" && o.url.find("{family}") != std::string::npos && families.empty() &&
      o.mode == "read") {
    std::cerr << "sluis_load: --url has {family}: give --families K or --families-file\n";
    return 2;
  }

  // The timed phase.
  phase p;
  const auto start = clock_type::now();
  p.record_from = start + std::chrono::duration_cast<clock_type::duration>(
                              std::chrono::duration<double>(o.warmup));
  p.stop_at = p.record_from + std::chrono::duration_cast<clock_type::duration>(
                                  std::chrono::duration<double>(o.duration));
  std::atomic<std::uint64_t> first_error_shown{0};
  p.check = [&](std::uint64_t, const response& res) {
    const bool ok = res.result_int() >= 200 && res.result_int() < 300;
    if (!ok && first_error_shown++ == 0 && !o.quiet)
      std::cerr << "first error: " << res.result_int() << " " << res.body().substr(0, 300) << "\n";
    return ok;
  };
  if (o.mode == "write") {
    p.make = [&](std::uint64_t n) -> std::optional<request> {
      auto req = base_request(o, http::verb::post, "/v1/contributions", true);
      req.set(http::field::content_type, "application/json");
      req.body() = contribution_body(families[n % families.size()], n, run);
      req.prepare_payload();
      return req;
    };
  } else {
    p.make = [&](std::uint64_t n) -> std::optional<request> {
      std::string target = o.url;
      if (const auto at = target.find("{family}"); at != std::string::npos)
        target.replace(at, 8, families[n % families.size()].id);
      return base_request(o, http::verb::get, target, true);
    };
  }
  auto s = run_phase(tls, o, p, o.connections);
  std::sort(s.micros.begin(), s.micros.end());
  std::uint64_t errors = s.transport_errors;
  std::string by_status;
  for (const auto& [status, count] : s.errors_by_status) {
    errors += count;
    by_status += " " + std::to_string(status) + ":" + std::to_string(count);
  }
  const double rps = static_cast<double>(s.micros.size()) / o.duration;
  const double mean_bytes =
      s.micros.empty() ? 0 : static_cast<double>(s.bytes) / static_cast<double>(s.micros.size());
  char line[512];
  std::snprintf(line, sizeof line,
                "RESULT mode=%s connections=%u duration_s=%.1f ok=%zu errors=%llu rps=%.1f "
                "p50_ms=%.3f p99_ms=%.3f p999_ms=%.3f max_ms=%.3f body_bytes=%.0f reconnects=%llu",
                o.mode.c_str(), o.connections, o.duration, s.micros.size(),
                static_cast<unsigned long long>(errors), rps, percentile(s.micros, 0.50),
                percentile(s.micros, 0.99), percentile(s.micros, 0.999),
                s.micros.empty() ? 0.0 : s.micros.back() / 1000.0, mean_bytes,
                static_cast<unsigned long long>(s.reconnects));
  std::cout << line;
  if (errors > 0)
    std::cout << " transport_errors=" << s.transport_errors
              << (by_status.empty() ? "" : " by_status=") << by_status;
  std::cout << std::endl;
  return s.micros.empty() ? 1 : 0;
}
