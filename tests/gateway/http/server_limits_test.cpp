// Hostile input: oversized headers and bodies, malformed requests, floods, slow and idle clients.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "gateway/http/problem.hpp"
#include "tests/gateway/http/server_fixture.hpp"

namespace sluis::testing {
namespace {

namespace bhttp = boost::beast::http;
using limits_test = server_fixture;

// A problem+json answer of the given type and status, with a valid body.
void expect_problem(const http_response& res, unsigned status, std::string_view type) {
  EXPECT_EQ(res.result_int(), status);
  EXPECT_EQ(res[bhttp::field::content_type], http::problem_content_type);
  const auto body = boost::json::parse(res.body()).as_object();
  EXPECT_EQ(body.at("type").as_string(), type);
  EXPECT_EQ(body.at("status").as_int64(), status);
  EXPECT_FALSE(body.at("title").as_string().empty());
  EXPECT_EQ(body.at("instance").as_string(), res["X-Request-Id"]);
}

// Sends `raw`, expects one problem answer and then the connection closed by the server.
void expect_problem_then_close(tls_client& c, std::string_view raw, unsigned status,
                               std::string_view type) {
  ASSERT_FALSE(c.send_raw(raw));
  boost::system::error_code ec;
  auto res = c.receive(ec);
  ASSERT_TRUE(res) << ec.message();
  expect_problem(*res, status, type);
  EXPECT_FALSE(res->keep_alive());
  EXPECT_TRUE(c.closed_by_server());
}

TEST_F(limits_test, HeaderOverLimitIs431AndCloses) {
  auto c_config = config();
  c_config.header_limit = 1024;
  start(std::move(c_config));
  auto c = client(&pki_.client);
  ASSERT_FALSE(c.connect());
  const std::string raw =
      "GET /echo HTTP/1.1\r\nHost: localhost\r\nX-Filler: " + std::string(2048, 'a') + "\r\n\r\n";
  expect_problem_then_close(c, raw, 431, http::problem_type::headers_too_large);
  EXPECT_EQ(handler_->requests_seen(), 0);
}

TEST_F(limits_test, BodyOverLimitIs413AndCloses) {
  auto c_config = config();
  c_config.body_limit = 1000;
  start(std::move(c_config));
  auto c = client(&pki_.client);
  ASSERT_FALSE(c.connect());
  const std::string raw = "POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1001\r\n\r\n" +
                          std::string(1001, 'x');
  expect_problem_then_close(c, raw, 413, http::problem_type::payload_too_large);
  EXPECT_EQ(handler_->requests_seen(), 0);
}

TEST_F(limits_test, BodyAtLimitIsAccepted) {
  auto c_config = config();
  c_config.body_limit = 1000;
  start(std::move(c_config));
  auto c = client(&pki_.client);
  ASSERT_FALSE(c.connect());
  http_request req{bhttp::verb::post, "/echo", 11};
  req.set(bhttp::field::host, "localhost");
  req.body() = std::string(1000, 'x');
  req.prepare_payload();
  auto res = c.request(req);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->result_int(), 200);
}

TEST_F(limits_test, MalformedRequestLineIs400AndCloses) {
  start(config());
  auto c = client(&pki_.client);
  ASSERT_FALSE(c.connect());
  expect_problem_then_close(c, "GET /echo HTTP/9 9\r\nHost: localhost\r\n\r\n", 400,
                            http::problem_type::bad_request);
  EXPECT_EQ(handler_->requests_seen(), 0);
}

TEST_F(limits_test, RateLimitAnswers429WithRetryAfterPerCertificate) {
  auto c_config = config();
  // One token per 1000 s after a burst of two: the third request is refused whatever the speed.
  c_config.rate_limit_per_second = 0.001;
  c_config.rate_limit_burst = 2;
  start(std::move(c_config));
  auto c = client(&pki_.client);
  ASSERT_FALSE(c.connect());
  for (int i = 0; i < 2; ++i) {
    auto res = c.get("/echo");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->result_int(), 200);
  }
  auto limited = c.get("/echo");
  ASSERT_TRUE(limited);
  expect_problem(*limited, 429, http::problem_type::rate_limited);
  EXPECT_GE(std::stoi(std::string((*limited)[bhttp::field::retry_after])), 1);
  EXPECT_TRUE(limited->keep_alive());
  EXPECT_EQ(handler_->requests_seen(), 2);
  EXPECT_NE(metrics_->render().find("sluis_http_rate_limited_requests_total 1"), std::string::npos);

