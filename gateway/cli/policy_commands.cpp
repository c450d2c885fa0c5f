#include "gateway/cli/policy_commands.hpp"

#include <boost/json.hpp>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <optional>
#include <sstream>

#include "gateway/config/config.hpp"
#include "policy/analysis.hpp"
#include "policy/diff.hpp"
#include "policy/engine.hpp"
#include "policy/scenario.hpp"
#include "policy/simulation.hpp"

namespace sluis::cli {
namespace {

std::optional<std::string> read_text(const std::filesystem::path& file, std::ostream& out) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    out << file.string() << ": error: cannot read the file\n";
    return std::nullopt;
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void print(const policy::diagnostics& errors, std::ostream& out) {
  for (const auto& d : errors.items) out << d.to_string() << '\n';
}

std::string join(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : std::string(separator)) + item;
  return out;
}

std::string basis_text(const policy::decision& d) {
  if (d.level == policy::level::none) return "-";
  std::string text(policy::to_string(d.basis));
  return d.flagged ? text + " (flagged)" : text;
}

void print_table(const policy::scenario& s, const std::vector<policy::decision>& decisions,
                 std::ostream& out) {
  std::size_t id_width = 6;
  for (const auto& rec : s.records) id_width = std::max(id_width, rec.id.size());
  out << "policy version " << (decisions.empty() ? "" : decisions.front().policy_version) << ", "
      << s.who.role << " of " << s.who.organisation_id << ", purpose " << s.who.purpose << "\n\n";
  out << std::left << std::setw(static_cast<int>(id_width) + 2) << "record" << std::setw(13)
      << "level" << std::setw(26) << "basis"
      << "rules\n";
  for (std::size_t i = 0; i < s.records.size(); ++i) {
    const auto& d = decisions[i];
    out << std::left << std::setw(static_cast<int>(id_width) + 2) << s.records[i].id
        << std::setw(13) << policy::to_string(d.level) << std::setw(26) << basis_text(d)
        << (d.applied_rules.empty() ? "-" : join(d.applied_rules, ", ")) << '\n';
    for (const auto& r : d.reasons) {
      out << std::string(id_width + 4, ' ') << "[" << r.code << "] " << r.message << '\n';
    }
  }
}

// CLI11_PARSE in main turns this into the process's exit status, with destructors run.
void exit_with(int status) {
  if (status != 0) throw CLI::RuntimeError(status);
}

}  // namespace

int policy_check(const std::filesystem::path& file, std::ostream& out,
                 const std::optional<std::filesystem::path>& config_file) {
  const auto text = read_text(file, out);
  if (!text) return 2;
  std::vector<std::string> organisations;
  if (config_file) {
    const auto config_text = read_text(*config_file, out);
    if (!config_text) return 2;
    // Relative paths in a configuration resolve against its own directory, as `sluis serve` does.
    const auto config =
        config::parse(*config_text, config_file->string(), config_file->parent_path());
    if (!config) {
      out << config.error().message() << '\n';
      return 2;
    }
    for (const auto& org : config->organisations) organisations.push_back(org.id);
  }
  const auto compiled = policy::engine::compile(*text, file.string());
  if (!compiled) {
    print(compiled.error(), out);
    return 1;
  }
  if (config_file) {
    const auto unknown = compiled->check_organisations(organisations);
    if (!unknown.items.empty()) {
      print(unknown, out);
      return 1;
    }
  }
  out << file.string() << ": ok (version " << compiled->version() << ", " << compiled->rule_count()
      << " rules)\n";
  return 0;
}

int policy_simulate(const std::filesystem::path& policy_file,
                    const std::filesystem::path& scenario_file, bool json, std::ostream& out) {
  const auto policy_text = read_text(policy_file, out);
  const auto scenario_text = read_text(scenario_file, out);
  if (!policy_text || !scenario_text) return 2;
  const auto compiled = policy::engine::compile(*policy_text, policy_file.string());
  const auto parsed = policy::parse_scenario(*scenario_text, scenario_file.string());
  if (!compiled) print(compiled.error(), out);
  if (!parsed) print(parsed.error(), out);
  if (!compiled || !parsed) return 1;
  const auto& s = *parsed;
  const auto decisions = policy::simulate(*compiled, s);
  if (json) {
    out << boost::json::serialize(policy::simulation_json(*compiled, s, decisions)) << '\n';
  } else {
    print_table(s, decisions, out);
  }
  return 0;
}

