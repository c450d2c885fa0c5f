// sluis backup and sluis restore (gateway/backup), with progress on a terminal.

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <ctime>
#include <iostream>

#include "gateway/backup/backup.hpp"
#include "gateway/backup/restore.hpp"
#include "gateway/cli/commands.hpp"
#include "gateway/cli/control_socket.hpp"
#include "gateway/cli/data_dir.hpp"
#include "gateway/cli/data_dir_lock.hpp"
#include "gateway/cli/must.hpp"
#include "gateway/cli/operator_entry.hpp"
#include "gateway/cli/terminal.hpp"
#include "gateway/config/config.hpp"

namespace sluis::cli {
namespace {

// "\rsluis.db: 42% (12.0 MiB of 28.6 MiB)" on a terminal; nothing when the output is a file.
backup::progress terminal_progress(const char* verb) {
  if (::isatty(STDOUT_FILENO) != 1) return {};
  return [verb](std::string_view file, std::uintmax_t written, std::uintmax_t expected) {
    const auto percent = expected == 0 ? 0 : std::min<std::uintmax_t>(99, 100 * written / expected);
    std::cout << "\r" << verb << " " << file << ": about " << percent << "% (" << mib(written)
              << " of " << mib(expected) << ")          " << std::flush;
  };
}

void clear_progress_line() {
  if (::isatty(STDOUT_FILENO) == 1) std::cout << "\r" << std::string(72, ' ') << "\r";
}

struct backup_options {
  unlock_options unlock;
  std::filesystem::path to, into, keys_to;
};

// PARENT/sluis-YYYY-MM-DDTHHMMSSZ, for --into (a timer's backups sort by name and time).
std::filesystem::path dated_directory(const std::filesystem::path& parent) {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  ::gmtime_r(&now, &utc);
  char name[40];
  std::strftime(name, sizeof name, "sluis-%Y-%m-%dT%H%M%SZ", &utc);
  return parent / name;
}

// The backup's audit entry: through the running gateway's journal when one serves the directory,
// else appended here under the directory's lock.
void record_backup(const unlock_options& o, const backup::backup_report& r) {
  auto lock = data_dir_lock::acquire(o.data_dir, "sluis backup");
  if (!lock && lock.error().code() == errc::conflict) {
    std::cout << "the running gateway "
              << must(ask_gateway(o.data_dir, backup_taken_request(r.audit_last_seq, r.families,
                                                                   r.contributions)));
    return;
  }
  if (!lock) throw error_exception(lock.error());
  const auto cfg = must(config::load(o.data_dir));
  auto opened = must(open_data_dir(o, audit_access::write,
                                   static_cast<std::int64_t>(cfg.audit_checkpoint_interval)));
  const auto seq = must(
      opened.audit->append_now(backup_taken_entry(r.audit_last_seq, r.families, r.contributions)));
  std::cout << "recorded as audit entry " << seq << "\n";
}

void run_backup(const backup_options& o) {
  if (o.to.empty() && o.into.empty())
    throw error_exception(error::invalid("--to", "give --to DIR or --into PARENT"));
  // The copy reads only (like audit verify): it runs beside a serving gateway.
  const auto keyring = must(open_keyring(o.unlock));
  const auto to = o.to.empty() ? dated_directory(o.into) : o.to;
  const auto report = must(
      backup::take_backup(o.unlock.data_dir, keyring, to, o.keys_to, terminal_progress("copying")));
  clear_progress_line();
  record_backup(o.unlock, report);
  std::cout << "backup " << report.dir.string() << ": " << report.families << " families, "
            << report.contributions << " contributions, audit log up to entry "
            << report.audit_last_seq << ", " << mib(report.bytes) << "; signed manifest written\n"
            << "key register " << o.keys_to.string() << " replaced: " << report.family_keys
            << " family keys, " << report.subject_keys << " subject keys\n";
}

struct restore_options {
  unlock_options unlock;
  std::filesystem::path from, keys;
};

void run_restore(const restore_options& o) {
  const auto source = must(kek_from(o.unlock, false));
  const auto report = must(backup::restore_backup(o.from, o.keys, source, o.unlock.data_dir,
                                                  terminal_progress("restoring")));
  clear_progress_line();
  {  // The restored directory's log says it was restored, and from when.
    const auto lock = must(data_dir_lock::acquire(o.unlock.data_dir, "sluis restore"));
    auto keyring =
        must(keys::keyring::open(o.unlock.data_dir / keys::keyring::default_file_name, source));
    auto opened = must(open_data_dir(o.unlock.data_dir, std::move(keyring)));
    auto e = operator_entry("backup.restore", "data-directory", "");
    e.detail = {{"backup_taken_at", report.taken_at},
                {"family_keys_restored", report.keys_restored},
                {"families_without_key", report.families_without_key}};
    must(opened.audit->append_now(e));
  }
  std::cout << "restored into " << o.unlock.data_dir.string() << ": manifest signature, "
            << "checksums and the audit log (" << report.audit_entries << " entries) verified; "
            << report.families << " families, " << report.contributions << " contributions; "
            << report.keys_restored << " family keys from the register\n";
  if (report.families_without_key > 0)
    std::cout << report.families_without_key
              << " families have no key in the register (erased after the backup): their data "
                 "stays unreadable\n";
  if (report.users_to_reset > 0)
    std::cout << report.users_to_reset
              << " users' second factor was wrapped under a KEK version retired since: reset "
                 "them with `sluis user reset`\n";
  if (!report.note.empty()) std::cout << "note: " << report.note << "\n";
  std::cout << "the TLS files config.toml names are not in a backup: put them in place, then "
               "`sluis serve --data "
            << o.unlock.data_dir.string() << "`\n";
}

}  // namespace

void add_backup_commands(CLI::App& app) {
  auto b = std::make_shared<backup_options>();
  auto* backup_cmd = app.add_subcommand(
      "backup",
      "Copy the data directory, consistently and signed, while the gateway runs; the family keys "
      "go to the key register instead");
  add_unlock_options(*backup_cmd, b->unlock);
  auto* to = backup_cmd->add_option("--to", b->to, "New directory for the backup");
  auto* into = backup_cmd->add_option(
      "--into", b->into, "Parent directory: the backup goes into PARENT/sluis-YYYY-MM-DDTHHMMSSZ");
  to->excludes(into);
  backup_cmd
      ->add_option("--keys-to", b->keys_to,
                   "The key register: one file, replaced by every backup; keep it where it is "
                   "replaced, not versioned (docs/operations.md)")
      ->required();
  backup_cmd->callback([b] { run_backup(*b); });

  auto r = std::make_shared<restore_options>();
  auto* restore_cmd = app.add_subcommand(
      "restore", "Verify a backup and the key register, and restore them into a new directory");
  add_unlock_options(*restore_cmd, r->unlock);
  restore_cmd->add_option("--from", r->from, "The backup directory")->required();
  restore_cmd->add_option("--keys", r->keys, "The key register (the newest)")->required();
  restore_cmd->callback([r] { run_restore(*r); });
}

}  // namespace sluis::cli
