#pragma once
// The route table of the gateway's HTTP handler: each route file adds its routes with the way
// their callers must authenticate. The handler (gateway_handler.cpp) establishes the actor before a
// route runs, so a route only checks what is specific to it (role, family, purpose).

#include "gateway/api/call.hpp"
#include "gateway/api/router.hpp"

namespace sluis::api {

enum class auth {
  none,     // anyone: health, metrics, the OpenAPI document, the web UI's static files
  partner,  // a partner system: the client certificate of a configured organisation
  person,   // a person signed in through the web UI: session cookie, CSRF token on changes
  either,   // a partner system or a person
};

struct route {
  void (*fn)(const call_ptr&);
  auth who = auth::partner;
};

using route_table = router<route>;

// /healthz, /readyz, /metrics, /v1/openapi.yaml (operational_routes.cpp).
void add_operational_routes(route_table& routes);
// Families, members, contributions and involvement for partner systems (partner_routes.cpp).
void add_partner_routes(route_table& routes);
// Consents, coordination grounds, break-the-glass and its review (legal_routes.cpp).
void add_legal_routes(route_table& routes);
// Signing in and out of the web UI (session_routes.cpp).
void add_session_routes(route_table& routes);
// The family plan, a gezinsmanager's families and the procesmanager's oversight (plan_routes.cpp).
void add_plan_routes(route_table& routes);
// Audit search, inzage by BSN, and the policy: read, check, simulate, activate
// (privacy_routes.cpp).
void add_privacy_routes(route_table& routes);
// GET /v1/vocabulary: ids and Dutch names, with the policy's own additions (vocabulary_routes.cpp).
void add_vocabulary_routes(route_table& routes);
// GET / and GET /assets/{name}: the web UI's embedded files (web_routes.cpp).
void add_web_routes(route_table& routes);

}  // namespace sluis::api
