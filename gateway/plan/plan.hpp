#pragma once
// The family plan ("één gezin, één plan"): what one person may see of one family, assembled from
// the stored family, its contributions and the policy facts, each contribution decided by the
// policy engine and redacted to its visibility level. Pure: no I/O, no clock, no logging; the
// caller reads the store, passes `now`, writes the audit entry (plan_json.hpp: audit_detail) and
// sends the JSON (plan_json.hpp: to_json). A family_plan is a plain value.
//
// What each level shows of a contribution (DESIGN.md):
//   involvement  only "organisation X is involved", with its contact point (organisations list)
//   status       + the item in its life domain: kind, status, dates, source organisation, last
//                  update, deadline flag; no text, not even who it is about
//   summary      + title and the label of the member it is about
//   full         + body and the professional who owns it
//
// The no-leak rule (hidden items are counted, but counts must not reveal what may not be known):
//   - A contribution decided at `none` leaves NO trace in the plan: it is not listed, not counted,
//     not in any total, its organisation is not listed because of it, its reasons are not shown and
//     it adds nothing to "missing consent". The plan of a person who gets `none` for a record is
//     identical to the plan of the same family without that record.
//   - A contribution decided at `involvement` may be known to exist. Its organisation is listed,
//     and unless it is itself an involvement record (which `involvement` shows completely) it
//     counts as ONE hidden item of its life domain, with the engine's reasons (Dutch sentences a
//     gezinsmanager can act on: "geen toestemming van dochter (15) voor ..."). Note what that
//     tells: the domain, and through the reason the member and data category. That is the price
//     of an actionable reason, and it is the policy author's decision: granting `involvement` is
//     granting exactly this.
//   - A contribution decided at `status` or higher is shown at that level; below `full` it carries
//     the reasons why not more. It is never counted as hidden.
//   - The engine's reason sentences name the member a record is about ("dochter (15)"). They are
//     given in full to the family's own gezinsmanager (who knows the members) and, for items shown
//     at `summary` or higher (which show their subject anyway), to anyone. For everyone else's
//     hidden items and `status` items only the reason codes are kept (message and action empty).
//   - A withdrawn contribution is shown to nobody but its own organisation (the requester's
//     organisation equals the source), who sees it, marked withdrawn, at its decided level; for
//     everyone else it is treated as `none`.
//   Totals (shown, hidden, per domain, per reason, per basis) are sums over the listed and counted
//   items only, so they obey the same rule.
//
// Roles: the requester's role only matters through the policy, with one exception: the family's own
// gezinsmanager (cases::stored_family::has_gezinsmanager: organisation and user id equal to the
// family's, in any role, so a partner system acting for that professional counts as a person signed
// in does) also gets every member with age and gezag and the consent status per member. assemble()
// derives that from the family itself and overrides `who.is_family_gezinsmanager`, so caller and
// engine cannot disagree. Others see only the members that items shown to them at `summary` or
// higher are about (label and age). A professional's own contributions are shown in full by the
// example policy's own-organisation rule, not by code here. Oversight (procesmanager) is in
// oversight.hpp.
//
// Thread safety: assemble() only reads its arguments; call it from any thread.

#include <array>
#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "gateway/case/case_store.hpp"
#include "gateway/config/config.hpp"
#include "policy/engine.hpp"

