#include "gateway/plan/oversight.hpp"

#include <algorithm>

namespace sluis::plan {

family_status status_of(const family_plan& plan, const config::gateway_config& config) {
  family_status out;
  out.family_id = plan.family_id;
  for (const auto& o : plan.organisations) {
    const auto* org = config.find(o.id);
    out.organisations.push_back(
        {o.id, org != nullptr ? org->name : o.id, org != nullptr ? org->sector : std::string{}});
  }
  const auto statuses = policy::contribution_statuses();
  std::vector<std::size_t> goals(statuses.size(), 0);
  std::size_t other_goals = 0;
  for (const auto& s : plan.domains) {
    for (const auto& g : s.goals) {
      const auto at = std::find_if(statuses.begin(), statuses.end(),
                                   [&](const policy::term& t) { return t.id == g.status; });
      if (at == statuses.end()) {
        ++other_goals;
      } else {
        ++goals[static_cast<std::size_t>(at - statuses.begin())];
      }
    }
  }
  for (std::size_t i = 0; i < goals.size(); ++i) {
    if (goals[i] > 0) out.goals_by_status.push_back({std::string(statuses[i].id), goals[i]});
  }
  // The case model validates statuses, so this only guards against older stored data.
  if (other_goals > 0) out.goals_by_status.push_back({"other", other_goals});
  out.items_shown = plan.totals.shown;
  out.items_hidden = plan.totals.hidden;
  out.overdue = plan.totals.overdue;
  out.due_soon = plan.totals.due_soon;
  out.next_due = plan.totals.next_due;
  return out;
}

oversight oversee(const policy::engine& engine, const policy::requester& who,
                  std::span<const family_input> families, const config::gateway_config& config,
                  time_point now) {
  oversight out;
  out.policy_version = engine.version();
  out.generated_at = now;
  out.families.reserve(families.size());
  for (const auto& f : families) {
    if (f.family == nullptr || f.contributions == nullptr || f.facts == nullptr) continue;
    const auto plan = assemble(engine, who, *f.family, *f.contributions, *f.facts, config, now);
    auto status = status_of(plan, config);
    if (engine.oversight_shows_label() && !f.family->label.empty()) status.label = f.family->label;
    if (engine.oversight_shows_gezinsmanager()) {
      status.gezinsmanager_organisation = f.family->gezinsmanager_org;
      status.gezinsmanager_name = f.family->gezinsmanager.display_name;
    }
    status.coordination_ground = engine.prepare(who, *f.facts, now).coordination_ground_in_force();
    out.families.push_back(std::move(status));
  }
  return out;
}

}  // namespace sluis::plan
