#pragma once
// The views of families, as use cases: a family's plan, a gezinsmanager's own families, the
// procesmanager's oversight, and which organisations are involved with a family.
//
// Each view reads what it needs on the caller's reader connection (the family, its legal grounds
// as stored right now, its contributions), decides every record with one policy snapshot, and
// fills the audit entry with what was shown and hidden, on which bases, under which policy
// version: counts and codes only. The caller makes that entry durable before it answers. A view
// that would show the caller nothing at all answers errc::not_found, as for a family that does not
// exist, so that no answer confirms a family the caller may not know of.

#include <cstddef>
#include <string>
#include <vector>

#include "common/error.hpp"
#include "gateway/application/actor.hpp"
#include "gateway/audit/audit_entry.hpp"
#include "gateway/case/case_store.hpp"
#include "gateway/config/config.hpp"
#include "gateway/plan/oversight.hpp"
#include "gateway/plan/plan.hpp"
#include "keys/key_ring.hpp"
#include "policy/engine.hpp"

namespace sluis::store {
class connection;
}

namespace sluis::application {

// What a view needs of the running gateway, and the one policy snapshot and moment it decides with.
struct view_context {
  const keys::keyring& keyring;
  const config::gateway_config& config;
  const cases::case_store& cases;
  const policy::engine& engine;
  policy::time_point now;
};

// GET a family's plan for `purpose`.
result<plan::family_plan> family_plan(const view_context& ctx, store::connection& db,
                                      const actor& who, const std::string& family_id,
                                      const std::string& purpose, audit::audit_entry& entry);

// A gezinsmanager's own families, each as the card of its plan (purpose "plan").
struct family_card {
  plan::family_card card;
  std::string label;
};
result<std::vector<family_card>> own_families(const view_context& ctx, store::connection& db,
                                              const actor& who, audit::audit_entry& entry);

// The procesmanager's status view of a page of families (purpose "process-oversight").
result<plan::oversight> oversight(const view_context& ctx, store::connection& db, const actor& who,
                                  std::size_t limit, std::size_t offset, audit::audit_entry& entry);

// The organisations involved with a family as far as the policy lets `who` know for `purpose`
// (withdrawn contributions do not count), sorted by id.
result<std::vector<std::string>> involved_organisations(const view_context& ctx,
                                                        store::connection& db, const actor& who,
                                                        const std::string& family_id,
                                                        const std::string& purpose,
                                                        audit::audit_entry& entry);

}  // namespace sluis::application
