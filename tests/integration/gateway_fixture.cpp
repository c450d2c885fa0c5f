#include "tests/integration/gateway_fixture.hpp"

#include "common/log.hpp"
#include "gateway/people/totp.hpp"
#include "gateway/people/user_store.hpp"
#include "gateway/store/connection.hpp"
#include "keys/kek.hpp"

namespace sluis::testing {

namespace bhttp = boost::beast::http;

void gateway_fixture::SetUp() {
  dir_ = std::make_unique<temp_dir>();
  pki_ = make_test_pki(dir_->path());
  data_ = dir_->path() / "data";
  std::filesystem::create_directories(data_);
  log_file_ = dir_->path() / "sluis.log";
  ASSERT_TRUE(log::set_file_sink(log_file_));
  const std::string_view passphrase = "test passphrase";
  auto source = keys::kek_source::from_passphrase(
      keys::secret_bytes::copy_of(
          {reinterpret_cast<const unsigned char*>(passphrase.data()), passphrase.size()}),
      keys::argon2_limits::minimum());
  auto kr = keys::keyring::create(data_ / "keyring.toml", source);
  ASSERT_TRUE(kr) << kr.error().what();
  keyring_.emplace(std::move(*kr));
  std::filesystem::copy_file(SLUIS_EXAMPLE_POLICY, data_ / "policy.toml");
}

void gateway_fixture::TearDown() {
  stop_server();
  services_.reset();
  audit_.reset();
  store_.reset();
  log::set_stderr_sink();
}

void gateway_fixture::start(const gateway_options& options) {
  std::string text = "[tls]\ncertificate = \"" + pki_.server_certificate.string() +
                     "\"\nprivate_key = \"" + pki_.server_key.string() + "\"\nclient_ca = \"" +
                     pki_.ca_certificate.string() +
                     "\"\n[policy]\nfile = \"policy.toml\"\n[audit]\ncheckpoint_interval = 10\n"
                     "[[organisation]]\nid = \"wijkteam\"\nname = \"Wijkteam\"\nsector = "
                     "\"wijkteam\"\ncontact = \"wijkteam, 010-1\"\ncertificate = { sha256 = \"" +
                     pki_.client.sha256_fingerprint + "\" }\n";
  if (options.configure_second_client) {
    text +=
        "[[organisation]]\nid = \"ggz\"\nname = \"GGZ\"\nsector = \"ggz\"\n"
        "professional_secrecy = true\ncertificate = { oin = \"" +
        pki_.second_client.serial_number + "\" }\n";
  }
  auto cfg = config::parse(text, "config.toml", data_);
  ASSERT_TRUE(cfg) << cfg.error().what();
  config_.emplace(std::move(*cfg));
  auto pol = api::active_policy::load(config_->policy_file);
  ASSERT_TRUE(pol) << pol.error().what();
  policy_ = std::move(*pol);
  signer_ = std::make_unique<audit::keyring_signer>(keyring_->audit_signer());
  audit_max_lag_ = options.audit_max_lag;
  reopen_store();
  const cases::case_store cases(*keyring_);
  auto synced = store_->writes().run([&](store::connection& db) -> result<void> {
    for (const auto& org : config_->organisations) {
      auto r = cases.sync_organisation(db, org.id, org.name, org.sector, org.professional_secrecy);
      if (!r) return r;
    }
    return {};
  });
  ASSERT_TRUE(synced) << synced.error().what();
  metrics_ = std::make_shared<http::metrics_registry>();
  in_force_.emplace(*config_);
  services_ = std::make_unique<api::services>(
      api::services{*in_force_, *keyring_, *store_, *audit_, *policy_, *metrics_});
  http::server_config sc;
  sc.port = 0;
  sc.threads = 2;
  sc.read_timeout = std::chrono::seconds(5);
  sc.body_limit = body_limit;
  sc.rate_limit_per_second = options.rate_limit_per_second;
  sc.rate_limit_burst = options.rate_limit_burst;
  sc.tls = {pki_.server_certificate, pki_.server_key, pki_.ca_certificate};
  auto srv = http::server::start(sc, std::make_shared<api::gateway_handler>(*services_), metrics_);
  ASSERT_TRUE(srv) << srv.error().what();
  server_ = std::move(*srv);
  port_ = server_->local_endpoint().port();
}

void gateway_fixture::stop_server() {
  if (server_) server_->stop(std::chrono::seconds(5));
  server_.reset();
}

void gateway_fixture::reopen_store() {
  audit_.reset();
  store_.reset();
  auto st = store::store::open(data_, keyring_->reveal_database_key_for_sqlcipher());
  ASSERT_TRUE(st) << st.error().what();
  store_ = std::move(*st);
  auto j =
      audit::journal::open(data_, keyring_->reveal_database_key_for_sqlcipher(), *store_, *signer_,
                           {.log = {.checkpoint_interval = 10}, .max_lag = audit_max_lag_});
  ASSERT_TRUE(j) << j.error().what();
  audit_ = std::move(*j);
}

tls_client gateway_fixture::client_for(const test_client_certificate* cert) {
  return tls_client(port_, tls_client_options{pki_.ca_certificate, cert, false, {}});
}

http_response gateway_fixture::call(const test_client_certificate* cert, bhttp::verb method,
                                    std::string target, std::string body) {
  tls_client c = client_for(cert);
  EXPECT_FALSE(c.connect());
  http_request req{method, target, 11};
  req.set(bhttp::field::host, "localhost");
  if (!body.empty()) req.set(bhttp::field::content_type, "application/json");
  req.body() = std::move(body);
  req.prepare_payload();
  auto res = c.request(req);
  EXPECT_TRUE(res.has_value()) << target;
  return res ? *res : http_response{};
}

boost::json::value gateway_fixture::json(const http_response& r) {
  boost::system::error_code ec;
  auto v = boost::json::parse(r.body(), ec);
  EXPECT_FALSE(ec) << r.body();
  return v;
}

std::string gateway_fixture::register_family() {
  const std::string body =
      std::string(R"({"gezinsmanager": {"user_id": "gm-1", "name": ")") + gezinsmanager_name +
      R"("}, "members": [
      {"bsn": ")" +
      mother_bsn +
      R"(", "role": "parent", "label": "moeder", "date_of_birth": "1985-03-01"},
      {"bsn": ")" +
      daughter_bsn +
      R"(", "role": "child", "label": "dochter", "date_of_birth": "2011-06-15",
       "gezag_holders": ["moeder"]}]})";
  auto res = call(&pki_.client, bhttp::verb::post, "/v1/families", body);
  EXPECT_EQ(res.result_int(), 201u) << res.body();
  return std::string(json(res).at("family_id").as_string());
}

