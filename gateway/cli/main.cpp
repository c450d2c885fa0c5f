// sluis: the gateway and its administration in one binary (sluis serve, sluis init, ...).

#include <CLI/CLI.hpp>
#include <iostream>

#include "common/error.hpp"
#include "gateway/cli/commands.hpp"
#include "gateway/cli/policy_commands.hpp"

namespace {

int run(int argc, char** argv) {
  CLI::App app{"Sluis: privacy-preserving case-sharing gateway for the social domain"};
  app.set_version_flag("--version", std::string(SLUIS_VERSION));
  app.require_subcommand(1);
  sluis::cli::add_init_command(app);
  sluis::cli::add_serve_command(app);
  sluis::cli::add_keys_commands(app);
  sluis::cli::add_audit_commands(app);
  sluis::cli::add_store_commands(app);
  sluis::cli::add_user_commands(app);
  sluis::cli::add_demo_commands(app);
  sluis::cli::add_backup_commands(app);
  sluis::cli::add_policy_commands(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  } catch (const sluis::error_exception& e) {
    // Messages of sluis::error never hold personal data, so they can be shown as they are.
    std::cerr << "sluis: " << e.what() << "\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "sluis: " << e.what() << "\n";
    return 1;
  }
  return 0;
}

}  // namespace

// Building the commands can throw too (out of memory): nothing escapes main.
int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "sluis: " << e.what() << "\n";
  } catch (...) {
    std::cerr << "sluis: unexpected error\n";
  }
  return 1;
}
