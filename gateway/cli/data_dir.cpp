#include "gateway/cli/data_dir.hpp"

#include <CLI/CLI.hpp>

namespace sluis::cli {

result<keys::kek_source> kek_from(const unlock_options& options, bool new_keyring) {
  if (options.key_file) return keys::kek_source::from_key_file(*options.key_file);
  if (std::getenv("SLUIS_PASSPHRASE") != nullptr) {
    return keys::kek_source::passphrase_from_environment();
  }
  return keys::kek_source::passphrase_from_terminal(new_keyring ? "New passphrase for the keyring: "
                                                                : "Keyring passphrase: ");
}

result<keys::keyring> open_keyring(const unlock_options& options) {
  const auto file = options.data_dir / keys::keyring::default_file_name;
  if (!std::filesystem::exists(file)) {
    return error::not_found("no keyring in " + options.data_dir.string() +
                            " (create the data directory with: sluis init --data " +
                            options.data_dir.string() + ")");
  }
  auto source = kek_from(options, false);
  if (!source) return source.error();
  return keys::keyring::open(file, *source);
}

result<opened_data_dir> open_data_dir(const unlock_options& options) {
  auto keyring = open_keyring(options);
  if (!keyring) return keyring.error();
  auto store = store::store::open(options.data_dir, keyring->reveal_database_key_for_sqlcipher());
  if (!store) return store.error();
  return opened_data_dir{std::move(*keyring), std::move(*store)};
}

void add_unlock_options(CLI::App& command, unlock_options& options) {
  options.data_dir = "var/dev";
  command.add_option("--data", options.data_dir, "Data directory")->capture_default_str();
  command.add_option("--key-file", options.key_file,
                     "File with the key-encryption key (64 hex digits, mode 0600); without it "
                     "the passphrase comes from SLUIS_PASSPHRASE or a prompt");
}

}  // namespace sluis::cli
