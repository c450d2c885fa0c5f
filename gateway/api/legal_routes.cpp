// The legal grounds of a family over the API: consents, coordination grounds and break-the-glass,
// and the privacy officer's review of break-the-glass.
//
// Consents and grounds are managed by the family's gezinsmanager: the person themself, or a system
// of the gezinsmanager's organisation acting for a named user (X-Sluis-User). Anyone else is told
// the family does not exist. Break-the-glass may be requested by any named user, and is reviewed
// by the policy's reviewer role (the privacy officer). Every request leaves one audit entry with
// the legal basis it concerns; texts (justifications, motivations, notes) never reach the audit
// log, and nothing is cached: a withdrawal holds for the very next decision.

#include <boost/json.hpp>

#include "adapters/json/legal_api.hpp"
#include "gateway/api/routes.hpp"
#include "gateway/case/content_codec.hpp"
#include "gateway/case/legal_store.hpp"
#include "gateway/store/connection.hpp"

namespace sluis::api {
namespace {

namespace bhttp = boost::beast::http;
using bhttp::verb;

constexpr std::size_t review_queue_limit = 200;

boost::json::value optional_time(const std::optional<policy::time_point>& t) {
  return t ? boost::json::value(rfc3339(cases::to_unix_seconds(*t))) : boost::json::value(nullptr);
}

boost::json::array json_list(const std::vector<std::string>& items) {
  boost::json::array out;
  for (const auto& item : items) out.emplace_back(item);
  return out;
}

// A member id with its label; people outside the household (a gezag holder elsewhere) have none.
boost::json::object member_ref(const cases::stored_family& family, const std::string& id) {
  const auto* m = family.member(id);
  return {
      {"member_id", id},
      {"label", m != nullptr ? boost::json::value(m->content.label) : boost::json::value(nullptr)}};
}

std::string_view period_state(const std::optional<policy::time_point>& stopped,
                              policy::time_point from, policy::time_point until,
                              policy::time_point now, std::string_view stopped_name) {
  if (stopped && *stopped <= now) return stopped_name;
  if (now < from) return "not-yet-valid";
  if (now >= until) return "expired";
  return "valid";
}

boost::json::object consent_json(const cases::stored_consent& s, const cases::stored_family& family,
                                 policy::time_point now) {
  const auto& c = s.consent;
  boost::json::array signers;
  for (const auto& id : c.granted_by) signers.push_back(member_ref(family, id));
  boost::json::array categories;
  for (auto cat : c.categories) categories.emplace_back(policy::to_string(cat));
  return {{"consent_id", c.id},
          {"family_id", s.family_id},
          {"subject", c.subject_member_id.empty()
                          ? boost::json::value(nullptr)
                          : boost::json::value(member_ref(family, c.subject_member_id))},
          {"granted_by", std::move(signers)},
          {"recipient_organisations", json_list(c.recipient_organisations)},
          {"recipient_roles", json_list(c.recipient_roles)},
          {"purposes", json_list(c.purposes)},
          {"categories", std::move(categories)},
          {"domains", json_list(c.domains)},
          {"valid_from", rfc3339(cases::to_unix_seconds(c.valid_from))},
          {"valid_until", rfc3339(cases::to_unix_seconds(c.valid_until))},
          {"withdrawn_at", optional_time(c.withdrawn_at)},
          {"state", period_state(c.withdrawn_at, c.valid_from, c.valid_until, now, "withdrawn")},
          {"evidence",
           {{"form_reference", c.evidence.form_reference},
            {"signed_on", cases::format_date(c.evidence.signed_on)}}},
          {"recorded_by", {{"organisation", s.recorded_by_org}, {"user", c.recorded_by}}},
          {"recorded_at", rfc3339(s.recorded_at)},
          {"note", s.note}};
}

boost::json::object ground_json(const cases::stored_ground& s, policy::time_point now) {
  const auto& g = s.ground;
  return {
      {"ground_id", g.id},
      {"family_id", s.family_id},
      {"decided_by", g.decided_by},
      {"necessity", g.necessity},
      {"proportionality", g.proportionality},
      {"subsidiarity", g.subsidiarity},
      {"family_informed_on", g.family_informed_on
                                 ? boost::json::value(cases::format_date(*g.family_informed_on))
                                 : boost::json::value(nullptr)},
      {"not_informed_reason", g.family_informed_on ? boost::json::value(nullptr)
                                                   : boost::json::value(g.not_informed_reason)},
      {"valid_from", rfc3339(cases::to_unix_seconds(g.valid_from))},
      {"valid_until", rfc3339(cases::to_unix_seconds(g.valid_until))},
      {"ended_at", optional_time(g.ended_at)},
      {"state", period_state(g.ended_at, g.valid_from, g.valid_until, now, "ended")},
      {"recorded_by", {{"organisation", s.recorded_by.org_id}, {"user", s.recorded_by.user_id}}},
      {"recorded_at", rfc3339(s.recorded_at)}};
}

boost::json::object break_glass_json(const cases::stored_break_glass& s, policy::time_point now) {
  const auto& g = s.grant;
  return {{"grant_id", g.id},
          {"family_id", s.family_id},
          {"user", g.user_id},
          {"organisation", s.org_id},
          {"justification", g.justification},
          {"started_at", rfc3339(cases::to_unix_seconds(g.started_at))},
          {"expires_at", rfc3339(cases::to_unix_seconds(g.expires_at))},
          {"active", g.started_at <= now && now < g.expires_at},
          {"review",
           {{"state", cases::to_string(s.review)},
            {"reviewed_by", s.reviewed_by.empty() ? boost::json::value(nullptr)
                                                  : boost::json::value(s.reviewed_by)},
            {"reviewed_at", s.reviewed_at ? boost::json::value(rfc3339(*s.reviewed_at))
                                          : boost::json::value(nullptr)},
            {"note", s.review_note.empty() ? boost::json::value(nullptr)
                                           : boost::json::value(s.review_note)}}}};
}

// ---- who may do what ----

cases::recorder recorder_of(const call& c) {
  return {c.who.org != nullptr ? c.who.org->id : std::string(), c.who.user};
}

// Recording needs a named user: a partner system names the professional in X-Sluis-User.
result<void> require_user(const call& c) {
  if (!c.who.user.empty()) return {};
  return error::invalid("X-Sluis-User", "is required: name the user who does this");
}

// The family, if this actor manages its legal grounds: its gezinsmanager in person, or a system of
// the gezinsmanager's organisation. Anyone else gets not_found, which does not confirm that the
// family exists.
result<cases::stored_family> managed_family(const call& c, store::connection& db,
                                            const std::string& family_id) {
  auto family = c.cases.load_family(db, family_id);
  if (!family) return family.error();
  if (!c.who.manages(*family)) return error::not_found("no such family");
  return family;
}

// The subject pseudonym (hex) of a member, for the audit entry's subjects.
void add_subject(audit::audit_entry& e, const cases::stored_family& family,
                 const std::string& member_id) {
  if (const auto* m = family.member(member_id)) e.subjects.push_back(m->pseudonym.to_hex());
}

// ---- consents ----

void list_consents(const call_ptr& c) {
  const std::string family_id = c->params.at(0);
  auto entry = entry_for(*c, "consent.list", "family", family_id);
  entry.family_id = family_id;
  entry.legal_basis = "consent";
  read_then_send(
      c, std::move(entry),
      [c, family_id](store::connection& db, audit::audit_entry& e) -> result<http::response> {
        auto family = managed_family(*c, db, family_id);
        if (!family) return family.error();
        const cases::legal_store legal(c->s.keyring);
        auto found = legal.consents(db, family_id);
        if (!found) return found.error();
        boost::json::array items;
        for (const auto& s : *found) {
          items.push_back(consent_json(s, *family, c->now_point()));
          add_subject(e, *family, s.consent.subject_member_id);
        }
        e.detail = {{"count", items.size()}};
        return json_response(*c, bhttp::status::ok, {{"consents", std::move(items)}});
      });
}

void record_consent(const call_ptr& c) {
  const std::string family_id = c->params.at(0);
  auto entry = entry_for(*c, "consent.record", "consent", "");
  entry.family_id = family_id;
  entry.legal_basis = "consent";
  if (auto named = require_user(*c); !named) return refuse(c, std::move(entry), named.error());
  auto consent = adapters::json::parse_consent(c->req.body(), c->now());
  if (!consent) return refuse(c, std::move(entry), consent.error());
  const auto engine = c->s.policy.current();
  entry.policy_version = engine->version();
  write_then_send(c, std::move(entry),
                  [c, family_id, engine, consent = std::move(*consent)](
                      store::connection& db, audit::audit_entry& e) -> result<http::response> {
                    auto family = managed_family(*c, db, family_id);
                    if (!family) return family.error();
                    const cases::legal_store legal(c->s.keyring);
                    auto recorded = legal.record_consent(db, family_id, consent, recorder_of(*c),
                                                         c->now(), engine->consent_max_validity());
                    if (!recorded) return recorded.error();
                    e.resource.id = recorded->consent.id;
                    add_subject(e, *family, consent.subject_member_id);
                    e.detail = {{"signers", consent.granted_by.size()},
                                {"recipients", consent.recipient_organisations.size() +
                                                   consent.recipient_roles.size()}};
                    auto res = json_response(*c, bhttp::status::created,
                                             consent_json(*recorded, *family, c->now_point()));
                    res.set(bhttp::field::location, "/v1/families/" + family_id + "/consents");
                    return res;
                  });
}

void withdraw_consent(const call_ptr& c) {
  const std::string family_id = c->params.at(0);
  const std::string consent_id = c->params.at(1);
  auto entry = entry_for(*c, "consent.withdraw", "consent", consent_id);
  entry.family_id = family_id;
  entry.legal_basis = "consent";
  if (auto named = require_user(*c); !named) return refuse(c, std::move(entry), named.error());
  write_then_send(c, std::move(entry),
                  [c, family_id, consent_id](store::connection& db,
                                             audit::audit_entry& e) -> result<http::response> {
                    auto family = managed_family(*c, db, family_id);
                    if (!family) return family.error();
                    const cases::legal_store legal(c->s.keyring);
                    auto withdrawn = legal.withdraw_consent(db, family_id, consent_id,
                                                            recorder_of(*c), c->now());
                    if (!withdrawn) return withdrawn.error();
                    add_subject(e, *family, withdrawn->consent.subject_member_id);
                    return json_response(*c, bhttp::status::ok,
                                         consent_json(*withdrawn, *family, c->now_point()));
                  });
}

// ---- coordination grounds ----

void list_grounds(const call_ptr& c) {
  const std::string family_id = c->params.at(0);
  auto entry = entry_for(*c, "ground.list", "family", family_id);
  entry.family_id = family_id;
  entry.legal_basis = "coordination";
  read_then_send(
      c, std::move(entry),
      [c, family_id](store::connection& db, audit::audit_entry& e) -> result<http::response> {
        auto family = managed_family(*c, db, family_id);
        if (!family) return family.error();
        const cases::legal_store legal(c->s.keyring);
        auto found = legal.grounds(db, family_id);
        if (!found) return found.error();
        boost::json::array items;
        for (const auto& g : *found) items.push_back(ground_json(g, c->now_point()));
        e.detail = {{"count", items.size()}};
        return json_response(*c, bhttp::status::ok, {{"grounds", std::move(items)}});
      });
}

void record_ground(const call_ptr& c) {
  const std::string family_id = c->params.at(0);
  auto entry = entry_for(*c, "ground.record", "ground", "");
  entry.family_id = family_id;
  entry.legal_basis = "coordination";
  if (auto named = require_user(*c); !named) return refuse(c, std::move(entry), named.error());
  auto ground = adapters::json::parse_ground(c->req.body(), c->now());
  if (!ground) return refuse(c, std::move(entry), ground.error());
  write_then_send(c, std::move(entry),
                  [c, family_id, ground = std::move(*ground)](
                      store::connection& db, audit::audit_entry& e) -> result<http::response> {
                    auto family = managed_family(*c, db, family_id);
                    if (!family) return family.error();
                    const cases::legal_store legal(c->s.keyring);
                    auto recorded =
                        legal.record_ground(db, family_id, ground, recorder_of(*c), c->now());
                    if (!recorded) return recorded.error();
                    e.resource.id = recorded->ground.id;
                    e.detail = {{"family_informed", ground.family_informed_on.has_value()}};
                    auto res = json_response(*c, bhttp::status::created,
                                             ground_json(*recorded, c->now_point()));
                    res.set(bhttp::field::location, "/v1/families/" + family_id + "/grounds");
                    return res;
                  });
}

void end_ground(const call_ptr& c) {
  const std::string family_id = c->params.at(0);
  const std::string ground_id = c->params.at(1);
  auto entry = entry_for(*c, "ground.end", "ground", ground_id);
  entry.family_id = family_id;
  entry.legal_basis = "coordination";
  if (auto named = require_user(*c); !named) return refuse(c, std::move(entry), named.error());
  write_then_send(
      c, std::move(entry),
      [c, family_id, ground_id](store::connection& db,
                                audit::audit_entry&) -> result<http::response> {
        auto family = managed_family(*c, db, family_id);
        if (!family) return family.error();
        const cases::legal_store legal(c->s.keyring);
        auto ended = legal.end_ground(db, family_id, ground_id, recorder_of(*c), c->now());
        if (!ended) return ended.error();
        return json_response(*c, bhttp::status::ok, ground_json(*ended, c->now_point()));
      });
}

// ---- break-the-glass ----

void request_break_glass(const call_ptr& c) {
  const std::string family_id = c->params.at(0);
  auto entry = entry_for(*c, "break_glass.request", "break_glass", "");
  entry.family_id = family_id;
  entry.legal_basis = "vital-interest";
  entry.break_glass = true;
  const auto engine = c->s.policy.current();
  entry.policy_version = engine->version();
  if (auto named = require_user(*c); !named) return refuse(c, std::move(entry), named.error());
  auto body = adapters::json::parse_break_glass(c->req.body());
  if (!body) return refuse(c, std::move(entry), body.error());
  write_then_send(
      c, std::move(entry),
      [c, family_id, engine, body = std::move(*body)](
          store::connection& db, audit::audit_entry& e) -> result<http::response> {
        const cases::legal_store legal(c->s.keyring);
        auto granted = legal.request_break_glass(
            db, family_id, recorder_of(*c), body.justification,
            body.minutes.value_or(engine->break_glass_max_duration()), *engine, c->now());
        if (!granted) return granted.error();
        e.resource.id = granted->grant.id;
        e.detail = {{"minutes", std::chrono::duration_cast<std::chrono::minutes>(
                                    granted->grant.expires_at - granted->grant.started_at)
                                    .count()}};
        return json_response(*c, bhttp::status::created,
                             break_glass_json(*granted, c->now_point()));
      });
}

// The review is for the policy's reviewer role only (the privacy officer, in person).
bool require_reviewer(const call_ptr& c, audit::audit_entry& entry, const policy::engine& engine) {
  if (c->who.person && c->who.role == engine.break_glass_reviewer_role()) return true;
  refuse(c, std::move(entry),
         error::forbidden("break-the-glass is reviewed by the privacy officer only"));
  return false;
}

void review_queue(const call_ptr& c) {
  auto entry = entry_for(*c, "break_glass.queue", "break_glass", "");
  const auto engine = c->s.policy.current();
  if (!require_reviewer(c, entry, *engine)) return;
  const std::string state = c->query_value("state");
  if (!state.empty() && state != "pending" && state != "reviewed") {
    return refuse(c, std::move(entry), error::invalid("state", "must be pending or reviewed"));
  }
  const auto filter =
      state == "reviewed" ? cases::review_filter::reviewed : cases::review_filter::pending;
  read_then_send(
      c, std::move(entry),
      [c, filter](store::connection& db, audit::audit_entry& e) -> result<http::response> {
        const cases::legal_store legal(c->s.keyring);
        auto queue = legal.review_queue(db, filter, review_queue_limit);
        if (!queue) return queue.error();
        boost::json::array items;
        for (const auto& g : *queue) items.push_back(break_glass_json(g, c->now_point()));
        e.detail = {{"count", items.size()},
                    {"state", filter == cases::review_filter::pending ? "pending" : "reviewed"}};
        return json_response(*c, bhttp::status::ok, {{"grants", std::move(items)}});
      });
}

void review_break_glass(const call_ptr& c) {
  const std::string grant_id = c->params.at(0);
  auto entry = entry_for(*c, "break_glass.review", "break_glass", grant_id);
  entry.legal_basis = "vital-interest";
  const auto engine = c->s.policy.current();
  if (!require_reviewer(c, entry, *engine)) return;
  auto body = adapters::json::parse_review(c->req.body());
  if (!body) return refuse(c, std::move(entry), body.error());
  write_then_send(
      c, std::move(entry),
      [c, grant_id, body = std::move(*body)](store::connection& db,
                                             audit::audit_entry& e) -> result<http::response> {
        const cases::legal_store legal(c->s.keyring);
        auto reviewed =
            legal.review(db, grant_id, body.outcome, recorder_of(*c), body.note, c->now());
        if (!reviewed) return reviewed.error();
        e.family_id = reviewed->family_id;
        e.detail = {{"outcome", cases::to_string(reviewed->review)}};
        return json_response(*c, bhttp::status::ok, break_glass_json(*reviewed, c->now_point()));
      });
}

}  // namespace

void add_legal_routes(route_table& r) {
  r.add(verb::get, "/v1/families/{family_id}/consents", {list_consents, auth::either});
  r.add(verb::post, "/v1/families/{family_id}/consents", {record_consent, auth::either});
  r.add(verb::post, "/v1/families/{family_id}/consents/{consent_id}/withdraw",
        {withdraw_consent, auth::either});
  r.add(verb::get, "/v1/families/{family_id}/grounds", {list_grounds, auth::either});
  r.add(verb::post, "/v1/families/{family_id}/grounds", {record_ground, auth::either});
  r.add(verb::post, "/v1/families/{family_id}/grounds/{ground_id}/end", {end_ground, auth::either});
  r.add(verb::post, "/v1/families/{family_id}/break-glass", {request_break_glass, auth::either});
  r.add(verb::get, "/v1/break-glass", {review_queue, auth::either});
  r.add(verb::post, "/v1/break-glass/{grant_id}/review", {review_break_glass, auth::either});
}

}  // namespace sluis::api
