#pragma once
// The request core shared by every route file: one `call` per request, the `actor` who makes it,
// and the steps that answer it (respond, refuse, read, write), each leaving exactly one audit
// entry.
//
// Routes are plain functions `void(const call_ptr&)` registered with how their caller must
// authenticate (see routes.hpp). By the time a route runs, `actor` is established: a partner system
// by its verified client certificate, or a person by their session. A route answers by calling one
// of the functions below exactly once, on any thread.

#include <boost/beast/http/status.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "gateway/api/services.hpp"
#include "gateway/application/actor.hpp"
#include "gateway/audit/audit_entry.hpp"
#include "gateway/case/case_store.hpp"
#include "gateway/config/config.hpp"
#include "gateway/http/handler.hpp"
#include "gateway/people/login_throttle.hpp"
#include "gateway/people/session_store.hpp"
#include "gateway/people/user_store.hpp"
#include "policy/facts.hpp"

namespace sluis::store {
class connection;
}

namespace sluis::api {

// Who makes a request: established before a route runs (see application/actor.hpp).
using actor = application::actor;

// The web UI's accounts, sessions and login throttle, owned by the handler. Thread-safe.
struct people_services {
  explicit people_services(const services& s)
      : users(s.keyring),
        sessions({.idle_timeout = s.config.current()->web.session_idle_timeout,
                  .absolute_lifetime = s.config.current()->web.session_lifetime}) {}
  people::user_store users;
  people::session_store sessions;
  people::login_throttle throttle;
};

// One request in flight. Shared by the steps that answer it, which may run on the writer thread.
struct call {
  call(services& svc, const cases::case_store& store, people_services& persons,
       http::request&& request, std::string id, std::function<void(http::response&&)> answer);

  services& s;
  const cases::case_store& cases;
  people_services& people;
  http::request req;
  std::string request_id;
  std::string remote_address;  // the peer's IP address, for login throttling
  std::function<void(http::response&&)> done;
  std::string route;  // the matched route template, for metrics and audit
  std::vector<std::string> params;
  std::map<std::string, std::string, std::less<>> query;
  api::actor who;
  std::optional<people::session> session;  // persons only: their session
  std::string session_token;               // persons only: the token of their session cookie
  // The configuration in force when the request arrived, kept for its whole life: `who.org`
  // points into it.
  std::shared_ptr<const config::gateway_config> config;

  // Whole seconds since the epoch, from the services' clock.
  std::int64_t now() const;
  // The same moment as a policy time point.
  policy::time_point now_point() const;
  // The query parameter, or "" when absent.
  std::string query_value(std::string_view key) const;
};
using call_ptr = std::shared_ptr<call>;

// ---- responses ----
http::response make_response(const call& c, boost::beast::http::status status, std::string body,
                             std::string_view content_type);
http::response json_response(const call& c, boost::beast::http::status status,
                             const boost::json::value& v);
http::response no_content(const call& c);
http::response problem_response(const call& c, const error& e);

// Sends `res` (labelled with the route for the metrics). Unaudited: for routes outside /v1/ case
// data (health, metrics, static files) only.
void send(const call_ptr& c, http::response&& res);

// ---- audited answers ----

// An audit entry for this call with actor, action and resource filled in.
audit::audit_entry entry_for(const call& c, std::string action, std::string resource_type,
                             std::string resource_id);

// Appends `entry` through the writer, then sends `res`; without a durable trace the response is a
// 503, because no access may go unrecorded.
void record_then_send(const call_ptr& c, audit::audit_entry entry, http::response&& res);

// Answers with the problem for `e` and audits the refusal: the entry carries the error's code,
// never its message.
void refuse(const call_ptr& c, audit::audit_entry entry, const error& e);

// A write: `op` changes the store and completes the audit entry; the change and the staged entry
// commit in one transaction, and the answer leaves after that commit, with the entry durable in the
// outbox and handed to the audit log's writer (unless the log lags too far: then after the entry's
// commit in audit.db, see journal_options::max_lag). While an earlier append to the log has failed,
// writes are refused (503) rather than staged without end.
// `op` may run more than once for one request (store::writer::rerun): it must start from scratch
// each time. An earlier run's writes are rolled back; nothing else of it may carry over.
using store_op = std::function<result<http::response>(store::connection&, audit::audit_entry&)>;
// What happens in memory because of a write (a session, a throttle count), once the write and its
// entry are durable and before the answer leaves: never inside the transaction, where a failed
// commit would leave it done with nothing recorded.
using after_commit = std::function<void(http::response&)>;
void write_then_send(const call_ptr& c, audit::audit_entry entry, store_op op,
                     after_commit after = {});

// A read: `op` runs on a reader connection of the case store; its audit entry is durable before
// the answer leaves.
void read_then_send(const call_ptr& c, audit::audit_entry entry, const store_op& op);
// The same, on a reader of the audit log (searches and inzage).
void read_audit_then_send(const call_ptr& c, audit::audit_entry entry, const store_op& op);

// ---- shared checks ----

// Refuses (403, audited) unless the actor has one of `roles`; returns false after refusing.
// Request bodies are read with adapters/json/object_reader.hpp.
bool require_role(const call_ptr& c, audit::audit_entry& entry,
                  std::initializer_list<std::string_view> roles);

// "2026-11-26T14:05:00Z"
std::string rfc3339(std::int64_t unix_seconds);

}  // namespace sluis::api
