#pragma once
// A simulation scenario: the facts of one family and one person asking, read from a TOML text, so
// that a privacy officer can see what a policy would show without a store (`sluis policy
// simulate`). The format is documented in docs/policy.md; deploy/scenario.example.toml is an
// example.

#include <boost/system/result.hpp>
#include <string_view>
#include <vector>

#include "policy/engine.hpp"
#include "policy/facts.hpp"

namespace sluis::policy {

struct scenario {
  requester who;
  family fam;
  std::vector<record> records;
  time_point now;
};

// Parses a scenario text; `file_name` is used in diagnostics only. Reports every problem found.
boost::system::result<scenario, diagnostics> parse_scenario(std::string_view text,
                                                            std::string_view file_name);

}  // namespace sluis::policy
