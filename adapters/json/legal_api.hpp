#pragma once
// Request bodies of the legal grounds of a family: consents, coordination grounds and
// break-the-glass, parsed and checked for shape. What needs the store (is this a member, is this
// organisation configured) and the policy (justification length, maximum durations) is checked by
// cases::legal_store. Errors name the field at fault ("evidence/signed_on") and never repeat a
// value. Pure; safe to call from any thread.
//
// Dates are calendar days (YYYY-MM-DD, UTC): a consent or ground runs from the start of
// valid_from (or from `now` when absent) to the end of valid_until.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/error.hpp"
#include "gateway/case/legal_store.hpp"

namespace sluis::adapters::json {

inline constexpr std::size_t max_motivation = 4000;
inline constexpr std::size_t max_note = 2000;
inline constexpr std::size_t max_list_items = 20;

// POST /v1/families/{id}/consents
result<cases::new_consent> parse_consent(std::string_view body, std::int64_t now);
// POST /v1/families/{id}/grounds
result<cases::new_ground> parse_ground(std::string_view body, std::int64_t now);

struct break_glass_body {
  std::string justification;
  std::optional<std::chrono::minutes> minutes;  // absent: the policy's maximum
};
// POST /v1/families/{id}/break-glass: {"justification", "minutes"?}
result<break_glass_body> parse_break_glass(std::string_view body);

struct review_body {
  cases::review_state outcome = cases::review_state::pending;
  std::string note;
};
// POST /v1/break-glass/{id}/review: {"outcome": "justified" | "unjustified", "note"}
result<review_body> parse_review(std::string_view body);

}  // namespace sluis::adapters::json
