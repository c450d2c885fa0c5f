#pragma once
// The audit entry of an administrative command run on the gateway's own machine.

#include <string>
#include <utility>

#include "gateway/audit/audit_entry.hpp"

namespace sluis::cli {

// Actor "local-operator"/"operator": someone with the keys, on the gateway's own machine.
inline audit::audit_entry operator_entry(std::string action, std::string resource_type,
                                         std::string resource_id) {
  audit::audit_entry e;
  e.actor_org = "local-operator";
  e.actor_user = "operator";
  e.action = std::move(action);
  e.resource = {std::move(resource_type), std::move(resource_id)};
  return e;
}

}  // namespace sluis::cli
