// `sluis policy check`, `simulate`, `diff` and `analyse`, run through their command functions on
// real files.

#include "gateway/cli/policy_commands.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <sstream>

#include "tests/policy/example_policy.hpp"

namespace sluis::cli {
namespace {

using sluis::testing::temp_dir;
using sluis::testing::write_file;

TEST(policy_check_command, example_is_ok_with_version_and_rule_count) {
  std::ostringstream out;
  EXPECT_EQ(policy_check(SLUIS_EXAMPLE_POLICY, out), 0);
  const auto version = policy::testing::example_engine().version();
  EXPECT_EQ(out.str(),
            std::string(SLUIS_EXAMPLE_POLICY) + ": ok (version " + version + ", 11 rules)\n");
}

TEST(policy_check_command, broken_policy_prints_each_error_and_exits_1) {
  temp_dir dir;
  const auto file = dir / "broken.toml";
  write_file(file, "rolse = [\"x\"]\n[[rule]]\nid = \"r\"\neffect = \"deny\"\nlevel = \"full\"\n");
  std::ostringstream out;
  EXPECT_EQ(policy_check(file, out), 1);
  EXPECT_EQ(out.str(), file.string() +
                           ":1:1: error: unknown key 'rolse' (hint: did you mean 'roles'?)\n" +
                           file.string() +
                           ":5:9: error: a deny rule has no 'level' (hint: a deny always hides "
                           "the selected records completely; remove this line)\n");
}

TEST(policy_check_command, missing_file_exits_2) {
  temp_dir dir;
  std::ostringstream out;
  EXPECT_EQ(policy_check(dir / "absent.toml", out), 2);
  EXPECT_NE(out.str().find("cannot read"), std::string::npos);
}

// A gateway configuration with two organisations; its TLS paths are relative and need not exist.
void write_config(const std::filesystem::path& file) {
  write_file(file,
             "[tls]\ncertificate = \"tls/server.pem\"\nprivate_key = \"tls/server.key\"\n"
             "client_ca = \"tls/ca.pem\"\n"
             "[[organisation]]\nid = \"ggz-noord\"\nname = \"GGZ Noord\"\nsector = \"ggz\"\n"
             "certificate = { oin = \"00000001234567890000\" }\n"
             "[[organisation]]\nid = \"wijkteam-noord\"\nname = \"Wijkteam\"\n"
             "sector = \"wijkteam\"\ncertificate = { oin = \"00000001234567890001\" }\n");
}

TEST(policy_check_command, with_config_reports_organisations_the_gateway_does_not_configure) {
  temp_dir dir;
  const auto config = dir / "config.toml";
  write_config(config);
  const auto file = dir / "orgs.toml";
  write_file(file, "sectors = [\"ggz\"]\norganisations = [\"ggz-noord\",\n  \"wijkteam-nord\"]\n");
  std::ostringstream out;
  EXPECT_EQ(policy_check(file, out, config), 1);
  EXPECT_EQ(out.str(), file.string() +
                           ":3:3: error: organisation 'wijkteam-nord' is not in the gateway "
                           "configuration (hint: did you mean 'wijkteam-noord'?; spell it as the "
                           "id of an [[organisation]] in the gateway configuration)\n");

  // Without --config the same policy is fine: only the gateway knows its organisations.
  std::ostringstream alone;
  EXPECT_EQ(policy_check(file, alone), 0) << alone.str();

  write_file(file, "sectors = [\"ggz\"]\norganisations = [\"ggz-noord\", \"wijkteam-noord\"]\n");
  std::ostringstream fixed;
  EXPECT_EQ(policy_check(file, fixed, config), 0) << fixed.str();
  EXPECT_NE(fixed.str().find(": ok (version "), std::string::npos) << fixed.str();
}

TEST(policy_check_command, with_a_missing_or_invalid_config_exits_2) {
  temp_dir dir;
  std::ostringstream missing;
  EXPECT_EQ(policy_check(SLUIS_EXAMPLE_POLICY, missing, dir / "absent.toml"), 2);
  EXPECT_NE(missing.str().find("cannot read"), std::string::npos);
  const auto config = dir / "config.toml";
  write_file(config, "[tls]\ncertificat = \"x\"\n");
  std::ostringstream invalid;
  EXPECT_EQ(policy_check(SLUIS_EXAMPLE_POLICY, invalid, config), 2);
  EXPECT_NE(invalid.str().find(config.string() + ":2:"), std::string::npos) << invalid.str();
}

TEST(policy_check_command, runs_from_the_command_line_with_config) {
  temp_dir dir;
  const auto config = dir / "config.toml";
  write_config(config);
  const auto file = dir / "orgs.toml";
  write_file(file, "organisations = [\"ggz-nord\"]\n");
  CLI::App app;
  add_policy_commands(app);
  const std::string file_arg = file.string(), config_arg = config.string();
  std::vector<const char*> argv = {"sluis",          "policy",   "check",
                                   file_arg.c_str(), "--config", config_arg.c_str()};
  try {
    app.parse(static_cast<int>(argv.size()), argv.data());
    FAIL() << "a policy naming an unconfigured organisation must fail the check";
  } catch (const CLI::RuntimeError& e) {
    EXPECT_EQ(e.get_exit_code(), 1);
  }
}

TEST(policy_simulate_command, prints_a_table_with_levels_rules_and_reasons) {
  std::ostringstream out;
  EXPECT_EQ(policy_simulate(SLUIS_EXAMPLE_POLICY, SLUIS_EXAMPLE_SCENARIO, false, out), 0);
  const auto text = out.str();
  EXPECT_NE(text.find("ggz-behandeldoel"), std::string::npos) << text;
  EXPECT_NE(text.find("gezinsmanager-consent"), std::string::npos) << text;
  EXPECT_NE(text.find("[needs_gezag_holder]"), std::string::npos) << text;
  EXPECT_NE(text.find("summary"), std::string::npos) << text;
}

TEST(policy_simulate_command, json_output_has_one_entry_per_record) {
  std::ostringstream out;
  EXPECT_EQ(policy_simulate(SLUIS_EXAMPLE_POLICY, SLUIS_EXAMPLE_SCENARIO, true, out), 0);
  const auto doc = boost::json::parse(out.str()).as_object();
  EXPECT_EQ(doc.at("policy_version").as_string(), policy::testing::example_engine().version());
  const auto& records = doc.at("records").as_array();
  ASSERT_EQ(records.size(), 4u);
  EXPECT_EQ(records[0].at("record").as_string(), "ggz-behandeldoel");
  EXPECT_EQ(records[0].at("level").as_string(), "full");
  EXPECT_EQ(records[0].at("basis").as_string(), "consent");
  EXPECT_EQ(records[3].at("level").as_string(), "involvement");
  EXPECT_EQ(records[3].at("basis").as_string(), "coordination");
  EXPECT_FALSE(records[3].at("reasons").as_array().empty());
}

TEST(policy_simulate_command, broken_scenario_exits_1_with_positions) {
  temp_dir dir;
  const auto file = dir / "s.toml";
  write_file(file, "now = 2026-06-15T12:00:00Z\nwho = 1\n");
  std::ostringstream out;
  EXPECT_EQ(policy_simulate(SLUIS_EXAMPLE_POLICY, file, false, out), 1);
  EXPECT_NE(out.str().find(file.string() + ":2:1: error: unknown key 'who'"), std::string::npos)
      << out.str();
}

TEST(policy_commands, are_registered_under_policy) {
  CLI::App app;
  add_policy_commands(app);
  auto* policy = app.get_subcommand("policy");
  ASSERT_NE(policy, nullptr);
  EXPECT_NE(policy->get_subcommand("check"), nullptr);
  EXPECT_NE(policy->get_subcommand("simulate"), nullptr);
  EXPECT_NE(policy->get_subcommand("diff"), nullptr);
  EXPECT_NE(policy->get_subcommand("analyse"), nullptr);
}

// Exit status 0 when equal, 1 when different, 2 on errors: a script can gate on it.
TEST(policy_diff_command, exits_0_when_equal_1_when_different_2_on_errors) {
  temp_dir dir;
  std::ostringstream same;
  EXPECT_EQ(policy_diff(SLUIS_EXAMPLE_POLICY, SLUIS_EXAMPLE_POLICY, false, same), 0);
  EXPECT_NE(same.str().find("The policies are equal"), std::string::npos) << same.str();

  auto text = policy::testing::example_policy_text();
  const std::string from = "child_alone_from_age = 16";
  text.replace(text.find(from), from.size(), "child_alone_from_age = 15");
  const auto changed = dir / "changed.toml";
  write_file(changed, text);
  std::ostringstream differs;
  EXPECT_EQ(policy_diff(SLUIS_EXAMPLE_POLICY, changed, false, differs), 1);
  EXPECT_NE(differs.str().find("Grants added"), std::string::npos) << differs.str();
  EXPECT_NE(differs.str().find("a member aged 15 · consent signed by the member"),
            std::string::npos)
      << differs.str();

  std::ostringstream json;
  EXPECT_EQ(policy_diff(SLUIS_EXAMPLE_POLICY, changed, true, json), 1);
  const auto doc = boost::json::parse(json.str()).as_object();
  EXPECT_FALSE(doc.at("equal").as_bool());
  EXPECT_GT(doc.at("counts").at("added").to_number<int>(), 0);
  EXPECT_GT(doc.at("counts").at("removed").to_number<int>(), 0);
  EXPECT_FALSE(doc.at("added").as_array().at(0).at("where").as_object().empty());

  const auto broken = dir / "broken.toml";
  write_file(broken, "[[rule]]\nid = 1\n");
  std::ostringstream error;
  EXPECT_EQ(policy_diff(SLUIS_EXAMPLE_POLICY, broken, false, error), 2);
  EXPECT_NE(error.str().find(broken.string() + ":"), std::string::npos) << error.str();
  std::ostringstream missing;
  EXPECT_EQ(policy_diff(dir / "none.toml", SLUIS_EXAMPLE_POLICY, false, missing), 2);
}

TEST(policy_analyse_command, lists_findings_with_lines_and_as_json) {
  std::ostringstream out;
  EXPECT_EQ(policy_analyse(SLUIS_EXAMPLE_POLICY, false, out), 0);
  EXPECT_NE(out.str().find("wider_than_granted: permit 'procesmanager-status'"), std::string::npos)
      << out.str();
  std::ostringstream json;
  EXPECT_EQ(policy_analyse(SLUIS_EXAMPLE_POLICY, true, json), 0);
  const auto doc = boost::json::parse(json.str()).as_object();
  EXPECT_FALSE(doc.at("findings").as_array().empty());
  EXPECT_EQ(doc.at("version").as_string(), policy::testing::example_engine().version());
}

}  // namespace
}  // namespace sluis::cli
