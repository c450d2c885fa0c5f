// Simulation scenarios: the shipped example parses and decides as its comments say; broken ones
// are reported with line and column.

#include "policy/scenario.hpp"

#include <gtest/gtest.h>

#include "tests/policy/example_policy.hpp"

namespace sluis::policy {
namespace {

TEST(scenario, example_parses_into_facts) {
  const auto parsed =
      parse_scenario(sluis::testing::read_file(SLUIS_EXAMPLE_SCENARIO), "scenario.example.toml");
  ASSERT_TRUE(parsed.has_value()) << parsed.error().items.front().to_string();
  const auto& s = *parsed;
  EXPECT_EQ(s.who.role, "gezinsmanager");
  EXPECT_TRUE(s.who.is_family_gezinsmanager);
  EXPECT_EQ(s.fam.members.size(), 3u);
  EXPECT_EQ(s.fam.members[2].gezag_holder_ids, std::vector<std::string>{"m-moeder"});
  EXPECT_EQ(s.fam.consents.size(), 2u);
  EXPECT_EQ(s.fam.consents[0].categories, std::vector<category>{category::special});
  EXPECT_EQ(s.fam.grounds.size(), 1u);
  ASSERT_EQ(s.records.size(), 4u);
  EXPECT_TRUE(s.records[0].source_has_professional_secrecy);
  EXPECT_EQ(s.records[0].data_category, category::special);
  EXPECT_EQ(s.now,
            testing::at(std::chrono::sys_days{std::chrono::year{2026} / std::chrono::June / 15}));
}

TEST(scenario, example_decides_as_documented) {
  const auto s =
      parse_scenario(sluis::testing::read_file(SLUIS_EXAMPLE_SCENARIO), "scenario.example.toml")
          .value();
  const auto policy = testing::example_engine();
  const auto request = policy.prepare(s.who, s.fam, s.now);
  const auto ggz = request.decide(s.records[0]);
  EXPECT_EQ(ggz.level, level::full);
  EXPECT_EQ(ggz.basis, legal_basis::consent);
  const auto school = request.decide(s.records[1]);
  EXPECT_EQ(school.level, level::summary);
  EXPECT_EQ(school.reasons.front().code, "needs_gezag_holder");
  EXPECT_EQ(request.decide(s.records[2]).level, level::summary);
  const auto secrecy = request.decide(s.records[3]);
  // Under the family's coordination decision the gezinsmanager knows the record exists, no more.
  EXPECT_EQ(secrecy.level, level::involvement);
  EXPECT_EQ(secrecy.reasons.front().code, "no_consent");
}

TEST(scenario, offset_times_are_converted_to_utc) {
  const auto s = parse_scenario(R"(now = 2026-06-15T14:00:00+02:00
[requester]
user_id = "u"
role = "gezinsmanager"
organisation = "o"
purpose = "plan"
)",
                                "s.toml")
                     .value();
  EXPECT_EQ(s.now,
            testing::at(std::chrono::sys_days{std::chrono::year{2026} / std::chrono::June / 15}));
}

TEST(scenario, errors_have_line_and_column) {
  const auto parsed = parse_scenario(R"(now = 2026-06-15T12:00:00Z
[requester]
user_id = "u"
role = "gezinsmanager"
organisation = "o"
purpose = "plan"
[[member]]
id = "m1"
label = "moeder"
born = "1983"
[[record]]
id = "r"
source_organisation = "o"
domain = "wonen"
categroy = "special"
)",
                                     "s.toml");
  ASSERT_FALSE(parsed.has_value());
  const auto& errors = parsed.error().items;
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].to_string(),
            "s.toml:10:8: error: 'born' must be a date (hint: write 2011-05-17)");
  EXPECT_EQ(errors[1].line, 15);
  EXPECT_EQ(errors[1].column, 1);
  EXPECT_NE(errors[1].hint.find("did you mean 'category'?"), std::string::npos);
}

TEST(scenario, requester_is_required) {
  const auto parsed = parse_scenario("now = 2026-06-15T12:00:00Z\n", "s.toml");
  ASSERT_FALSE(parsed.has_value());
  EXPECT_NE(parsed.error().items.front().message.find("requester"), std::string::npos);
}

}  // namespace
}  // namespace sluis::policy
