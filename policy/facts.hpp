#pragma once
// The facts a decision is made on: who asks, about which family, under which consents, grounds and
// break-the-glass grants, about which record, and when. The gateway fills these from its store; the
// engine only reads them. Plain values: no I/O, no clock, safe to share read-only between threads.
//
// Members carry a display label ("dochter", typed by the gezinsmanager) and a date of birth, never
// a name or BSN: the label and the age are what a decision's reason may show.

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "policy/calendar.hpp"
#include "policy/vocabulary.hpp"

namespace sluis::policy {

struct requester {
  std::string user_id;
  std::string role;                      // a role id declared in the policy
  std::string organisation_id;           // compared with record::source_organisation_id
  std::string sector;                    // a sector id declared in the policy
  std::string purpose;                   // a purpose id declared in the policy
  bool is_family_gezinsmanager = false;  // the gezinsmanager assigned to this very family
};

enum class member_role { parent, child, other };

struct member {
  std::string id;
  std::string label;  // display text only ("moeder", "dochter"); never a name
  member_role role = member_role::other;
  date date_of_birth;
  // Ids of those holding gezag (parental authority) over this member. They may be members of the
  // family or people outside the household (a father elsewhere), who are then not in `members`.
  std::vector<std::string> gezag_holder_ids;
};

struct consent_evidence {
  std::string form_reference;
  date signed_on;
};

// A consent, specific in subject, recipients, purposes, categories and domains (AVG art. 7). An
// empty subject_member_id is a family consent covering the records about the family as a whole.
struct consent {
  std::string id;
  std::string subject_member_id;
  std::vector<std::string> granted_by;  // member or gezag-holder ids who signed
  std::vector<std::string> recipient_organisations;
  std::vector<std::string> recipient_roles;  // "gezinsmanager" means this family's gezinsmanager
  std::vector<std::string> purposes;
  std::vector<category> categories;
  std::vector<std::string> domains;
  time_point valid_from;
  time_point valid_until;
  std::optional<time_point> withdrawn_at;
  consent_evidence evidence;
  std::string recorded_by;
};

// A recorded decision to process under the statutory coordination task (afstemmingsbepaling/Wams).
struct coordination_ground {
  std::string id;
  std::string decided_by;
  std::string necessity;
  std::string proportionality;
  std::string subsidiarity;
  std::optional<date> family_informed_on;
  std::string not_informed_reason;  // required when the family was not informed
  time_point valid_from;
  time_point valid_until;
  std::optional<time_point> ended_at;
};

struct break_glass_grant {
  std::string id;
  std::string user_id;
  std::string justification;
  time_point started_at;
  time_point expires_at;
  // The user's organisation. User ids are each organisation's own, so a grant opens nothing for
  // the same id at another organisation. Empty only in hand-written scenarios: then any.
  std::string organisation_id;
};

struct family {
  std::string id;
  std::vector<member> members;
  std::vector<consent> consents;
  std::vector<coordination_ground> grounds;
  std::vector<break_glass_grant> break_glass;
};

struct record {
  std::string id;
  std::string source_organisation_id;
  std::string source_sector;
  bool source_has_professional_secrecy = false;
  std::string subject_member_id;  // empty: about the family as a whole
  std::string domain;
  record_kind kind = record_kind::note;
  category data_category = category::regular;
};

}  // namespace sluis::policy
