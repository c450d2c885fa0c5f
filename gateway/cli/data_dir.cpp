#include "gateway/cli/data_dir.hpp"

#include <CLI/CLI.hpp>

#include "gateway/audit/schema.hpp"

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

result<opened_data_dir> open_data_dir(const unlock_options& options, audit_access access,
                                      std::int64_t checkpoint_interval) {
  auto keyring = open_keyring(options);
  if (!keyring) return keyring.error();
  return open_data_dir(options.data_dir, std::move(*keyring), access, checkpoint_interval);
}

result<opened_data_dir> open_data_dir(const std::filesystem::path& data_dir, keys::keyring keyring,
                                      audit_access access, std::int64_t checkpoint_interval) {
  auto store = store::store::open(data_dir, keyring.reveal_database_key_for_sqlcipher());
  if (!store) return store.error();
  opened_data_dir opened{std::move(keyring), std::move(*store), nullptr, nullptr};
  opened.signer = std::make_unique<audit::keyring_signer>(opened.keyring.audit_signer());
  if (access == audit_access::none) return opened;
  auto journal = audit::journal::open(data_dir, opened.keyring.reveal_database_key_for_sqlcipher(),
                                      *opened.store, *opened.signer,
                                      {.log = {.checkpoint_interval = checkpoint_interval}});
  if (!journal) return journal.error();
  opened.audit = std::move(*journal);
  return opened;
}

result<std::unique_ptr<store::store>> open_audit_file(const unlock_options& options,
                                                      const keys::keyring& keyring) {
  return store::store::open(
      options.data_dir, keyring.reveal_database_key_for_sqlcipher(),
      {.file_name = audit::journal::file_name, .schema = audit::schema(), .readers = 1});
}

void add_unlock_options(CLI::App& command, unlock_options& options) {
  options.data_dir = "var/dev";
  command.add_option("--data", options.data_dir, "Data directory")->capture_default_str();
  command.add_option("--key-file", options.key_file,
                     "File with the key-encryption key (64 hex digits, mode 0600); without it "
                     "the passphrase comes from SLUIS_PASSPHRASE or a prompt");
}

}  // namespace sluis::cli
