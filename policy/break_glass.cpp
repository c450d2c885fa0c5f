#include "policy/break_glass.hpp"

#include <algorithm>
#include <string>

namespace sluis::policy {
namespace {

std::string_view trim(std::string_view text) {
  constexpr std::string_view space = " \t\r\n\f\v";
  const auto first = text.find_first_not_of(space);
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(space) - first + 1);
}

// UTF-8 continuation bytes do not start a character, so "één" counts as three.
std::size_t code_points(std::string_view text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

}  // namespace

result<std::chrono::minutes> validate_break_glass_request(const engine& policy,
                                                          std::string_view justification,
                                                          std::chrono::minutes requested) {
  const auto minimum = policy.break_glass_min_justification();
  if (code_points(trim(justification)) < minimum) {
    return error::invalid("justification", "a break-the-glass justification needs at least " +
                                               std::to_string(minimum) +
                                               " characters explaining the emergency");
  }
  if (requested <= std::chrono::minutes::zero()) {
    return error::invalid("duration", "a break-the-glass duration must be positive");
  }
  return std::min(requested, policy.break_glass_max_duration());
}

}  // namespace sluis::policy
