#pragma once
// `sluis policy check FILE [--config CONFIG]` and `sluis policy simulate POLICY SCENARIO [--json]`:
// the privacy officer's tools to validate a policy and to see what it would show, without a store
// or server.

#include <CLI/CLI.hpp>
#include <filesystem>
#include <iosfwd>
#include <optional>

namespace sluis::cli {

// Adds the `policy` subcommand with `check` and `simulate` to `app`. A failing command throws
// CLI::RuntimeError with its status (1 policy or scenario errors, 2 unreadable files), which
// CLI11_PARSE returns from main.
void add_policy_commands(CLI::App& app);

// Prints "FILE: ok (version V, N rules)" and returns 0, or one "FILE:LINE:COL: error: ..." line
// per problem and returns 1; 2 when a file cannot be read or the configuration is invalid. With
// `config_file` (a gateway config.toml), every organisation the policy declares must also be an
// [[organisation]] of that configuration.
int policy_check(const std::filesystem::path& file, std::ostream& out,
                 const std::optional<std::filesystem::path>& config_file = std::nullopt);

// Prints, for every record of the scenario, the level, basis, rules and reasons: a table, or one
// JSON document with `json`. Returns 0, 1 on policy or scenario errors, 2 on unreadable files.
int policy_simulate(const std::filesystem::path& policy_file,
                    const std::filesystem::path& scenario_file, bool json, std::ostream& out);

}  // namespace sluis::cli
