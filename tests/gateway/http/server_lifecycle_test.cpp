// Start-up errors, metrics over the wire, and graceful shutdown.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <future>
#include <thread>

#include "tests/gateway/http/server_fixture.hpp"

namespace sluis::testing {
namespace {

using lifecycle_test = server_fixture;

TEST_F(lifecycle_test, StartFailsWithTheSettingAtFault) {
  auto c = config();
  c.tls.certificate_chain = dir_ / "missing.crt";
  auto started = http::server::start(std::move(c), handler_, metrics_);
  ASSERT_FALSE(started);
  EXPECT_EQ(started.error().code(), errc::invalid_argument);
  EXPECT_EQ(started.error().field(), "tls.certificate_chain");

  auto wrong_key = config();
  wrong_key.tls.private_key = pki_.client.key;  // a real key, but not the certificate's
  auto mismatched = http::server::start(std::move(wrong_key), handler_, metrics_);
  ASSERT_FALSE(mismatched);
  EXPECT_EQ(mismatched.error().field(), "tls.private_key");
}

TEST_F(lifecycle_test, MetricsCountRequestsByRouteAndOpenConnections) {
  start(config());
  auto c = client(&pki_.client);
  ASSERT_FALSE(c.connect());
  ASSERT_TRUE(c.get("/echo"));
  auto res = c.get("/metrics");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->result_int(), 200);
  const std::string& text = res->body();
  EXPECT_NE(text.find("sluis_http_requests_total{route=\"/echo\",status=\"200\"} 1"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("sluis_http_open_connections 1"), std::string::npos) << text;
  EXPECT_NE(text.find("sluis_http_request_duration_seconds_count{route=\"/echo\"} 1"),
            std::string::npos);
}

TEST_F(lifecycle_test, GracefulStopFinishesInFlightRequestAndRefusesNewConnections) {
  start(config());
  auto busy = client(&pki_.client);
  ASSERT_FALSE(busy.connect());
  auto idle = client(&pki_.client);
  ASSERT_FALSE(idle.connect());
  ASSERT_TRUE(idle.get("/echo"));

  ASSERT_FALSE(busy.send(make_get("/slow")));
  ASSERT_TRUE(handler_->wait_for_slow_request());
  auto stopping = std::async(std::launch::async, [&] { server_->stop(std::chrono::seconds{10}); });
  for (int i = 0; i < 500 && server_->accepting(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds{10});
  }
  ASSERT_FALSE(server_->accepting());

  auto late = client(&pki_.client);
  EXPECT_TRUE(late.connect());
  EXPECT_TRUE(idle.closed_by_server());

  boost::system::error_code ec;
  auto res = busy.receive(ec);
  ASSERT_TRUE(res) << ec.message();
  EXPECT_EQ(res->result_int(), 200);
  EXPECT_FALSE(res->keep_alive());
  stopping.get();
  EXPECT_EQ(metrics_->open_connections(), 0);
}

TEST_F(lifecycle_test, StopEndsRunUntilSignal) {
  start(config());
  auto running = std::async(std::launch::async, [&] { server_->run_until_signal(); });
  server_->stop(std::chrono::seconds{5});
  EXPECT_EQ(running.wait_for(std::chrono::seconds{10}), std::future_status::ready);
  EXPECT_FALSE(server_->accepting());
}

}  // namespace
}  // namespace sluis::testing
