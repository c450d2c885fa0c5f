#pragma once
// Opening a Sluis data directory from the command line: the KEK source, the keyring, the store.
//
// A data directory holds config.toml, keyring.toml, sluis.db (+ -wal, -shm), policy.toml and, in
// development, pki/ and kek.key. The KEK comes from --key-file, or else from the SLUIS_PASSPHRASE
// environment variable, or else from a prompt on the terminal.

#include <filesystem>
#include <memory>
#include <optional>

#include "common/error.hpp"
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

// The keyring and the store of a data directory, opened together (the store key comes from the
// keyring). A wrong passphrase or key file fails at the keyring, before the store is touched.
struct opened_data_dir {
  keys::keyring keyring;
  std::unique_ptr<store::store> store;
};
result<opened_data_dir> open_data_dir(const unlock_options& options);

// Adds --data (default var/dev) and --key-file to a subcommand.
void add_unlock_options(CLI::App& command, unlock_options& options);

}  // namespace sluis::cli
