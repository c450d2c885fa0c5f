#pragma once
// Running a scenario through a policy: the decisions that `sluis policy simulate` prints and that
// POST /v1/policy/simulate answers, and their JSON form, shared by both so the two never differ.
// Pure functions of their arguments; safe to call from many threads.

#include <boost/json/object.hpp>
#include <vector>

#include "policy/engine.hpp"
#include "policy/scenario.hpp"

namespace sluis::policy {

// The decision for every record of `s`, in the scenario's order, all from one prepared request.
std::vector<decision> simulate(const engine& e, const scenario& s);

// {"policy_version", "who": {"role", "organisation", "sector", "purpose"},
//  "records": [{"record", "level", "basis" (null at level none), "flagged", "rules": [...],
//               "reasons": [{"code", "message", "rule"}]}]}
// `decisions` are simulate(e, s).
boost::json::object simulation_json(const engine& e, const scenario& s,
                                    const std::vector<decision>& decisions);

}  // namespace sluis::policy
