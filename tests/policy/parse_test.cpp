// The policy language: broken policies are reported with file:line:column and a hint, all of them
// at once; the shipped example passes.

#include <gtest/gtest.h>

#include <algorithm>

#include "tests/policy/example_policy.hpp"

namespace sluis::policy {
namespace {

std::vector<diagnostic> errors_of(std::string_view text) {
  const auto compiled = engine::compile(text, "broken.toml");
  EXPECT_FALSE(compiled.has_value()) << "expected errors in:\n" << text;
  if (compiled) return {};
  return compiled.error().items;
}

// Asserts that exactly one error is reported, at `line`:`column`, mentioning `words`.
void expect_one_error(std::string_view text, int line, int column, std::string_view words,
                      std::string_view hint_words = {}) {
  const auto errors = errors_of(text);
  ASSERT_EQ(errors.size(), 1u) << (errors.empty()
                                       ? ""
                                       : errors[0].to_string() + "\n" + errors.back().to_string());
  const auto& e = errors.front();
  EXPECT_EQ(e.file, "broken.toml");
  EXPECT_EQ(e.line, line) << e.to_string();
  EXPECT_EQ(e.column, column) << e.to_string();
  EXPECT_NE(e.message.find(words), std::string::npos) << e.to_string();
  EXPECT_NE(e.hint.find(hint_words), std::string::npos) << e.to_string();
}

TEST(policy_check, example_policy_is_valid) {
  const auto compiled = engine::compile(testing::example_policy_text(), "policy.example.toml");
  ASSERT_TRUE(compiled.has_value()) << compiled.error().items.front().to_string();
  EXPECT_EQ(compiled->rule_count(), 11u);
  EXPECT_EQ(compiled->highest_permit_level(), level::full);
  EXPECT_EQ(compiled->break_glass_min_justification(), 30u);
  EXPECT_EQ(compiled->break_glass_max_duration(), std::chrono::minutes{240});
  EXPECT_EQ(compiled->break_glass_reviewer_role(), "privacy-officer");
}

TEST(policy_check, empty_policy_is_valid_and_denies_everything) {
  const auto compiled = engine::compile("", "empty.toml");
  ASSERT_TRUE(compiled.has_value());
  EXPECT_EQ(compiled->highest_permit_level(), level::none);
  EXPECT_EQ(compiled->break_glass_min_justification(), 30u);
}

// A regression: an id of the wrong type once dereferenced an empty optional (found by the
// active_policy tests under AddressSanitizer).
TEST(policy_check, rule_id_of_the_wrong_type_is_an_error_not_a_crash) {
  const auto errors = errors_of("[[rule]]\nid = 5\n");
  const auto id_error = std::find_if(errors.begin(), errors.end(), [](const diagnostic& d) {
    return d.message.find("'id' must be a text") != std::string::npos;
  });
  ASSERT_NE(id_error, errors.end());
  EXPECT_EQ(id_error->line, 2);
  EXPECT_EQ(id_error->column, 6);
}

TEST(policy_check, organisation_in_a_rule_must_be_declared) {
  expect_one_error(R"([[rule]]
id = "ggz-team"
effect = "permit"
roles = ["professional"]
organisations = ["ggz-noord"]
purposes = ["plan"]
basis = "consent"
level = "full"
)",
                   5, 18, "undefined organisation 'ggz-noord'",
                   "this policy declares no organisations; list the organisation ids your rules "
                   "name in 'organisations' at the top");
}

TEST(policy_check, misspelt_source_organisation_gets_did_you_mean) {
  expect_one_error(R"(organisations = ["ggz-noord", "politie-noord"]

[[rule]]
id = "no-police"
effect = "deny"
roles = ["professional"]
source_organisations = ["ggz-noord", "politie-nord"]
)",
                   7, 38, "undefined organisation 'politie-nord'", "did you mean 'politie-noord'?");
}

TEST(policy_check, declared_organisations_are_valid_and_listed) {
  const auto compiled = engine::compile(R"(organisations = ["ggz-noord", "wijkteam-noord"]

[[rule]]
id = "ggz-team"
effect = "permit"
roles = ["professional"]
organisations = ["ggz-noord"]
source_organisations = ["wijkteam-noord"]
purposes = ["plan"]
basis = "consent"
level = "full"
)",
                                        "orgs.toml");
  ASSERT_TRUE(compiled.has_value()) << compiled.error().items.front().to_string();
  EXPECT_EQ(compiled->organisations(), (std::vector<std::string>{"ggz-noord", "wijkteam-noord"}));
}

