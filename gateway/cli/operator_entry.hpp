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

// A backup of the whole data directory was taken (`sluis backup`): who holds the keys may read
// every family in it, so it is in the log like any access. Counts and the audit head only.
inline audit::audit_entry backup_taken_entry(std::int64_t audit_last_seq, std::int64_t families,
                                             std::int64_t contributions) {
  auto e = operator_entry("backup.create", "data-directory", "");
  e.detail = {
      {"audit_last_seq", audit_last_seq}, {"families", families}, {"contributions", contributions}};
  return e;
}

// The control-socket request that asks a running gateway to append backup_taken_entry():
// "backup taken LAST_SEQ FAMILIES CONTRIBUTIONS".
inline std::string backup_taken_request(std::int64_t audit_last_seq, std::int64_t families,
                                        std::int64_t contributions) {
  return "backup taken " + std::to_string(audit_last_seq) + " " + std::to_string(families) + " " +
         std::to_string(contributions);
}

}  // namespace sluis::cli
