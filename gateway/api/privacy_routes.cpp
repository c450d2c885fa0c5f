// The privacy officer's API: searching the audit log, a citizen's inzage by BSN, and the policy
// (read, check, simulate, activate). GET /v1/policy is also open to the admin.
//
// Nothing here shows case content: audit entries hold ids, pseudonyms, codes and counts only, and
// the policy routes work on policy and scenario texts. A BSN never travels in a URL: inzage takes
// it in the body and pseudonymises it at once. Every request leaves one audit entry that names the
// filters used, not their values, except pseudonyms and family ids (neither is personal data on
// its own). An activation's audit entry commits before the new policy is put in force, so no
// policy ever decides without a trace of how it came to be.

#include <sodium.h>

#include <algorithm>
#include <boost/json.hpp>
#include <charconv>

#include "adapters/json/object_reader.hpp"
#include "gateway/api/routes.hpp"
#include "gateway/audit/search.hpp"
#include "gateway/case/content_codec.hpp"
#include "gateway/http/problem.hpp"
#include "gateway/store/connection.hpp"
#include "keys/bsn.hpp"
#include "policy/diff.hpp"
#include "policy/scenario.hpp"
#include "policy/simulation.hpp"

namespace sluis::api {
namespace {

namespace bhttp = boost::beast::http;
using bhttp::verb;

constexpr std::int64_t default_page = 100;
constexpr std::int64_t max_page = 500;
constexpr std::size_t max_filter_length = 128;
constexpr std::size_t max_text_length =
    std::size_t{512} * 1024;  // a policy or scenario in a JSON body
constexpr std::string_view officer = "privacy-officer";

// ---- query parameters ----

result<std::int64_t> whole_number(const call& c, std::string_view key, std::int64_t fallback,
                                  std::int64_t min, std::int64_t max) {
  const std::string v = c.query_value(key);
  if (v.empty()) return fallback;
  std::int64_t n = 0;
  const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  if (ec != std::errc() || end != v.data() + v.size() || n < min || n > max) {
    return error::invalid(std::string(key), "must be a whole number from " + std::to_string(min) +
                                                " to " + std::to_string(max));
  }
  return n;
}

// Newest first: `before` (a sequence number) is the cursor that stays put while the log grows;
// `offset` skips entries after that.
struct page {
  std::int64_t limit = default_page;
  std::int64_t offset = 0;
  std::optional<std::int64_t> before;

