// sluis store upgrade: the data directory's SQLCipher files from a format of SQLCipher 3 to the
// current one (gateway/store/format_upgrade.hpp), with progress on the terminal. Needs the
// directory to itself.

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <iostream>

#include "gateway/audit/journal.hpp"
#include "gateway/cli/commands.hpp"
#include "gateway/cli/data_dir.hpp"
#include "gateway/cli/data_dir_lock.hpp"
#include "gateway/cli/must.hpp"
#include "gateway/cli/terminal.hpp"
#include "gateway/store/format_upgrade.hpp"
#include "gateway/store/store.hpp"

namespace sluis::cli {
namespace {

void run_store_upgrade(const unlock_options& o) {
  const auto lock = must(data_dir_lock::acquire(o.data_dir, "sluis store upgrade"));
  const auto keyring = must(open_keyring(o));
  const bool terminal = ::isatty(STDOUT_FILENO) == 1;
  for (const char* name : {store::store::file_name, audit::journal::file_name}) {
    const auto file = o.data_dir / name;
    if (!std::filesystem::exists(file)) continue;
    std::cout << name << ": " << std::flush;
    const auto report = must(store::upgrade_format(
        file, keyring.reveal_database_key_for_sqlcipher(),
        [&](const store::format_upgrade_progress& p) {
          if (!terminal || p.source_bytes == 0) return;
          const auto percent = std::min<std::uintmax_t>(99, 100 * p.written_bytes / p.source_bytes);
          std::cout << "\r" << name << ": copying to SQLCipher 4, about " << percent << "% ("
                    << mib(p.written_bytes) << " of " << mib(p.source_bytes) << ")   "
                    << std::flush;
        }));
    if (terminal) std::cout << "\r" << name << ": ";
    if (report.already_upgraded) {
      std::cout << "in SQLCipher 4's format already                            \n";
      continue;
    }
    std::cout << "copied from SQLCipher " << report.from.compatibility << " ("
              << report.from.page_size / 1024
              << " KiB pages) to SQLCipher 4 and verified: " << report.rows << " rows, "
              << mib(report.bytes_before) << " -> " << mib(report.bytes_after)
              << "; the original is kept as " << report.kept.filename().string()
              << " (remove it once the gateway runs well)\n";
  }
}

}  // namespace

void add_store_commands(CLI::App& app) {
  auto* store_cmd = app.add_subcommand("store", "Maintain the data directory's encrypted files");
  store_cmd->require_subcommand(1);
  auto o = std::make_shared<unlock_options>();
  auto* upgrade = store_cmd->add_subcommand(
      "upgrade",
      "Copy files made on SQLCipher 3 to SQLCipher 4's format (verified; the original is kept); "
      "the gateway must not be running");
  add_unlock_options(*upgrade, *o);
  upgrade->callback([o] { run_store_upgrade(*o); });
}

}  // namespace sluis::cli
