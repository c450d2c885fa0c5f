#pragma once
// The legal grounds of a family, as use cases: consents, coordination grounds, break-the-glass,
// and the privacy officer's review of break-the-glass.
//
// Who may do what is decided here, once:
// - consents and coordination grounds are listed and recorded by whoever manages the family
//   (actor::manages: its gezinsmanager in person, or a system of the gezinsmanager's organisation);
//   anyone else is told the family does not exist (errc::not_found), which confirms nothing;
// - recording or changing a legal ground needs a named user (a partner system names the
//   professional in X-Sluis-User): errc::invalid_argument, field "X-Sluis-User", otherwise;
// - break-the-glass may be requested by any named user; the policy checks the justification and
//   caps the duration;
// - the review of break-the-glass is for the policy's reviewer role, in person, only
//   (errc::forbidden otherwise), and never by the user who broke the glass.
//
// Like intake, each use case runs on the caller's connection (a reader for lists, the writer's
// transaction for changes) and adds to the request's audit entry the legal basis it concerns, the
// ids it touched and the pseudonyms of the members concerned; texts (justifications, motivations,
// notes) never reach the audit log. Nothing is cached: a withdrawal holds for the very next
// decision.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "common/error.hpp"
#include "gateway/application/actor.hpp"
#include "gateway/audit/audit_entry.hpp"
#include "gateway/case/case_store.hpp"
#include "gateway/case/legal_store.hpp"
#include "keys/key_ring.hpp"
#include "policy/engine.hpp"

namespace sluis::store {
class connection;
}

namespace sluis::application {

// What the legal grounds need: the keyring (the grounds are sealed per family), the policy
// snapshot that caps validity and duration, and the moment they record.
struct legal_context {
  const keys::keyring& keyring;
  const policy::engine& engine;
  cases::unix_seconds now;
};

// A family with some of its legal grounds: the family is there for the answer's member labels.
template <typename T>
struct family_grounds {
  cases::stored_family family;
  std::vector<T> items;
};
template <typename T>
struct family_ground {
  cases::stored_family family;
  T item;
};

// Marks the audit entry as concerning this family's legal basis `basis` ("consent",
// "coordination", "vital-interest"). Each use case does; a route that may refuse before it calls
// one (a body that does not parse) does it first, so that the refusal records it too.
void concerns(audit::audit_entry& entry, const std::string& family_id, std::string basis);

// Where consent `c` stands at ctx.now for the family of `facts` (cases::family_facts) by the policy
// in force (policy::engine::status_of: the one rule), and when its validity ends: its own end, or
// the policy's maximum when earlier.
struct consent_standing {
  policy::consent_status status = policy::consent_status::valid;
  policy::time_point effective_until;
};
consent_standing standing_of(const legal_context& ctx, const policy::family& facts,
                             const policy::consent& c);

result<family_grounds<cases::stored_consent>> consents(const legal_context& ctx,
                                                       store::connection& db, const actor& who,
                                                       const std::string& family_id,
                                                       audit::audit_entry& entry);
result<family_ground<cases::stored_consent>> record_consent(const legal_context& ctx,
                                                            store::connection& db, const actor& who,
                                                            const std::string& family_id,
                                                            const cases::new_consent& consent,
                                                            audit::audit_entry& entry);
result<family_ground<cases::stored_consent>> withdraw_consent(
    const legal_context& ctx, store::connection& db, const actor& who, const std::string& family_id,
    const std::string& consent_id, audit::audit_entry& entry);

result<std::vector<cases::stored_ground>> grounds(const legal_context& ctx, store::connection& db,
                                                  const actor& who, const std::string& family_id,
                                                  audit::audit_entry& entry);
result<cases::stored_ground> record_ground(const legal_context& ctx, store::connection& db,
                                           const actor& who, const std::string& family_id,
                                           const cases::new_ground& ground,
                                           audit::audit_entry& entry);
result<cases::stored_ground> end_ground(const legal_context& ctx, store::connection& db,
                                        const actor& who, const std::string& family_id,
                                        const std::string& ground_id, audit::audit_entry& entry);

// `minutes` empty: the policy's maximum.
result<cases::stored_break_glass> request_break_glass(const legal_context& ctx,
                                                      store::connection& db, const actor& who,
                                                      const std::string& family_id,
                                                      const std::string& justification,
                                                      std::optional<std::chrono::minutes> minutes,
                                                      audit::audit_entry& entry);

// Whether `who` reviews break-the-glass under this policy; errc::forbidden otherwise. The routes
// call it before they read a body, so that nobody else learns what the review accepts.
result<void> may_review(const legal_context& ctx, const actor& who);
result<std::vector<cases::stored_break_glass>> review_queue(const legal_context& ctx,
                                                            store::connection& db, const actor& who,
                                                            cases::review_filter filter,
                                                            std::size_t limit,
                                                            audit::audit_entry& entry);
result<cases::stored_break_glass> review_break_glass(
    const legal_context& ctx, store::connection& db, const actor& who, const std::string& grant_id,
    cases::review_state outcome, const std::string& note, audit::audit_entry& entry);

// Recording needs a named user; exposed so that a route refuses before it parses a body.
result<void> require_named_user(const actor& who);

}  // namespace sluis::application
