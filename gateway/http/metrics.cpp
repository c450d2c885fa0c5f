#include "gateway/http/metrics.hpp"

#include <array>
#include <charconv>
#include <system_error>

namespace sluis::http {
namespace {

constexpr std::array<double, 11> latency_bounds{0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
                                                0.5,   1.0,  2.5,   5.0,  10.0};

// Label values are route templates we chose, but escape anyway: the format breaks on a stray quote.
std::string escape_label(std::string_view value) {
  std::string out;
  for (char c : value) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

// Shortest text that reads back as the same double: "0.005", not "0.0050000000000000001".
std::string number(double value) {
  char buffer[64];
  const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  return ec == std::errc{} ? std::string(buffer, end) : std::string("NaN");
}

void header(std::string& out, std::string_view name, std::string_view help, std::string_view type) {
  out.append("# HELP ").append(name).append(" ").append(help).append("\n");
  out.append("# TYPE ").append(name).append(" ").append(type).append("\n");
}

void sample(std::string& out, std::string_view name, std::string_view labels,
            const std::string& value) {
  out.append(name);
  if (!labels.empty()) out.append("{").append(labels).append("}");
  out.append(" ").append(value).append("\n");
}

}  // namespace

void metrics_registry::record_request(std::string_view route, unsigned status,
                                      std::chrono::nanoseconds latency) {
  const double seconds = std::chrono::duration<double>(latency).count();
  std::lock_guard lock(mutex_);
  ++requests_[{std::string(route), status}];
  auto& h = latency_[std::string(route)];
  if (h.bucket_counts.empty()) h.bucket_counts.resize(latency_bounds.size());
  for (std::size_t i = 0; i < latency_bounds.size(); ++i) {
    if (seconds <= latency_bounds[i]) {
      ++h.bucket_counts[i];
      break;
    }
  }
  ++h.count;
  h.sum_seconds += seconds;
}

void metrics_registry::connection_opened() {
  std::lock_guard lock(mutex_);
  ++open_connections_;
}

void metrics_registry::connection_closed() {
  std::lock_guard lock(mutex_);
  --open_connections_;
}

void metrics_registry::connection_rejected() {
  std::lock_guard lock(mutex_);
  ++rejected_connections_;
}

void metrics_registry::handshake_refused() {
  std::lock_guard lock(mutex_);
  ++refused_handshakes_;
}

void metrics_registry::request_rate_limited() {
  std::lock_guard lock(mutex_);
  ++rate_limited_;
}

std::int64_t metrics_registry::open_connections() const {
  std::lock_guard lock(mutex_);
  return open_connections_;
}

void metrics_registry::register_callback(std::string name, std::string help, kind k,
                                         std::function<double()> read) {
  std::lock_guard lock(mutex_);
  callbacks_[std::move(name)] = {std::move(help), k, std::move(read)};
}

std::string metrics_registry::render() const {
  std::string out;
  std::map<std::string, callback_metric> callbacks;
  {
    std::lock_guard lock(mutex_);
    callbacks = callbacks_;
    header(out, "sluis_http_open_connections", "Open client connections.", "gauge");
    sample(out, "sluis_http_open_connections", "", std::to_string(open_connections_));
    header(out, "sluis_http_rate_limited_requests_total",
           "Requests answered 429 by the per-organisation rate limit.", "counter");
    sample(out, "sluis_http_rate_limited_requests_total", "", std::to_string(rate_limited_));
    header(out, "sluis_http_refused_handshakes_total", "TLS handshakes that failed.", "counter");
    sample(out, "sluis_http_refused_handshakes_total", "", std::to_string(refused_handshakes_));
    header(out, "sluis_http_rejected_connections_total",
           "Connections closed at once because the connection cap was reached.", "counter");
    sample(out, "sluis_http_rejected_connections_total", "", std::to_string(rejected_connections_));
    header(out, "sluis_http_request_duration_seconds",
           "Time from a complete request to its response, by route template.", "histogram");
    for (const auto& [route, h] : latency_) {
      const std::string route_label = "route=\"" + escape_label(route) + "\"";
      std::uint64_t cumulative = 0;
      for (std::size_t i = 0; i < latency_bounds.size(); ++i) {
        cumulative += h.bucket_counts[i];
        sample(out, "sluis_http_request_duration_seconds_bucket",
               route_label + ",le=\"" + number(latency_bounds[i]) + "\"",
               std::to_string(cumulative));
      }
      sample(out, "sluis_http_request_duration_seconds_bucket", route_label + ",le=\"+Inf\"",
             std::to_string(h.count));
      sample(out, "sluis_http_request_duration_seconds_sum", route_label, number(h.sum_seconds));
      sample(out, "sluis_http_request_duration_seconds_count", route_label,
             std::to_string(h.count));
    }
    header(out, "sluis_http_requests_total", "Answered requests by route template and status.",
           "counter");
    for (const auto& [key, count] : requests_) {
      sample(
          out, "sluis_http_requests_total",
          "route=\"" + escape_label(key.first) + "\",status=\"" + std::to_string(key.second) + "\"",
          std::to_string(count));
    }
  }
  for (const auto& [name, metric] : callbacks) {
    header(out, name, metric.help, metric.k == kind::counter ? "counter" : "gauge");
    sample(out, name, "", number(metric.read()));
  }
  return out;
}

}  // namespace sluis::http