TEST(policy_check, organisations_must_be_texts) {
  expect_one_error("organisations = [\"ggz-noord\", 7]\n", 1, 31,
                   "'organisations' must contain texts only");
}

TEST(policy_check, organisations_are_checked_against_the_gateway_configuration) {
  const auto compiled = engine::compile(
      "sectors = [\"ggz\"]\norganisations = [\"ggz-noord\",\n  \"wijkteam-nord\"]\n", "orgs.toml");
  ASSERT_TRUE(compiled.has_value());
  const std::vector<std::string> configured = {"ggz-noord", "wijkteam-noord", "jeugdhulp-noord"};
  const auto found = compiled->check_organisations(configured);
  ASSERT_EQ(found.items.size(), 1u);
  const auto& d = found.items.front();
  EXPECT_EQ(d.to_string(),
            "orgs.toml:3:3: error: organisation 'wijkteam-nord' is not in the gateway "
            "configuration (hint: did you mean 'wijkteam-noord'?; spell it as the id of an "
            "[[organisation]] in the gateway configuration)");
  const std::vector<std::string> all = {"ggz-noord", "wijkteam-nord"};
  EXPECT_TRUE(compiled->check_organisations(all).items.empty());
}

TEST(policy_check, explanation_only_on_a_deny) {
  expect_one_error(R"([[rule]]
id = "gm"
effect = "permit"
roles = ["gezinsmanager"]
purposes = ["plan"]
basis = "consent"
level = "full"
explanation = "u mag dit zien"
)",
                   8, 15, "only a deny rule has an 'explanation'");
  EXPECT_TRUE(engine::compile("[[rule]]\nid = \"d\"\neffect = \"deny\"\nroles = [\"admin\"]\n"
                              "explanation = \"beheerders zien geen dossiers\"\n",
                              "deny.toml")
                  .has_value());
}

TEST(policy_check, toml_syntax_error) {
  expect_one_error("roles = [\"a\"\n[[rule]]\n", 2, 1, "", "TOML syntax");
}

TEST(policy_check, unknown_top_level_key_with_did_you_mean) {
  expect_one_error("sectors = [\"ggz\"]\nrolse = [\"x\"]\n", 2, 1, "unknown key 'rolse'",
                   "did you mean 'roles'?");
}

TEST(policy_check, list_after_a_section_header_is_explained) {
  expect_one_error("[policy]\nname = \"x\"\nroles = [\"wijkcoach\"]\n", 3, 1,
                   "unknown key 'policy.roles'", "move 'roles' above the first [section]");
}

TEST(policy_check, unknown_rule_key_with_did_you_mean) {
  expect_one_error(R"([[rule]]
id = "r1"
effect = "permit"
roles = ["gezinsmanager"]
purposes = ["plan"]
basis = "consent"
level = "full"
  levl = "full"
)",
                   8, 3, "unknown key 'rule.levl'", "did you mean 'level'?");
}

TEST(policy_check, wrong_type) {
  expect_one_error(R"([[rule]]
id = "r1"
effect = "permit"
roles = ["gezinsmanager"]
purposes = ["plan"]
basis = "consent"
level = 4
)",
                   7, 9, "'level' must be a text", "quotes");
}

TEST(policy_check, wrong_type_in_settings) {
  expect_one_error("[consent]\nmax_validity_days = \"a year\"\n", 2, 21, "whole number");
}

TEST(policy_check, undefined_role) {
  expect_one_error(R"([[rule]]
id = "r1"
effect = "permit"
roles = ["professional", "gezinsmanger"]
purposes = ["plan"]
basis = "consent"
level = "full"
)",
                   4, 26, "undefined role 'gezinsmanger'", "did you mean 'gezinsmanager'?");
}