  void apply_to(audit::search_filter& f) const {
    f.limit = limit;
    f.offset = offset;
    f.before_seq = before;
  }
};

result<page> page_of(const call& c) {
  auto limit = whole_number(c, "limit", default_page, 1, max_page);
  if (!limit) return limit.error();
  auto offset = whole_number(c, "offset", 0, 0, std::numeric_limits<std::int32_t>::max());
  if (!offset) return offset.error();
  page p{*limit, *offset, std::nullopt};
  if (!c.query_value("before").empty()) {
    auto before = whole_number(c, "before", 0, 1, std::numeric_limits<std::int64_t>::max());
    if (!before) return before.error();
    p.before = *before;
  }
  return p;
}

bool digits_at(std::string_view s, std::size_t pos, std::size_t n, int& out) {
  if (pos + n > s.size()) return false;
  const auto [end, ec] = std::from_chars(s.data() + pos, s.data() + pos + n, out);
  return ec == std::errc() && end == s.data() + pos + n &&
         std::all_of(s.begin() + static_cast<std::ptrdiff_t>(pos),
                     s.begin() + static_cast<std::ptrdiff_t>(pos + n),
                     [](char ch) { return ch >= '0' && ch <= '9'; });
}

// "2026-11-26" (midnight UTC; with `date_is_inclusive_end`, the midnight after it) or
// "2026-11-26T14:05:00Z", "2026-11-26T14:05:00.250+01:00" (RFC 3339).
std::optional<audit::timestamp> parse_moment(std::string_view text, bool date_is_inclusive_end) {
  using namespace std::chrono;
  auto day = cases::parse_date(text.substr(0, 10));
  if (!day) return std::nullopt;
  if (text.size() == 10) return audit::timestamp{*day + days(date_is_inclusive_end ? 1 : 0)};
  int h = 0, m = 0, s = 0;
  if (text.size() < 20 || (text[10] != 'T' && text[10] != 't') || !digits_at(text, 11, 2, h) ||
      text[13] != ':' || !digits_at(text, 14, 2, m) || text[16] != ':' ||
      !digits_at(text, 17, 2, s) || h > 23 || m > 59 || s > 60) {
    return std::nullopt;
  }
  std::size_t pos = 19;
  int millis = 0;
  if (text[pos] == '.') {
    std::size_t n = 0;
    for (++pos; pos < text.size() && text[pos] >= '0' && text[pos] <= '9'; ++pos, ++n) {
      if (n < 3) millis = millis * 10 + (text[pos] - '0');
    }
    if (n == 0) return std::nullopt;
    for (; n < 3; ++n) millis *= 10;
  }
  minutes offset{0};
  const std::string_view zone = text.substr(std::min(pos, text.size()));
  if (zone == "Z" || zone == "z") {
  } else if (zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && zone[3] == ':') {
    int oh = 0, om = 0;
    if (!digits_at(zone, 1, 2, oh) || !digits_at(zone, 4, 2, om) || oh > 23 || om > 59)
      return std::nullopt;
    offset = hours(oh) + minutes(om);
    if (zone[0] == '-') offset = -offset;
  } else {
    return std::nullopt;
  }
  return audit::timestamp{*day} + hours(h) + minutes(m) + seconds(std::min(s, 59)) +
         milliseconds(millis) - offset;
}

// An id-like filter value: the audit log holds ids and codes, never free text.
result<std::optional<std::string>> id_filter(const call& c, std::string_view key) {
  std::string v = c.query_value(key);
  if (v.empty()) return std::optional<std::string>();
  const bool ok = v.size() <= max_filter_length && std::all_of(v.begin(), v.end(), [](char ch) {
                    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                           (ch >= '0' && ch <= '9') || ch == '-' || ch == '_' || ch == '.' ||
                           ch == '@';
                  });
  if (!ok) {
    return error::invalid(std::string(key),
                          "must be an id: at most 128 letters, digits and - _ . @");
  }
  return std::optional<std::string>(std::move(v));
}

constexpr std::string_view search_parameters[] = {"family_id", "actor_org", "actor_user", "action",
                                                  "subject",   "from",      "to",         "limit",
                                                  "offset",    "before"};

// The filter of GET /v1/audit and the names of the filters used (for its audit entry).
result<audit::search_filter> search_filter_of(const call& c, std::vector<std::string>& used) {
  for (const auto& [key, value] : c.query) {
    if (std::find(std::begin(search_parameters), std::end(search_parameters), key) !=
        std::end(search_parameters))
      continue;
    if (key == "bsn") {
      return error::invalid("bsn", "never put a BSN in a URL: use POST /v1/audit/inzage");
    }
    // Not the parameter's name: it came from the URL and could be anything, and refusals audit
    // their field.
    return error::invalid("query",
                          "holds a parameter that is not a search parameter (family_id, "
                          "actor_org, actor_user, action, subject, from, to, limit, offset, "
                          "before)");
  }
  audit::search_filter f;
  const std::pair<std::string_view, std::optional<std::string>*> ids[] = {
      {"family_id", &f.family_id},
      {"actor_org", &f.actor_org},
      {"actor_user", &f.actor_user},
      {"action", &f.action}};
  for (const auto& [key, target] : ids) {
    auto v = id_filter(c, key);
    if (!v) return v.error();
    *target = std::move(*v);
  }
  if (const std::string subject = c.query_value("subject"); !subject.empty()) {
    auto p = keys::pseudonym::from_hex(subject);
    if (!p) {
      return error::invalid("subject",
                            "must be a pseudonym of 64 hex digits; to look a person up by BSN, "
                            "use POST /v1/audit/inzage");
    }
    f.subject = p->to_hex();
  }
  const std::pair<std::string_view, std::optional<audit::timestamp>*> times[] = {{"from", &f.from},
                                                                                 {"to", &f.until}};
  for (const auto& [key, target] : times) {
    const std::string v = c.query_value(key);
    if (v.empty()) continue;
    *target = parse_moment(v, key == "to");
    if (!*target) {
      return error::invalid(
          std::string(key),
          "must be a date (2026-11-26) or an RFC 3339 time (2026-11-26T14:05:00Z)");
    }
  }
  auto p = page_of(c);
  if (!p) return p.error();
  p->apply_to(f);
  for (const auto key : search_parameters) {
    if (key != "limit" && key != "offset" && key != "before" && !c.query_value(key).empty())
      used.emplace_back(key);
  }
  return f;
}

// ---- answers ----

boost::json::value text_or_null(const std::string& s) {
  return s.empty() ? boost::json::value(nullptr) : boost::json::value(s);
}

std::string rfc3339_millis(audit::timestamp t) {
  const auto ms = t.time_since_epoch().count();
  const auto seconds = ms >= 0 ? ms / 1000 : (ms - 999) / 1000;
  const auto rest = ms - seconds * 1000;
  std::string text = rfc3339(seconds);
  text.pop_back();  // 'Z'
  const std::string digits = std::to_string(1000 + rest).substr(1);
  return text + "." + digits + "Z";
}

boost::json::object entry_json(const audit::audit_entry& e) {
  return {{"seq", e.seq},
          {"time", rfc3339_millis(e.time)},
          {"actor", {{"organisation", e.actor_org}, {"user", text_or_null(e.actor_user)}}},
          {"action", e.action},
          {"resource", {{"type", e.resource.type}, {"id", text_or_null(e.resource.id)}}},
          {"family_id", text_or_null(e.family_id)},
          {"purpose", text_or_null(e.purpose)},
          {"legal_basis", text_or_null(e.legal_basis)},
          {"outcome",
           {{"kind", audit::to_string(e.outcome.kind)}, {"code", text_or_null(e.outcome.code)}}},
          {"policy_version", text_or_null(e.policy_version)},
          {"break_glass", e.break_glass},
          {"detail", e.detail}};
}

// {"entries": [...], "next_before": seq | null}: when the page was full, the cursor for the next.
boost::json::object entries_json(const std::vector<audit::audit_entry>& found, std::int64_t limit) {
  boost::json::array entries;
  for (const auto& e : found) entries.push_back(entry_json(e));
  const bool full = !found.empty() && static_cast<std::int64_t>(found.size()) == limit;
  return {{"entries", std::move(entries)},
          {"next_before", full ? boost::json::value(found.back().seq) : nullptr}};
}

boost::json::array diagnostics_json(const std::vector<policy::diagnostic>& items,
                                    std::string_view source = {}) {
  boost::json::array out;
  for (const auto& d : items) {
    boost::json::object o{{"line", d.line},
                          {"column", d.column},
                          {"message", d.message},
                          {"hint", text_or_null(d.hint)}};
    if (!source.empty()) o["source"] = source;
    out.push_back(std::move(o));
  }
  return out;
}

// 422 problem with the diagnostics, audited as a refusal.
void refuse_with_diagnostics(const call_ptr& c, audit::audit_entry entry,
                             boost::json::array diagnostics) {
  const auto count = diagnostics.size();
  auto body = http::to_json(
      http::make_problem(http::problem_type::validation,
                         "the text has " + std::to_string(count) + " error(s): see diagnostics"),
      c->request_id);
  body["diagnostics"] = std::move(diagnostics);
  entry.outcome = {audit::outcome_kind::refused, std::string(to_string(errc::invalid_argument))};
  entry.detail["diagnostics"] = count;
  record_then_send(c, std::move(entry),
                   make_response(*c, bhttp::status::unprocessable_entity,
                                 boost::json::serialize(body), http::problem_content_type));
}

// ---- the audit log ----

void search_audit(const call_ptr& c) {
  auto entry = entry_for(*c, "audit.search", "audit", "");
  entry.purpose = "audit";
  if (!require_role(c, entry, {officer})) return;
  std::vector<std::string> used;
  auto filter = search_filter_of(*c, used);
  if (!filter) return refuse(c, std::move(entry), filter.error());
  if (filter->family_id) entry.family_id = *filter->family_id;
  if (filter->subject) entry.subjects.push_back(*filter->subject);
  read_audit_then_send(c, std::move(entry),
                       [c, f = std::move(*filter), used = std::move(used)](
                           store::connection& db, audit::audit_entry& e) -> result<http::response> {
                         auto found = audit::search(db, f);
                         if (!found) return found.error();
                         e.detail = {{"filters", boost::json::array(used.begin(), used.end())},
                                     {"count", found->size()}};
                         return json_response(*c, bhttp::status::ok, entries_json(*found, f.limit));
                       });
}

// Reads {"bsn": "..."} and returns only its pseudonym; the BSN's text is wiped from the request
// body and from the parsed JSON, so no copy outlives this function.
result<keys::pseudonym> inzage_subject(call& c) {
  auto body = adapters::json::parse_object(c.req.body());
  sodium_memzero(c.req.body().data(), c.req.body().size());
  if (!body) return body.error();
  std::optional<error> first;
  adapters::json::object_reader r(*body, "", first);
  auto text = r.text("bsn", 16);
  r.finish();
  if (auto* v = body->if_contains("bsn"); v != nullptr && v->is_string()) {
    sodium_memzero(v->as_string().data(), v->as_string().size());
  }
  std::optional<keys::bsn> citizen;
  if (!first) {
    auto parsed = keys::bsn::parse(text);
    if (parsed) {
      citizen = *parsed;
    } else {
      first = error::invalid("bsn", parsed.error().message());
    }
  }
  sodium_memzero(text.data(), text.size());
  if (first) return *first;
  return c.s.keyring.pseudonymiser().pseudonymise(*citizen);
}

void inzage(const call_ptr& c) {
  auto entry = entry_for(*c, "audit.inzage", "audit", "");
  entry.purpose = "inzage";
  if (!require_role(c, entry, {officer})) return;
  auto subject = inzage_subject(*c);
  if (!subject) return refuse(c, std::move(entry), subject.error());
  auto p = page_of(*c);
  if (!p) return refuse(c, std::move(entry), p.error());
  audit::search_filter f;
  f.subject = subject->to_hex();
  p->apply_to(f);
  entry.subjects.push_back(*f.subject);
  read_audit_then_send(
      c, std::move(entry),
      [c, f](store::connection& db, audit::audit_entry& e) -> result<http::response> {
        auto found = audit::search(db, f);
        if (!found) return found.error();
        e.detail = {{"count", found->size()}};
        auto body = entries_json(*found, f.limit);
        body["subject"] = *f.subject;
        return json_response(*c, bhttp::status::ok, body);
      });
}

// ---- the policy ----

// A policy travels as text (text/plain or application/toml), never wrapped in JSON.
result<std::string_view> policy_text(const call& c) {
  std::string_view type = c.req[bhttp::field::content_type];
  type = type.substr(0, type.find(';'));
  while (!type.empty() && type.back() == ' ') type.remove_suffix(1);
  auto is = [&](std::string_view want) {
    return type.size() == want.size() &&
           std::equal(type.begin(), type.end(), want.begin(), [](char a, char b) {
             return std::tolower(static_cast<unsigned char>(a)) == b;
           });
  };
  if (!type.empty() && !is("text/plain") && !is("application/toml")) {
    return error::malformed("send the policy as text/plain or application/toml");
  }
  const std::string_view text = c.req.body();
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    return error::invalid("policy", "is empty");
  }
  return text;
}

// The policy's own problems and then the organisations it declares that this gateway does not
// configure: a policy is only checked well against the gateway that will run it.
std::vector<policy::diagnostic> problems_of(const call& c, std::string_view text,
                                            std::optional<policy::engine>& compiled) {
  auto engine = policy::engine::compile(text, "policy.toml");
  if (!engine) return engine.error().items;
  std::vector<std::string> configured;
  for (const auto& org : c.config->organisations) configured.push_back(org.id);
  auto unknown = engine->check_organisations(configured);
  if (!unknown.items.empty()) return unknown.items;
  compiled.emplace(std::move(*engine));
  return {};
}

void show_policy(const call_ptr& c) {
  auto entry = entry_for(*c, "policy.view", "policy", "");
  if (!require_role(c, entry, {officer, "admin"})) return;
  const auto snapshot = c->s.policy.snapshot();
  const auto& engine = snapshot->engine;
  entry.resource.id = engine.version();
  entry.policy_version = engine.version();
  auto res = json_response(*c, bhttp::status::ok,
                           {{"version", engine.version()},
                            {"file", c->s.policy.file().string()},
                            {"text", snapshot->text},
                            {"rules", engine.rule_count()},
                            {"highest_level", policy::to_string(engine.highest_permit_level())}});
  record_then_send(c, std::move(entry), std::move(res));
}

void check_policy(const call_ptr& c) {
  auto entry = entry_for(*c, "policy.check", "policy", "");
  if (!require_role(c, entry, {officer})) return;
  auto text = policy_text(*c);
  if (!text) return refuse(c, std::move(entry), text.error());
  std::optional<policy::engine> compiled;
  const auto problems = problems_of(*c, *text, compiled);
  boost::json::object body{{"ok", compiled.has_value()},
                           {"diagnostics", diagnostics_json(problems)}};
  entry.detail = {{"ok", compiled.has_value()}, {"diagnostics", problems.size()}};
  if (compiled) {
    body["version"] = compiled->version();
    body["rules"] = compiled->rule_count();
    entry.resource.id = compiled->version();
  }
  record_then_send(c, std::move(entry), json_response(*c, bhttp::status::ok, body));
}

// The request's policy text `text` compiled, or without one the policy in force. Problems are
// appended to `problems`, each with `source` naming the field the text came in.
std::optional<policy::engine> engine_of(const call& c, const std::optional<std::string>& text,
                                        const std::string& source, boost::json::array& problems) {
  if (!text) return *c.s.policy.current();
  auto compiled = policy::engine::compile(*text, source + ".toml");
  if (compiled) return std::move(*compiled);
  for (auto& d : diagnostics_json(compiled.error().items, source)) problems.push_back(std::move(d));
  return std::nullopt;
}

void simulate_policy(const call_ptr& c) {
  auto entry = entry_for(*c, "policy.simulate", "policy", "");
  if (!require_role(c, entry, {officer})) return;
  auto body = adapters::json::parse_object(c->req.body());
  if (!body) return refuse(c, std::move(entry), body.error());
  std::optional<error> first;
  adapters::json::object_reader r(*body, "", first);
  const auto policy_text = r.optional_text("policy", max_text_length);
  const auto scenario_text = r.text("scenario", max_text_length);
  r.finish();
  if (first) return refuse(c, std::move(entry), *first);

  boost::json::array problems;
  const auto engine = engine_of(*c, policy_text, "policy", problems);
  const auto scenario = policy::parse_scenario(scenario_text, "scenario.toml");
  if (!scenario) {
    for (auto& d : diagnostics_json(scenario.error().items, "scenario"))
      problems.push_back(std::move(d));
  }
  if (!problems.empty()) return refuse_with_diagnostics(c, std::move(entry), std::move(problems));

  const auto decisions = policy::simulate(*engine, *scenario);
  auto result = policy::simulation_json(*engine, *scenario, decisions);
  result["active_policy"] = !policy_text.has_value();
  entry.resource.id = engine->version();
  entry.policy_version = engine->version();
  entry.detail = {{"records", decisions.size()}, {"active_policy", !policy_text.has_value()}};
  record_then_send(c, std::move(entry), json_response(*c, bhttp::status::ok, result));
}

// What a new text grants that the policy in force (or "against", another text) does not: the
// complete diff of policy/diff.hpp, for the privacy officer before activating. Audited as
// policy.diff with both versions and the counts.
void diff_policy(const call_ptr& c) {
  auto entry = entry_for(*c, "policy.diff", "policy", "");
  if (!require_role(c, entry, {officer})) return;
  auto body = adapters::json::parse_object(c->req.body());
  if (!body) return refuse(c, std::move(entry), body.error());
  std::optional<error> first;
  adapters::json::object_reader r(*body, "", first);
  const auto new_text = r.text("policy", max_text_length);
  const auto old_text = r.optional_text("against", max_text_length);
  r.finish();
  if (first) return refuse(c, std::move(entry), *first);

  boost::json::array problems;
  const auto after = engine_of(*c, new_text, "policy", problems);
  const auto before = engine_of(*c, old_text, "against", problems);
  if (!problems.empty()) return refuse_with_diagnostics(c, std::move(entry), std::move(problems));

  const auto d = policy::diff(*before, *after);
  auto result = policy::diff_json(d);
  result["active_policy"] = !old_text.has_value();
  entry.resource.id = after->version();
  entry.policy_version = before->version();
  entry.detail = policy::diff_digest(d);
  entry.detail["old_version"] = before->version();
  entry.detail["new_version"] = after->version();
  record_then_send(c, std::move(entry), json_response(*c, bhttp::status::ok, result));
}

// Durable first: the text is compiled here, outside any transaction; the writer item only appends
// the audit entry; the policy is put in force once that entry is committed (never inside the
// transaction, where a failed commit would leave it in force with no entry). Should putting it in
// force then fail (the file cannot be written), the answer is an error and a second entry records
// that the activation did not take effect.
void activate_policy(const call_ptr& c) {
  auto entry = entry_for(*c, "policy.activate", "policy", "");
  if (!require_role(c, entry, {officer})) return;
  const auto old_version = c->s.policy.current()->version();
  entry.detail = {{"old_version", old_version}};
  auto text = policy_text(*c);
  if (!text) return refuse(c, std::move(entry), text.error());
  std::optional<policy::engine> compiled;
  const auto problems = problems_of(*c, *text, compiled);
  if (!compiled) return refuse_with_diagnostics(c, std::move(entry), diagnostics_json(problems));

  const std::string new_version = compiled->version();
  entry.resource.id = new_version;
  entry.policy_version = new_version;
  entry.detail["new_version"] = new_version;
  // What the change grants, counted: the entry shows a widening without the texts themselves.
  const auto digest = policy::diff_digest(policy::diff(*c->s.policy.current(), *compiled));
  entry.detail["diff"] = digest;
  auto answer = std::make_shared<http::response>(
      json_response(*c, bhttp::status::ok,
                    {{"version", new_version},
                     {"previous_version", old_version},
                     {"diff", digest},
                     {"rules", compiled->rule_count()},
                     {"highest_level", policy::to_string(compiled->highest_permit_level())}}));
  auto pending = std::make_shared<audit::audit_entry>(std::move(entry));
  auto engine = std::make_shared<policy::engine>(std::move(*compiled));
  c->s.audit.append(*pending, [c, pending, answer, engine, text = std::string(*text)](
                                  const result<std::int64_t>& outcome) mutable {
    if (!outcome) return refuse(c, *pending, outcome.error());
    auto installed = c->s.policy.install(std::move(text), std::move(*engine));
    if (installed) return send(c, std::move(*answer));
    auto failed = *pending;
    failed.action = "policy.activate_failed";
    refuse(c, std::move(failed), installed.error());
  });
}

// Re-reads the policy file, as SIGHUP does: for an operator who edited the file in place. A file
// with errors leaves the policy in force unchanged (422 naming the first problem). As with an
// activation, the file is compiled outside any transaction and put in force once its audit entry
// is durable.
void reload_policy(const call_ptr& c) {
  auto entry = entry_for(*c, "policy.reload", "policy", "");
  if (!require_role(c, entry, {officer, "admin"})) return;
  const auto old_version = c->s.policy.current()->version();
  entry.detail = {{"old_version", old_version}};
  auto fresh = c->s.policy.read_file();
  if (!fresh) return refuse(c, std::move(entry), fresh.error());
  const std::string version = (*fresh)->engine.version();
  entry.resource.id = entry.policy_version = version;
  entry.detail["new_version"] = version;
  auto pending = std::make_shared<audit::audit_entry>(std::move(entry));
  c->s.audit.append(*pending, [c, pending, fresh = *fresh, version,
                               old_version](const result<std::int64_t>& outcome) mutable {
    if (!outcome) return refuse(c, *pending, outcome.error());
    c->s.policy.adopt(std::move(fresh));
    send(c, json_response(*c, bhttp::status::ok,
                          {{"version", version}, {"previous_version", old_version}}));
  });
}

}  // namespace

void add_privacy_routes(route_table& r) {
  r.add(verb::get, "/v1/audit", {search_audit, auth::person});
  r.add(verb::post, "/v1/audit/inzage", {inzage, auth::person});
  r.add(verb::get, "/v1/policy", {show_policy, auth::person});
  r.add(verb::put, "/v1/policy", {activate_policy, auth::person});
  r.add(verb::post, "/v1/policy/check", {check_policy, auth::person});
  r.add(verb::post, "/v1/policy/simulate", {simulate_policy, auth::person});
  r.add(verb::post, "/v1/policy/diff", {diff_policy, auth::person});
  r.add(verb::post, "/v1/policy/reload", {reload_policy, auth::person});
}

}  // namespace sluis::api