namespace sluis::plan {

using time_point = policy::time_point;
using date = std::chrono::sys_days;

// A deadline is "due soon" when it falls within this many days from today (today included).
inline constexpr int due_soon_days = 14;

// Statuses that close an item: a closed item is never overdue or due soon.
bool is_closed_status(std::string_view status) noexcept;

enum class due_flag { none, due_soon, overdue };
std::string_view to_string(due_flag flag) noexcept;

// One contribution as this requester may see it. Fields above the item's level are empty.
struct item {
  std::string id;  // the contribution id (random; not personal data)
  policy::level level = policy::level::status;
  policy::record_kind kind = policy::record_kind::note;
  std::string domain;
  std::string status;
  std::string source_organisation;  // organisation id; its name and contact are in organisations
  std::optional<date> start_date;
  std::optional<date> due_date;
  std::optional<date> end_date;
  cases::unix_seconds updated_at = 0;  // last update by the source
  due_flag due = due_flag::none;       // open items with a due date only
  bool withdrawn = false;              // only ever true for the requester's own organisation
  policy::legal_basis basis = policy::legal_basis::none;
  bool flagged = false;                 // shown on break-the-glass (vital interest)
  std::vector<policy::reason> reasons;  // why not `full`; empty at full
  // summary and up
  std::optional<std::string> subject_label;  // empty at summary+ when about the whole family
  std::optional<std::string> title;
  // full
  std::optional<std::string> body;
  std::optional<std::string> owner_name;  // the professional who owns the goal or action
};

// One distinct reason why items of a domain are hidden, and how many items it applies to.
struct hidden_reason {
  std::string code;     // stable: "consent.missing", ... (docs/policy.md §4)
  std::string message;  // the engine's Dutch sentence; names members by label and age only
  std::string action;   // the engine's Dutch advice on what can be done; may be empty
  std::size_t items = 0;
};

// One life domain of the plan. Every standard domain (policy::standard_domains()) is present, in
// that order, even when empty; a domain outside that list (declared by a policy) follows, sorted by
// id, only when something in it is listed or counted.
struct domain_section {
  std::string id;
  std::string name;  // Dutch display name
  std::vector<item> goals;
  std::vector<item> actions;
  std::vector<item> evaluations;
  std::vector<item> deadlines;  // sorted by due date, then id; others by last update (newest first)
  std::vector<item> notes;
  std::vector<item> involvements;             // involvement records shown at status or higher
  std::size_t hidden = 0;                     // items known to exist (`involvement`) but not shown
  std::vector<hidden_reason> hidden_reasons;  // sorted by code, then message
};

// An organisation known to be involved with the family (some contribution of it at `involvement`
// or higher). Name, sector, contact and secrecy come from the configuration.
struct involved_organisation {
  std::string id;
  std::string name;
  std::string sector;
  std::string contact;
  bool professional_secrecy = false;
  std::vector<std::string> domains;  // of its items shown at `status` or higher, in domain order
};

// A consent as recorded, and where it stands at `now` by the policy's rules (engine::status_of:
// its dates capped at the policy's maximum validity, its signatures against who must sign for the
// subject's age and gezag). `valid` means in force and rightly signed; whether it covers a given
// record (recipient, purpose, category, domain) is the engine's decision per record.

struct consent_summary {
  std::string id;
  policy::consent_status state = policy::consent_status::valid;
  std::vector<std::string> granted_by;  // labels of members who signed; "buiten het gezin" else
  std::vector<std::string> recipient_organisations;
  std::vector<std::string> recipient_roles;
  std::vector<std::string> purposes;
  std::vector<policy::category> categories;
  std::vector<std::string> domains;
  time_point valid_from;
  time_point valid_until;      // as recorded on the form
  time_point effective_until;  // valid_until capped at valid_from + the policy's maximum
  std::optional<time_point> withdrawn_at;
};

// Consent that would open something the gezinsmanager can see is hidden or shown below `full`:
// derived from the reasons of listed and counted items only (the no-leak rule holds).
struct missing_consent {
  std::string domain;
  policy::category category = policy::category::regular;
  std::string source_organisation;
  std::string
      reason_code;  // "consent.missing", "consent.expired", "consent.minor_needs_gezag", ...
  std::size_t items = 0;
};

struct consent_status {
  std::vector<consent_summary> consents;  // sorted by valid_from, then id
  std::vector<missing_consent> missing;   // sorted by domain, category, organisation, code
};

struct member_view {
  std::string id;
  std::string label;
  int age = 0;
  policy::member_role role = policy::member_role::other;
  // The rest is for the family's own gezinsmanager only (empty / nullopt for others).
  std::vector<std::string> gezag_holders;   // labels of members holding gezag over this member
  std::size_t gezag_holders_elsewhere = 0;  // holders outside the household (a father elsewhere)
  std::optional<consent_status> consent;
};

// Totals for the plan and for its audit entry; each counts listed or counted items only.
struct plan_totals {
  std::size_t shown = 0;   // items at status or higher, in every domain
  std::size_t hidden = 0;  // sum of domain_section::hidden
  std::size_t overdue = 0;
  std::size_t due_soon = 0;
  std::size_t flagged = 0;       // shown on break-the-glass
  std::optional<date> next_due;  // earliest due date of an open item that is not overdue
  // Listed and counted items (involvement records included) by the legal basis of their decision,
  // indexed by policy::legal_basis; for the audit entry.
  std::array<std::size_t, 4> by_basis{};
};

struct family_plan {
  std::string family_id;
  std::string policy_version;
  time_point generated_at;
  bool own_gezinsmanager = false;  // the view of the family's own gezinsmanager
  // The family's gezinsmanager: the organisation when any organisation is listed; the name (text)
  // for the family's own gezinsmanager and for those who see an item at `summary` or higher.
  std::optional<std::string> gezinsmanager_organisation;
  std::optional<std::string> gezinsmanager_name;
  std::vector<member_view> members;                  // family order
  std::optional<consent_status> family_consent;      // consents about the family as a whole
  std::vector<involved_organisation> organisations;  // sorted by id
  std::vector<domain_section> domains;
  plan_totals totals;
  // Ids of the members whose data this view touches (subjects of listed or counted items, and
  // every member listed), sorted; for the audit entry's subjects, not sent to the client.
  std::vector<std::string> subject_member_ids;
};

// The plan of `family` as `who` may see it at `now`. `contributions` are the family's, withdrawn
// ones included (as case_store::family_contributions returns them); contributions of another
// family are ignored. `facts` are the policy facts of the same family: members (as
// cases::family_facts builds them), consents, coordination grounds and break-the-glass grants.
// Never fails: a requester who may see nothing gets a plan with every domain empty, no members and
// no organisations (the route decides whether to answer 404 instead).
family_plan assemble(const policy::engine& engine, const policy::requester& who,
                     const cases::stored_family& family,
                     const std::vector<cases::stored_contribution>& contributions,
                     const policy::family& facts, const config::gateway_config& config,
                     time_point now);

// The line of a family in "my families" (GET /v1/me/families), from its plan.
struct family_card {
  std::string family_id;
  std::vector<std::string> members;  // labels, family order
  std::size_t organisations = 0;
  std::optional<date> next_due;
  std::size_t overdue = 0;
};
family_card card(const family_plan& plan);

}  // namespace sluis::plan
