#pragma once
// The outcome of one decision: how much of a record a requester may see, on which basis, by which
// rules, and, when that is less than was asked, why, in words a person can act on.

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "policy/vocabulary.hpp"

namespace sluis::policy {

// The stable, countable kinds of reason (the plan's hidden-items notice and the audit count them).
// New kinds may be added at the end; existing ones keep their meaning and their text.
enum class reason_code {
  no_consent,            // no consent covers this member, recipient, purpose, category, domain
  consent_withdrawn,     // the covering consent was withdrawn
  consent_expired,       // the covering consent ended (its end date or the policy maximum)
  consent_not_started,   // the covering consent starts later
  needs_gezag_holder,    // a holder of gezag over the child must (also) sign
  needs_subject,         // the person themself must sign (16+, or 12-15 with a parent only)
  needs_family_members,  // a family consent lacks a member old enough to consent alone
  no_ground,             // no coordination ground is recorded for the family
  ground_incomplete,     // a ground lacks who decided, a motivation or informing the family
  ground_expired,        // the ground ended or is past its end date
  ground_not_started,    // the ground starts later
  no_break_glass,        // only break-the-glass would open this, and none is active
  break_glass_expired,   // the requester's break-the-glass for this family has ended
  denied_by_rule,        // a deny rule of the policy hides this
  role_not_permitted,    // no permit would show more to this role for this purpose
  special_category,      // AVG art. 9 data (health, GGZ, addiction) needs consent
  criminal_data,         // AVG art. 10 data needs consent
  professional_secrecy,  // the source has beroepsgeheim: needs consent
};

// "no_consent", "consent_withdrawn", ...: the value of reason::code for each kind.
std::string_view to_string(reason_code value) noexcept;
std::optional<reason_code> parse_reason_code(std::string_view text) noexcept;
// Every code with its Dutch heading (what kind of thing is missing), in enum order: served by
// GET /v1/vocabulary as `reasons`.
std::span<const term> reason_codes() noexcept;

// Why a record is shown at less than the level asked. `code` is the stable machine text of `kind`
// (to_string(kind): "no_consent", "ground_not_started", ...; see docs/policy.md §4); `message` is
// a Dutch sentence for the user, naming members by label and age only, that says what is missing
// and, after " — ", what can be done; `action` is that last part on its own.
struct reason {
  std::string code;
  std::string message;
  std::string rule_id;  // the rule whose basis was not met, or the deny that applied; may be empty
  reason_code kind = reason_code::role_not_permitted;
  std::string action;  // Dutch: what the user can do about it; may be empty (nothing to do)
};

struct decision {
  policy::level level = policy::level::none;
  legal_basis basis = legal_basis::none;  // of the winning permit; meaningless at level none
  std::string policy_version;
  std::vector<std::string>
      applied_rules;            // permits that granted something, and denies that applied
  bool flagged = false;         // the level rests on vital-interest (break-the-glass)
  std::vector<reason> reasons;  // empty when the level asked was granted
};

}  // namespace sluis::policy
