#include "policy/decision.hpp"

#include <array>
#include <cstddef>

namespace sluis::policy {
namespace {

constexpr std::array<std::string_view, 18> reason_names{
    "no_consent",          "consent_withdrawn",   "consent_expired",      "consent_not_started",
    "needs_gezag_holder",  "needs_subject",       "needs_family_members", "no_ground",
    "ground_incomplete",   "ground_expired",      "ground_not_started",   "no_break_glass",
    "break_glass_expired", "denied_by_rule",      "role_not_permitted",   "special_category",
    "criminal_data",       "professional_secrecy"};

static_assert(reason_names.size() ==
              static_cast<std::size_t>(reason_code::professional_secrecy) + 1);

}  // namespace

std::string_view to_string(reason_code value) noexcept {
  return reason_names[static_cast<std::size_t>(value)];
}

std::optional<reason_code> parse_reason_code(std::string_view text) noexcept {
  for (std::size_t i = 0; i < reason_names.size(); ++i) {
    if (reason_names[i] == text) return static_cast<reason_code>(i);
  }
  return std::nullopt;
}

}  // namespace sluis::policy
