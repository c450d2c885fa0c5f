#pragma once
// `sluis policy check FILE [--config CONFIG]`, `sluis policy simulate POLICY SCENARIO [--json]`,
// `sluis policy diff OLD NEW [--json]` and `sluis policy analyse FILE [--json]`: the privacy
// officer's tools to validate a policy, see what it would show, and what a change grants, without
// a store or server.

#include <CLI/CLI.hpp>
#include <filesystem>
#include <iosfwd>
#include <optional>

namespace sluis::cli {

// Adds the `policy` subcommand with `check`, `simulate`, `diff` and `analyse` to `app`. A failing
// command throws CLI::RuntimeError with its status (1 policy or scenario errors, 2 unreadable
// files), which CLI11_PARSE returns from main.
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

// Prints the complete difference of two policies (policy/diff.hpp): text, or one JSON document
// with `json`. Returns 0 when they are equal, 1 when they differ, 2 when either cannot be read or
// compiled (a diff of a broken text would claim nothing).
int policy_diff(const std::filesystem::path& old_file, const std::filesystem::path& new_file,
                bool json, std::ostream& out);

// Prints the findings of policy/analysis.hpp, one per line, or one JSON document with `json`.
// Returns 0 (findings are advice), 1 on policy errors, 2 when the file cannot be read.
int policy_analyse(const std::filesystem::path& file, bool json, std::ostream& out);

}  // namespace sluis::cli
