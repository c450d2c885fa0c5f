#pragma once
// The complete difference between two policies: every shape of request on which they decide a
// different level or give a different explanation, grouped into readable cubes ("gezinsmanager ·
// purpose plan · source sector ggz · with professional secrecy · special · a member aged 16+ ·
// consent signed by the member alone: none → full"). `sluis policy diff`, POST /v1/policy/diff and
// the web UI's activation show it.
//
// Exact without a solver: a decision depends on finitely many facts (docs/policy.md §9 lists the
// axes), and names no rule tells apart behave alike, so each axis is cut into the classes the
// rules of either policy distinguish and one representative of every class is decided by both
// engines. Requesters for whom both policies consider the same rules are skipped whole. The
// property test in tests/policy/diff_test.cpp checks the cut against random concrete facts.
// Pure: no I/O, no clock.

#include <array>
#include <boost/dynamic_bitset.hpp>
#include <boost/json/object.hpp>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "policy/engine.hpp"
#include "policy/scenario.hpp"

namespace sluis::policy {

// The axes of a request shape, in the order a cube reads.
enum class axis_id : std::size_t {
  role,
  purpose,
  sector,               // the requester's organisation's sector
  organisation,         // the requester's organisation
  own_gezinsmanager,    // whether the requester is this family's own gezinsmanager
  source_organisation,  // who submitted the record: the requester's own organisation, or another
  source_sector,
  source_secrecy,  // whether the source has professional secrecy (beroepsgeheim)
  domain,
  category,
  kind,
  subject,        // a member in an age band, or the whole family (by its oldest member's band)
  consent,        // who signed the consents covering this record, in force under both policies
  older_consent,  // the same for consents old enough that only the longer maximum keeps them
  ground,         // the family's coordination ground
  break_glass,    // the requester's break-the-glass at this family
};
inline constexpr std::size_t axis_count = 16;

struct axis_value {
  std::string id;     // machine text: a role id, "*" (any other), "member:12", "unsigned:16", ...
  std::string label;  // as a cube reads it: "another organisation", "a member aged 12–15"
};

struct axis {
  std::string name;  // "role", "source_sector", ... (the JSON key)
  std::vector<axis_value> values;
};

// The space both policies are compared over: the axes with their values, the subject's age bands
// (split at every consent age threshold of either policy), and the consent and break-the-glass
// durations of both (equal unless the policies differ in them).
struct request_space {
  std::array<axis, axis_count> axes;
  std::vector<int> age_bands;  // lower bounds, ascending, starting at 0
  int consent_days_short = 0, consent_days_long = 0;
  int glass_minutes_short = 0, glass_minutes_long = 0;
  // Request shapes before grouping: the product of the axes' sizes.
  double size() const;
  const axis& operator[](axis_id a) const { return axes[static_cast<std::size_t>(a)]; }
};

using value_set = boost::dynamic_bitset<>;

// A set of request shapes: per axis, the values it covers (bits over request_space's values).
// Every shape in it gets `old_level` from the old policy and `new_level` from the new one; for a
// changed reason, both give the explanation summarised in `old_reasons` and `new_reasons`.
struct cube {
  std::array<value_set, axis_count> where;
  level old_level = level::none;
  level new_level = level::none;
  // "consent", "coordination", ... and the reason codes with their rule: "no_consent (rule x)".
  std::vector<std::string> old_reasons;
  std::vector<std::string> new_reasons;
  // One shape in the cube: the value index of each axis (see witness()).
  std::array<std::size_t, axis_count> example{};
  bool covers(const std::array<std::size_t, axis_count>& shape) const;
};

// A setting that differs between the two texts ("[consent] child_alone_from_age", "16", "15").
// The ones that decide are also in the cubes; [oversight] and the break-the-glass request limits
// are only here.
struct setting_change {
  std::string setting;
  std::string old_value;
  std::string new_value;
};

struct policy_diff {
  std::string old_version;
  std::string new_version;
  std::vector<setting_change> settings;
  request_space space;
  std::vector<cube> added;            // the new policy shows more
  std::vector<cube> removed;          // the new policy shows less
  std::vector<cube> reasons_changed;  // same level, another basis or explanation
  std::uint64_t decided = 0;          // request shapes decided by both engines
  bool equal() const {
    return settings.empty() && added.empty() && removed.empty() && reasons_changed.empty();
  }
};

// Compares `before` with `after` over every request shape.
policy_diff diff(const engine& before, const engine& after);

// A concrete request in the cube: a family, a requester and one record (its example shape), for
// `sluis policy simulate` or a test to decide.
scenario witness(const request_space& space, const std::array<std::size_t, axis_count>& shape);

// "gezinsmanager · purpose plan · ... : none → full"; axes the cube spans whole are left out.
std::string describe(const request_space& space, const cube& c);
// The same without the levels: "gezinsmanager · purpose plan · ..." ("every request" when the
// cube spans every axis).
std::string describe_where(const request_space& space, const cube& c);

// The report `sluis policy diff` prints: the three groups, or a line saying the policies agree.
std::string diff_text(const policy_diff& d);

// {"equal", "old_version", "new_version", "settings": [{"setting", "old", "new"}],
//  "axes": {axis: [every value id]}, "space_size", "decided",
//  "counts": {"added", "removed", "reasons_changed"},
//  "added"|"removed"|"reasons_changed": [{"old_level", "new_level", "text",
//      "where": {axis: [value ids]} (axes the cube spans whole are left out),
//      "old_reasons", "new_reasons"}]}
boost::json::object diff_json(const policy_diff& d);

// {"added", "removed", "reasons_changed"}: the counts of cubes, for the policy.activate entry.
boost::json::object diff_digest(const policy_diff& d);

}  // namespace sluis::policy
