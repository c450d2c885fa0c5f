// The policy diff and analysis (policy/diff.hpp, policy/analysis.hpp).
//
// The property test is the proof that the diff is complete: random pairs of policies written in
// today's language, random concrete facts; whenever the two engines decide a different level, the
// diff must hold a cube that covers those facts with exactly those two levels, and where they
// agree no level cube may cover them. The facts are mapped onto the diff's axes by this file's
// own reading of the rules (point_of), not by the diff's code. Conversely every cube's witness is
// decided by both engines and must give the cube's levels. SLUIS_DIFF_PAIRS (default 200) sets
// the number of policy pairs; each is tried on SLUIS_DIFF_FACTS (default 60) random facts:
//   SLUIS_DIFF_PAIRS=20000 ./build/tests/policy/policy_engine_test --gtest_filter='policy_diff*'

#include "policy/diff.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <iostream>
#include <map>
#include <random>

#include "policy/analysis.hpp"
#include "policy/simulation.hpp"
#include "tests/policy/example_policy.hpp"

namespace sluis::policy {
namespace {

using namespace std::chrono;

constexpr std::size_t at(axis_id a) { return static_cast<std::size_t>(a); }

int from_env(const char* name, int fallback) {
  const char* value = std::getenv(name);
  return value ? std::atoi(value) : fallback;
}

// Partner organisations as a gateway configuration would register them: each with one sector and
// with or without professional secrecy. The policies name some of them; org-d and org-e never.
struct organisation {
  std::string id;
  std::string sector;
  bool secrecy;
};
const std::vector<organisation> organisations{{"org-a", "ggz", true},
                                              {"org-b", "wijkteam", false},
                                              {"org-c", "politie", false},
                                              {"org-d", "woningcorporatie", false},
                                              {"org-e", "jeugdhulp", true}};
const std::vector<std::string> named_organisations{"org-a", "org-b", "org-c"};
const std::vector<std::string> sectors{"ggz", "wijkteam", "politie", "woningcorporatie",
                                       "jeugdhulp"};
const std::vector<std::string> roles{"gezinsmanager", "procesmanager", "professional",
                                     "privacy-officer", "admin"};
const std::vector<std::string> purposes{"plan", "signalling", "process-oversight", "audit"};
const std::vector<std::string> domains{"financien", "wonen", "psychische-gezondheid", "verslaving",
                                       "veiligheid"};
const std::vector<std::string> kinds{"involvement", "goal",     "action",
                                     "evaluation",  "deadline", "note"};
const time_point now = testing::at(sys_days{2026y / June / 15});

class random_source {
 public:
  explicit random_source(std::uint32_t seed) : rng_(seed) {}
  int between(int low, int high) { return std::uniform_int_distribution<int>(low, high)(rng_); }
  bool chance(int percent) { return between(1, 100) <= percent; }
  template <class T>
  const T& pick(const std::vector<T>& options) {
    return options[static_cast<std::size_t>(between(0, static_cast<int>(options.size()) - 1))];
  }
  std::vector<std::string> some(const std::vector<std::string>& options, int most) {
    std::vector<std::string> out;
    for (int i = between(0, most); i > 0; --i) {
      const auto& o = pick(options);
      if (std::find(out.begin(), out.end(), o) == out.end()) out.push_back(o);
    }
    return out;
  }

