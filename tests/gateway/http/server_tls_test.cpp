// Mutual TLS: who may connect, what the handler learns about them, and what is logged on refusal.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "common/log.hpp"
#include "tests/gateway/http/server_fixture.hpp"

namespace sluis::testing {
namespace {

using tls_test = server_fixture;

boost::json::object json_body(const http_response& res) {
  return boost::json::parse(res.body()).as_object();
}

TEST_F(tls_test, AcceptedClientCertificateReachesHandlerAsPeer) {
  start(config());
  auto c = client(&pki_.client);
  ASSERT_FALSE(c.connect());
  auto res = c.get("/echo");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->result_int(), 200);
  const auto body = json_body(*res);
  ASSERT_TRUE(body.at("peer").is_object());
  const auto& peer = body.at("peer").as_object();
  EXPECT_EQ(peer.at("fingerprint").as_string(), pki_.client.sha256_fingerprint);
  EXPECT_EQ(peer.at("serial_number").as_string(), "00000001234567890000");
  EXPECT_EQ(peer.at("common_name").as_string(), "Wijkteam Test");
  EXPECT_EQ(body.at("remote_address").as_string(), "127.0.0.1");
  // The request id reaches the handler and the client alike; the route label does not leave.
  EXPECT_EQ((*res)["X-Request-Id"], body.at("request_id").as_string());
  EXPECT_EQ((*res)["X-Request-Id"].size(), 32U);
  EXPECT_EQ((*res)[boost::beast::http::field::server], "Sluis");
  EXPECT_EQ(res->find(http::route_header), res->end());
}

TEST_F(tls_test, NoCertificateIsAcceptedWithoutPeer) {
  start(config());
  auto c = client();
  ASSERT_FALSE(c.connect());
  auto res = c.get("/echo");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->result_int(), 200);
  EXPECT_TRUE(json_body(*res).at("peer").is_null());
}

// With TLS 1.3 the client finishes its handshake before the server has checked the client's
// certificate; the refusal then arrives as an alert on the first read. Either way: no response,
// the handler never runs, and the server reports the refusal with its reason.
void expect_refused(tls_client& c, refusal_recorder& refusals, const echo_handler& handler,
                    std::string_view reason_part) {
  if (!c.connect()) {
    EXPECT_FALSE(c.get("/echo"));
  }
  const auto refusal = refusals.first();
  EXPECT_NE(refusal.reason.find(reason_part), std::string::npos) << refusal.reason;
  EXPECT_EQ(refusal.remote_address, "127.0.0.1");
  EXPECT_EQ(handler.requests_seen(), 0);
}

TEST_F(tls_test, CertificateFromAnotherCaIsRefused) {
  start(config());
  auto c = client(&pki_.foreign_client);
  expect_refused(c, refusals_, *handler_, "client certificate");
  EXPECT_NE(metrics_->render().find("sluis_http_refused_handshakes_total 1"), std::string::npos);
}

TEST_F(tls_test, ExpiredCertificateIsRefused) {
  start(config());
  auto c = client(&pki_.expired_client);
  expect_refused(c, refusals_, *handler_, "expired");
}

TEST_F(tls_test, Tls11ClientIsRefused) {
  start(config());
  tls_client c(server_->local_endpoint().port(), {pki_.ca_certificate, &pki_.client, true, {}});
  EXPECT_TRUE(c.connect());
  EXPECT_FALSE(refusals_.first().reason.empty());
  EXPECT_EQ(handler_->requests_seen(), 0);
}

TEST_F(tls_test, RefusalIsOneJsonLogLineWithoutSubjectNames) {
  const auto log_file = dir_ / "sluis.log";
  ASSERT_TRUE(log::set_file_sink(log_file));
  start(config());
  auto c = client(&pki_.foreign_client);
  expect_refused(c, refusals_, *handler_, "client certificate");
  server_->stop(std::chrono::seconds{5});
  log::set_stderr_sink();

  const std::string logs = read_file(log_file);
  bool found = false;
  std::size_t start = 0;
  while (start < logs.size()) {
    const auto end = logs.find('\n', start);
    ASSERT_NE(end, std::string::npos) << "every line ends with a newline";
    const auto line = boost::json::parse(logs.substr(start, end - start)).as_object();
    if (line.at("event") == "tls_handshake_refused") {
      found = true;
      EXPECT_EQ(line.at("level"), "warn");
      EXPECT_NE(line.at("reason").as_string().find("client certificate"), std::string::npos);
    }
    start = end + 1;
  }
  EXPECT_TRUE(found);
  EXPECT_EQ(logs.find(pki_.foreign_client.common_name), std::string::npos);
  EXPECT_EQ(logs.find(pki_.foreign_client.serial_number), std::string::npos);
}

}  // namespace
}  // namespace sluis::testing