TEST(policy_check, undefined_purpose_domain_and_sector_are_all_reported) {
  const auto errors = errors_of(R"(sectors = ["ggz"]
[[rule]]
id = "r1"
effect = "permit"
roles = ["professional"]
purposes = ["planning"]
basis = "consent"
level = "full"
domains = ["financiën"]
source_sectors = ["gzz", "politie"]
)");
  ASSERT_EQ(errors.size(), 4u);
  EXPECT_EQ(errors[0].line, 6);
  EXPECT_EQ(errors[0].column, 13);
  EXPECT_NE(errors[0].message.find("undefined purpose 'planning'"), std::string::npos);
  EXPECT_EQ(errors[1].line, 9);
  EXPECT_EQ(errors[1].column, 12);
  EXPECT_NE(errors[1].hint.find("did you mean 'financien'?"), std::string::npos);
  EXPECT_EQ(errors[2].line, 10);
  EXPECT_EQ(errors[2].column, 19);
  EXPECT_NE(errors[2].hint.find("did you mean 'ggz'?"), std::string::npos);
  EXPECT_EQ(errors[3].line, 10);
  EXPECT_EQ(errors[3].column, 26);
  EXPECT_NE(errors[3].message.find("undefined sector 'politie'"), std::string::npos);
}

TEST(policy_check, unknown_level_basis_and_category_values) {
  const auto errors = errors_of(R"([[rule]]
id = "r1"
effect = "permit"
roles = ["professional"]
purposes = ["plan"]
basis = "consnt"
level = "everything"
categories = ["specal"]
)");
  ASSERT_EQ(errors.size(), 3u);
  EXPECT_EQ(errors[0].line, 6);
  EXPECT_EQ(errors[0].column, 9);
  EXPECT_NE(errors[0].hint.find("'consent'"), std::string::npos);
  EXPECT_EQ(errors[1].line, 7);
  EXPECT_EQ(errors[2].line, 8);
  EXPECT_EQ(errors[2].column, 15);
  EXPECT_NE(errors[2].hint.find("'special'"), std::string::npos);
}

TEST(policy_check, special_data_on_coordination_without_opt_in_is_contradictory) {
  expect_one_error(R"([[rule]]
id = "gm-ground"
effect = "permit"
roles = ["gezinsmanager"]
purposes = ["plan"]
basis = "coordination"
categories = ["regular", "special"]
level = "summary"
)",
                   7, 14, "selects special or criminal data on basis \"coordination\"",
                   "allow_sensitive_without_consent");
}

TEST(policy_check, secrecy_sources_on_basis_none_without_opt_in_is_contradictory) {
  expect_one_error(R"([[rule]]
id = "pro"
effect = "permit"
roles = ["professional"]
purposes = ["plan"]
basis = "none"
source_secrecy = true
level = "status"
)",
                   7, 18, "professional secrecy");
}

TEST(policy_check, explicit_opt_in_makes_it_valid) {
  const auto compiled = engine::compile(R"([[rule]]
id = "gm-ground"
effect = "permit"
roles = ["gezinsmanager"]
purposes = ["plan"]
basis = "coordination"
categories = ["special"]
allow_sensitive_without_consent = true
level = "summary"
)",
                                        "ok.toml");
  EXPECT_TRUE(compiled.has_value());
}

TEST(policy_check, opt_in_on_consent_basis_is_pointless) {
  expect_one_error(R"([[rule]]
id = "r"
effect = "permit"
roles = ["gezinsmanager"]
purposes = ["plan"]
basis = "consent"
allow_sensitive_without_consent = true
level = "full"
)",
                   7, 35, "has no effect", "remove it");
}

TEST(policy_check, permit_shadowed_by_broader_deny_is_unreachable) {
  expect_one_error(R"(sectors = ["woningcorporatie", "politie"]

[[rule]]
id = "housing-sees-police"
effect = "permit"
sectors = ["woningcorporatie"]
purposes = ["plan"]
basis = "consent"
source_sectors = ["politie"]
level = "summary"

[[rule]]
id = "no-police-to-housing"
effect = "deny"
sectors = ["woningcorporatie"]
)",
                   3, 1, "permit 'housing-sees-police' can never apply",
                   "narrow the deny at line 12");
}