 private:
  std::mt19937 rng_;
};

// --- Random policies in today's language ---

struct rule_spec {
  std::map<std::string, std::string> keys;  // key → TOML value
};

struct policy_spec {
  int with_gezag = 12, alone = 16, validity = 365, glass = 240;
  std::vector<rule_spec> rules;
};

std::string list(const std::vector<std::string>& items) {
  std::string out = "[";
  for (const auto& i : items) out += (out.size() > 1 ? ", \"" : "\"") + i + "\"";
  return out + "]";
}

rule_spec any_rule(random_source& r, int number) {
  rule_spec rule;
  auto& k = rule.keys;
  k["id"] = "\"r" + std::to_string(number) + "\"";
  const bool deny = r.chance(20);
  k["effect"] = deny ? "\"deny\"" : "\"permit\"";
  const auto maybe = [&](const char* key, const std::vector<std::string>& options, int most,
                         int percent) {
    if (!r.chance(percent)) return;
    auto chosen = r.some(options, most);
    if (!chosen.empty()) k[key] = list(chosen);
  };
  maybe("roles", roles, 2, 70);
  maybe("purposes", purposes, 2, 70);
  maybe("sectors", sectors, 2, 20);
  maybe("organisations", named_organisations, 2, 15);
  if (r.chance(25)) k["own_gezinsmanager"] = "true";
  if (r.chance(20)) k["own_organisation"] = "true";
  maybe("domains", domains, 2, 25);
  maybe("categories", {"regular", "special", "criminal"}, 2, 30);
  maybe("kinds", kinds, 2, 25);
  maybe("source_sectors", sectors, 2, 20);
  maybe("source_organisations", named_organisations, 2, 15);
  if (r.chance(25)) k["source_secrecy"] = r.chance(50) ? "true" : "false";
  if (!deny) {
    k["basis"] =
        "\"" + r.pick<std::string>({"none", "consent", "coordination", "vital-interest"}) + "\"";
    k["level"] = "\"" + r.pick<std::string>({"involvement", "status", "summary", "full"}) + "\"";
    if (r.chance(20)) k["allow_sensitive_without_consent"] = "true";
  }
  return rule;
}

policy_spec any_policy(random_source& r) {
  policy_spec p;
  p.with_gezag = r.between(10, 14);
  p.alone = r.between(p.with_gezag, 18);
  p.validity = r.pick<int>({30, 180, 365});
  p.glass = r.pick<int>({60, 240});
  for (int i = r.between(1, 6); i > 0; --i) p.rules.push_back(any_rule(r, i));
  return p;
}

// A one-step change, as a privacy officer makes one: a rule rewritten, added or dropped, one key
// of a rule changed, or a setting.
policy_spec changed(policy_spec p, random_source& r) {
  const int what = r.between(0, 5);
  const auto index = static_cast<std::size_t>(r.between(0, static_cast<int>(p.rules.size()) - 1));
  if (what == 0) {
    p.rules[index] = any_rule(r, static_cast<int>(index) + 1);
  } else if (what == 1) {
    p.rules.push_back(any_rule(r, static_cast<int>(p.rules.size()) + 1));
  } else if (what == 2 && p.rules.size() > 1) {
    p.rules.erase(p.rules.begin() + static_cast<std::ptrdiff_t>(index));
  } else if (what == 3) {
    // One key taken from a fresh rule: the smallest edit.
    const auto fresh = any_rule(r, 99);
    const auto& [key, value] =
        *std::next(fresh.keys.begin(), r.between(0, static_cast<int>(fresh.keys.size()) - 1));
    if (key != "id") p.rules[index].keys[key] = value;
  } else if (what == 4) {
    p.with_gezag = r.between(10, 14);
    p.alone = r.between(p.with_gezag, 18);
  } else {
    p.validity = r.pick<int>({30, 180, 365});
    p.glass = r.pick<int>({60, 240});
  }
  return p;
}

std::string toml_of(const policy_spec& p) {
  std::string out = "sectors = " + list(sectors) +
                    "\norganisations = " + list(named_organisations) +
                    "\n[consent]\nchild_with_gezag_from_age = " + std::to_string(p.with_gezag) +
                    "\nchild_alone_from_age = " + std::to_string(p.alone) +
                    "\nmax_validity_days = " + std::to_string(p.validity) +
                    "\n[break_glass]\nmax_duration_minutes = " + std::to_string(p.glass) + "\n";
  for (const auto& rule : p.rules) {
    out += "[[rule]]\n";
    for (const auto& [key, value] : rule.keys) out += key + " = " + value + "\n";
  }
  return out;
}

std::optional<engine> compiled(const policy_spec& p) {
  auto e = engine::compile(toml_of(p), "random.toml");
  if (!e) return std::nullopt;
  return std::move(*e);
}

// --- Random concrete facts ---

int age_of(const member& m) { return age_at(m.date_of_birth, now); }

struct facts {
  requester who;
  family fam;
  record rec;
};

facts any_facts(random_source& r) {
  facts f;
  const auto& org = r.pick(organisations);
  f.who = {r.pick<std::string>({"u1", "u2"}),
           r.pick(roles),
           org.id,
           org.sector,
           r.pick(purposes),
           r.chance(50)};
  f.fam.id = "f";
  const int count = r.between(1, 4);
  for (int i = 0; i < count; ++i) {
    member m{"m" + std::to_string(i),
             "lid",
             member_role::other,
             sys_days{year{r.between(1966, 2026)} / r.between(1, 12) / r.between(1, 28)},
             {}};
    if (m.date_of_birth > floor<days>(now)) m.date_of_birth = floor<days>(now) - days{1};
    for (int j = r.between(0, 2); j > 0; --j) {
      m.gezag_holder_ids.push_back(r.pick<std::string>({"m0", "m1", "m2", "m3", "buiten"}));
    }
    f.fam.members.push_back(std::move(m));
  }
  std::vector<std::string> people{"buiten"};
  for (const auto& m : f.fam.members) people.push_back(m.id);
  std::vector<std::string> subjects{""};
  for (const auto& m : f.fam.members) subjects.push_back(m.id);
  for (int i = r.between(0, 4); i > 0; --i) {
    consent c;
    c.id = "c" + std::to_string(i);
    c.subject_member_id = r.pick(subjects);
    c.granted_by = r.some(people, 4);
    if (r.chance(80))
      c.recipient_organisations = {r.chance(70) ? org.id : r.pick(organisations).id};
    c.recipient_roles = r.some(roles, 2);
    if (r.chance(60)) c.recipient_roles.push_back(f.who.role);
    c.purposes = r.some(purposes, 2);
    if (r.chance(70)) c.purposes.push_back(f.who.purpose);
    for (const auto cat : {category::regular, category::special, category::criminal}) {
      if (r.chance(70)) c.categories.push_back(cat);
    }
    c.domains = r.some(domains, 5);
    c.valid_from = now - days{r.between(-5, 400)} - hours{r.between(0, 23)};
    c.valid_until = c.valid_from + days{r.between(1, 800)};
    if (r.chance(15)) c.withdrawn_at = now - hours{r.between(-50, 50)};
    f.fam.consents.push_back(std::move(c));
  }
  for (int i = r.between(0, 2); i > 0; --i) {
    coordination_ground g{
        "g", r.chance(85) ? "x" : "",         "x", "x", "x", sys_days{2026y / May / 1},
        "",  now - days{r.between(-20, 100)}, now, {}};
    g.valid_until = g.valid_from + days{r.between(1, 300)};
    if (r.chance(15)) g.ended_at = now - hours{r.between(-50, 50)};
    f.fam.grounds.push_back(std::move(g));
  }
  for (int i = r.between(0, 2); i > 0; --i) {
    const auto start = now - minutes{r.between(-10, 300)};
    f.fam.break_glass.push_back({"bg", r.pick<std::string>({"u1", "u2"}), "x", start,
                                 start + minutes{r.between(1, 400)},
                                 r.chance(80) ? org.id : r.pick(organisations).id});
  }
  const auto& source = r.pick(organisations);
  f.rec = {"r",
           source.id,
           source.sector,
           source.secrecy,
           r.pick(subjects),
           r.pick(domains),
           *parse_record_kind(r.pick(kinds)),
           r.pick<category>({category::regular, category::special, category::criminal})};
  return f;
}

// --- This test's own reading of which axis value each fact has ---

std::size_t value_index(const request_space& space, axis_id a, const std::string& id) {
  const auto& values = space[a].values;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (values[i].id == id) return i;
  }
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (values[i].id == "*") return i;
  }
  ADD_FAILURE() << "no value " << id << " on axis " << space[a].name;
  return 0;
}

