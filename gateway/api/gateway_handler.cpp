#include "gateway/api/gateway_handler.hpp"

#include <algorithm>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/url/parse.hpp>
#include <cctype>

#include "common/log.hpp"
#include "gateway/api/routes.hpp"
#include "gateway/http/problem.hpp"
#include "gateway/store/connection.hpp"

namespace sluis::api {
namespace {

namespace bhttp = boost::beast::http;

route_table make_routes() {
  route_table r;
  add_operational_routes(r);
  add_partner_routes(r);
  add_session_routes(r);
  add_plan_routes(r);
  add_legal_routes(r);
  add_privacy_routes(r);
  add_vocabulary_routes(r);
  add_web_routes(r);
  return r;
}

bool valid_user(std::string_view user) {
  return !user.empty() && user.size() <= 64 && std::all_of(user.begin(), user.end(), [](char ch) {
    return std::isalnum(static_cast<unsigned char>(ch)) || ch == '-' || ch == '_' || ch == '.' ||
           ch == '@';
  });
}

// A partner system is who its verified client certificate says it is; it may name the
// professional it acts for in X-Sluis-User.
result<void> authenticate_partner(call& c, const http::request_context& ctx) {
  if (!ctx.peer) return error::unauthenticated("the partner API needs a client certificate");
  c.who.org =
      c.config->find_by_certificate(ctx.peer->subject_serial_number, ctx.peer->sha256_fingerprint);
  if (c.who.org == nullptr) {
    log::warn("api.unknown_organisation",
              {{"request_id", c.request_id}, {"fingerprint", ctx.peer->sha256_fingerprint}});
    return error::forbidden("the client certificate belongs to no configured organisation");
  }
  c.who.role = "professional";
  if (const auto user = c.req[std::string_view("X-Sluis-User")]; !user.empty()) {
    if (!valid_user(user)) {
      return error::invalid("X-Sluis-User",
                            "must be 1 to 64 characters of letters, digits and - _ . @");
    }
    c.who.user = std::string(user);
  }
  return {};
}

// The value of the session cookie, or "" (Cookie: a=b; sluis_session=...).
std::string_view session_cookie(const http::request& req) {
  std::string_view header = req[bhttp::field::cookie];
  constexpr std::string_view name = "sluis_session=";
  while (!header.empty()) {
    const std::size_t semicolon = header.find(';');
    std::string_view pair = header.substr(0, semicolon);
    header =
        semicolon == std::string_view::npos ? std::string_view{} : header.substr(semicolon + 1);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    if (pair.starts_with(name)) return pair.substr(name.size());
  }
  return {};
}

bool changes_state(bhttp::verb method) {
  return method != bhttp::verb::get && method != bhttp::verb::head &&
         method != bhttp::verb::options;
}

// A person is who their session says; without a live session they must sign in. An account
// disabled or reset since (by `sluis user`, another process) ends the session here. Requests
// that change state must echo the session's CSRF token.
result<void> authenticate_person(call& c) {
  const std::string_view token = session_cookie(c.req);
  auto found = token.empty() ? std::nullopt : c.people.sessions.find(token, c.now());
  if (!found) return error::unauthenticated("sign in first");
  auto valid = c.s.store.reads().with(
      [&](store::connection& db) { return c.people.users.still_valid(db, found->user); });
  if (!valid) return valid.error();
  if (!*valid) {
    c.people.sessions.destroy(token);
    return error::unauthenticated("sign in first");
  }
  c.who.org = c.config->find(found->user.organisation);
  c.who.user = found->user.id;
  c.who.role = std::string(people::to_string(found->user.role));
  c.who.person = true;
  c.who.display_name = found->user.display_name;
  if (c.who.org == nullptr) return error::forbidden("your organisation is not configured");
  if (changes_state(c.req.method()) &&
      !people::csrf_matches(*found, c.req[std::string_view("X-CSRF-Token")])) {
    return error::forbidden("the CSRF token is missing or wrong: reload the page");
  }
  c.session_token = std::string(token);
  c.session = std::move(*found);
  return {};
}

result<void> authenticate(call& c, const http::request_context& ctx, auth who) {
  switch (who) {
    case auth::none:
      return {};
    case auth::partner:
      return authenticate_partner(c, ctx);
    case auth::person:
      return authenticate_person(c);
    case auth::either:
      return ctx.peer ? authenticate_partner(c, ctx) : authenticate_person(c);
  }
  return error::internal("unknown authentication kind");
}

}  // namespace

struct gateway_handler::impl {
  explicit impl(services& s)
      : services_(s),
        cases(s.keyring),
        people(s),
        routes(make_routes()),
        blocking(blocking_threads) {}
  // Lets queued requests finish before the services they use go.
  ~impl() { blocking.join(); }

