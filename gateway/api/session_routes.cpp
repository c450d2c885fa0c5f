// Signing in and out of the web UI: POST /v1/session (password and TOTP code), GET /v1/session
// (who am I, and the CSRF token again after a page reload), DELETE /v1/session (sign out).
//
// A login is throttled per client address and per submitted id before any password is checked,
// and the account locks itself after repeated failures (people::user_store). Every login, failure
// and logout is audited; a failure's entry names the account only when it exists, because people
// type passwords into the user field and the audit log is kept for years.

#include <boost/json.hpp>

#include "adapters/json/object_reader.hpp"
#include "gateway/api/routes.hpp"
#include "gateway/store/connection.hpp"

namespace sluis::api {
namespace {

namespace bhttp = boost::beast::http;
using bhttp::verb;

constexpr std::string_view cookie_attributes = "; Path=/; Secure; HttpOnly; SameSite=Strict";

boost::json::object user_json(const people::user& u) {
  return {{"id", u.id},
          {"display_name", u.display_name},
          {"organisation", u.organisation},
          {"role", people::to_string(u.role)}};
}

struct credentials {
  std::string user;
  std::string password;
  std::string code;
};

result<credentials> parse_credentials(std::string_view body) {
  auto object = adapters::json::parse_object(body);
  if (!object) return object.error();
  std::optional<error> first;
  adapters::json::object_reader r(*object, "", first);
  credentials out{r.text("user", people::user_store::max_id_size),
                  r.text("password", people::user_store::max_password_size), r.text("code", 10)};
  r.finish();
  if (first) return *first;
  return out;
}

http::response too_many(const call& c, std::chrono::seconds retry_after) {
  auto res = problem_response(c, error(errc::rate_limited, "too many failed logins; try later"));
  res.set(bhttp::field::retry_after, std::to_string(retry_after.count()));
  return res;
}

void login(const call_ptr& c) {
  auto entry = entry_for(*c, "session.login", "session", "");
  auto creds = parse_credentials(c->req.body());
  if (!creds) return refuse(c, std::move(entry), creds.error());
  const auto now = c->now();
  const std::string keys[] = {"address:" + c->remote_address, "user:" + creds->user};
  for (const auto& key : keys) {
    if (const auto d = c->people.throttle.check(key, now); !d.allowed) {
      entry.outcome = {audit::outcome_kind::refused, "rate_limited"};
      return record_then_send(c, std::move(entry), too_many(*c, d.retry_after));
    }
  }
  // The Argon2id check runs here, on a reader; only its outcome goes through the single writer.
  auto check = c->s.store.reads().with([&](store::connection& db) {
    return c->people.users.check_login(db, creds->user, creds->password, creds->code, now);
  });
  if (!check) return refuse(c, std::move(entry), check.error());
  auto shared_check = std::make_shared<people::login_check>(std::move(*check));
  // What the transaction decided, for the steps after its commit.
  auto signed_in = std::make_shared<std::optional<people::user>>();
  write_then_send(
      c, std::move(entry),
      [c, shared_check, signed_in, user_id = creds->user, now](
          store::connection& db, audit::audit_entry& e) -> result<http::response> {
        signed_in->reset();  // a run may follow an earlier one (api::store_op)
        if (auto known = c->people.users.find(db, user_id)) {
          e.actor_user = known->id;
          e.actor_org = known->organisation;
        }
        auto user = c->people.users.finish_login(db, *shared_check, now);
        if (!user) {
          // A refusal that must commit: the failure count is what locks the account.
          if (user.error().code() != errc::unauthenticated &&
              user.error().code() != errc::rate_limited)
            return user.error();
          e.outcome = {audit::outcome_kind::refused, std::string(to_string(user.error().code()))};
          return problem_response(*c, user.error());
        }
        *signed_in = std::move(*user);
        return json_response(*c, bhttp::status::ok, {});
      },
      // Throttle counts and the session change only once the login and its entry are durable.
      [c, signed_in, keys, now](http::response& res) {
        if (!*signed_in) {
          for (const auto& key : keys) c->people.throttle.record_failure(key, now);
          return;
        }
        for (const auto& key : keys) c->people.throttle.record_success(key);
        const auto session = c->people.sessions.create(**signed_in, now);
        res = json_response(*c, bhttp::status::ok,
                            {{"user", user_json(**signed_in)}, {"csrf_token", session.csrf_token}});
        res.set(bhttp::field::set_cookie,
                "sluis_session=" + session.token + std::string(cookie_attributes));
      });
}

void who_am_i(const call_ptr& c) {
  send(c, json_response(
              *c, bhttp::status::ok,
              {{"user", user_json(c->session->user)}, {"csrf_token", c->session->csrf_token}}));
}

// The session ends once its logout entry is durable: a logout the log could not record fails (503)
// and leaves the session as it was, to be retried.
void logout(const call_ptr& c) {
  write_then_send(
      c, entry_for(*c, "session.logout", "session", ""),
      [c](store::connection&, audit::audit_entry&) -> result<http::response> {
        return no_content(*c);
      },
      [c](http::response& res) {
        c->people.sessions.destroy(c->session_token);
        res.set(bhttp::field::set_cookie,
                "sluis_session=; Max-Age=0" + std::string(cookie_attributes));
      });
}

}  // namespace

void add_session_routes(route_table& r) {
  r.add(verb::post, "/v1/session", {login, auth::none});
  r.add(verb::get, "/v1/session", {who_am_i, auth::person});
  r.add(verb::delete_, "/v1/session", {logout, auth::person});
}

}  // namespace sluis::api