std::string band_of(const request_space& space, int age) {
  std::size_t band = 0;
  while (band + 1 < space.age_bands.size() && age >= space.age_bands[band + 1]) ++band;
  const int low = space.age_bands[band];
  if (band + 1 == space.age_bands.size()) return std::to_string(low) + "+";
  const int high = space.age_bands[band + 1] - 1;
  return low == high ? std::to_string(low) : std::to_string(low) + "–" + std::to_string(high);
}

bool has(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

// Recipient and purpose, as docs/policy.md §5 says a consent names them.
bool names_requester(const consent& c, const requester& who) {
  if (!has(c.purposes, who.purpose)) return false;
  if (who.role == "gezinsmanager" && !who.is_family_gezinsmanager) return false;
  if (c.recipient_organisations.empty()) {
    return who.role == "gezinsmanager" && has(c.recipient_roles, who.role);
  }
  return has(c.recipient_organisations, who.organisation_id) &&
         (c.recipient_roles.empty() || has(c.recipient_roles, who.role));
}

// In force on its own dates at `now`, and for how many whole... started how long ago.
bool in_force_for(const consent& c, int max_days) {
  if (c.withdrawn_at && *c.withdrawn_at <= now) return false;
  return c.valid_from <= now && now < c.valid_until && now < c.valid_from + days{max_days};
}

std::string consent_value(const request_space& space, const facts& f, bool recent) {
  const auto& rec = f.rec;
  const member* subject = nullptr;
  for (const auto& m : f.fam.members) {
    if (m.id == rec.subject_member_id) subject = &m;
  }
  bool both = false, by_subject = false, by_gezag = false, any = false;
  int youngest_gap = 1000;  // the smallest "oldest non-signer" age over family consents
  for (const auto& c : f.fam.consents) {
    if (c.subject_member_id != rec.subject_member_id || !names_requester(c, f.who) ||
        std::find(c.categories.begin(), c.categories.end(), rec.data_category) ==
            c.categories.end() ||
        !has(c.domains, rec.domain)) {
      continue;
    }
    const bool short_ok = in_force_for(c, space.consent_days_short);
    const bool long_ok = in_force_for(c, space.consent_days_long);
    if (recent ? !short_ok : (short_ok || !long_ok)) continue;
    if (subject) {
      const bool s = has(c.granted_by, subject->id);
      const bool g = std::any_of(c.granted_by.begin(), c.granted_by.end(), [&](const auto& id) {
        return has(subject->gezag_holder_ids, id);
      });
      both |= s && g;
      by_subject |= s && !g;
      by_gezag |= g && !s;
    } else {
      any = true;
      int gap = -1;
      for (const auto& m : f.fam.members) {
        if (!has(c.granted_by, m.id)) gap = std::max(gap, age_of(m));
      }
      youngest_gap = std::min(youngest_gap, gap);
    }
  }
  if (subject) {
    if (both) return "both";
    if (by_subject && by_gezag) return "separately";
    if (by_subject) return "subject";
    return by_gezag ? "gezag" : "none";
  }
  if (!any) return "none";
  return youngest_gap < 0 ? "all" : "unsigned:" + band_of(space, youngest_gap);
}

std::array<std::size_t, axis_count> point_of(const request_space& space, const facts& f) {
  std::array<std::size_t, axis_count> p{};
  const auto set = [&](axis_id a, const std::string& id) { p[at(a)] = value_index(space, a, id); };
  set(axis_id::role, f.who.role);
  set(axis_id::purpose, f.who.purpose);
  set(axis_id::sector, f.who.sector);
  set(axis_id::organisation, f.who.organisation_id);
  set(axis_id::own_gezinsmanager, f.who.is_family_gezinsmanager ? "yes" : "no");
  set(axis_id::source_organisation,
      f.rec.source_organisation_id == f.who.organisation_id ? "=" : f.rec.source_organisation_id);
  set(axis_id::source_sector, f.rec.source_sector);
  set(axis_id::source_secrecy, f.rec.source_has_professional_secrecy ? "yes" : "no");
  set(axis_id::domain, f.rec.domain);
  set(axis_id::category, std::string(to_string(f.rec.data_category)));
  set(axis_id::kind, std::string(to_string(f.rec.kind)));
  if (f.rec.subject_member_id.empty()) {
    int oldest = 0;
    for (const auto& m : f.fam.members) oldest = std::max(oldest, age_of(m));
    set(axis_id::subject, "family:" + band_of(space, oldest));
  } else {
    for (const auto& m : f.fam.members) {
      if (m.id == f.rec.subject_member_id)
        set(axis_id::subject, "member:" + band_of(space, age_of(m)));
    }
  }
  set(axis_id::consent, consent_value(space, f, true));
  set(axis_id::older_consent, space[axis_id::older_consent].values.size() > 1
                                  ? consent_value(space, f, false)
                                  : std::string("none"));
  std::string ground = "none";
  for (const auto& g : f.fam.grounds) {
    const bool complete = !g.decided_by.empty() && !g.necessity.empty() &&
                          !g.proportionality.empty() && !g.subsidiarity.empty() &&
                          (g.family_informed_on || !g.not_informed_reason.empty());
    if (!complete || (g.ended_at && *g.ended_at <= now)) continue;
    if (g.valid_from <= now && now < g.valid_until) ground = "in-force";
    if (now < g.valid_from && ground == "none") ground = "not-started";
  }
  set(axis_id::ground, ground);
  bool active_short = false, active_long = false;
  for (const auto& g : f.fam.break_glass) {
    if (g.user_id != f.who.user_id || now < g.started_at) continue;
    if (!g.organisation_id.empty() && g.organisation_id != f.who.organisation_id) continue;
    active_short |= now < std::min(g.expires_at, g.started_at + minutes{space.glass_minutes_short});
    active_long |= now < std::min(g.expires_at, g.started_at + minutes{space.glass_minutes_long});
  }
  set(axis_id::break_glass, active_short ? "active" : active_long ? "older" : "none");
  return p;
}

level level_of(const engine& e, const scenario& s) { return simulate(e, s).front().level; }

// Every cube's witness gets the cube's levels, and reads back as the cube's example.
void check_witnesses(const engine& before, const engine& after, const policy_diff& d) {
  for (const auto* group : {&d.added, &d.removed, &d.reasons_changed}) {
    for (const auto& c : *group) {
      const auto s = witness(d.space, c.example);
      SCOPED_TRACE(describe(d.space, c));
      ASSERT_EQ(level_of(before, s), c.old_level);
      ASSERT_EQ(level_of(after, s), c.new_level);
    }
  }
}

std::string shape_text(const policy_diff& d, const std::array<std::size_t, axis_count>& p) {
  std::string out = "\nshape:";
  for (std::size_t a = 0; a < axis_count; ++a) out += " " + d.space.axes[a].values[p[a]].id;
  out += "\n" + diff_text(d);
  return out;
}

// The engines' levels for `f` and the level cube that covers it agree.
void check_one(const engine& before, const engine& after, const policy_diff& d, const facts& f,
               int& differing) {
  {
    const auto old_level = before.decide(f.who, f.fam, f.rec, now).level;
    const auto new_level = after.decide(f.who, f.fam, f.rec, now).level;
    const auto p = point_of(d.space, f);
    const cube* covering = nullptr;
    for (const auto* group : {&d.added, &d.removed}) {
      for (const auto& c : *group) {
        if (c.covers(p)) {
          ASSERT_EQ(covering, nullptr) << "two level cubes cover one request";
          covering = &c;
        }
      }
    }
    if (old_level == new_level) {
      ASSERT_EQ(covering, nullptr)
          << "a cube claims a change where the engines agree: " << describe(d.space, *covering);
      return;
    }
    ++differing;
    ASSERT_NE(covering, nullptr) << "no cube covers a request decided " << to_string(old_level)
                                 << " → " << to_string(new_level) << " (role " << f.who.role
                                 << ", purpose " << f.who.purpose << ")" << shape_text(d, p);
    ASSERT_EQ(covering->old_level, old_level);
    ASSERT_EQ(covering->new_level, new_level);
  }
}

void check_facts(const engine& before, const engine& after, const policy_diff& d, random_source& r,
                 int count, int& differing) {
  for (int i = 0; i < count; ++i) {
    check_one(before, after, d, any_facts(r), differing);
    if (::testing::Test::HasFatalFailure()) return;
  }
  // Near the witnesses, where the policies differ: each witness as it is (read back through this
  // file's own mapping) and changed a little, in the requester, the record, an age or the family.
  for (const auto* group : {&d.added, &d.removed, &d.reasons_changed}) {
    for (const auto& c : *group) {
      const auto s = witness(d.space, c.example);
      const facts exact{s.who, s.fam, s.records.front()};
      check_one(before, after, d, exact, differing);
      for (int i = 0; i < 3; ++i) {
        auto near = exact;
        const auto other = any_facts(r);
        if (r.chance(20)) near.who = other.who;
        if (r.chance(20)) near.who.organisation_id = other.who.organisation_id;
        if (r.chance(20)) near.who.is_family_gezinsmanager = !near.who.is_family_gezinsmanager;
        if (r.chance(20)) near.rec = other.rec;
        if (r.chance(20)) near.rec.source_organisation_id = other.rec.source_organisation_id;
        if (r.chance(20)) near.rec.data_category = other.rec.data_category;
        if (r.chance(20)) near.fam = other.fam;
        for (auto& m : near.fam.members) {
          if (r.chance(30)) m.date_of_birth += days{r.between(-800, 800)};
          if (m.date_of_birth > floor<days>(now)) m.date_of_birth = floor<days>(now) - days{1};
        }
        if (r.chance(20) && !near.fam.consents.empty()) near.fam.consents.pop_back();
        if (r.chance(20)) {
          for (auto& g : near.fam.break_glass) g.started_at -= minutes{r.between(0, 300)};
        }
        check_one(before, after, d, near, differing);
        if (::testing::Test::HasFatalFailure()) return;
      }
    }
  }
}

TEST(policy_diff_property, every_change_of_level_is_in_a_cube_and_every_cube_has_a_witness) {
  const int pairs = from_env("SLUIS_DIFF_PAIRS", 200);
  const int facts_per_pair = from_env("SLUIS_DIFF_FACTS", 60);
  random_source r(20261207);
  int compared = 0, differing = 0, cubes = 0;
  while (compared < pairs) {
    const auto old_spec = any_policy(r);
    const auto new_spec = r.chance(80) ? changed(old_spec, r) : any_policy(r);
    const auto before = compiled(old_spec);
    const auto after = compiled(new_spec);
    if (!before || !after) continue;
    ++compared;
    const auto d = diff(*before, *after);
    SCOPED_TRACE("pair " + std::to_string(compared) + "\n--- old\n" + toml_of(old_spec) +
                 "--- new\n" + toml_of(new_spec));
    cubes += static_cast<int>(d.added.size() + d.removed.size());
    check_witnesses(*before, *after, d);
    check_facts(*before, *after, d, r, facts_per_pair, differing);
    if (::testing::Test::HasFatalFailure()) return;
  }
  std::cout << "[ diff     ] " << compared << " policy pairs, " << differing
            << " requests decided differently, " << cubes << " level cubes\n";
  // The generators must produce differences, or the property says little.
  EXPECT_GT(differing, pairs / 10);
  EXPECT_GT(cubes, pairs);
}

// --- The example policy ---

// The example policy with `from` replaced by `to`, compiled.
engine example_with(const std::string& from, const std::string& to) {
  auto text = testing::example_policy_text();
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return engine::compile(text.replace(at, from.size(), to), "changed.toml").value();
}

TEST(policy_diff, a_policy_against_itself_is_equal) {
  const auto e = testing::example_engine();
  const auto d = diff(e, e);
  EXPECT_TRUE(d.equal());
  EXPECT_EQ(d.decided, 0u);
  EXPECT_NE(diff_text(d).find("The policies are equal"), std::string::npos);
}

TEST(policy_diff, a_kind_more_for_signalling_is_one_grant_added) {
  const auto before = testing::example_engine();
  const auto after = example_with("kinds = [\"involvement\"]\nlevel = \"involvement\"",
                                  "kinds = [\"involvement\", \"goal\"]\nlevel = "
                                  "\"involvement\"");
  const auto d = diff(before, after);
  ASSERT_FALSE(d.added.empty());
  EXPECT_TRUE(d.removed.empty());
  for (const auto& c : d.added) {
    const auto text = describe(d.space, c);
    EXPECT_NE(text.find("professional · purpose signalling"), std::string::npos) << text;
    EXPECT_NE(text.find("kind goal"), std::string::npos) << text;
    EXPECT_NE(text.find("without professional secrecy · regular"), std::string::npos) << text;
    EXPECT_NE(text.find("coordination ground in force: none → involvement"), std::string::npos)
        << text;
  }
  const auto json = diff_json(d);
  EXPECT_EQ(json.at("counts").at("added").to_number<std::size_t>(), d.added.size());
  EXPECT_EQ(json.at("equal").as_bool(), false);
  check_witnesses(before, after, d);
}

TEST(policy_diff, a_lower_age_for_consent_alone_opens_and_closes) {
  const auto before = testing::example_engine();
  const auto after = example_with("child_alone_from_age = 16", "child_alone_from_age = 15");
  const auto d = diff(before, after);
  // A 15-year-old's own consent now counts; a family consent unsigned by a 15-year-old does not.
  const auto mentions = [&](const std::vector<cube>& cubes, const std::string& part) {
    return std::any_of(cubes.begin(), cubes.end(), [&](const cube& c) {
      return describe(d.space, c).find(part) != std::string::npos;
    });
  };
  EXPECT_TRUE(mentions(d.added, "a member aged 15 · consent signed by the member"));
  EXPECT_TRUE(mentions(d.removed, "family consent not signed by a member aged 15"));
  check_witnesses(before, after, d);
}

// A shorter maximum validity takes away what consents of its last months opened, and nothing
// else; grouped along the axes in both orders, it reads in a few dozen lines, not a hundred.
TEST(policy_diff, a_shorter_consent_validity_only_removes_what_older_consents_opened) {
  const auto before = testing::example_engine();
  const auto after = example_with("max_validity_days = 365", "max_validity_days = 180");
  const auto d = diff(before, after);
  EXPECT_TRUE(d.added.empty());
  ASSERT_FALSE(d.removed.empty());
  EXPECT_LE(d.removed.size(), 50u);
  for (const auto& c : d.removed) {
    EXPECT_NE(describe(d.space, c).find("consent started 180–364 days ago: "), std::string::npos)
        << describe(d.space, c);
  }
  check_witnesses(before, after, d);
}

// The issue's bound: the example policy against a one-line change, well under a second.
TEST(policy_diff, the_example_against_a_one_line_change_decides_few_shapes) {
  const auto before = testing::example_engine();
  const auto after = example_with("level = \"status\"", "level = \"summary\"");
  const auto d = diff(before, after);
  EXPECT_FALSE(d.added.empty());
  EXPECT_LT(d.decided, 100'000u);
  EXPECT_GT(d.space.size(), 1e9);
}

// Settings that decide nothing alone still make two policies different, and are named.
TEST(policy_diff, a_changed_oversight_setting_is_a_difference_without_cubes) {
  const auto before = testing::example_engine();
  const auto after = example_with("identify_families_by = [\"label\", \"gezinsmanager\"]",
                                  "identify_families_by = [\"label\"]");
  const auto d = diff(before, after);
  EXPECT_FALSE(d.equal());
  EXPECT_TRUE(d.added.empty() && d.removed.empty() && d.reasons_changed.empty());
  ASSERT_EQ(d.settings.size(), 1u);
  EXPECT_EQ(d.settings[0].setting, "[oversight] gezinsmanager");
  EXPECT_EQ(d.settings[0].old_value, "true");
  EXPECT_EQ(d.settings[0].new_value, "false");
  EXPECT_NE(diff_text(d).find("[oversight] gezinsmanager: true → false"), std::string::npos);
}

// --- Analysis ---

std::vector<finding> findings_of(const std::string& text, const std::string& kind) {
  const auto e = engine::compile(text, "a.toml").value();
  std::vector<finding> out;
  for (auto& f : analyse(e).findings) {
    if (f.kind == kind) out.push_back(std::move(f));
  }
  return out;
}

TEST(policy_analysis, a_permit_under_two_denies_never_applies) {
  const auto found = findings_of(R"([[rule]]
id = "p"
effect = "permit"
roles = ["professional"]
purposes = ["plan"]
basis = "none"
level = "full"
[[rule]]
id = "d-regular"
effect = "deny"
categories = ["regular"]
[[rule]]
id = "d-sensitive"
effect = "deny"
categories = ["special", "criminal"]
)",
                                 "never_applies");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].rule_id, "p");
  EXPECT_EQ(found[0].line, 1);
}

