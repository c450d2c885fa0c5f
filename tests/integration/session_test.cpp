// Signing in to the web UI over real TLS: cookie flags, CSRF, idle expiry, throttling, audit.

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "gateway/people/totp.hpp"
#include "gateway/store/connection.hpp"
#include "gateway/store/statement.hpp"
#include "tests/integration/gateway_fixture.hpp"

namespace sluis::testing {
namespace {

namespace bhttp = boost::beast::http;
using namespace std::chrono_literals;

class session_test : public gateway_fixture {
 protected:
  void SetUp() override {
    gateway_fixture::SetUp();
    start();
    secret_ = add_person("gm-jansen", "wijkteam", "gezinsmanager");
  }

  http_response raw_login(const std::string& user, const std::string& password,
                          const std::string& code) {
    const boost::json::object body{{"user", user}, {"password", password}, {"code", code}};
    return call(nullptr, bhttp::verb::post, "/v1/session", boost::json::serialize(body));
  }

  // (action, outcome, actor_user) of every session entry, in order.
  std::vector<std::tuple<std::string, std::string, std::string>> session_audit() {
    std::vector<std::tuple<std::string, std::string, std::string>> out;
    auto ok = audit_->reads().with([&](store::connection& db) -> result<void> {
      auto q = db.prepare(
          "SELECT action, outcome, actor_user FROM audit_log WHERE action LIKE 'session.%' "
          "ORDER BY seq");
      if (!q) return q.error();
      for (;;) {
        auto row = q->step();
        if (!row) return row.error();
        if (!*row) return {};
        out.emplace_back(q->column_text(0), q->column_text(1), q->column_text(2));
      }
    });
    EXPECT_TRUE(ok) << ok.error().what();
    return out;
  }

  std::string secret_;
};

TEST_F(session_test, login_sets_a_strict_session_cookie_and_returns_the_csrf_token) {
  const auto me = login("gm-jansen", secret_);
  ASSERT_EQ(me.response.result(), bhttp::status::ok) << me.response.body();
  const std::string cookie(me.response[bhttp::field::set_cookie]);
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos) << cookie;
  EXPECT_NE(cookie.find("Secure"), std::string::npos) << cookie;
  EXPECT_NE(cookie.find("SameSite=Strict"), std::string::npos) << cookie;
  EXPECT_NE(cookie.find("Path=/"), std::string::npos) << cookie;
  EXPECT_EQ(me.cookie.size(), std::string("sluis_session=").size() + 64);
  EXPECT_EQ(me.csrf_token.size(), 64u);
  // JSON answers carry the same security headers as the web UI's pages.
  EXPECT_EQ(me.response["X-Content-Type-Options"], "nosniff");
  EXPECT_EQ(me.response[bhttp::field::strict_transport_security], "max-age=31536000");
  EXPECT_EQ(me.response["X-Frame-Options"], "DENY");
  EXPECT_EQ(me.response["Referrer-Policy"], "no-referrer");
  const auto body = json(me.response);
  EXPECT_EQ(body.at("user").at("role"), "gezinsmanager");
  EXPECT_EQ(body.at("user").at("organisation"), "wijkteam");

