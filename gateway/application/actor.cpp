#include "gateway/application/actor.hpp"

namespace sluis::application {

policy::requester actor::requester(const cases::stored_family& family, std::string purpose) const {
  return {user,
          role,
          org != nullptr ? org->id : std::string(),
          org != nullptr ? org->sector : std::string(),
          std::move(purpose),
          is_gezinsmanager_of(family)};
}

actor actor::operator_for(const config::organisation* org, std::string user) {
  actor who;
  who.org = org;
  who.user = std::move(user);
  who.role = "professional";
  who.operator_loading = true;
  return who;
}

bool actor::is_gezinsmanager_of(const cases::stored_family& family) const {
  return org != nullptr && family.has_gezinsmanager(org->id, user);
}

bool actor::manages(const cases::stored_family& family) const {
  if (person) return role == "gezinsmanager" && is_gezinsmanager_of(family);
  return org != nullptr && family.is_own_organisation(org->id);
}

}  // namespace sluis::application
