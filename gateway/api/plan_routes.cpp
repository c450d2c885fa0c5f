// The combined family plan and the views built on it: GET /v1/plans/{family_id} (the family's
// gezinsmanager, or a professional), GET /v1/me/families (a gezinsmanager's own families) and
// GET /v1/oversight (the procesmanager: status only).
//
// Each route parses, calls its view use case (gateway/application/views.hpp) on a reader with one
// policy snapshot, and presents the result as JSON; the use case fills the one audit entry.

#include <boost/json.hpp>
#include <charconv>

#include "gateway/api/routes.hpp"
#include "gateway/application/views.hpp"
#include "gateway/plan/plan_json.hpp"
#include "gateway/store/connection.hpp"

namespace sluis::api {
namespace {

namespace bhttp = boost::beast::http;
using bhttp::verb;

constexpr std::size_t default_page = 100;
constexpr std::size_t max_page = 500;

application::view_context view_of(const call& c, const policy::engine& engine) {
  return {c.s.keyring, *c.config, c.cases, engine, c.now_point()};
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
        auto p = application::family_plan(view_of(*c, *engine), db, c->who, family_id, purpose, e);
        if (!p) return p.error();
        return make_response(*c, bhttp::status::ok, plan::to_json_text(*p), "application/json");
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
        auto own = application::own_families(view_of(*c, *engine), db, c->who, e);
        if (!own) return own.error();
        boost::json::array families;
        for (const auto& f : *own) families.push_back(plan::to_json(f.card, f.label));
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
  read_then_send(c, std::move(entry),
                 [c, engine, limit = *limit, offset = *offset](
                     store::connection& db, audit::audit_entry& e) -> result<http::response> {
                   auto view =
                       application::oversight(view_of(*c, *engine), db, c->who, limit, offset, e);
                   if (!view) return view.error();
                   return json_response(*c, bhttp::status::ok, plan::to_json(*view));
                 });
}

}  // namespace

void add_plan_routes(route_table& r) {
  r.add(verb::get, "/v1/plans/{family_id}", {family_plan, auth::either});
  r.add(verb::get, "/v1/me/families", {my_families, auth::person});
  r.add(verb::get, "/v1/oversight", {oversight, auth::person});
}

}  // namespace sluis::api