  const auto again = person_call(me, bhttp::verb::get, "/v1/session");
  ASSERT_EQ(again.result(), bhttp::status::ok) << again.body() << me.cookie;
  EXPECT_EQ(json(again).at("csrf_token").as_string(), me.csrf_token);
}

TEST_F(session_test, every_bad_credential_gets_the_same_answer) {
  const auto key = people::base32_decode(secret_);
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  const auto good_code = people::totp_code(*key, now);
  const auto wrong_password = raw_login("gm-jansen", "not the password at all", good_code);
  const auto wrong_code = raw_login("gm-jansen", person_password, "000000");
  const auto unknown_user = raw_login("nobody-here", person_password, good_code);
  for (const auto* r : {&wrong_password, &wrong_code, &unknown_user}) {
    EXPECT_EQ(r->result(), bhttp::status::unauthorized) << r->body();
    EXPECT_EQ(json(*r).at("detail"), json(wrong_password).at("detail"));
    EXPECT_TRUE((*r)[bhttp::field::set_cookie].empty());
  }
  // A failure names the account only when it exists: typed passwords never reach the log.
  const auto entries = session_audit();
  ASSERT_EQ(entries.size(), 3u);
  EXPECT_EQ(std::get<2>(entries[0]), "gm-jansen");
  EXPECT_EQ(std::get<1>(entries[0]), "refused");
  EXPECT_EQ(std::get<2>(entries[2]), "");
}

TEST_F(session_test, a_code_is_accepted_once) {
  const auto at = std::chrono::system_clock::now();
  ASSERT_EQ(login("gm-jansen", secret_, at).response.result(), bhttp::status::ok);
  EXPECT_EQ(login("gm-jansen", secret_, at).response.result(), bhttp::status::unauthorized);
}

TEST_F(session_test, changes_without_the_csrf_token_are_refused) {
  auto me = login("gm-jansen", secret_);
  ASSERT_EQ(me.response.result(), bhttp::status::ok);
  auto forged = me;
  forged.csrf_token = std::string(64, 'a');
  EXPECT_EQ(person_call(forged, bhttp::verb::delete_, "/v1/session").result(),
            bhttp::status::forbidden);
  forged.csrf_token.clear();
  EXPECT_EQ(person_call(forged, bhttp::verb::delete_, "/v1/session").result(),
            bhttp::status::forbidden);
  // The session survived the forged requests; the real token signs out.
  EXPECT_EQ(person_call(me, bhttp::verb::delete_, "/v1/session").result(),
            bhttp::status::no_content);
  EXPECT_EQ(person_call(me, bhttp::verb::get, "/v1/session").result(), bhttp::status::unauthorized);
  const auto entries = session_audit();
  ASSERT_FALSE(entries.empty());
  EXPECT_EQ(std::get<0>(entries.back()), "session.logout");
}

// The session ends only once its logout is recorded: while the audit log fails, logout is refused
// (503) and the session still works.
TEST_F(session_test, a_logout_the_log_cannot_record_leaves_the_session) {
  const auto me = login("gm-jansen", secret_);
  ASSERT_EQ(me.response.result(), bhttp::status::ok);
  // The log breaks; the next audited write (a failed login) fails its append.
  ASSERT_TRUE(audit_->writer().run([](store::connection& db) {
    return db.execute("ALTER TABLE audit_log RENAME TO audit_log_broken");
  }));
  EXPECT_EQ(raw_login("gm-jansen", "wrong password", "000000").result(),
            bhttp::status::unauthorized);
  for (int i = 0; i < 500 && !audit_->failing(); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  ASSERT_TRUE(audit_->failing());
  EXPECT_EQ(person_call(me, bhttp::verb::delete_, "/v1/session").result(),
            bhttp::status::service_unavailable);
  EXPECT_EQ(person_call(me, bhttp::verb::get, "/v1/session").result(), bhttp::status::ok);
}

TEST_F(session_test, an_idle_session_ends) {
  const auto me = login("gm-jansen", secret_);
  ASSERT_EQ(me.response.result(), bhttp::status::ok);
  services_->clock = [] { return std::chrono::system_clock::now() + 14min; };
  EXPECT_EQ(person_call(me, bhttp::verb::get, "/v1/session").result(), bhttp::status::ok);
  // Used at +14 min, so idle until +29 min; +30 min is over the 15-minute idle timeout.
  services_->clock = [] { return std::chrono::system_clock::now() + 30min; };
  EXPECT_EQ(person_call(me, bhttp::verb::get, "/v1/session").result(), bhttp::status::unauthorized);
}

TEST_F(session_test, a_session_ends_after_its_absolute_lifetime_even_when_used) {
  const auto me = login("gm-jansen", secret_);
  ASSERT_EQ(me.response.result(), bhttp::status::ok);
  for (auto offset = 10min; offset < 8h; offset += 10min) {
    services_->clock = [offset] { return std::chrono::system_clock::now() + offset; };
    ASSERT_EQ(person_call(me, bhttp::verb::get, "/v1/session").result(), bhttp::status::ok)
        << offset.count();
  }
  services_->clock = [] { return std::chrono::system_clock::now() + 8h + 1min; };
  EXPECT_EQ(person_call(me, bhttp::verb::get, "/v1/session").result(), bhttp::status::unauthorized);
}

TEST_F(session_test, repeated_failures_lock_the_account) {
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(
        raw_login("gm-jansen", "wrong password number " + std::to_string(i), "123456").result(),
        bhttp::status::unauthorized);
  }
  // The fifth failure locks the account, and says so.
  EXPECT_EQ(raw_login("gm-jansen", "wrong password number 5", "123456").result(),
            bhttp::status::too_many_requests);
  // Locked now: even the right password and code are turned away.
  EXPECT_EQ(login("gm-jansen", secret_).response.result(), bhttp::status::too_many_requests);
}

TEST_F(session_test, partner_certificates_do_not_open_person_routes) {
  EXPECT_EQ(call(&pki_.client, bhttp::verb::get, "/v1/session").result(),
            bhttp::status::unauthorized);
}

}  // namespace
}  // namespace sluis::testing
