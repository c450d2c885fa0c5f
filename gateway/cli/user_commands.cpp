// sluis user add|list|disable|reset.

#include "gateway/cli/user_commands.hpp"

#include <CLI/CLI.hpp>
#include <chrono>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "gateway/audit/journal.hpp"
#include "gateway/audit/key_ring_signer.hpp"
#include "gateway/case/case_store.hpp"
#include "gateway/cli/commands.hpp"
#include "gateway/cli/data_dir_lock.hpp"
#include "gateway/cli/must.hpp"
#include "gateway/cli/operator_entry.hpp"
#include "gateway/cli/organisations.hpp"
#include "gateway/config/config.hpp"
#include "gateway/people/user_store.hpp"
#include "gateway/store/connection.hpp"
#include "keys/terminal_prompt.hpp"

namespace sluis::cli {
namespace {

people::unix_seconds now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string date_of(people::unix_seconds t) {
  const std::time_t time = static_cast<std::time_t>(t);
  std::tm utc{};
  ::gmtime_r(&time, &utc);
  std::ostringstream out;
  out << std::put_time(&utc, "%Y-%m-%dT%H:%M:%SZ");
  return out.str();
}

// An administrative action on an account, audited in the same transaction as its change.
audit::audit_entry user_entry(std::string action, const std::string& id) {
  return operator_entry(std::move(action), "user", id);
}

// The password from one line of `in`, or asked twice on the terminal without echo.
std::string read_password(const user_options& o, std::istream& in) {
  constexpr std::size_t limit = people::user_store::max_password_size + 1;
  if (o.password_stdin) {
    std::string line;
    if (!std::getline(in, line)) {
      throw error_exception(error::invalid("password", "no password on standard input"));
    }
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return line;
  }
  auto first = must(keys::read_secret_from_terminal("Password: ", "password", limit));
  auto second = must(keys::read_secret_from_terminal("Repeat the password: ", "password", limit));
  if (!(first == second)) {
    throw error_exception(error::invalid("password", "the two passwords differ"));
  }
  return std::string(reinterpret_cast<const char*>(first.data()), first.size());
}

// Everything a user command needs, opened from the data directory.
struct user_context {
  data_dir_lock lock;  // first, so it is released after the store closes
  config::gateway_config config;
  opened_data_dir opened;
  keys::keyring& keyring() { return opened.keyring; }
};

// The configuration is read (and the organisation checked) before the keyring is unlocked, so a
// typo is reported without asking for the passphrase first.
// Every user command appends to the audit log, so each takes the data-directory lock: two processes
// appending to one hash chain would fork it.
user_context open_context(const user_options& o, std::string_view doing,
                          bool check_organisation = false) {
  auto lock = must(data_dir_lock::acquire(o.unlock.data_dir, doing));
  auto cfg = must(config::load(o.unlock.data_dir));
  if (check_organisation && cfg.find(o.organisation) == nullptr) {
    throw error_exception(
        error::invalid("organisation", "is not an organisation in the configuration"));
  }
  const auto interval = static_cast<std::int64_t>(cfg.audit_checkpoint_interval);
  return {std::move(lock), std::move(cfg),
          must(open_data_dir(o.unlock, audit_access::write, interval))};
}

// Runs `change` and stages `entry` in one write transaction; returns once the entry is in the log.
template <class Change>
void write_audited(user_context& ctx, const audit::audit_entry& entry, Change&& change) {
  must(ctx.opened.audit->write_now(
      [&](store::connection& db, audit::audit_entry&) -> result<void> { return change(db); },
      entry));
}

void print_enrolment(const people::enrolment& e, std::ostream& out) {
  out << "TOTP secret (shown only now; enter it in an authenticator app): " << e.secret_base32
      << "\notpauth URI (for a QR code): " << e.otpauth_uri << "\n";
}

}  // namespace

void user_add(const user_options& o, std::istream& password_in, std::ostream& out) {
  const auto role = must(people::parse_role(o.role));
  auto ctx = open_context(o, "sluis user add", true);
  const std::string password = read_password(o, password_in);
  const people::user_store users(ctx.keyring());
  const cases::case_store cases(ctx.keyring());
  people::enrolment shown;
  auto entry = user_entry("user.add", o.id);
  entry.detail = {{"organisation", o.organisation}, {"role", people::to_string(role)}};
  write_audited(ctx, entry, [&](store::connection& db) -> result<void> {
    // The organisations table follows the configuration; the account refers to it.
    if (auto synced = sync_organisations(db, cases, ctx.config); !synced) return synced;
    auto added =
        users.add(db, {o.id, o.organisation, role, o.display_name}, password, now_seconds());
    if (!added) return added.error();
    shown = std::move(*added);
    return {};
  });
  out << "added user " << o.id << " (" << o.organisation << ", " << people::to_string(role)
      << ")\n";
  print_enrolment(shown, out);
}

void user_list(const user_options& o, std::ostream& out) {
  auto ctx = open_context(o, "sluis user list (it audits the listing)");
  const people::user_store users(ctx.keyring());
  std::vector<people::user> all;
  auto entry = user_entry("user.list", "");
  write_audited(ctx, entry, [&](store::connection& db) -> result<void> {
    auto listed = users.list(db);
    if (!listed) return listed.error();
    all = std::move(*listed);
    return {};
  });
  out << std::left << std::setw(24) << "ID" << std::setw(24) << "ORGANISATION" << std::setw(17)
      << "ROLE" << std::setw(10) << "STATUS" << std::setw(22) << "CREATED" << std::setw(22)
      << "LAST LOGIN"
      << "NAME\n";
  for (const auto& u : all) {
    out << std::left << std::setw(24) << u.id << std::setw(24) << u.organisation << std::setw(17)
        << people::to_string(u.role) << std::setw(10) << (u.disabled ? "disabled" : "active")
        << std::setw(22) << date_of(u.created_at) << std::setw(22)
        << (u.last_login_at ? date_of(*u.last_login_at) : "-") << u.display_name << "\n";
  }
  out << all.size() << (all.size() == 1 ? " user\n" : " users\n");
}

void user_disable(const user_options& o, std::ostream& out) {
  auto ctx = open_context(o, "sluis user disable");
  const people::user_store users(ctx.keyring());
  write_audited(ctx, user_entry("user.disable", o.id),
                [&](store::connection& db) { return users.disable(db, o.id, now_seconds()); });
  out << "disabled user " << o.id
      << "; a running gateway ends the user's sessions at their next request\n";
}

void user_reset(const user_options& o, std::istream& password_in, std::ostream& out) {
  auto ctx = open_context(o, "sluis user reset");
  const std::string password = read_password(o, password_in);
  const people::user_store users(ctx.keyring());
  people::enrolment shown;
  write_audited(ctx, user_entry("user.reset", o.id), [&](store::connection& db) -> result<void> {
    auto reset = users.reset(db, o.id, password, now_seconds());
    if (!reset) return reset.error();
    shown = std::move(*reset);
    return {};
  });
  out << "reset user " << o.id << ": new password and TOTP secret; the old ones no longer work\n";
  print_enrolment(shown, out);
}

void add_user_commands(CLI::App& app) {
  auto* user_cmd = app.add_subcommand("user", "Manage the accounts of people using the web UI");
  user_cmd->require_subcommand(1);

  auto add_o = std::make_shared<user_options>();
  auto* add = user_cmd->add_subcommand(
      "add", "Create an account; prints its TOTP secret and otpauth:// URI once");
  add_unlock_options(*add, add_o->unlock);
  add->add_option("--id", add_o->id, "Login, also the professional id partner systems use")
      ->required();
  add->add_option("--organisation", add_o->organisation, "Organisation id from the configuration")
      ->required();
  add->add_option("--role", add_o->role,
                  "gezinsmanager, procesmanager, professional, privacy-officer or admin")
      ->required();
  add->add_option("--name", add_o->display_name, "Display name")->required();
  add->add_flag("--password-stdin", add_o->password_stdin,
                "Read the password as one line from standard input instead of a prompt");
  add->callback([add_o] { user_add(*add_o, std::cin, std::cout); });

  auto list_o = std::make_shared<user_options>();
  auto* list = user_cmd->add_subcommand("list", "Show every account (no secrets)");
  add_unlock_options(*list, list_o->unlock);
  list->callback([list_o] { user_list(*list_o, std::cout); });

  auto disable_o = std::make_shared<user_options>();
  auto* disable = user_cmd->add_subcommand("disable", "Refuse every later login of an account");
  add_unlock_options(*disable, disable_o->unlock);
  disable->add_option("--id", disable_o->id, "The account")->required();
  disable->callback([disable_o] { user_disable(*disable_o, std::cout); });

  auto reset_o = std::make_shared<user_options>();
  auto* reset = user_cmd->add_subcommand(
      "reset", "Set a new password and TOTP secret (printed once) and lift a lock-out");
  add_unlock_options(*reset, reset_o->unlock);
  reset->add_option("--id", reset_o->id, "The account")->required();
  reset->add_flag("--password-stdin", reset_o->password_stdin,
                  "Read the password as one line from standard input instead of a prompt");
  reset->callback([reset_o] { user_reset(*reset_o, std::cin, std::cout); });
}

}  // namespace sluis::cli
