#pragma once
// `sluis user add|list|disable|reset`: the accounts of people who use the web UI.
//
// Each command opens the data directory itself (keyring, store), so it works with the gateway
// stopped or running. It writes one audit entry (`user.add`, `user.list`, `user.disable`,
// `user.reset`) in the same transaction as its change, holding the account id, organisation and
// role only: never the password, the TOTP secret or the display name. A failing command throws
// sluis::error_exception for main to print. The subcommands are registered by add_user_commands
// (commands.hpp); these functions are what they run.

#include <iosfwd>
#include <string>

#include "gateway/cli/data_dir.hpp"

namespace sluis::cli {

struct user_options {
  unlock_options unlock;
  std::string id;
  std::string organisation;
  std::string role;
  std::string display_name;
  // Read the password as one line from `password_in` (for scripts) instead of asking twice on the
  // terminal without echo.
  bool password_stdin = false;
};

// Checks the organisation against the configuration and the role against the known roles,
// creates the account and prints its TOTP secret and otpauth:// URI, once.
void user_add(const user_options& o, std::istream& password_in, std::ostream& out);
// One line per account: id, organisation, role, status, created, last login, display name.
void user_list(const user_options& o, std::ostream& out);
// Refuses the account's later logins; a running gateway ends its sessions at their next request.
void user_disable(const user_options& o, std::ostream& out);
// Sets a new password and TOTP secret (printed once) and lifts a lock-out.
void user_reset(const user_options& o, std::istream& password_in, std::ostream& out);

}  // namespace sluis::cli
