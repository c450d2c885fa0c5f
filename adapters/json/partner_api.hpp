#pragma once
// Partner API v1 request bodies: parse, validate and pseudonymise, in one step.
//
// A BSN is validated (9 digits, elfproef) and turned into a pseudonym inside these functions; it
// never leaves them, so it cannot reach the store, a log or an error. Errors name the field at
// fault ("members/1/bsn") and never repeat a value. The functions are pure apart from the
// pseudonymiser and safe to call from any thread.

#include <string_view>

#include "common/error.hpp"
#include "gateway/case/model.hpp"
#include "keys/pseudonymiser.hpp"

namespace sluis::adapters::json {

// Limits on text fields, in bytes (UTF-8).
inline constexpr std::size_t max_label = 60;
inline constexpr std::size_t max_id = 128;
inline constexpr std::size_t max_title = 200;
inline constexpr std::size_t max_body = 20000;
inline constexpr std::size_t max_members = 30;

// POST /v1/families
result<cases::family_registration> parse_family_registration(std::string_view body,
                                                             const keys::pseudonymiser& p);
// POST /v1/families/{id}/members
result<cases::new_member> parse_member(std::string_view body, const keys::pseudonymiser& p);
// POST /v1/contributions
result<cases::contribution_submission> parse_contribution(std::string_view body,
                                                          const keys::pseudonymiser& p);

}  // namespace sluis::adapters::json
