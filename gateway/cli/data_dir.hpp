#pragma once
// Opening a Sluis data directory from the command line: the KEK source, the keyring, the store.
//
// A data directory holds config.toml, keyring.toml, sluis.db and audit.db (+ -wal, -shm each),
// policy.toml and, in
// development, pki/ and kek.key. The KEK comes from --key-file, or else from the SLUIS_PASSPHRASE
// environment variable, or else from a prompt on the terminal.

#include <filesystem>
#include <memory>
#include <optional>

#include "common/error.hpp"
#include "gateway/audit/journal.hpp"
#include "gateway/audit/key_ring_signer.hpp"
#include "gateway/store/store.hpp"
#include "keys/kek.hpp"
#include "keys/key_ring.hpp"

namespace CLI {
class App;
}

namespace sluis::cli {

struct unlock_options {
  std::filesystem::path data_dir;
  std::optional<std::filesystem::path> key_file;
};

// --key-file if given; else SLUIS_PASSPHRASE; else a terminal prompt.
result<keys::kek_source> kek_from(const unlock_options& options, bool new_keyring);

result<keys::keyring> open_keyring(const unlock_options& options);

// The keyring, the case store and the audit log of a data directory, opened together (the store
// keys come from the keyring). A wrong passphrase or key file fails at the keyring, before a store
// is touched. Opening the audit log for writing appends what a crash left staged (journal.hpp):
// only a command that holds the data directory's lock (or the gateway itself) may do that.
struct opened_data_dir {
  keys::keyring keyring;
  std::unique_ptr<store::store> store;
  std::unique_ptr<audit::keyring_signer> signer;
  std::unique_ptr<audit::journal> audit;  // empty when opened with audit_access::none
};
enum class audit_access { write, none };
result<opened_data_dir> open_data_dir(const unlock_options& options,
                                      audit_access access = audit_access::write,
                                      std::int64_t checkpoint_interval = 100);
// The same with the keyring already unlocked (a command that asked for the passphrase once).
result<opened_data_dir> open_data_dir(const std::filesystem::path& data_dir, keys::keyring keyring,
                                      audit_access access = audit_access::write,
                                      std::int64_t checkpoint_interval = 100);

// The audit log's file alone, for reading beside a running gateway (sluis audit verify).
result<std::unique_ptr<store::store>> open_audit_file(const unlock_options& options,
                                                      const keys::keyring& keyring);

// Adds --data (default var/dev) and --key-file to a subcommand.
void add_unlock_options(CLI::App& command, unlock_options& options);

}  // namespace sluis::cli
