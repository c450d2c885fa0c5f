// The legal grounds of a family over the API: consents, coordination grounds and break-the-glass,
// and the privacy officer's review of break-the-glass. Each route parses, calls one use case of
// application/legal_grounds.hpp (where who may do what is decided) and presents the result; every
// request leaves one audit entry.

#include <boost/json.hpp>

#include "adapters/json/legal_api.hpp"
#include "gateway/api/routes.hpp"
#include "gateway/application/legal_grounds.hpp"
#include "gateway/case/content_codec.hpp"
#include "gateway/case/legal_store.hpp"
#include "gateway/case/policy_facts.hpp"
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

// The use cases' view of this request: the keyring, the policy snapshot, the moment.
application::legal_context legal_context_of(const call& c, const policy::engine& engine) {
  return {c.s.keyring, engine, c.now()};
}

// `facts`: cases::family_facts(family), built once for all of the family's consents.
boost::json::object consent_json(const cases::stored_consent& s, const cases::stored_family& family,
                                 const policy::family& facts,
                                 const application::legal_context& ctx) {
  const auto& c = s.consent;
  const auto standing = application::standing_of(ctx, facts, c);
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
          {"effective_until", rfc3339(cases::to_unix_seconds(standing.effective_until))},
          {"withdrawn_at", optional_time(c.withdrawn_at)},
          {"state", policy::to_string(standing.status)},
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

// ---- consents ----

void list_consents(const call_ptr& c) {
  const std::string family_id = c->params.at(0);
  auto entry = entry_for(*c, "consent.list", "family", family_id);
  application::concerns(entry, family_id, "consent");
  read_then_send(
      c, std::move(entry),
      [c, family_id](store::connection& db, audit::audit_entry& e) -> result<http::response> {
        const auto engine = c->s.policy.current();
        auto found = application::consents(legal_context_of(*c, *engine), db, c->who, family_id, e);
        if (!found) return found.error();
        const auto ctx = legal_context_of(*c, *engine);
        const auto facts = cases::family_facts(found->family);
        boost::json::array items;
        for (const auto& s : found->items)
          items.push_back(consent_json(s, found->family, facts, ctx));
        return json_response(*c, bhttp::status::ok, {{"consents", std::move(items)}});
      });
}

void record_consent(const call_ptr& c) {
  const std::string family_id = c->params.at(0);
  auto entry = entry_for(*c, "consent.record", "consent", "");
  application::concerns(entry, family_id, "consent");
  if (auto named = application::require_named_user(c->who); !named)
    return refuse(c, std::move(entry), named.error());
  auto consent = adapters::json::parse_consent(c->req.body(), c->now());
  if (!consent) return refuse(c, std::move(entry), consent.error());
  write_then_send(c, std::move(entry),
                  [c, family_id, engine = c->s.policy.current(), consent = std::move(*consent)](
                      store::connection& db, audit::audit_entry& e) -> result<http::response> {
                    auto recorded = application::record_consent(legal_context_of(*c, *engine), db,
                                                                c->who, family_id, consent, e);
                    if (!recorded) return recorded.error();
                    auto res = json_response(*c, bhttp::status::created,
                                             consent_json(recorded->item, recorded->family,
                                                          cases::family_facts(recorded->family),
                                                          legal_context_of(*c, *engine)));
                    res.set(bhttp::field::location, "/v1/families/" + family_id + "/consents");
                    return res;
                  });
}

void withdraw_consent(const call_ptr& c) {
  const std::string family_id = c->params.at(0);
  const std::string consent_id = c->params.at(1);
  auto entry = entry_for(*c, "consent.withdraw", "consent", consent_id);
  application::concerns(entry, family_id, "consent");
  write_then_send(c, std::move(entry),
                  [c, family_id, consent_id, engine = c->s.policy.current()](
                      store::connection& db, audit::audit_entry& e) -> result<http::response> {
                    auto withdrawn = application::withdraw_consent(
                        legal_context_of(*c, *engine), db, c->who, family_id, consent_id, e);
                    if (!withdrawn) return withdrawn.error();
                    return json_response(*c, bhttp::status::ok,
                                         consent_json(withdrawn->item, withdrawn->family,
                                                      cases::family_facts(withdrawn->family),
                                                      legal_context_of(*c, *engine)));
                  });
}

// ---- coordination grounds ----

void list_grounds(const call_ptr& c) {
  const std::string family_id = c->params.at(0);
  auto entry = entry_for(*c, "ground.list", "family", family_id);
  application::concerns(entry, family_id, "coordination");
  read_then_send(
      c, std::move(entry),
      [c, family_id](store::connection& db, audit::audit_entry& e) -> result<http::response> {
        const auto engine = c->s.policy.current();
        auto found = application::grounds(legal_context_of(*c, *engine), db, c->who, family_id, e);
        if (!found) return found.error();
        boost::json::array items;
        for (const auto& g : *found) items.push_back(ground_json(g, c->now_point()));
        return json_response(*c, bhttp::status::ok, {{"grounds", std::move(items)}});
      });
}

void record_ground(const call_ptr& c) {
  const std::string family_id = c->params.at(0);
  auto entry = entry_for(*c, "ground.record", "ground", "");
  application::concerns(entry, family_id, "coordination");
  if (auto named = application::require_named_user(c->who); !named)
    return refuse(c, std::move(entry), named.error());
  auto ground = adapters::json::parse_ground(c->req.body(), c->now());
  if (!ground) return refuse(c, std::move(entry), ground.error());
  write_then_send(c, std::move(entry),
                  [c, family_id, engine = c->s.policy.current(), ground = std::move(*ground)](
                      store::connection& db, audit::audit_entry& e) -> result<http::response> {
                    auto recorded = application::record_ground(legal_context_of(*c, *engine), db,
                                                               c->who, family_id, ground, e);
                    if (!recorded) return recorded.error();
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
  application::concerns(entry, family_id, "coordination");
  write_then_send(c, std::move(entry),
                  [c, family_id, ground_id, engine = c->s.policy.current()](
                      store::connection& db, audit::audit_entry& e) -> result<http::response> {
                    auto ended = application::end_ground(legal_context_of(*c, *engine), db, c->who,
                                                         family_id, ground_id, e);
                    if (!ended) return ended.error();
                    return json_response(*c, bhttp::status::ok,
                                         ground_json(*ended, c->now_point()));
                  });
}

// ---- break-the-glass ----

void request_break_glass(const call_ptr& c) {
  const std::string family_id = c->params.at(0);
  auto entry = entry_for(*c, "break_glass.request", "break_glass", "");
  application::concerns(entry, family_id, "vital-interest");
  entry.break_glass = true;
  const auto engine = c->s.policy.current();
  entry.policy_version = engine->version();
  if (auto named = application::require_named_user(c->who); !named)
    return refuse(c, std::move(entry), named.error());
  auto body = adapters::json::parse_break_glass(c->req.body());
  if (!body) return refuse(c, std::move(entry), body.error());
  write_then_send(c, std::move(entry),
                  [c, family_id, engine, body = std::move(*body)](
                      store::connection& db, audit::audit_entry& e) -> result<http::response> {
                    auto granted = application::request_break_glass(
                        legal_context_of(*c, *engine), db, c->who, family_id, body.justification,
                        body.minutes, e);
                    if (!granted) return granted.error();
                    return json_response(*c, bhttp::status::created,
                                         break_glass_json(*granted, c->now_point()));
                  });
}

void review_queue(const call_ptr& c) {
  auto entry = entry_for(*c, "break_glass.queue", "break_glass", "");
  const auto engine = c->s.policy.current();
  if (auto allowed = application::may_review(legal_context_of(*c, *engine), c->who); !allowed)
    return refuse(c, std::move(entry), allowed.error());
  const std::string state = c->query_value("state");
  if (!state.empty() && state != "pending" && state != "reviewed") {
    return refuse(c, std::move(entry), error::invalid("state", "must be pending or reviewed"));
  }
  const auto filter =
      state == "reviewed" ? cases::review_filter::reviewed : cases::review_filter::pending;
  read_then_send(
      c, std::move(entry),
      [c, filter, engine](store::connection& db, audit::audit_entry& e) -> result<http::response> {
        auto queue = application::review_queue(legal_context_of(*c, *engine), db, c->who, filter,
                                               review_queue_limit, e);
        if (!queue) return queue.error();
        boost::json::array items;
        for (const auto& g : *queue) items.push_back(break_glass_json(g, c->now_point()));
        return json_response(*c, bhttp::status::ok, {{"grants", std::move(items)}});
      });
}

void review_break_glass(const call_ptr& c) {
  const std::string grant_id = c->params.at(0);
  auto entry = entry_for(*c, "break_glass.review", "break_glass", grant_id);
  entry.legal_basis = "vital-interest";
  const auto engine = c->s.policy.current();
  if (auto allowed = application::may_review(legal_context_of(*c, *engine), c->who); !allowed)
    return refuse(c, std::move(entry), allowed.error());
  auto body = adapters::json::parse_review(c->req.body());
  if (!body) return refuse(c, std::move(entry), body.error());
  write_then_send(
      c, std::move(entry),
      [c, grant_id, engine, body = std::move(*body)](
          store::connection& db, audit::audit_entry& e) -> result<http::response> {
        auto reviewed = application::review_break_glass(legal_context_of(*c, *engine), db, c->who,
                                                        grant_id, body.outcome, body.note, e);
        if (!reviewed) return reviewed.error();
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