  void handle(http::request&& req, const http::request_context& ctx,
              std::function<void(http::response&&)> done);

  services& services_;
  cases::case_store cases;
  people_services people;
  route_table routes;
  // Requests are answered here, never on the server's I/O threads: a store read, an Argon2id
  // password check (tens of milliseconds) or a policy compilation would otherwise stall every
  // connection that I/O thread serves. Bounded: more requests than threads wait in its queue, and
  // the reader pool (4 connections) bounds the store reads among them.
  static constexpr std::size_t blocking_threads = 8;
  boost::asio::thread_pool blocking;
};

gateway_handler::gateway_handler(services& s) : impl_(std::make_unique<impl>(s)) {}
gateway_handler::~gateway_handler() = default;

std::vector<std::pair<bhttp::verb, std::string>> gateway_handler::routes() const {
  return impl_->routes.routes();
}

void gateway_handler::handle(http::request&& req, const http::request_context& ctx,
                             std::function<void(http::response&&)> done) {
  boost::asio::post(impl_->blocking,
                    [this, req = std::move(req), ctx, done = std::move(done)]() mutable {
                      impl_->handle(std::move(req), ctx, std::move(done));
                    });
}

void gateway_handler::impl::handle(http::request&& req, const http::request_context& ctx,
                                   std::function<void(http::response&&)> done) {
  auto c = std::make_shared<call>(services_, cases, people, std::move(req), ctx.request_id,
                                  std::move(done));
  c->remote_address = ctx.remote_address;
  auto url = boost::urls::parse_origin_form(c->req.target());
  if (!url) {
    return send(c, problem_response(*c, error::malformed("the request target is not a valid URL")));
  }
  for (const auto& p : url->params()) c->query.emplace(p.key, p.value);

  const auto m = routes.match(c->req.method(), url->path());
  using kind = route_table::match_result::kind;
  if (m.outcome == kind::not_found) {
    return send(c,
                http::make_problem_response(http::make_problem(http::problem_type::not_found),
                                            c->request_id, c->req.version(), c->req.keep_alive()));
  }
  c->route = std::string(m.route_template);
  if (m.outcome == kind::method_not_allowed) {
    auto res =
        http::make_problem_response(http::make_problem(http::problem_type::method_not_allowed),
                                    c->request_id, c->req.version(), c->req.keep_alive());
    res.set(bhttp::field::allow, m.allow);
    return send(c, std::move(res));
  }
  c->params = m.params;
  if (m.route->who == auth::none) return m.route->fn(c);

  // Every other route is audited, refusals included.
  if (auto ok = authenticate(*c, ctx, m.route->who); !ok) {
    auto entry = entry_for(*c, "api.access", "route", c->route);
    if (ctx.peer && c->who.org == nullptr && m.route->who != auth::person)
      entry.resource = {"certificate", ctx.peer->sha256_fingerprint};
    return refuse(c, std::move(entry), ok.error());
  }
  m.route->fn(c);
}

}  // namespace sluis::api