  // Another organisation has its own bucket.
  auto other = client(&pki_.second_client);
  ASSERT_FALSE(other.connect());
  auto res = other.get("/echo");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->result_int(), 200);
}

TEST_F(limits_test, SlowClientIsDisconnectedAfterReadTimeout) {
  auto c_config = config();
  c_config.read_timeout = std::chrono::seconds{1};
  start(std::move(c_config));
  auto c = client(&pki_.client);
  ASSERT_FALSE(c.connect());
  ASSERT_FALSE(
      c.send_raw("GET /echo HTTP/1.1\r\nHost: localhost\r\n"));  // no blank line: never done
  EXPECT_TRUE(c.closed_by_server());
  EXPECT_EQ(handler_->requests_seen(), 0);
}

TEST_F(limits_test, IdleKeepAliveConnectionIsClosedAfterIdleTimeout) {
  auto c_config = config();
  c_config.idle_timeout = std::chrono::seconds{1};
  start(std::move(c_config));
  auto c = client(&pki_.client);
  ASSERT_FALSE(c.connect());
  auto res = c.get("/echo");
  ASSERT_TRUE(res);
  EXPECT_TRUE(res->keep_alive());
  EXPECT_TRUE(c.closed_by_server());
}

// At the cap an idle connection makes room for a new one, so idle clients cannot lock others out.
TEST_F(limits_test, AtTheCapTheOldestIdleConnectionMakesRoom) {
  auto c_config = config();
  c_config.max_connections = 1;
  start(std::move(c_config));
  auto first = client(&pki_.client);
  ASSERT_FALSE(first.connect());
  auto first_res = first.get("/echo");  // served, then idle on keep-alive
  ASSERT_TRUE(first_res);

  auto second = client(&pki_.client);
  ASSERT_FALSE(second.connect());
  auto res = second.get("/echo");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->result_int(), 200);
  EXPECT_TRUE(first.closed_by_server());
  EXPECT_NE(metrics_->render().find("sluis_http_rejected_connections_total 1"), std::string::npos);
}

TEST_F(limits_test, KeepAliveServesTwoRequestsOnOneConnection) {
  start(config());
  auto c = client(&pki_.client);
  ASSERT_FALSE(c.connect());
  auto first = c.get("/echo");
  auto second = c.get("/echo");
  ASSERT_TRUE(first);
  ASSERT_TRUE(second);
  EXPECT_EQ(first->result_int(), 200);
  EXPECT_EQ(second->result_int(), 200);
  EXPECT_NE((*first)["X-Request-Id"], (*second)["X-Request-Id"]);
  EXPECT_EQ(handler_->requests_seen(), 2);
}

TEST_F(limits_test, ConnectionCloseIsHonoured) {
  start(config());
  auto c = client(&pki_.client);
  ASSERT_FALSE(c.connect());
  auto req = make_get("/echo");
  req.set(bhttp::field::connection, "close");
  auto res = c.request(req);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->result_int(), 200);
  EXPECT_FALSE(res->keep_alive());
  EXPECT_TRUE(c.closed_by_server());
}

TEST_F(limits_test, UnknownRouteIsLabelledUnmatchedNotByItsPath) {
  start(config());
  auto c = client(&pki_.client);
  ASSERT_FALSE(c.connect());
  auto res = c.get("/v1/families/12345");
  ASSERT_TRUE(res);
  expect_problem(*res, 404, http::problem_type::not_found);
  const auto text = metrics_->render();
  EXPECT_NE(text.find("sluis_http_requests_total{route=\"unmatched\",status=\"404\"} 1"),
            std::string::npos);
  EXPECT_EQ(text.find("12345"), std::string::npos);
}

}  // namespace
}  // namespace sluis::testing
