#pragma once
// The subcommands of the `sluis` binary, each added to the application by one function. A command
// that fails throws sluis::error_exception (or CLI::RuntimeError with its exit code); main turns it
// into a message on stderr and a non-zero exit code.

namespace CLI {
class App;
}

namespace sluis::cli {

void add_init_command(CLI::App& app);     // sluis init: create a data directory
void add_serve_command(CLI::App& app);    // sluis serve: run the gateway
void add_keys_commands(CLI::App& app);    // sluis keys status|rotate
void add_audit_commands(CLI::App& app);   // sluis audit verify
void add_store_commands(CLI::App& app);   // sluis store upgrade
void add_user_commands(CLI::App& app);    // sluis user add|list|disable|reset
void add_demo_commands(CLI::App& app);    // sluis demo load|generate
void add_backup_commands(CLI::App& app);  // sluis backup, sluis restore

}  // namespace sluis::cli
