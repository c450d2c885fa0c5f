#pragma once
// The case model: what partner organisations submit about a family, after validation and
// pseudonymisation. No BSN appears here: the adapters turn it into a pseudonym while parsing.
//
// Text fields that could identify a person (labels, titles, bodies, names of professionals, dates
// of birth) travel in the `*_content` structs, which the gateway seals with the family's data key
// before they reach the store. Plain values; safe to share read-only between threads.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "keys/pseudonym.hpp"
#include "policy/facts.hpp"
#include "policy/vocabulary.hpp"

namespace sluis::cases {

using date = std::chrono::sys_days;

// Life domains, kinds, categories and statuses are words of policy/vocabulary.hpp.

std::string_view to_string(policy::member_role role) noexcept;
std::optional<policy::member_role> parse_member_role(std::string_view text) noexcept;

// The sealed part of a member: display label, date of birth and who holds gezag over them.
struct member_content {
  std::string label;  // unique within the family, e.g. "moeder", "dochter"
  date date_of_birth;
  std::vector<std::string> gezag_holder_ids;  // member ids
};

struct new_member {
  keys::pseudonym pseudonym;
  policy::member_role role = policy::member_role::other;
  std::string label;
  date date_of_birth;
  std::vector<std::string> gezag_holder_labels;  // labels of members of the same family
};

struct gezinsmanager_ref {
  std::string user_id;       // the organisation's own id for the professional
  std::string display_name;  // sealed; shown to the family's own users only
};

// The sealed part of a family: its gezinsmanager and an optional display label ("Gezin V.").
struct family_content {
  gezinsmanager_ref gezinsmanager;
  std::string label;  // may be empty
};

struct family_registration {
  gezinsmanager_ref gezinsmanager;
  std::vector<new_member> members;
  std::string label;  // optional display label ("Gezin V."), sealed; may be empty
};

// The sealed part of a contribution: everything the source sent that may hold text.
struct contribution_content {
  std::string title;
  std::string body;
  std::string owner_name;  // the professional who owns the goal or action
  std::optional<date> start_date;
  std::optional<date> due_date;  // deadlines, beschikking end dates
  std::optional<date> end_date;
};

struct contribution_submission {
  std::string source_ref;                  // the organisation's own reference; idempotency key
  std::optional<keys::pseudonym> subject;  // the member it is about, from the BSN
  std::string family_id;                   // or the family it is about (either may be given)
  std::string domain;
  policy::record_kind kind = policy::record_kind::note;
  policy::category category = policy::category::regular;
  std::string status;
  contribution_content content;
};

}  // namespace sluis::cases
