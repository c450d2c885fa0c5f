#include "gateway/application/intake.hpp"

#include <algorithm>

namespace sluis::application {

result<void> check_domain(const policy::engine& policy, std::string_view field,
                          const std::string& domain) {
  const auto& known = policy.domains();
  if (std::find(known.begin(), known.end(), domain) != known.end()) return {};
  std::string list;
  for (const auto& d : known) list += (list.empty() ? "" : ", ") + d;
  return error::invalid(std::string(field),
                        "must be one of the life domains of the policy in force (" + list + ")");
}

result<cases::stored_family> own_family(const intake_context& ctx, store::connection& db,
                                        const actor& who, const std::string& family_id) {
  auto family = ctx.cases.load_family(db, family_id);
  if (!family) return family.error();
  // Another organisation's family answers as an unknown one: no answer confirms it exists.
  if (who.org == nullptr || !family->is_own_organisation(who.org->id))
    return error::not_found("no such family");
  return family;
}

result<cases::registered_family> register_family(const intake_context& ctx, store::connection& db,
                                                 const actor& who,
                                                 const cases::family_registration& family,
                                                 audit::audit_entry& entry) {
  auto done = ctx.cases.register_family(db, who.org->id, family, ctx.now);
  if (!done) return done.error();
  entry.resource.id = entry.family_id = done->family_id;
  entry.detail = {{"members", done->members.size()}, {"matched_signals", done->matched_signals}};
  return done;
}

result<cases::added_member> add_member(const intake_context& ctx, store::connection& db,
                                       const actor& who, const std::string& family_id,
                                       const cases::new_member& member, audit::audit_entry& entry) {
  auto family = own_family(ctx, db, who, family_id);
  if (!family) return family.error();
  auto added = ctx.cases.add_member(db, family_id, member, ctx.now);
  if (!added) return added.error();
  entry.detail = {{"member_id", added->member_id}, {"matched_signals", added->matched_signals}};
  return added;
}

result<void> remove_member(const intake_context& ctx, store::connection& db, const actor& who,
                           const std::string& family_id, const std::string& member_id,
                           audit::audit_entry& entry) {
  auto family = own_family(ctx, db, who, family_id);
  if (!family) return family.error();
  if (const auto* m = family->member(member_id)) entry.subjects = {m->pseudonym.to_hex()};
  auto removed = ctx.cases.remove_member(db, family_id, member_id, ctx.now);
  if (!removed) return removed.error();
  entry.detail = {{"member_id", member_id}};
  return {};
}

result<cases::submit_outcome> submit(const intake_context& ctx, store::connection& db,
                                     const actor& who, const cases::contribution_submission& s,
                                     audit::audit_entry& entry) {
  if (auto known = check_domain(*ctx.policy, "domain", s.domain); !known) return known.error();
  auto done = ctx.cases.submit(db, who.org->id, s, ctx.now,
                               who.operator_loading
                                   ? cases::case_store::family_named_by::operator_loading_demo
                                   : cases::case_store::family_named_by::partner);
  if (!done) return done.error();
  // The audit log records where it landed; the answer tells it only the family's own organisation.
  entry.resource.id = done->contribution_id;
  entry.family_id = done->family_id;
  entry.detail = {{"created", done->created},
                  {"matched", !done->family_id.empty()},
                  {"ambiguous", done->ambiguous}};
  if (!done->submitter_may_know_family) done->family_id.clear();
  return done;
}

result<void> withdraw(const intake_context& ctx, store::connection& db, const actor& who,
                      const std::string& contribution_id, audit::audit_entry& entry) {
  auto own = ctx.cases.own_contribution(db, who.org->id, contribution_id);
  if (!own) return own.error();
  entry.family_id = own->family_id;
  if (own->subject) entry.subjects = {own->subject->to_hex()};
  return ctx.cases.withdraw(db, who.org->id, contribution_id, ctx.now);
}

}  // namespace sluis::application
