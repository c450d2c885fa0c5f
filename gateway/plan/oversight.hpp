#pragma once
// The procesmanager's oversight: for each family under oversight, the state of the process and
// nothing of its content. Built from each family's plan (plan.hpp, so the policy and the no-leak
// rule apply unchanged) and then stripped to counts, statuses, dates and organisations: a
// family_status has no field that can hold a title, a body, a name, a member label or a reason
// sentence, so no policy, however generous, can make oversight show text; the family's label and
// its gezinsmanager only where the policy's [oversight] section says so. Pure; any thread.
//
// Open escalations are not modelled yet (there is no escalation record in the case model); when
// they are, they belong here as a count.

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "gateway/plan/plan.hpp"

namespace sluis::plan {

struct organisation_status {
  std::string id;
  std::string name;
  std::string sector;
};

struct status_count {
  std::string status;
  std::size_t count = 0;
};

struct family_status {
  std::string family_id;
  // Only as the policy's [oversight] identify_families_by allows: the family's label (never a
  // full name) and who coordinates it. Work contacts, not the family's content.
  std::optional<std::string> label;
  std::optional<std::string> gezinsmanager_organisation;
  std::optional<std::string> gezinsmanager_name;
  bool coordination_ground = false;  // a coordination decision is in force (process, not content)
  std::vector<organisation_status> organisations;  // involved, sorted by id
  // Goals shown at `status` or higher, per status, in policy::contribution_statuses() order;
  // statuses with no goal are left out.
  std::vector<status_count> goals_by_status;
  std::size_t items_shown = 0;
  std::size_t items_hidden = 0;  // known to exist (`involvement`) but not shown
  std::size_t overdue = 0;       // open items past their due date
  std::size_t due_soon = 0;      // open items due within due_soon_days
  std::optional<date> next_due;
};

struct oversight {
  std::string policy_version;
  time_point generated_at;
  std::vector<family_status> families;  // in the order given
};

// One family to oversee: pointers to what the caller read from the store (kept alive by it).
struct family_input {
  const cases::stored_family* family = nullptr;
  const std::vector<cases::stored_contribution>* contributions = nullptr;
  const policy::family* facts = nullptr;
};

// The status of one family's plan, without any text.
family_status status_of(const family_plan& plan, const config::gateway_config& config);

// assemble() + status_of() for every family in `families` (entries with a null pointer are
// skipped). The requester is normally a procesmanager with purpose "process-oversight".
oversight oversee(const policy::engine& engine, const policy::requester& who,
                  std::span<const family_input> families, const config::gateway_config& config,
                  time_point now);

}  // namespace sluis::plan
