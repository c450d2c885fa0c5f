// GET /v1/vocabulary: the one vocabulary (policy/vocabulary.hpp) with the Dutch names users read,
// and the roles, purposes and life domains of the policy in force, its own additions included
// (named by their id), and the consent settings of that policy (who signs from which age). The web
// UI takes every label from here rather than keeping a copy. Words and settings, not case data: for
// any caller who is signed in or holds a partner certificate, and unaudited.

#include <algorithm>
#include <boost/json.hpp>
#include <span>
#include <string>
#include <vector>

#include "gateway/api/routes.hpp"
#include "policy/calendar.hpp"
#include "policy/decision.hpp"
#include "policy/engine.hpp"
#include "policy/vocabulary.hpp"

namespace sluis::api {
namespace {

namespace bhttp = boost::beast::http;

boost::json::object word(std::string_view id, std::string_view name) {
  return {{"id", id}, {"name", name}};
}

// The words of a fixed list.
boost::json::array words(std::span<const policy::term> terms) {
  boost::json::array out;
  for (const auto& t : terms) out.push_back(word(t.id, t.name));
  return out;
}

// The policy's declared names, with the Dutch name of each standard one.
boost::json::array declared(const std::vector<std::string>& ids,
                            std::span<const policy::term> standard) {
  boost::json::array out;
  for (const auto& id : ids) {
    auto w = word(id, policy::name_of(standard, id));
    w["standard"] = std::any_of(standard.begin(), standard.end(),
                                [&](const policy::term& t) { return t.id == id; });
    out.push_back(std::move(w));
  }
  return out;
}

void vocabulary(const call_ptr& c) {
  const auto engine = c->s.policy.current();
  send(c, json_response(*c, bhttp::status::ok,
                        {{"policy_version", engine->version()},
                         {"domains", declared(engine->domains(), policy::standard_domains())},
                         {"roles", declared(engine->roles(), policy::standard_roles())},
                         {"purposes", declared(engine->purposes(), policy::standard_purposes())},
                         {"categories", words(policy::categories())},
                         {"kinds", words(policy::record_kinds())},
                         {"statuses", words(policy::contribution_statuses())},
                         {"consent_statuses", words(policy::consent_statuses())},
                         {"levels", words(policy::levels())},
                         {"legal_bases", words(policy::legal_bases())},
                         {"reasons", words(policy::reason_codes())},
                         {"consent",
                          {{"child_with_gezag_from_age", engine->child_with_gezag_from_age()},
                           {"child_alone_from_age", engine->child_alone_from_age()},
                           {"max_validity_days", engine->consent_max_validity().count()}}},
                         {"time_zone", policy::calendar_time_zone}}));
}

}  // namespace

void add_vocabulary_routes(route_table& r) {
  r.add(bhttp::verb::get, "/v1/vocabulary", {vocabulary, auth::either});
}

}  // namespace sluis::api
