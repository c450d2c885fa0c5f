#include "gateway/case/model.hpp"

namespace sluis::cases {
std::string_view to_string(policy::member_role role) noexcept {
  switch (role) {
    case policy::member_role::parent:
      return "parent";
    case policy::member_role::child:
      return "child";
    case policy::member_role::other:
      return "other";
  }
  return "other";
}

std::optional<policy::member_role> parse_member_role(std::string_view text) noexcept {
  if (text == "parent") return policy::member_role::parent;
  if (text == "child") return policy::member_role::child;
  if (text == "other") return policy::member_role::other;
  return std::nullopt;
}

}  // namespace sluis::cases
