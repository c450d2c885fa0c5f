#include "gateway/case/model.hpp"

#include <algorithm>

namespace sluis::cases {
namespace {

struct domain_name {
  std::string_view id;
  std::string_view name;
};
constexpr std::array<domain_name, 11> domain_names = {{
    {"financien", "Financiën en schulden"},
    {"wonen", "Wonen"},
    {"werk-inkomen", "Werk, inkomen en dagbesteding"},
    {"opvoeding", "Opvoeding en gezin"},
    {"onderwijs", "Onderwijs"},
    {"gezondheid", "Lichamelijke gezondheid"},
    {"psychische-gezondheid", "Psychische gezondheid"},
    {"verslaving", "Verslaving"},
    {"veiligheid", "Veiligheid en justitie"},
    {"netwerk", "Sociaal netwerk"},
    {"huiselijk-geweld", "Huiselijk geweld"},
}};

}  // namespace

bool is_life_domain(std::string_view id) noexcept {
  return std::find(life_domains.begin(), life_domains.end(), id) != life_domains.end();
}

std::string_view life_domain_name(std::string_view id) noexcept {
  for (const auto& d : domain_names)
    if (d.id == id) return d.name;
  return id;
}

bool is_contribution_status(std::string_view status) noexcept {
  return std::find(contribution_statuses.begin(), contribution_statuses.end(), status) !=
         contribution_statuses.end();
}

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
