#pragma once
// The outcome of one decision: how much of a record a requester may see, on which basis, by which
// rules, and, when that is less than was asked, why, in words a person can act on.

#include <string>
#include <vector>

#include "policy/vocabulary.hpp"

namespace sluis::policy {

// Why a record is shown at less than the level asked. `code` is stable for machines and UIs
// ("consent.missing", "ground.missing", "rule.deny", "no_rule", ...; see docs/policy.md); `message`
// is a Dutch sentence for the user, naming members by label and age only.
struct reason {
  std::string code;
  std::string message;
  std::string rule_id;  // the rule whose basis was not met, or the deny that applied; may be empty
};

struct decision {
  policy::level level = policy::level::none;
  legal_basis basis = legal_basis::none;  // of the winning permit; meaningless at level none
  std::string policy_version;
  std::vector<std::string>
      applied_rules;            // permits that granted something, and denies that applied
  bool flagged = false;         // the level rests on vital-interest (break-the-glass)
  std::vector<reason> reasons;  // empty when the level asked was granted
};

}  // namespace sluis::policy