TEST(policy_analysis, a_permit_inside_a_wider_one_is_redundant) {
  const auto found = findings_of(R"([[rule]]
id = "wide"
effect = "permit"
roles = ["professional"]
purposes = ["plan"]
basis = "consent"
level = "full"
[[rule]]
id = "narrow"
effect = "permit"
roles = ["professional"]
purposes = ["plan"]
basis = "consent"
domains = ["wonen"]
level = "summary"
)",
                                 "redundant");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].rule_id, "narrow");
}

TEST(policy_analysis, the_example_policy_is_read_as_its_comments_say) {
  const auto a = analyse(testing::example_engine());
  std::map<std::string, std::vector<std::string>> by_kind;
  for (const auto& f : a.findings) by_kind[f.kind].push_back(f.rule_id);
  // The coordination rules without categories say more than they grant (their comments say so).
  EXPECT_EQ(by_kind["wider_than_granted"],
            (std::vector<std::string>{"procesmanager-status", "signal-match"}));
  // The privacy officer's deny is a safety net: no permit shows them content anyway.
  EXPECT_EQ(by_kind["redundant"], (std::vector<std::string>{"privacy-officer-no-content"}));
  EXPECT_TRUE(by_kind["never_applies"].empty());
  // The deliberate involvement grants on a coordination ground are listed for review.
  ASSERT_FALSE(by_kind["sensitive_on_coordination"].empty());
  for (const auto& f : a.findings) {
    if (f.kind == "sensitive_on_coordination") {
      EXPECT_NE(f.message.find("level involvement"), std::string::npos) << f.message;
    }
  }
}

TEST(policy_analysis, names_declared_and_never_used_are_reported) {
  const auto e = engine::compile(R"(organisations = ["ggz-noord", "wijkteam-zuid"]
domains = ["eigen-domein"]
roles = ["wijkcoach"]
[[rule]]
id = "p"
effect = "permit"
roles = ["professional"]
purposes = ["plan"]
organisations = ["ggz-noord"]
basis = "consent"
level = "full"
)",
                                 "a.toml")
                     .value();
  std::vector<std::string> lines;
  for (const auto& f : analyse(e).findings) lines.push_back(f.kind + " " + f.message);
  const auto has_text = [&](const std::string& part) {
    return std::any_of(lines.begin(), lines.end(),
                       [&](const auto& k) { return k.find(part) != std::string::npos; });
  };
  EXPECT_TRUE(has_text("unused_organisation organisation 'wijkteam-zuid'"));
  EXPECT_FALSE(has_text("'ggz-noord'"));
  EXPECT_TRUE(has_text("unused_domain domain 'eigen-domein'"));
  EXPECT_TRUE(has_text("unused_role role 'wijkcoach'"));
}

}  // namespace
}  // namespace sluis::policy
