// The Prometheus text of metrics_registry: counters, histogram buckets, gauges, callbacks.
#include "gateway/http/metrics.hpp"

#include <gtest/gtest.h>

namespace sluis::http {
namespace {

using namespace std::chrono_literals;

bool contains(const std::string& text, std::string_view line) {
  return text.find(std::string(line) + "\n") != std::string::npos;
}

TEST(metrics, RequestsAreCountedByRouteAndStatus) {
  metrics_registry m;
  m.record_request("/v1/families", 201, 3ms);
  m.record_request("/v1/families", 201, 3ms);
  m.record_request("/v1/families", 422, 3ms);
  const auto text = m.render();
  EXPECT_TRUE(contains(text, "sluis_http_requests_total{route=\"/v1/families\",status=\"201\"} 2"));
  EXPECT_TRUE(contains(text, "sluis_http_requests_total{route=\"/v1/families\",status=\"422\"} 1"));
  EXPECT_TRUE(contains(text, "# TYPE sluis_http_requests_total counter"));
}

TEST(metrics, LatencyHistogramIsCumulative) {
  metrics_registry m;
  m.record_request("/r", 200, 3ms);    // <= 0.005
  m.record_request("/r", 200, 200ms);  // <= 0.25
  m.record_request("/r", 200, 20s);    // only +Inf
  const auto text = m.render();
  EXPECT_TRUE(
      contains(text, "sluis_http_request_duration_seconds_bucket{route=\"/r\",le=\"0.005\"} 1"));
  EXPECT_TRUE(
      contains(text, "sluis_http_request_duration_seconds_bucket{route=\"/r\",le=\"0.1\"} 1"));
  EXPECT_TRUE(
      contains(text, "sluis_http_request_duration_seconds_bucket{route=\"/r\",le=\"0.25\"} 2"));
  EXPECT_TRUE(
      contains(text, "sluis_http_request_duration_seconds_bucket{route=\"/r\",le=\"10\"} 2"));
  EXPECT_TRUE(
      contains(text, "sluis_http_request_duration_seconds_bucket{route=\"/r\",le=\"+Inf\"} 3"));
  EXPECT_TRUE(contains(text, "sluis_http_request_duration_seconds_count{route=\"/r\"} 3"));
}

TEST(metrics, ConnectionGaugeAndCounters) {
  metrics_registry m;
  m.connection_opened();
  m.connection_opened();
  m.connection_closed();
  m.connection_rejected();
  m.handshake_refused();
  m.request_rate_limited();
  m.request_rate_limited();
  const auto text = m.render();
  EXPECT_EQ(m.open_connections(), 1);
  EXPECT_TRUE(contains(text, "sluis_http_open_connections 1"));
  EXPECT_TRUE(contains(text, "sluis_http_rejected_connections_total 1"));
  EXPECT_TRUE(contains(text, "sluis_http_refused_handshakes_total 1"));
  EXPECT_TRUE(contains(text, "sluis_http_rate_limited_requests_total 2"));
}

TEST(metrics, CallbackMetricsAreReadAtRenderTime) {
  metrics_registry m;
  double sequence = 41;
  m.register_callback("sluis_audit_sequence", "Last audit sequence number.",
                      metrics_registry::kind::gauge, [&] { return sequence; });
  sequence = 42;
  const auto text = m.render();
  EXPECT_TRUE(contains(text, "# TYPE sluis_audit_sequence gauge"));
  EXPECT_TRUE(contains(text, "sluis_audit_sequence 42"));
}

TEST(metrics, LabelValuesAreEscaped) {
  metrics_registry m;
  m.record_request("a\"b", 200, 1ms);
  EXPECT_TRUE(contains(m.render(), "sluis_http_requests_total{route=\"a\\\"b\",status=\"200\"} 1"));
}

}  // namespace
}  // namespace sluis::http
