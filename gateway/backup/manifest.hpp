#pragma once
// The manifest of a backup directory: what it holds and where its audit log ends, signed.
//
// manifest.json lists every file of the backup with its size and SHA-256 (so `sha256sum` can check
// one by hand), the last audit entry the backup holds (sequence number and hash) and how many
// families and contributions it holds. manifest.sig is the hex Ed25519 signature of manifest.json's
// exact bytes under the data directory's audit-signing key: nobody without the keyring can change
// a file and write a matching manifest, and the signed audit head is a checkpoint of its own, so a
// log cut short in the backup is caught as well. No personal data: names, counts, digests.

#include <array>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.hpp"
#include "keys/audit_signer.hpp"

namespace sluis::backup {

struct file_entry {
  std::string name;  // inside the backup directory, no slashes
  std::uintmax_t bytes = 0;
  std::string sha256;  // lower-case hex
};

struct manifest {
  static constexpr std::string_view format = "sluis-backup/1";
  static constexpr const char* file_name = "manifest.json";
  static constexpr const char* signature_file_name = "manifest.sig";
  // The files of a backup, besides the manifest: a manifest lists exactly these.
  static constexpr std::array<std::string_view, 4> contents = {"sluis.db", "audit.db",
                                                               "config.toml", "policy.toml"};

  std::int64_t taken_at = 0;  // unix seconds when the case snapshot was taken
  std::int64_t audit_last_seq = 0;
  std::string audit_head_hash;  // hex of the last entry's hash, empty for an empty log
  std::int64_t families = 0;
  std::int64_t contributions = 0;
  std::vector<file_entry> files;
};

// The SHA-256 of a file's contents, in lower-case hex, and its size.
result<file_entry> describe_file(const std::filesystem::path& dir, const std::string& name);

// Writes DIR/manifest.json and DIR/manifest.sig, durably.
result<void> write_manifest(const std::filesystem::path& dir, const manifest& m,
                            const keys::audit_signer& signer);

// Reads DIR's manifest and checks its signature under `key`, then every listed file's size and
// digest. errc::crypto when the signature does not verify ("manifest.json is not signed by this
// keyring"), errc::corrupt naming the first file that differs, is missing, or is there unlisted.
result<manifest> read_and_check(const std::filesystem::path& dir,
                                const keys::ed25519_public_key& key);

}  // namespace sluis::backup
