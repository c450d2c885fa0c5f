#include "gateway/application/legal_grounds.hpp"

#include "gateway/application/intake.hpp"

namespace sluis::application {
namespace {

cases::recorder recorder_of(const actor& who) {
  return {who.org != nullptr ? who.org->id : std::string(), who.user};
}

// The family, if `who` manages its legal grounds; not_found otherwise, as for no family at all.
result<cases::stored_family> managed_family(const legal_context& ctx, store::connection& db,
                                            const actor& who, const std::string& family_id) {
  auto family = cases::case_store(ctx.keyring).load_family(db, family_id);
  if (!family) return family.error();
  if (!who.manages(*family)) return error::not_found("no such family");
  return family;
}

void add_subject(audit::audit_entry& e, const cases::stored_family& family,
                 const std::string& member_id) {
  if (const auto* m = family.member(member_id)) e.subjects.push_back(m->pseudonym.to_hex());
}

}  // namespace

void concerns(audit::audit_entry& entry, const std::string& family_id, std::string basis) {
  entry.family_id = family_id;
  entry.legal_basis = std::move(basis);
}

result<void> require_named_user(const actor& who) {
  if (!who.user.empty()) return {};
  return error::invalid("X-Sluis-User", "is required: name the user who does this");
}

// ---- consents ----

consent_standing standing_of(const legal_context& ctx, const policy::family& facts,
                             const policy::consent& c) {
  return {ctx.engine.status_of(facts, c, cases::to_time_point(ctx.now)), ctx.engine.consent_end(c)};
}

result<family_grounds<cases::stored_consent>> consents(const legal_context& ctx,
                                                       store::connection& db, const actor& who,
                                                       const std::string& family_id,
                                                       audit::audit_entry& entry) {
  concerns(entry, family_id, "consent");
  auto family = managed_family(ctx, db, who, family_id);
  if (!family) return family.error();
  auto found = cases::legal_store(ctx.keyring).consents(db, family_id);
  if (!found) return found.error();
  for (const auto& s : *found) add_subject(entry, *family, s.consent.subject_member_id);
  entry.detail = {{"count", found->size()}};
  return family_grounds<cases::stored_consent>{std::move(*family), std::move(*found)};
}

result<family_ground<cases::stored_consent>> record_consent(const legal_context& ctx,
                                                            store::connection& db, const actor& who,
                                                            const std::string& family_id,
                                                            const cases::new_consent& consent,
                                                            audit::audit_entry& entry) {
  concerns(entry, family_id, "consent");
  entry.policy_version = ctx.engine.version();
  if (auto named = require_named_user(who); !named) return named.error();
  auto family = managed_family(ctx, db, who, family_id);
  if (!family) return family.error();
  for (const auto& domain : consent.domains) {
    if (auto known = check_domain(ctx.engine, "domains", domain); !known) return known.error();
  }
  auto recorded = cases::legal_store(ctx.keyring)
                      .record_consent(db, family_id, consent, recorder_of(who), ctx.now,
                                      ctx.engine.consent_max_validity());
  if (!recorded) return recorded.error();
  entry.resource.id = recorded->consent.id;
  add_subject(entry, *family, consent.subject_member_id);
  entry.detail = {
      {"signers", consent.granted_by.size()},
      {"recipients", consent.recipient_organisations.size() + consent.recipient_roles.size()}};
  return family_ground<cases::stored_consent>{std::move(*family), std::move(*recorded)};
}

result<family_ground<cases::stored_consent>> withdraw_consent(
    const legal_context& ctx, store::connection& db, const actor& who, const std::string& family_id,
    const std::string& consent_id, audit::audit_entry& entry) {
  concerns(entry, family_id, "consent");
  if (auto named = require_named_user(who); !named) return named.error();
  auto family = managed_family(ctx, db, who, family_id);
  if (!family) return family.error();
  auto withdrawn = cases::legal_store(ctx.keyring)
                       .withdraw_consent(db, family_id, consent_id, recorder_of(who), ctx.now);
  if (!withdrawn) return withdrawn.error();
  add_subject(entry, *family, withdrawn->consent.subject_member_id);
  return family_ground<cases::stored_consent>{std::move(*family), std::move(*withdrawn)};
}

// ---- coordination grounds ----

result<std::vector<cases::stored_ground>> grounds(const legal_context& ctx, store::connection& db,
                                                  const actor& who, const std::string& family_id,
                                                  audit::audit_entry& entry) {
  concerns(entry, family_id, "coordination");
  auto family = managed_family(ctx, db, who, family_id);
  if (!family) return family.error();
  auto found = cases::legal_store(ctx.keyring).grounds(db, family_id);
  if (!found) return found.error();
  entry.detail = {{"count", found->size()}};
  return found;
}

result<cases::stored_ground> record_ground(const legal_context& ctx, store::connection& db,
                                           const actor& who, const std::string& family_id,
                                           const cases::new_ground& ground,
                                           audit::audit_entry& entry) {
  concerns(entry, family_id, "coordination");
  if (auto named = require_named_user(who); !named) return named.error();
  auto family = managed_family(ctx, db, who, family_id);
  if (!family) return family.error();
  auto recorded = cases::legal_store(ctx.keyring)
                      .record_ground(db, family_id, ground, recorder_of(who), ctx.now);
  if (!recorded) return recorded.error();
  entry.resource.id = recorded->ground.id;
  entry.detail = {{"family_informed", ground.family_informed_on.has_value()}};
  return recorded;
}

result<cases::stored_ground> end_ground(const legal_context& ctx, store::connection& db,
                                        const actor& who, const std::string& family_id,
                                        const std::string& ground_id, audit::audit_entry& entry) {
  concerns(entry, family_id, "coordination");
  if (auto named = require_named_user(who); !named) return named.error();
  auto family = managed_family(ctx, db, who, family_id);
  if (!family) return family.error();
  return cases::legal_store(ctx.keyring)
      .end_ground(db, family_id, ground_id, recorder_of(who), ctx.now);
}

// ---- break-the-glass ----

result<cases::stored_break_glass> request_break_glass(const legal_context& ctx,
                                                      store::connection& db, const actor& who,
                                                      const std::string& family_id,
                                                      const std::string& justification,
                                                      std::optional<std::chrono::minutes> minutes,
                                                      audit::audit_entry& entry) {
  concerns(entry, family_id, "vital-interest");
  entry.break_glass = true;
  entry.policy_version = ctx.engine.version();
  if (auto named = require_named_user(who); !named) return named.error();
  auto granted = cases::legal_store(ctx.keyring)
                     .request_break_glass(db, family_id, recorder_of(who), justification,
                                          minutes.value_or(ctx.engine.break_glass_max_duration()),
                                          ctx.engine, ctx.now);
  if (!granted) return granted.error();
  entry.resource.id = granted->grant.id;
  entry.detail = {{"minutes", std::chrono::duration_cast<std::chrono::minutes>(
                                  granted->grant.expires_at - granted->grant.started_at)
                                  .count()}};
  return granted;
}

result<void> may_review(const legal_context& ctx, const actor& who) {
  if (who.person && who.role == ctx.engine.break_glass_reviewer_role()) return {};
  return error::forbidden("break-the-glass is reviewed by the privacy officer only");
}

result<std::vector<cases::stored_break_glass>> review_queue(const legal_context& ctx,
                                                            store::connection& db, const actor& who,
                                                            cases::review_filter filter,
                                                            std::size_t limit,
                                                            audit::audit_entry& entry) {
  if (auto allowed = may_review(ctx, who); !allowed) return allowed.error();
  auto queue = cases::legal_store(ctx.keyring).review_queue(db, filter, limit);
  if (!queue) return queue.error();
  entry.detail = {{"count", queue->size()},
                  {"state", filter == cases::review_filter::pending ? "pending" : "reviewed"}};
  return queue;
}

result<cases::stored_break_glass> review_break_glass(
    const legal_context& ctx, store::connection& db, const actor& who, const std::string& grant_id,
    cases::review_state outcome, const std::string& note, audit::audit_entry& entry) {
  entry.legal_basis = "vital-interest";
  if (auto allowed = may_review(ctx, who); !allowed) return allowed.error();
  auto reviewed = cases::legal_store(ctx.keyring)
                      .review(db, grant_id, outcome, recorder_of(who), note, ctx.now);
  if (!reviewed) return reviewed.error();
  entry.family_id = reviewed->family_id;
  entry.detail = {{"outcome", cases::to_string(reviewed->review)}};
  return reviewed;
}

}  // namespace sluis::application
