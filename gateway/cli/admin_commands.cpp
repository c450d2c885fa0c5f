// sluis init, sluis keys status|rotate, sluis audit verify.

#include <CLI/CLI.hpp>
#include <fstream>
#include <iostream>

#include "gateway/api/active_policy.hpp"
#include "gateway/audit/journal.hpp"
#include "gateway/audit/key_ring_signer.hpp"
#include "gateway/audit/verify.hpp"
#include "gateway/case/case_store.hpp"
#include "gateway/cli/commands.hpp"
#include "gateway/cli/control_socket.hpp"
#include "gateway/cli/data_dir.hpp"
#include "gateway/cli/data_dir_lock.hpp"
#include "gateway/cli/key_rotation.hpp"
#include "gateway/cli/must.hpp"
#include "gateway/cli/operator_entry.hpp"
#include "gateway/cli/organisations.hpp"
#include "gateway/config/config.hpp"
#include "gateway/store/connection.hpp"

namespace sluis::cli {
namespace {

std::string read_text(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw error_exception(error::io("cannot read " + file.string()));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

struct init_options {
  unlock_options unlock;
  std::filesystem::path config_file;
  std::filesystem::path policy_file;
  bool create_key_file = false;
};

void run_init(const init_options& o) {
  const auto& dir = o.unlock.data_dir;
  std::filesystem::create_directories(dir);
  std::filesystem::permissions(dir, std::filesystem::perms::owner_all);
  const auto lock = must(data_dir_lock::acquire(dir, "sluis init"));
  if (std::filesystem::exists(dir / keys::keyring::default_file_name)) {
    throw error_exception(error::conflict(dir.string() + " is already initialised"));
  }
  if (o.create_key_file && o.unlock.key_file && !std::filesystem::exists(*o.unlock.key_file)) {
    must(keys::create_key_file(*o.unlock.key_file));
    std::cout << "created key file " << o.unlock.key_file->string() << " (mode 0600)\n";
  }
  // Configuration and policy are checked before anything is created.
  const auto config_target = dir / config::config_file_name;
  if (!o.config_file.empty()) {
    must(config::parse(read_text(o.config_file), o.config_file.string(), dir));
    std::filesystem::copy_file(o.config_file, config_target,
                               std::filesystem::copy_options::overwrite_existing);
  }
  const auto cfg = must(config::load(dir));
  if (!o.policy_file.empty()) {
    must(api::compile_policy(read_text(o.policy_file), o.policy_file.string()));
    std::filesystem::copy_file(o.policy_file, cfg.policy_file,
                               std::filesystem::copy_options::overwrite_existing);
  }

  auto source = must(kek_from(o.unlock, true));
  auto keyring = must(keys::keyring::create(dir / keys::keyring::default_file_name, source));
  auto store = must(store::store::open(dir, keyring.reveal_database_key_for_sqlcipher()));
  const cases::case_store cases(keyring);
  const audit::keyring_signer signer(keyring.audit_signer());
  auto journal =
      must(audit::journal::open(dir, keyring.reveal_database_key_for_sqlcipher(), *store, signer));
  auto entry = operator_entry("datadir.init", "datadir", "");
  entry.detail = {{"kek_version", keyring.primary_kek_version()},
                  {"organisations", cfg.organisations.size()}};
  must(journal->write_now([&](store::connection& db,
                              audit::audit_entry&) { return sync_organisations(db, cases, cfg); },
                          std::move(entry)));
  std::cout << "initialised " << dir.string() << "\n" << keyring.status().to_text();
}

void run_keys_status(const unlock_options& o) {
  std::cout << must(open_keyring(o)).status().to_text();
}

// With a gateway serving the directory, the gateway rotates (it holds the keyring every new family
// key is wrapped under); otherwise this process does, holding the lock.
void run_keys_rotate(const unlock_options& o, bool retire_old) {
  auto lock = data_dir_lock::acquire(o.data_dir, "sluis keys rotate");
  if (!lock && lock.error().code() == errc::conflict) {
    auto answer = ask_gateway(o.data_dir, retire_old ? "keys rotate --retire-old" : "keys rotate");
    if (!answer && answer.error().code() == errc::unavailable) throw error_exception(lock.error());
    std::cout << "the running gateway rotated its keys:\n" << must(std::move(answer));
    return;
  }
  if (!lock) throw error_exception(lock.error());  // held until the end of this function
  const auto cfg = must(config::load(o.data_dir));
  auto opened = must(open_data_dir(o, audit_access::write,
                                   static_cast<std::int64_t>(cfg.audit_checkpoint_interval)));
  const auto report = must(rotate_keys(opened.keyring, *opened.audit, retire_old));
  std::cout << to_text(report, opened.keyring);
}

int run_audit_verify(const unlock_options& o) {
  // Reads only: it works beside a running gateway.
  auto keyring = must(open_keyring(o));
  const audit::public_key key = keyring.audit_signer().public_key();
  // A data directory from before audit.db keeps its log in sluis.db until the gateway (or a
  // command that writes) first opens it and moves it: verify it where it is.
  auto cases = must(
      store::store::open(o.data_dir, keyring.reveal_database_key_for_sqlcipher(), {.readers = 1}));
  const bool not_moved_yet = must(cases->reads().with([](store::connection& db) -> result<bool> {
    auto st = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'audit_log'");
    if (!st) return st.error();
    return st->step();
  }));
  auto audit_file = not_moved_yet ? nullptr : must(open_audit_file(o, keyring));
  auto& readers = not_moved_yet ? cases->reads() : audit_file->reads();
  if (not_moved_yet)
    std::cout << "(the log is still in sluis.db; the next start moves it to audit.db)\n";
  const auto report =
      must(readers.with([&](store::connection& db) { return audit::verify(db, key); }));
  if (!report.ok()) {
    std::cout << "audit log FAILED verification at entry " << report.first_bad_seq << ": "
              << report.reason << "\n";
    return 1;
  }
  std::cout << "audit log ok: " << report.entries_checked << " entries, "
            << report.checkpoints_checked << " signed checkpoints";
  if (report.last_checkpoint) {
    std::cout << ", newest checkpoint at entry " << report.last_checkpoint->seq << ", "
              << report.unsigned_entries << " entries after it protected by the chain alone\n";
  } else {
    std::cout << "; no checkpoint yet, so all entries are protected by the chain alone\n";
  }
  return 0;
}

}  // namespace

void add_init_command(CLI::App& app) {
  auto o = std::make_shared<init_options>();
  auto* cmd = app.add_subcommand("init",
                                 "Create a data directory: keyring, encrypted store, "
                                 "configuration and policy");
  add_unlock_options(*cmd, o->unlock);
  cmd->add_option("--config", o->config_file,
                  "Configuration to copy in (e.g. deploy/config.example.toml)")
      ->check(CLI::ExistingFile);
  cmd->add_option("--policy", o->policy_file, "Policy to copy in (e.g. deploy/policy.example.toml)")
      ->check(CLI::ExistingFile);
  cmd->add_flag("--create-key-file", o->create_key_file,
                "Create the --key-file with a fresh random key when it does not exist");
  cmd->callback([o] { run_init(*o); });
}

void add_keys_commands(CLI::App& app) {
  auto* keys_cmd = app.add_subcommand("keys", "Inspect and rotate the key hierarchy");
  keys_cmd->require_subcommand(1);
  auto status_opts = std::make_shared<unlock_options>();
  auto* status = keys_cmd->add_subcommand("status", "Show key ids, versions and statuses");
  add_unlock_options(*status, *status_opts);
  status->callback([status_opts] { run_keys_status(*status_opts); });

  auto rotate_opts = std::make_shared<unlock_options>();
  auto retire = std::make_shared<bool>(false);
  auto* rotate = keys_cmd->add_subcommand(
      "rotate", "Make a new primary KEK version and re-wrap every data key under it");
  add_unlock_options(*rotate, *rotate_opts);
  rotate->add_flag("--retire-old", *retire,
                   "Afterwards retire the older KEK versions (their key material is dropped)");
  rotate->callback([rotate_opts, retire] { run_keys_rotate(*rotate_opts, *retire); });
}

void add_audit_commands(CLI::App& app) {
  auto* audit_cmd = app.add_subcommand("audit", "Check the tamper-evident audit log");
  audit_cmd->require_subcommand(1);
  auto o = std::make_shared<unlock_options>();
  auto* verify = audit_cmd->add_subcommand(
      "verify",
      "Check the whole hash chain and every signed checkpoint; exit 1 and name the "
      "first entry that was changed, removed or reordered");
  add_unlock_options(*verify, *o);
  verify->callback([o] {
    if (const int status = run_audit_verify(*o); status != 0) throw CLI::RuntimeError(status);
  });
}

}  // namespace sluis::cli
