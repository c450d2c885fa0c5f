// The combined family plan and the views built on it: GET /v1/plans/{family_id} (the family's
// gezinsmanager, or a professional), GET /v1/me/families (a gezinsmanager's own families) and
// GET /v1/oversight (the procesmanager: status only).
//
// Each view reads the family, its legal grounds and contributions on a reader, lets the plan
// library decide and redact every record with one policy snapshot, and leaves one audit entry that
// records what was shown and hidden, on which bases, under which policy version; counts only.

#include <boost/json.hpp>
#include <charconv>

#include "gateway/api/routes.hpp"
#include "gateway/case/legal_store.hpp"
#include "gateway/plan/oversight.hpp"
#include "gateway/plan/plan.hpp"
#include "gateway/plan/plan_json.hpp"
#include "gateway/store/connection.hpp"

namespace sluis::api {
namespace {

namespace bhttp = boost::beast::http;
using bhttp::verb;

constexpr std::size_t default_page = 100;
constexpr std::size_t max_page = 500;

// What one family's plan is made of, read in one go from one reader connection.
struct stored_plan_input {
  cases::family_with_facts loaded;
  std::vector<cases::stored_contribution> contributions;
};

result<stored_plan_input> read_family(const call& c, store::connection& db,
                                      const std::string& family_id) {
  const cases::legal_store legal(c.s.keyring);
  auto loaded = legal.load_family_facts(db, family_id);
  if (!loaded) return loaded.error();
  auto contributions = c.cases.family_contributions(db, family_id);
  if (!contributions) return contributions.error();
  return stored_plan_input{std::move(*loaded), std::move(*contributions)};
}

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : ",") + i;
  return out;
}

void fill_entry(audit::audit_entry& e, const plan::plan_audit& a) {
  e.detail = a.detail;
  e.legal_basis = joined(a.legal_bases);
  e.policy_version = a.policy_version;
  e.break_glass = a.break_glass;
}

// A view that shows nothing at all: the family might as well not exist for this person.
bool shows_nothing(const plan::family_plan& p) {
  return !p.own_gezinsmanager && p.organisations.empty() && p.members.empty() &&
         p.totals.shown == 0 && p.totals.hidden == 0;
}

// A purpose from the query (default `fallback`), as the policy declares purposes: a-z and '-'.
result<std::string> purpose_of(const call& c, std::string fallback) {
  std::string purpose = c.query_value("purpose");
  if (purpose.empty()) return fallback;
  if (purpose.size() > 32 ||
      purpose.find_first_not_of("abcdefghijklmnopqrstuvwxyz-") != std::string::npos)
    return error::invalid("purpose", "must be a purpose id such as plan");
  return purpose;
}

void family_plan(const call_ptr& c) {
  const std::string family_id = c->params.at(0);
  auto entry = entry_for(*c, "plan.view", "plan", family_id);
  entry.family_id = family_id;
  auto purpose = purpose_of(*c, "plan");
  if (!purpose) return refuse(c, std::move(entry), purpose.error());
  entry.purpose = *purpose;
  const auto engine = c->s.policy.current();
  read_then_send(
      c, std::move(entry),
      [c, family_id, engine, purpose = *purpose](store::connection& db,
                                                 audit::audit_entry& e) -> result<http::response> {
        auto in = read_family(*c, db, family_id);
        if (!in) return in.error();
        const auto& family = in->loaded.family;
        const auto p =
            plan::assemble(*engine, c->who.requester(family, purpose), family, in->contributions,
                           in->loaded.facts, c->s.config, c->now_point());
        fill_entry(e, plan::audit_detail(p));
        if (shows_nothing(p)) return error::not_found("no such family");
        e.subjects = plan::audit_subjects(p, family);
        return make_response(*c, bhttp::status::ok, plan::to_json_text(p), "application/json");
      });
}

void my_families(const call_ptr& c) {
  auto entry = entry_for(*c, "families.list", "family", "");
  if (!require_role(c, entry, {"gezinsmanager"})) return;
  entry.purpose = "plan";
  const auto engine = c->s.policy.current();
  read_then_send(
      c, std::move(entry),
      [c, engine](store::connection& db, audit::audit_entry& e) -> result<http::response> {
        auto own = c->cases.families_of_gezinsmanager(db, c->who.org->id, c->who.user);
        if (!own) return own.error();
        boost::json::array families;
        for (const auto& overview : *own) {
          auto in = read_family(*c, db, overview.id);
          if (!in) return in.error();
          const auto& family = in->loaded.family;
          const auto p =
              plan::assemble(*engine, c->who.requester(family, "plan"), family, in->contributions,
                             in->loaded.facts, c->s.config, c->now_point());
          families.push_back(plan::to_json(plan::card(p), overview.label));
        }
        e.policy_version = engine->version();
        e.detail = {{"families", families.size()}};
        return json_response(*c, bhttp::status::ok, {{"families", std::move(families)}});
      });
}

result<std::size_t> page_number(const call& c, std::string_view key, std::size_t fallback,
                                std::size_t max) {
  const std::string v = c.query_value(key);
  if (v.empty()) return fallback;
  std::size_t n = 0;
  const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  if (ec != std::errc() || end != v.data() + v.size() || n > max)
    return error::invalid(std::string(key), "must be a whole number up to " + std::to_string(max));
  return n;
}

void oversight(const call_ptr& c) {
  auto entry = entry_for(*c, "oversight.view", "oversight", "");
  if (!require_role(c, entry, {"procesmanager"})) return;
  entry.purpose = "process-oversight";
  auto limit = page_number(*c, "limit", default_page, max_page);
  if (!limit) return refuse(c, std::move(entry), limit.error());
  auto offset = page_number(*c, "offset", 0, std::numeric_limits<std::int32_t>::max());
  if (!offset) return refuse(c, std::move(entry), offset.error());
  const auto engine = c->s.policy.current();
  read_then_send(
      c, std::move(entry),
      [c, engine, limit = *limit, offset = *offset](
          store::connection& db, audit::audit_entry& e) -> result<http::response> {
        auto page = c->cases.all_families(db, limit, offset);
        if (!page) return page.error();
        std::vector<stored_plan_input> loaded;
        loaded.reserve(page->size());
        for (const auto& overview : *page) {
          auto in = read_family(*c, db, overview.id);
          if (!in) return in.error();
          loaded.push_back(std::move(*in));
        }
        std::vector<plan::family_input> inputs;
        for (const auto& in : loaded)
          inputs.push_back({&in.loaded.family, &in.contributions, &in.loaded.facts});
        // One requester for all families: the procesmanager is nobody's gezinsmanager.
        const policy::requester who{c->who.user,        c->who.role,         c->who.org->id,
                                    c->who.org->sector, "process-oversight", false};
        const auto view = plan::oversee(*engine, who, inputs, c->s.config, c->now_point());
        fill_entry(e, plan::audit_detail(view));
        return json_response(*c, bhttp::status::ok, plan::to_json(view));
      });
}

}  // namespace

void add_plan_routes(route_table& r) {
  r.add(verb::get, "/v1/plans/{family_id}", {family_plan, auth::either});
  r.add(verb::get, "/v1/me/families", {my_families, auth::person});
  r.add(verb::get, "/v1/oversight", {oversight, auth::person});
}

}  // namespace sluis::api
