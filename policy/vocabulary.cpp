#include "policy/vocabulary.hpp"

#include <array>
#include <cstddef>

namespace sluis::policy {
namespace {

constexpr std::array level_names{"none", "involvement", "status", "summary", "full"};
constexpr std::array basis_names{"none", "consent", "coordination", "vital-interest"};
constexpr std::array category_names{"regular", "special", "criminal"};
constexpr std::array kind_names{"involvement", "goal", "action", "evaluation", "deadline", "note"};

template <class Enum, std::size_t N>
std::optional<Enum> parse_enum(const std::array<const char*, N>& names, std::string_view text) {
  for (std::size_t i = 0; i < N; ++i) {
    if (text == names[i]) return static_cast<Enum>(i);
  }
  return std::nullopt;
}

}  // namespace

std::string_view to_string(level value) noexcept {
  return level_names[static_cast<std::size_t>(value)];
}
std::string_view to_string(legal_basis value) noexcept {
  return basis_names[static_cast<std::size_t>(value)];
}
std::string_view to_string(category value) noexcept {
  return category_names[static_cast<std::size_t>(value)];
}
std::string_view to_string(record_kind value) noexcept {
  return kind_names[static_cast<std::size_t>(value)];
}

std::optional<level> parse_level(std::string_view text) noexcept {
  return parse_enum<level>(level_names, text);
}
std::optional<legal_basis> parse_legal_basis(std::string_view text) noexcept {
  return parse_enum<legal_basis>(basis_names, text);
}
std::optional<category> parse_category(std::string_view text) noexcept {
  return parse_enum<category>(category_names, text);
}
std::optional<record_kind> parse_record_kind(std::string_view text) noexcept {
  return parse_enum<record_kind>(kind_names, text);
}

}  // namespace sluis::policy
