// Property-style tests: random facts (seeded, so failures reproduce) never yield more than the
// policy's highest permit, nothing without an applicable permit, and more facts never show less.

#include <gtest/gtest.h>

#include <random>

#include "tests/policy/example_policy.hpp"

namespace sluis::policy {
namespace {

using namespace std::chrono;

const time_point now = testing::at(sys_days{2026y / June / 15});

// Every permit caps at summary; vital-interest included.
constexpr std::string_view capped_policy = R"(sectors = ["ggz", "wijkteam", "politie"]
[[rule]]
id = "p-consent"
effect = "permit"
roles = ["gezinsmanager", "professional"]
purposes = ["plan"]
basis = "consent"
level = "summary"
[[rule]]
id = "p-ground"
effect = "permit"
roles = ["gezinsmanager", "procesmanager"]
purposes = ["plan", "process-oversight"]
basis = "coordination"
level = "status"
[[rule]]
id = "p-glass"
effect = "permit"
roles = ["gezinsmanager"]
purposes = ["plan"]
basis = "vital-interest"
level = "summary"
[[rule]]
id = "d-police"
effect = "deny"
source_sectors = ["politie"]
purposes = ["signalling"]
)";

class fact_generator {
 public:
  explicit fact_generator(std::uint32_t seed) : rng_(seed) {}

  requester any_requester() {
    return {pick({"u1", "u2", "u3"}),
            pick({"gezinsmanager", "procesmanager", "professional", "privacy-officer", "admin",
                  "unknown-role"}),
            pick(orgs_),
            pick({"ggz", "wijkteam", "politie", "woningcorporatie", "jeugdhulp", "unknown"}),
            pick({"plan", "signalling", "process-oversight", "audit", "unknown"}),
            coin()};
  }

  family any_family() {
    family f;
    f.id = "f";
    const int members = between(1, 5);
    for (int i = 0; i < members; ++i) {
      member m{"m" + std::to_string(i),
               "lid",
               member_role::child,
               sys_days{year{between(1960, 2025)} / between(1, 12) / between(1, 28)},
               {}};
      for (int j = 0; j < between(0, 2); ++j) m.gezag_holder_ids.push_back(any_person());
      f.members.push_back(std::move(m));
    }
    for (int i = between(0, 4); i > 0; --i) f.consents.push_back(any_consent());
    for (int i = between(0, 2); i > 0; --i) f.grounds.push_back(any_ground());
    for (int i = between(0, 2); i > 0; --i) {
      const auto start = now - minutes{between(-60, 600)};
      f.break_glass.push_back(
          {"bg", pick({"u1", "u2", "u3"}), "x", start, start + minutes{between(1, 600)}, ""});
    }
    return f;
  }

  record any_record() {
    return {"r",
            pick(orgs_),
            pick({"ggz", "wijkteam", "politie", "woningcorporatie", "jeugdhulp", "unknown"}),
            coin(),
            pick({"", "m0", "m1", "m2", "m3", "m4"}),
            pick(domains_),
            static_cast<record_kind>(between(0, 5)),
            static_cast<category>(between(0, 2))};
  }

 private:
  consent any_consent() {
    consent c;
    c.id = "c";
    c.subject_member_id = pick({"", "m0", "m1", "m2", "m3", "m4"});
    for (int i = between(0, 3); i > 0; --i) c.granted_by.push_back(any_person());
    for (int i = between(0, 2); i > 0; --i) c.recipient_organisations.push_back(pick(orgs_));
    for (int i = between(0, 2); i > 0; --i) {
      c.recipient_roles.push_back(pick({"gezinsmanager", "professional", "procesmanager"}));
    }
    for (int i = between(0, 2); i > 0; --i) c.purposes.push_back(pick({"plan", "signalling"}));
    for (int i = between(0, 3); i > 0; --i) c.categories.push_back(category(between(0, 2)));
    for (int i = between(0, 3); i > 0; --i) c.domains.push_back(pick(domains_));
    c.valid_from = now - days{between(-10, 500)};
    c.valid_until = c.valid_from + days{between(0, 800)};
    if (coin()) c.withdrawn_at = now - hours{between(-100, 100)};
    return c;
  }

