#pragma once
// Admission of break-the-glass requests: the check the API runs before it records a grant. The
// engine itself only honours grants that are active at `now` (see engine.hpp).

#include <chrono>
#include <string_view>

#include "common/error.hpp"
#include "policy/engine.hpp"

namespace sluis::policy {

// Accepts a request whose justification, without surrounding white space, has at least the
// policy's minimum number of characters (Unicode code points), and returns the duration to grant:
// `requested`, capped at the policy's maximum. Errors (field "justification" or "duration") never
// echo the justification, which may contain personal data. Pure and thread-safe.
result<std::chrono::minutes> validate_break_glass_request(const engine& policy,
                                                          std::string_view justification,
                                                          std::chrono::minutes requested);

}  // namespace sluis::policy
