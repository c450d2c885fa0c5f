#pragma once
// The key register: the family and subject keys of a data directory, kept apart from its backups.
//
// Crypto-shredding erases a family by destroying its one wrapped key. A backup that held that key
// would keep the family readable for as long as the backup is kept, so backups hold no family or
// subject key at all: `sluis backup` writes them to the key register instead, one file that each
// backup replaces (written beside it, then renamed over it). Restoring a backup takes the keys from
// the register, which is newer than the backup: a family erased after the backup has no key there,
// and comes back as sealed rows nobody can open. Keep the register where it is replaced, not
// versioned; an erasure reaches every older backup once the register that still held the key is
// gone (at the next backup). docs/operations.md says how to keep it.
//
// The file: line 1 is JSON with the format, the time, the data directory's keyring (keyring.toml:
// its keys are wrapped under the root key, so it is no secret without the passphrase or key file),
// and the keys, sealed (XChaCha20-Poly1305) under a fresh key wrapped by the keyring's primary KEK;
// line 2 is the hex Ed25519 signature of line 1 under the audit-signing key. No family id, key id
// or pseudonym is readable without the keyring.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "common/error.hpp"
#include "keys/key_ring.hpp"

namespace sluis::backup {

// One row of family_keys (owner: the family id) or subject_keys (owner: the pseudonym, in hex).
struct key_row {
  std::string owner;
  std::string key_id;
  std::int64_t kek_version = 0;
  std::vector<unsigned char> wrapped;
  std::int64_t created_at = 0;
};

struct key_register {
  std::int64_t taken_at = 0;
  std::vector<key_row> family_keys;
  std::vector<key_row> subject_keys;
};

// Replaces `file` (mode 0600) with `reg`, sealed and signed with `keyring`, whose file's text is
// `keyring_toml`.
result<void> write_key_register(const std::filesystem::path& file, const key_register& reg,
                                std::string_view keyring_toml, const keys::keyring& keyring);

// The keyring's text from a register, to be written where keyring::open reads it.
// errc::corrupt when `file` is no key register.
result<std::string> keyring_of_register(const std::filesystem::path& file);

// The keys, once the register's signature verified under `keyring`'s audit key. errc::crypto when
// it does not, or the sealed keys do not open.
result<key_register> open_key_register(const std::filesystem::path& file,
                                       const keys::keyring& keyring);

}  // namespace sluis::backup