TEST(policy_check, narrower_deny_does_not_make_a_permit_unreachable) {
  const auto compiled = engine::compile(R"(sectors = ["woningcorporatie", "politie"]
[[rule]]
id = "housing"
effect = "permit"
sectors = ["woningcorporatie"]
purposes = ["plan"]
basis = "consent"
level = "summary"
[[rule]]
id = "no-police-to-housing"
effect = "deny"
sectors = ["woningcorporatie"]
source_sectors = ["politie"]
)",
                                        "ok.toml");
  EXPECT_TRUE(compiled.has_value());
}

TEST(policy_check, duplicate_rule_id) {
  expect_one_error(R"([[rule]]
id = "r"
effect = "deny"
roles = ["admin"]
[[rule]]
id = "r"
effect = "deny"
roles = ["procesmanager"]
)",
                   5, 1, "duplicate rule id 'r'", "line 1");
}

TEST(policy_check, deny_with_level_is_rejected) {
  expect_one_error(
      "[[rule]]\nid = \"d\"\neffect = \"deny\"\nroles = [\"admin\"]\nlevel = \"none\"\n", 5, 9,
      "a deny rule has no 'level'");
}

TEST(policy_check, permit_without_purposes_breaks_purpose_binding) {
  expect_one_error(R"([[rule]]
id = "r"
effect = "permit"
roles = ["gezinsmanager"]
basis = "consent"
level = "full"
)",
                   1, 1, "names no purposes", "purpose binding");
}

TEST(policy_check, permit_for_nobody_in_particular) {
  expect_one_error(R"([[rule]]
id = "r"
effect = "permit"
purposes = ["plan"]
basis = "consent"
level = "full"
)",
                   1, 1, "does not say for whom");
}

TEST(policy_check, permit_with_level_none_grants_nothing) {
  expect_one_error(R"([[rule]]
id = "r"
effect = "permit"
roles = ["admin"]
purposes = ["plan"]
basis = "consent"
level = "none"
)",
                   7, 9, "grants nothing");
}

TEST(policy_check, inverted_age_thresholds) {
  expect_one_error("[consent]\nchild_alone_from_age = 12\nchild_with_gezag_from_age = 16\n", 1, 1,
                   "child_with_gezag_from_age is above child_alone_from_age");
}

TEST(policy_check, reviewer_role_must_be_declared) {
  expect_one_error("[break_glass]\nreviewer_role = \"fg\"\n", 2, 17, "undefined role 'fg'");
}

TEST(policy_check, declared_vocabulary_extends_the_builtin_one) {
  const auto compiled = engine::compile(R"(roles = ["wijkcoach"]
purposes = ["screening"]
domains = ["inburgering"]
sectors = ["wijkteam"]
[[rule]]
id = "coach"
effect = "permit"
roles = ["wijkcoach", "gezinsmanager"]
purposes = ["screening"]
basis = "coordination"
domains = ["inburgering", "wonen"]
level = "involvement"
)",
                                        "ok.toml");
  ASSERT_TRUE(compiled.has_value()) << compiled.error().items.front().to_string();
  EXPECT_EQ(compiled->highest_permit_level(), level::involvement);
}

TEST(policy_check, reports_every_error_not_only_the_first_in_file_order) {
  const auto errors = errors_of(R"(rolse = ["x"]
[[rule]]
id = "a"
effect = "allow"
roles = ["nobody"]
purposes = ["plan"]
[break_glass]
max_duration_minutes = 0
)");
  ASSERT_GE(errors.size(), 4u);
  for (std::size_t i = 1; i < errors.size(); ++i) {
    EXPECT_LE(errors[i - 1].line, errors[i].line);
  }
  EXPECT_EQ(errors.front().line, 1);
  EXPECT_EQ(errors.back().line, 8);
}

TEST(policy_check, diagnostic_format_is_file_line_column_error_hint) {
  const diagnostic d{"p.toml", 3, 7, "unknown key 'x'", "did you mean 'id'?"};
  EXPECT_EQ(d.to_string(), "p.toml:3:7: error: unknown key 'x' (hint: did you mean 'id'?)");
  const diagnostic bare{"p.toml", 1, 1, "bad", ""};
  EXPECT_EQ(bare.to_string(), "p.toml:1:1: error: bad");
}

}  // namespace
}  // namespace sluis::policy