std::string gateway_fixture::contribution_body(const std::string& source_ref, const char* bsn,
                                               const std::string& extra) {
  return R"({"source_ref": ")" + source_ref + R"(", "bsn": ")" + bsn +
         R"(", "domain": "psychische-gezondheid", "kind": "goal", "category": "special",
            "status": "active", "title": ")" +
         secret_title + "\"" + extra + "}";
}

std::string gateway_fixture::add_person(const std::string& id, const std::string& org,
                                        const std::string& role) {
  const people::user_store users(*keyring_, {.password_limits = keys::argon2_limits::minimum()});
  auto parsed_role = people::parse_role(role);
  EXPECT_TRUE(parsed_role) << role;
  std::string secret;
  auto added = store_->writes().run([&](store::connection& db) -> result<void> {
    auto e = users.add(db, {id, org, *parsed_role, "Persoon " + id}, person_password, 1);
    if (!e) return e.error();
    secret = e->secret_base32;
    return {};
  });
  EXPECT_TRUE(added) << added.error().what();
  return secret;
}

gateway_fixture::signed_in gateway_fixture::login(const std::string& id,
                                                  const std::string& secret_base32,
                                                  std::chrono::system_clock::time_point at) {
  const auto key = people::base32_decode(secret_base32);
  EXPECT_TRUE(key.has_value());
  const auto code = people::totp_code(
      *key, std::chrono::duration_cast<std::chrono::seconds>(at.time_since_epoch()).count());
  const boost::json::object body{{"user", id}, {"password", person_password}, {"code", code}};
  signed_in out;
  out.response = call(nullptr, bhttp::verb::post, "/v1/session", boost::json::serialize(body));
  const std::string set_cookie(out.response[bhttp::field::set_cookie]);
  out.cookie = set_cookie.substr(0, set_cookie.find(';'));
  if (out.response.result() == bhttp::status::ok)
    out.csrf_token = json(out.response).at("csrf_token").as_string().c_str();
  return out;
}

http_response gateway_fixture::person_call(const signed_in& who, bhttp::verb method,
                                           std::string target, std::string body) {
  auto client = client_for(nullptr);
  EXPECT_FALSE(client.connect());
  http_request req{method, target, 11};
  req.set(bhttp::field::host, "localhost");
  req.set(bhttp::field::cookie, who.cookie);
  if (method != bhttp::verb::get) req.set("X-CSRF-Token", who.csrf_token);
  if (!body.empty()) req.set(bhttp::field::content_type, "application/json");
  req.body() = std::move(body);
  req.prepare_payload();
  auto res = client.request(req);
  EXPECT_TRUE(res.has_value());
  return res ? std::move(*res) : http_response{};
}

}  // namespace sluis::testing
