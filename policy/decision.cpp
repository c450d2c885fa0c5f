#include "policy/decision.hpp"

#include <cstddef>
#include <iterator>

namespace sluis::policy {
namespace {

// Each code with its heading as users read it, in enum order: what kind of thing is missing.
constexpr term reason_terms[] = {
    {"no_consent", "Ontbrekende toestemming"},
    {"consent_withdrawn", "Toestemming ingetrokken"},
    {"consent_expired", "Toestemming verlopen"},
    {"consent_not_started", "Toestemming nog niet ingegaan"},
    {"needs_gezag_holder", "Handtekening ontbreekt"},
    {"needs_subject", "Handtekening ontbreekt"},
    {"needs_family_members", "Handtekening ontbreekt"},
    {"no_ground", "Geen afstemmingsgrond"},
    {"ground_incomplete", "Afstemmingsgrond onvolledig"},
    {"ground_expired", "Afstemmingsgrond verlopen"},
    {"ground_not_started", "Afstemmingsgrond nog niet ingegaan"},
    {"no_break_glass", "Alleen in een noodsituatie"},
    {"break_glass_expired", "Doorbraak verlopen"},
    {"denied_by_rule", "Uitgesloten door het beleid"},
    {"role_not_permitted", "Niet voor uw rol"},
    {"special_category", "Ontbrekende toestemming"},
    {"criminal_data", "Ontbrekende toestemming"},
    {"professional_secrecy", "Ontbrekende toestemming"},
};

static_assert(std::size(reason_terms) ==
              static_cast<std::size_t>(reason_code::professional_secrecy) + 1);

}  // namespace

std::string_view to_string(reason_code value) noexcept {
  return reason_terms[static_cast<std::size_t>(value)].id;
}

std::optional<reason_code> parse_reason_code(std::string_view text) noexcept {
  for (std::size_t i = 0; i < std::size(reason_terms); ++i) {
    if (reason_terms[i].id == text) return static_cast<reason_code>(i);
  }
  return std::nullopt;
}

std::span<const term> reason_codes() noexcept { return reason_terms; }

}  // namespace sluis::policy
