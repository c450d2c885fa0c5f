// Operational routes, open to anyone who reaches the port: liveness, readiness, metrics and the
// OpenAPI document. None of them touches case data, so none is audited.

#include <boost/json.hpp>

#include "gateway/api/openapi_document.hpp"
#include "gateway/api/routes.hpp"
#include "gateway/store/connection.hpp"
#include "gateway/store/statement.hpp"

namespace sluis::api {
namespace {

namespace bhttp = boost::beast::http;
using bhttp::verb;

void healthz(const call_ptr& c) {
  send(c, json_response(*c, bhttp::status::ok, {{"status", "ok"}}));
}

void readyz(const call_ptr& c) {
  const auto r = check_readiness(c->s);
  boost::json::object body{{"status", r.ready() ? "ready" : "not ready"},
                           {"store", r.store_open ? "open" : "unavailable"},
                           {"keys", "loaded"},
                           {"policy", r.policy ? r.policy->version() : std::string("none")}};
  send(c,
       json_response(*c, r.ready() ? bhttp::status::ok : bhttp::status::service_unavailable, body));
}

void metrics(const call_ptr& c) {
  send(c, make_response(*c, bhttp::status::ok, c->s.metrics.render(), http::metrics_content_type));
}

void openapi(const call_ptr& c) {
  send(c, make_response(*c, bhttp::status::ok, std::string(openapi_yaml()), "application/yaml"));
}

}  // namespace

readiness check_readiness(services& s) {
  auto store_ok = s.store.reads().with([](store::connection& db) -> result<void> {
    auto st = db.cached("SELECT 1");
    if (!st) return st.error();
    auto row = (*st)->step();
    if (!row) return row.error();
    return {};
  });
  return {store_ok.has_value(), s.policy.current()};
}

void add_operational_routes(route_table& r) {
  r.add(verb::get, "/healthz", {healthz, auth::none});
  r.add(verb::get, "/readyz", {readyz, auth::none});
  r.add(verb::get, "/metrics", {metrics, auth::none});
  r.add(verb::get, "/v1/openapi.yaml", {openapi, auth::none});
}

}  // namespace sluis::api
