#pragma once
// Intake: what partner organisations send, as use cases. Register a family, add and remove its
// members, submit (create or update) and withdraw contributions.
//
// Each runs inside the caller's write transaction on the case store (the writer's work item) and
// adds to the audit entry of the request what it finds (ids, the pseudonyms of stored records,
// counts); the caller has already put in the pseudonyms of the input it parsed and the family the
// request names, so that a refusal records them too, and stages the entry in the same transaction
// (audit/journal.hpp). Inputs arrive parsed and validated by an
// adapter (adapters/json for the partner API), with every BSN already a pseudonym. What an answer
// may reveal is decided here: a submission tells the family it landed in only to the family's own
// organisation (cases::may_know_family), so that it is no membership oracle; acting on a family
// of another organisation answers errc::not_found, as for a family that does not exist.

#include <memory>
#include <string>
#include <string_view>

#include "common/error.hpp"
#include "gateway/application/actor.hpp"
#include "gateway/audit/audit_entry.hpp"
#include "gateway/case/case_store.hpp"
#include "policy/engine.hpp"

namespace sluis::store {
class connection;
}

namespace sluis::application {

// What intake needs: the case store, the policy in force (its life domains are the ones a
// contribution may name) and the moment it records.
struct intake_context {
  const cases::case_store& cases;
  std::shared_ptr<const policy::engine> policy;
  cases::unix_seconds now;
};

// errc::invalid_argument (field `field`) unless `domain` is a life domain of `policy`: a standard
// one or one the policy declares itself. The error lists the domains, never the value given.
result<void> check_domain(const policy::engine& policy, std::string_view field,
                          const std::string& domain);

result<cases::registered_family> register_family(const intake_context& ctx, store::connection& db,
                                                 const actor& who,
                                                 const cases::family_registration& family,
                                                 audit::audit_entry& entry);

result<cases::added_member> add_member(const intake_context& ctx, store::connection& db,
                                       const actor& who, const std::string& family_id,
                                       const cases::new_member& member, audit::audit_entry& entry);

result<void> remove_member(const intake_context& ctx, store::connection& db, const actor& who,
                           const std::string& family_id, const std::string& member_id,
                           audit::audit_entry& entry);

// The contribution's domain must be one of the policy's (check_domain). The outcome's family_id is
// set only when `who` may know it (submitter_may_know_family).
result<cases::submit_outcome> submit(const intake_context& ctx, store::connection& db,
                                     const actor& who, const cases::contribution_submission& s,
                                     audit::audit_entry& entry);

result<void> withdraw(const intake_context& ctx, store::connection& db, const actor& who,
                      const std::string& contribution_id, audit::audit_entry& entry);

// A family of the caller's own organisation, for reading it back; errc::not_found otherwise.
result<cases::stored_family> own_family(const intake_context& ctx, store::connection& db,
                                        const actor& who, const std::string& family_id);

}  // namespace sluis::application
