#include "gateway/api/call.hpp"

#include <algorithm>
#include <boost/json/serialize.hpp>

#include "common/log.hpp"
#include "gateway/case/content_codec.hpp"
#include "gateway/http/problem.hpp"
#include "gateway/store/connection.hpp"
#include "gateway/web/assets.hpp"

namespace sluis::api {

namespace bhttp = boost::beast::http;

call::call(services& svc, const cases::case_store& store, people_services& persons,
           http::request&& request, std::string id, std::function<void(http::response&&)> answer)
    : s(svc),
      cases(store),
      people(persons),
      req(std::move(request)),
      request_id(std::move(id)),
      done(std::move(answer)),
      config(svc.config.current()) {}

std::int64_t call::now() const {
  return std::chrono::duration_cast<std::chrono::seconds>(s.clock().time_since_epoch()).count();
}

policy::time_point call::now_point() const {
  return policy::time_point{std::chrono::seconds(now())};
}

std::string call::query_value(std::string_view key) const {
  const auto it = query.find(key);
  return it != query.end() ? it->second : std::string();
}

http::response make_response(const call& c, bhttp::status status, std::string body,
                             std::string_view content_type) {
  http::response res{status, c.req.version()};
  res.set(bhttp::field::content_type, content_type);
  res.set(bhttp::field::cache_control, "no-store");
  res.keep_alive(c.req.keep_alive());
  res.body() = std::move(body);
  res.prepare_payload();
  return res;
}

http::response json_response(const call& c, bhttp::status status, const boost::json::value& v) {
  return make_response(c, status, boost::json::serialize(v), "application/json");
}

http::response no_content(const call& c) {
  return make_response(c, bhttp::status::no_content, "", "application/json");
}

http::response problem_response(const call& c, const error& e) {
  return http::make_problem_response(http::problem_from_error(e), c.request_id, c.req.version(),
                                     c.req.keep_alive());
}

namespace {

// On every answer, API and web UI alike: HTTPS only from now on (HSTS, a year; the gateway never
// speaks plain HTTP), no framing, no referrer, no type sniffing, and a policy that lets a page load
// nothing but our own files.
void set_security_headers(http::response& res) {
  res.set(bhttp::field::strict_transport_security, "max-age=31536000");
  res.set("Content-Security-Policy", web::content_security_policy);
  res.set(bhttp::field::x_frame_options, "DENY");
  res.set("Referrer-Policy", "no-referrer");
  res.set("X-Content-Type-Options", "nosniff");
  res.set("Cross-Origin-Opener-Policy", "same-origin");
  res.set("Cross-Origin-Resource-Policy", "same-origin");
  res.set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=()");
}

}  // namespace

void send(const call_ptr& c, http::response&& res) {
  set_security_headers(res);
  res.set(http::route_header, c->route.empty() ? "unmatched" : c->route);
  c->done(std::move(res));
}

audit::audit_entry entry_for(const call& c, std::string action, std::string resource_type,
                             std::string resource_id) {
  audit::audit_entry e;
  // Before the caller is known, the actor is recorded as "unauthenticated".
  e.actor_org = c.who.org != nullptr ? c.who.org->id : std::string("unauthenticated");
  e.actor_user = c.who.user;
  e.action = std::move(action);
  e.resource = {std::move(resource_type), std::move(resource_id)};
  e.request_id = c.request_id;
  return e;
}

void record_then_send(const call_ptr& c, audit::audit_entry entry, http::response&& res) {
  auto pending = std::make_shared<http::response>(std::move(res));
  c->s.audit.append(std::move(entry), [c, pending](const result<std::int64_t>& outcome) {
    if (!outcome) {
      log::error("audit.append_failed",
                 {{"request_id", c->request_id}, {"error", to_string(outcome.error().code())}});
      send(c, problem_response(*c, error::unavailable("the audit log is not available")));
      return;
    }
    send(c, std::move(*pending));
  });
}

void refuse(const call_ptr& c, audit::audit_entry entry, const error& e) {
  const bool ours = e.code() == errc::io || e.code() == errc::internal ||
                    e.code() == errc::corrupt || e.code() == errc::crypto ||
                    e.code() == errc::unavailable;
  const std::string code(to_string(e.code()));
  entry.outcome = {ours ? audit::outcome_kind::error : audit::outcome_kind::refused, code};
  if (ours) log::error("request.failed", {{"request_id", c->request_id}, {"error", code}});
  if (!e.field().empty()) entry.detail["field"] = e.field();
  record_then_send(c, std::move(entry), problem_response(*c, e));
}

void write_then_send(const call_ptr& c, audit::audit_entry entry, store_op op, after_commit after) {
  // The work may run twice (store::writer::rerun::allowed): each run starts from `original`
  // and overwrites the outcome of the one before.
  struct outcome_of_write {
    audit::audit_entry original;
    std::optional<http::response> answer;
    audit::audit_entry entry;
    std::int64_t outbox_id = 0;
  };
  auto w = std::make_shared<outcome_of_write>();
  w->original = std::move(entry);
  if (c->s.audit.failing())
    return refuse(c, w->original, error::unavailable("the audit log is not available"));
  // The case change and its staged audit entry commit together: from that commit on, both are
  // durable (audit/journal.hpp). The entry is then handed to the audit log's writer and the caller
  // answered, without waiting for the second file's commit; every reader of the log waits for it.
  c->s.store.writes().submit(
      [c, op = std::move(op), w](store::connection& db) -> result<void> {
        audit::audit_entry e = w->original;
        auto res = op(db, e);
        if (!res) return res.error();
        auto staged = c->s.audit.stage(db, e);
        if (!staged) return staged.error();
        w->answer = std::move(*res);
        w->entry = std::move(e);
        w->outbox_id = *staged;
        return {};
      },
      [c, w, after = std::move(after)](const result<void>& outcome) {
        if (!outcome) return refuse(c, w->original, outcome.error());
        auto answer = [c, w, after] {
          if (after) after(*w->answer);
          send(c, std::move(*w->answer));
        };
        // Far behind, the log sets the pace: this answer waits for its own entry's commit.
        const bool wait_for_log = c->s.audit.lagging();
        c->s.audit.append_staged(w->outbox_id, std::move(w->entry),
                                 [c, wait_for_log, answer](const result<std::int64_t>& appended) {
                                   // On failure the entry stays staged in the outbox, durable: the
                                   // next start appends it.
                                   if (!appended)
                                     log::error("audit.append_failed",
                                                {{"request_id", c->request_id},
                                                 {"error", to_string(appended.error().code())}});
                                   if (wait_for_log) answer();
                                 });
        if (!wait_for_log) answer();
      },
      store::writer::rerun::allowed);
}

namespace {

void read_on_then_send(const call_ptr& c, store::reader_pool& readers, audit::audit_entry entry,
                       const store_op& op) {
  auto res =
      readers.with([&](store::connection& db) -> result<http::response> { return op(db, entry); });
  if (!res) return refuse(c, std::move(entry), res.error());
  record_then_send(c, std::move(entry), std::move(*res));
}

}  // namespace

void read_then_send(const call_ptr& c, audit::audit_entry entry, const store_op& op) {
  read_on_then_send(c, c->s.store.reads(), std::move(entry), op);
}

void read_audit_then_send(const call_ptr& c, audit::audit_entry entry, const store_op& op) {
  read_on_then_send(c, c->s.audit.reads(), std::move(entry), op);
}

bool require_role(const call_ptr& c, audit::audit_entry& entry,
                  std::initializer_list<std::string_view> roles) {
  if (std::find(roles.begin(), roles.end(), c->who.role) != roles.end()) return true;
  refuse(c, std::move(entry), error::forbidden("this needs another role"));
  return false;
}

std::string rfc3339(std::int64_t unix_seconds) {
  const std::chrono::sys_seconds t{std::chrono::seconds(unix_seconds)};
  const auto day = std::chrono::floor<std::chrono::days>(t);
  const std::chrono::hh_mm_ss hms(t - day);
  auto two = [](long v) { return (v < 10 ? "0" : "") + std::to_string(v); };
  return cases::format_date(day) + "T" + two(hms.hours().count()) + ":" +
         two(hms.minutes().count()) + ":" + two(hms.seconds().count()) + "Z";
}

}  // namespace sluis::api
