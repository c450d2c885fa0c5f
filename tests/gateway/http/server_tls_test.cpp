// Mutual TLS: who may connect, what the handler learns about them, and what is logged on refusal.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <sys/socket.h>

#include <boost/json/parse.hpp>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>

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

// The server's end of an accepted connection has Nagle's algorithm off. The server runs in this
// process, so its socket is one of our own descriptors: the one bound to the server's port.
TEST_F(tls_test, AcceptedConnectionsSendWithoutNagleDelay) {
  start(config());
  auto c = client(&pki_.client);
  ASSERT_FALSE(c.connect());
  ASSERT_TRUE(c.get("/echo"));
  const auto port = server_->local_endpoint().port();
  int accepted = 0;
  for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd")) {
    const int fd = std::stoi(entry.path().filename().string());
    sockaddr_in local{}, peer{};
    socklen_t size = sizeof local;
    if (::getsockname(fd, reinterpret_cast<sockaddr*>(&local), &size) != 0 ||
        local.sin_family != AF_INET || ntohs(local.sin_port) != port)
      continue;
    size = sizeof peer;
    if (::getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &size) != 0) continue;  // listener
    int no_delay = 0;
    size = sizeof no_delay;
    ASSERT_EQ(::getsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &no_delay, &size), 0);
    EXPECT_NE(no_delay, 0) << "descriptor " << fd;
    ++accepted;
  }
  EXPECT_EQ(accepted, 1);
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

// The expiry a metric reports, from the Prometheus text; -1 when absent.
double metric_value(const std::string& text, const std::string& name) {
  const auto at = text.find("\n" + name + " ");
  if (at == std::string::npos) return -1;
  return std::stod(text.substr(at + name.size() + 2));
}

// A certificate file's notAfter in unix seconds, read here with OpenSSL on its own.
double not_after_of(const std::filesystem::path& pem) {
  std::FILE* f = std::fopen(pem.c_str(), "r");
  if (f == nullptr) return 0;
  X509* cert = PEM_read_X509(f, nullptr, nullptr, nullptr);
  std::fclose(f);
  std::tm tm{};
  const bool ok = cert != nullptr && ASN1_TIME_to_tm(X509_get0_notAfter(cert), &tm) == 1;
  X509_free(cert);
  return ok ? static_cast<double>(timegm(&tm)) : 0;
}

// Certificates rotate without a restart: after reload_tls() new connections get the new server
// certificate and the new trusted client CAs, a connection opened before keeps working, and files
// with errors change nothing.
TEST_F(tls_test, ReloadedCertificatesServeNewConnectionsAndKeepOpenOnes) {
  // The files the server reads, in a directory of their own, as an operator's are.
  const auto live = dir_ / "live";
  std::filesystem::create_directory(live);
  const auto install = [&](const test_pki& from) {
    using std::filesystem::copy_options;
    std::filesystem::copy_file(from.server_certificate, live / "server.pem",
                               copy_options::overwrite_existing);
    std::filesystem::copy_file(from.server_key, live / "server.key",
                               copy_options::overwrite_existing);
    std::filesystem::copy_file(from.ca_certificate, live / "clients-ca.pem",
                               copy_options::overwrite_existing);
  };
  install(pki_);
  auto c = config();
  c.tls = {live / "server.pem", live / "server.key", live / "clients-ca.pem"};
  start(std::move(c));
  auto before = client(&pki_.client);
  ASSERT_FALSE(before.connect());
  ASSERT_EQ(before.get("/echo")->result_int(), 200);
  EXPECT_EQ(
      metric_value(metrics_->render(), "sluis_tls_server_certificate_expiry_timestamp_seconds"),
      not_after_of(pki_.server_certificate));
  EXPECT_EQ(metric_value(metrics_->render(), "sluis_tls_client_ca_expiry_timestamp_seconds"),
            not_after_of(pki_.ca_certificate));

  // The server certificate expires within a day: the alert SluisCertificateExpiresSoon (30 days)
  // would fire on this metric.
  const auto now_seconds = static_cast<double>(std::time(nullptr));
  EXPECT_LT(
      metric_value(metrics_->render(), "sluis_tls_server_certificate_expiry_timestamp_seconds"),
      now_seconds + 30 * 86400);

  // The replacement: a new CA with its own server certificate, valid for 400 days, and clients.
  temp_dir next_dir;
  const test_pki next = make_test_pki(next_dir.path(), 400L * 86400);
  install(next);
  auto reloaded = server_->reload_tls();
  ASSERT_TRUE(reloaded) << reloaded.error().what();
  const auto port = server_->local_endpoint().port();

  tls_client fresh(port, {next.ca_certificate, &next.client, false, {}});
  ASSERT_FALSE(fresh.connect());
  auto res = fresh.get("/echo");
  ASSERT_TRUE(res);
  EXPECT_EQ(json_body(*res).at("peer").at("fingerprint").as_string(),
            next.client.sha256_fingerprint);
  // The old server certificate is gone for new connections: a client that trusts only the old CA
  // no longer verifies the server.
  tls_client trusting_old(port, {pki_.ca_certificate, nullptr, false, {}});
  EXPECT_TRUE(trusting_old.connect());
  // And the old CA is no longer trusted for client certificates.
  tls_client old_client(port, {next.ca_certificate, &pki_.client, false, {}});
  if (!old_client.connect()) {
    EXPECT_FALSE(old_client.get("/echo"));  // TLS 1.3: refused on the first read
  }
  EXPECT_EQ(
      metric_value(metrics_->render(), "sluis_tls_server_certificate_expiry_timestamp_seconds"),
      not_after_of(next.server_certificate));
  EXPECT_GT(
      metric_value(metrics_->render(), "sluis_tls_server_certificate_expiry_timestamp_seconds"),
      now_seconds + 30 * 86400);  // the alert clears

  // The connection opened before the reload still works, on the context it started with.
  auto again = before.get("/echo");
  ASSERT_TRUE(again);
  EXPECT_EQ(again->result_int(), 200);

  // A broken file: the reload fails, naming the setting, and what was loaded stays in force.
  std::ofstream(live / "server.pem") << "not a certificate";
  auto broken = server_->reload_tls();
  ASSERT_FALSE(broken);
  EXPECT_EQ(broken.error().field(), "tls.certificate_chain");
  install(next);
  std::ofstream(live / "clients-ca.pem") << "not a CA either";
  broken = server_->reload_tls();
  ASSERT_FALSE(broken);
  EXPECT_EQ(broken.error().field(), "tls.client_ca");
  tls_client still(port, {next.ca_certificate, &next.client, false, {}});
  ASSERT_FALSE(still.connect());
  EXPECT_EQ(still.get("/echo")->result_int(), 200);
}

}  // namespace
}  // namespace sluis::testing
