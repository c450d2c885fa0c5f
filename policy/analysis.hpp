#pragma once
// What a privacy officer should look at in one policy before defending it (`sluis policy
// analyse`): rules that never apply or change nothing, rules whose text reaches further than the
// safeguards let them grant, sensitive data shared on a coordination ground alone, and names
// declared but never used. Built on the diff's walk (policy/diff.hpp): a rule changes nothing
// exactly when the policy without it is equal in level everywhere. Pure: no I/O, no clock.

#include <boost/json/object.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "policy/engine.hpp"

namespace sluis::policy {

struct finding {
  // "never_applies", "redundant", "wider_than_granted", "sensitive_on_coordination",
  // "unused_organisation", "unused_domain", "unused_role", "unused_purpose"
  std::string kind;
  std::string rule_id;  // the rule it is about; empty for a name or a group of requests
  int line = 0;         // where in the policy text; 0 when it is not about one place
  std::string message;  // English, for the privacy officer
};

struct policy_analysis {
  std::string version;
  std::vector<finding> findings;  // in policy text order, then the sensitive-data groups
  std::uint64_t decided = 0;      // request shapes decided to find them
};

policy_analysis analyse(const engine& e);

// One line per finding, "FILE:LINE: kind: message", or a line saying there are none.
std::string analysis_text(const policy_analysis& a, const std::string& file_name);

// {"version", "decided", "findings": [{"kind", "rule", "line", "message"}]}
boost::json::object analysis_json(const policy_analysis& a);

}  // namespace sluis::policy
