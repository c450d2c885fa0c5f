#pragma once
// The example policy shipped in deploy/, loaded from its real file, and facts helpers shared by
// the policy suites.

#include <string>

#include "policy/engine.hpp"
#include "tests/support/temp_dir.hpp"

namespace sluis::policy::testing {

inline std::string example_policy_text() { return sluis::testing::read_file(SLUIS_EXAMPLE_POLICY); }

inline engine example_engine() {
  return engine::compile(example_policy_text(), "policy.example.toml").value();
}

inline time_point at(std::chrono::sys_days day, int hour = 12) {
  return time_point{day} + std::chrono::hours{hour};
}

}  // namespace sluis::policy::testing
