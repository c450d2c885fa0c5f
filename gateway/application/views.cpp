#include "gateway/application/views.hpp"

#include <map>
#include <set>

#include "gateway/case/legal_store.hpp"
#include "gateway/case/policy_facts.hpp"
#include "gateway/plan/plan_json.hpp"
#include "gateway/store/connection.hpp"

namespace sluis::application {
namespace {

// What one family's view is made of, read in one go from one reader connection. Consents,
// grounds and break-the-glass as stored right now: no cache, so a withdrawal holds for this very
// request.
struct stored_plan_input {
  cases::family_with_facts loaded;
  std::vector<cases::stored_contribution> contributions;
};

result<stored_plan_input> read_family(
    const view_context& ctx, store::connection& db, const std::string& family_id,
    cases::case_store::payloads payloads = cases::case_store::payloads::opened) {
  const cases::legal_store legal(ctx.keyring);
  auto loaded = legal.load_family_facts(db, family_id);
  if (!loaded) return loaded.error();
  auto contributions = ctx.cases.family_contributions(db, family_id, payloads);
  if (!contributions) return contributions.error();
  return stored_plan_input{std::move(*loaded), std::move(*contributions)};
}

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : ",") + i;
  return out;
}

void fill_entry(audit::audit_entry& e, const plan::plan_audit& a) {
  e.detail = a.detail;
  e.legal_basis = joined(a.legal_bases);
  e.policy_version = a.policy_version;
  e.break_glass = a.break_glass;
}

// A view that shows nothing at all: the family might as well not exist for this person.
bool shows_nothing(const plan::family_plan& p) {
  return !p.own_gezinsmanager && p.organisations.empty() && p.members.empty() &&
         p.totals.shown == 0 && p.totals.hidden == 0;
}

}  // namespace

result<plan::family_plan> family_plan(const view_context& ctx, store::connection& db,
                                      const actor& who, const std::string& family_id,
                                      const std::string& purpose, audit::audit_entry& entry) {
  auto in = read_family(ctx, db, family_id);
  if (!in) return in.error();
  const auto& family = in->loaded.family;
  auto p = plan::assemble(ctx.engine, who.requester(family, purpose), family, in->contributions,
                          in->loaded.facts, ctx.config, ctx.now);
  fill_entry(entry, plan::audit_detail(p));
  if (shows_nothing(p)) return error::not_found("no such family");
  entry.subjects = plan::audit_subjects(p, family);
  return p;
}

result<std::vector<family_card>> own_families(const view_context& ctx, store::connection& db,
                                              const actor& who, audit::audit_entry& entry) {
  auto own = ctx.cases.families_of_gezinsmanager(db, who.org->id, who.user);
  if (!own) return own.error();
  std::vector<family_card> out;
  for (const auto& overview : *own) {
    auto in = read_family(ctx, db, overview.id);
    if (!in) return in.error();
    const auto& family = in->loaded.family;
    const auto p = plan::assemble(ctx.engine, who.requester(family, "plan"), family,
                                  in->contributions, in->loaded.facts, ctx.config, ctx.now);
    out.push_back({plan::card(p), overview.label});
  }
  entry.policy_version = ctx.engine.version();
  entry.detail = {{"families", out.size()}};
  return out;
}

result<plan::oversight> oversight(const view_context& ctx, store::connection& db, const actor& who,
                                  std::size_t limit, std::size_t offset,
                                  audit::audit_entry& entry) {
  auto page = ctx.cases.all_families(db, limit, offset);
  if (!page) return page.error();
  std::vector<stored_plan_input> loaded;
  loaded.reserve(page->size());
  for (const auto& overview : *page) {
    auto in = read_family(ctx, db, overview.id);
    if (!in) return in.error();
    loaded.push_back(std::move(*in));
  }
  std::vector<plan::family_input> inputs;
  inputs.reserve(loaded.size());
  for (const auto& in : loaded)
    inputs.push_back({&in.loaded.family, &in.contributions, &in.loaded.facts});
  // One requester for all families: the procesmanager is nobody's gezinsmanager.
  const policy::requester requester{
      who.user, who.role, who.org->id, who.org->sector, "process-oversight", false};
  auto view = plan::oversee(ctx.engine, requester, inputs, ctx.config, ctx.now);
  fill_entry(entry, plan::audit_detail(view));
  return view;
}

result<std::vector<std::string>> involved_organisations(const view_context& ctx,
                                                        store::connection& db, const actor& who,
                                                        const std::string& family_id,
                                                        const std::string& purpose,
                                                        audit::audit_entry& entry) {
  // Who is involved needs the records' facts, never their content: no payload is opened.
  auto in = read_family(ctx, db, family_id, cases::case_store::payloads::left_sealed);
  if (!in) return in.error();
  const cases::stored_family& family = in->loaded.family;
  const auto prepared =
      ctx.engine.prepare(who.requester(family, purpose), in->loaded.facts, ctx.now);
  std::set<std::string> involved;
  std::map<std::string, std::int64_t> bases;
  bool flagged = false;
  for (const auto& contribution : in->contributions) {
    if (contribution.withdrawn_at) continue;
    const auto d = prepared.decide(cases::record_facts(contribution, family, ctx.config),
                                   policy::level::involvement);
    if (d.level < policy::level::involvement) continue;
    involved.insert(contribution.org_id);
    ++bases[std::string(policy::to_string(d.basis))];
    flagged = flagged || d.flagged;
  }
  // Nothing visible to anyone but the family's own organisation: answer as for an unknown family,
  // so the caller does not even learn that the family exists.
  if (involved.empty() && (who.org == nullptr || !family.is_own_organisation(who.org->id)))
    return error::not_found("no such family");
  entry.policy_version = ctx.engine.version();
  // What rests on break-the-glass is flagged for the privacy officer's review.
  entry.break_glass = flagged;
  if (flagged) entry.legal_basis = "vital-interest";
  boost::json::object basis_counts;
  for (const auto& [basis, n] : bases) basis_counts[basis] = n;
  entry.detail = {{"organisations", involved.size()}, {"bases", std::move(basis_counts)}};
  return std::vector<std::string>(involved.begin(), involved.end());
}

}  // namespace sluis::application
