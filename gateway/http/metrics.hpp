#pragma once
// Prometheus metrics of the HTTP server, plus gauges and counters other modules register.
//
// A metrics_registry is safe for concurrent use from any number of threads. Labels are route
// templates and status codes only: never raw paths, ids or anything personal.

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sluis::http {

// The Content-Type of render()'s output (Prometheus text exposition format 0.0.4).
inline constexpr std::string_view metrics_content_type = "text/plain; version=0.0.4; charset=utf-8";

class metrics_registry {
 public:
  enum class kind { counter, gauge };

  // One answered request: sluis_http_requests_total{route,status} and
  // sluis_http_request_duration_seconds{route} (standard Prometheus buckets).
  void record_request(std::string_view route, unsigned status, std::chrono::nanoseconds latency);

  void connection_opened();     // sluis_http_open_connections += 1
  void connection_closed();     // sluis_http_open_connections -= 1
  void connection_rejected();   // sluis_http_rejected_connections_total: over the connection cap
  void handshake_refused();     // sluis_http_refused_handshakes_total
  void request_rate_limited();  // sluis_http_rate_limited_requests_total

  std::int64_t open_connections() const;

  // Adds a metric whose value is read by `read` at render time (e.g. the audit sequence number).
  // `name` must be a valid Prometheus metric name; a second registration of a name replaces the
  // first. `read` is called without the registry's lock held and must be thread-safe.
  void register_callback(std::string name, std::string help, kind k, std::function<double()> read);

  // Everything in the Prometheus text format, metrics sorted by name.
  std::string render() const;

 private:
  struct histogram {
    std::vector<std::uint64_t> bucket_counts;  // cumulative at render time, per bound here
    std::uint64_t count = 0;
    double sum_seconds = 0;
  };
  struct callback_metric {
    std::string help;
    kind k;
    std::function<double()> read;
  };

  mutable std::mutex mutex_;
  std::map<std::pair<std::string, unsigned>, std::uint64_t> requests_;
  std::map<std::string, histogram> latency_;
  std::int64_t open_connections_ = 0;
  std::uint64_t rejected_connections_ = 0;
  std::uint64_t refused_handshakes_ = 0;
  std::uint64_t rate_limited_ = 0;
  std::map<std::string, callback_metric> callbacks_;
};

}  // namespace sluis::http
