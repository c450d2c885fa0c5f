#pragma once
// The demo data set: organisations' contributions about a dozen fictional families modelled on the
// stories in DOMAIN.md, their consents, a coordination ground, a break-the-glass and the demo
// users, as plain C++ tables.
//
// Why tables in C++ and not a TOML file: the kinds, categories and member roles are enums the
// compiler checks, the set is compiled into the binary (no file to find at run time, so `sluis demo
// load` works from any directory), and demo_test checks what the compiler cannot (domains,
// statuses, labels, organisations, BSNs). Dates are day offsets from the day of loading, so the
// overdue and soon-due deadlines stay overdue and soon-due whenever the demo is loaded.
//
// Everything here is fictional: family labels are initials ("Gezin V."), members are labels
// ("moeder"), and every BSN lies in the 99999xxxx range and passes the elfproef. Immutable data:
// safe to read from any thread.

#include <optional>
#include <string_view>
#include <vector>

#include "policy/facts.hpp"
#include "policy/vocabulary.hpp"

namespace sluis::demo {

// Days relative to the day the demo is loaded: -3 is three days ago, 10 is ten days from now.
using day_offset = int;

// `days` Dutch calendar days from `moment` (policy::add_days) in the stores' Unix seconds: the
// demo's periods count their days as the policy's maximum validity does.
std::int64_t days_after(std::int64_t moment, day_offset days);

struct member_spec {
  std::string_view label;  // unique in the family
  policy::member_role role = policy::member_role::other;
  int age = 0;  // in whole years on the day of loading
  std::string_view bsn;
  std::vector<std::string_view> gezag_holders = {};  // labels of members of the same family
};

// One contribution of a partner organisation.
struct item_spec {
  std::string_view org;
  std::string_view about;  // a member label; empty: the family as a whole
  std::string_view domain;
  policy::record_kind kind = policy::record_kind::note;
  policy::category category = policy::category::regular;
  std::string_view status;
  std::string_view title;
  std::string_view body;
  std::string_view owner;  // the professional who owns it
  std::optional<day_offset> start = {};
  std::optional<day_offset> due = {};
  std::optional<day_offset> end = {};
};

// The state a demo consent is there to show.
enum class consent_case {
  valid,             // signed by whoever must sign, in force
  expired,           // valid_until has passed
  withdrawn,         // withdrawn after it was given
  child_alone,       // a 12-15-year-old signed without a parent with gezag: not enough
  without_gezag,     // signed by a parent who has no gezag over the child: not enough
  child_and_parent,  // a 12-15-year-old and a parent with gezag both signed: valid
};

struct consent_spec {
  consent_case shows = consent_case::valid;
  std::string_view subject;                       // member label; empty: the family as a whole
  std::vector<std::string_view> granted_by = {};  // member labels
  std::vector<std::string_view> recipient_roles = {};
  std::vector<std::string_view> recipient_organisations = {};
  std::vector<policy::category> categories = {};
  std::vector<std::string_view> domains = {};
  day_offset valid_from = 0;
  day_offset valid_until = 0;
  std::optional<day_offset> withdrawn = {};
  std::string_view form_reference;
};

struct ground_spec {
  std::string_view decided_by;
  std::string_view necessity;
  std::string_view proportionality;
  std::string_view subsidiarity;
  std::optional<day_offset> family_informed = {};
  std::string_view not_informed_reason = {};
  day_offset valid_from = 0;
  day_offset valid_until = 0;
};

struct break_glass_spec {
  std::string_view user;  // a demo user of the family's gezinsmanager organisation
  std::string_view justification;
  int started_minutes_ago = 0;
  int minutes = 0;
};

struct family_spec {
  std::string_view story;  // which DOMAIN.md story it follows (for docs and tests; never stored)
  std::string_view label;  // "Gezin V."
  std::string_view gezinsmanager;  // a demo user id with role gezinsmanager
  std::vector<member_spec> members = {};
  std::vector<item_spec> items = {};
  std::vector<consent_spec> consents = {};
  std::vector<ground_spec> grounds = {};
  std::vector<break_glass_spec> break_glass = {};
};

struct user_spec {
  std::string_view id;  // the login
  std::string_view organisation;
  std::string_view role;  // a people::role id
  std::string_view display_name;
  std::string_view shows;  // what to try with this login (for the printed table)
};

// The one password of every demo user. Fixed so that it can be printed, documented and typed.
inline constexpr std::string_view demo_password = "sluis-demo-2026";

const std::vector<family_spec>& families();
const std::vector<user_spec>& users();

// The demo user with this id, or nullptr.
const user_spec* find_user(std::string_view user_id);
// The organisation of a demo user, or empty when `user_id` is no demo user.
std::string_view organisation_of(std::string_view user_id);

}  // namespace sluis::demo