  coordination_ground any_ground() {
    coordination_ground g;
    g.id = "g";
    g.decided_by = coin() ? "x" : "";
    g.necessity = coin() ? "x" : "";
    g.proportionality = coin() ? "x" : "";
    g.subsidiarity = coin() ? "x" : "";
    if (coin()) g.family_informed_on = sys_days{2026y / May / 1};
    g.not_informed_reason = coin() ? "x" : "";
    g.valid_from = now - days{between(-10, 100)};
    g.valid_until = g.valid_from + days{between(0, 300)};
    if (coin()) g.ended_at = now - hours{between(-100, 100)};
    return g;
  }

  std::string any_person() { return pick({"m0", "m1", "m2", "m3", "m4", "outside"}); }
  int between(int low, int high) { return std::uniform_int_distribution<int>(low, high)(rng_); }
  bool coin() { return between(0, 1) == 1; }
  std::string pick(const std::vector<std::string>& options) {
    return options[static_cast<std::size_t>(between(0, static_cast<int>(options.size()) - 1))];
  }

  std::mt19937 rng_;
  std::vector<std::string> orgs_{"org-a", "org-b", "org-ggz", "org-politie"};
  std::vector<std::string> domains_{"financien",  "wonen",      "psychische-gezondheid",
                                    "verslaving", "veiligheid", "onbekend"};
};

void check_properties(const engine& policy, std::uint32_t seed, int cases) {
  fact_generator gen(seed);
  int shown = 0;
  for (int i = 0; i < cases; ++i) {
    const auto who = gen.any_requester();
    const auto fam = gen.any_family();
    const auto rec = gen.any_record();
    const auto d = policy.decide(who, fam, rec, now);
    SCOPED_TRACE("seed " + std::to_string(seed) + ", case " + std::to_string(i));
    ASSERT_LE(d.level, policy.highest_permit_level());
    if (d.level > level::none) {
      ++shown;
      ASSERT_FALSE(d.applied_rules.empty());
    } else {
      ASSERT_FALSE(d.flagged);
    }
    ASSERT_EQ(d.flagged, d.level > level::none && d.basis == legal_basis::vital_interest);
    if (d.level < level::full) {
      ASSERT_FALSE(d.reasons.empty());
    }

    // Fewer facts never show more: without consents, grounds and break-the-glass, only rules
    // needing no basis can apply.
    family bare = fam;
    bare.consents.clear();
    bare.grounds.clear();
    bare.break_glass.clear();
    const auto without = policy.decide(who, bare, rec, now);
    ASSERT_LE(without.level, d.level);
    if (without.level > level::none) {
      ASSERT_EQ(without.basis, legal_basis::none);
    }
  }
  // The generator must exercise permits too, or the properties above say little.
  EXPECT_GE(shown, 10);
}

TEST(policy_properties, example_policy_never_exceeds_its_permits) {
  check_properties(testing::example_engine(), 20261123, 4000);
}

TEST(policy_properties, capped_policy_never_shows_more_than_summary) {
  const auto policy = engine::compile(capped_policy, "capped.toml").value();
  ASSERT_EQ(policy.highest_permit_level(), level::summary);
  check_properties(policy, 7, 4000);
}

TEST(policy_properties, a_policy_without_permits_shows_nothing) {
  const auto policy =
      engine::compile("[[rule]]\nid = \"d\"\neffect = \"deny\"\n", "deny.toml").value();
  fact_generator gen(42);
  for (int i = 0; i < 1000; ++i) {
    const auto fam = gen.any_family();
    const auto d = policy.decide(gen.any_requester(), fam, gen.any_record(), now);
    ASSERT_EQ(d.level, level::none);
    ASSERT_FALSE(d.reasons.empty());
  }
}

}  // namespace
}  // namespace sluis::policy