int policy_diff(const std::filesystem::path& old_file, const std::filesystem::path& new_file,
                bool json, std::ostream& out) {
  const auto old_text = read_text(old_file, out);
  const auto new_text = read_text(new_file, out);
  if (!old_text || !new_text) return 2;
  const auto before = policy::engine::compile(*old_text, old_file.string());
  const auto after = policy::engine::compile(*new_text, new_file.string());
  if (!before) print(before.error(), out);
  if (!after) print(after.error(), out);
  if (!before || !after) return 2;
  const auto d = policy::diff(*before, *after);
  if (json) {
    out << boost::json::serialize(policy::diff_json(d)) << '\n';
  } else {
    out << old_file.string() << " → " << new_file.string() << '\n' << policy::diff_text(d);
  }
  return d.equal() ? 0 : 1;
}

int policy_analyse(const std::filesystem::path& file, bool json, std::ostream& out) {
  const auto text = read_text(file, out);
  if (!text) return 2;
  const auto compiled = policy::engine::compile(*text, file.string());
  if (!compiled) {
    print(compiled.error(), out);
    return 1;
  }
  const auto analysis = policy::analyse(*compiled);
  if (json) {
    out << boost::json::serialize(policy::analysis_json(analysis)) << '\n';
  } else {
    out << policy::analysis_text(analysis, file.string());
  }
  return 0;
}

void add_policy_commands(CLI::App& app) {
  auto* policy = app.add_subcommand(
      "policy", "Check a policy file, simulate its decisions, compare two or analyse one");
  policy->require_subcommand(1);

  auto* check = policy->add_subcommand("check", "Validate a policy file; exit 0 when it is ok");
  auto file = std::make_shared<std::string>();
  auto config_file = std::make_shared<std::string>();
  check->add_option("FILE", *file, "Policy file (TOML)")->required();
  check->add_option("--config", *config_file,
                    "Gateway configuration (config.toml): also report organisations the policy "
                    "declares that it does not configure");
  check->callback([file, config_file] {
    exit_with(policy_check(
        *file, std::cout,
        config_file->empty() ? std::nullopt : std::optional<std::filesystem::path>(*config_file)));
  });

  auto* simulate = policy->add_subcommand(
      "simulate", "Show what a person would see of a family's records under a policy, and why");
  auto policy_file = std::make_shared<std::string>();
  auto scenario_file = std::make_shared<std::string>();
  auto json = std::make_shared<bool>(false);
  simulate->add_option("POLICY", *policy_file, "Policy file (TOML)")->required();
  simulate->add_option("SCENARIO", *scenario_file, "Scenario file (TOML), see docs/policy.md")
      ->required();
  simulate->add_flag("--json", *json, "Print JSON instead of a table");
  simulate->callback([policy_file, scenario_file, json] {
    exit_with(policy_simulate(*policy_file, *scenario_file, *json, std::cout));
  });

  auto* diff = policy->add_subcommand(
      "diff",
      "Show every kind of request two policies decide differently: grants added, grants removed, "
      "reasons changed; exit 0 when equal, 1 when they differ, 2 on errors");
  auto old_file = std::make_shared<std::string>();
  auto new_file = std::make_shared<std::string>();
  auto diff_json = std::make_shared<bool>(false);
  diff->add_option("OLD", *old_file, "The policy in force (TOML)")->required();
  diff->add_option("NEW", *new_file, "The changed policy (TOML)")->required();
  diff->add_flag("--json", *diff_json, "Print JSON instead of text");
  diff->callback([old_file, new_file, diff_json] {
    exit_with(policy_diff(*old_file, *new_file, *diff_json, std::cout));
  });

  auto* analyse = policy->add_subcommand(
      "analyse",
      "List rules that never apply or change nothing, rules wider than they grant, sensitive data "
      "shared on a coordination ground alone, and names declared but unused");
  auto analyse_file = std::make_shared<std::string>();
  auto analyse_json = std::make_shared<bool>(false);
  analyse->add_option("FILE", *analyse_file, "Policy file (TOML)")->required();
  analyse->add_flag("--json", *analyse_json, "Print JSON instead of text");
  analyse->callback([analyse_file, analyse_json] {
    exit_with(policy_analyse(*analyse_file, *analyse_json, std::cout));
  });
}

}  // namespace sluis::cli
