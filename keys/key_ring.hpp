#pragma once
// The keyring: the key hierarchy of a Sluis data directory, kept in one file (DIR/keyring.toml).
//
//   root key (passphrase via Argon2id, or key file)
//     -> KEK versions (random 32 bytes each; one primary, others active or retired)
//          -> system keys: database (SQLCipher), pseudonym, audit-signing (Ed25519 seed)
//          -> family data keys (stored wrapped by the gateway in its store, not in this file)
//
// Callers get primitives (a pseudonymiser, an audit signer, family keys), never raw key bytes, with
// one explicitly named exception for SQLCipher.

#include <cstdint>
#include <filesystem>
#include <memory>

#include "common/error.hpp"
#include "keys/audit_signer.hpp"
#include "keys/family_key.hpp"
#include "keys/family_key_cache.hpp"
#include "keys/kek.hpp"
#include "keys/key_ring_status.hpp"
#include "keys/pseudonymiser.hpp"
#include "keys/secret_bytes.hpp"

namespace sluis::keys {

// A freshly made family key and the wrapped form the gateway stores next to the family.
struct new_family_key_result {
  wrapped_family_key wrapped;
  family_key key;
};

// Says at the call site that the caller has re-wrapped every family key away from a KEK version,
// so retiring it loses nothing (the keyring cannot see the family keys in the store).
enum class retire_confirmation { nothing_is_wrapped_under_it };

// An unlocked keyring. Every change is written to the file atomically before it takes effect in
// memory, so a failed rotate() or retire() leaves both unchanged. Thread-safe: a running gateway
// rotates and retires while other threads unwrap; an internal reader-writer lock orders them.
// The references from pseudonymiser() and audit_signer() stay valid across rotations (rotation
// re-wraps the system keys; it does not change them).
class keyring {
 public:
  static constexpr std::string_view default_file_name = "keyring.toml";

  // Creates a new keyring file (mode 0600) with KEK version 1 and fresh system keys. A passphrase
  // source's Argon2id limits and a random salt are stored in the file. errc::conflict when `file`
  // already exists.
  static result<keyring> create(const std::filesystem::path& file, const kek_source& source);

  // Unlocks an existing keyring with the stored Argon2id salt and limits. A wrong passphrase or key
  // file gives errc::crypto "wrong passphrase or key file"; a source of the other kind gives
  // errc::invalid_argument; a damaged file errc::corrupt. Nothing is half-opened: on an error no
  // keyring exists.
  static result<keyring> open(const std::filesystem::path& file, const kek_source& source);

  keyring(keyring&&) noexcept;
  keyring& operator=(keyring&&) noexcept;
  ~keyring();

  keyring_status status() const;
  std::uint32_t primary_kek_version() const noexcept;

  // Makes a new primary KEK version; the previous primary becomes active and the system keys are
  // re-wrapped under the new one. Family keys wrapped under older versions stay unwrappable until
  // those versions are retired; re-wrap them with rewrap().
  result<void> rotate();

  // Marks an active KEK version retired and drops its key material from the file and from memory.
  // errc::conflict for the primary (rotate first), errc::not_found for an unknown version; retiring
  // a retired version succeeds and changes nothing.
  result<void> retire(std::uint32_t version, retire_confirmation confirmation);

  const keys::pseudonymiser& pseudonymiser() const noexcept;
  const keys::audit_signer& audit_signer() const noexcept;

  // The raw 32-byte SQLCipher key, for `PRAGMA key = "x'...'"` only. Wipe it (let it go out of
  // scope) as soon as the database is keyed.
  secret_bytes reveal_database_key_for_sqlcipher() const;

  // A new random family key with a fresh id ("fk-" + 32 hex characters), wrapped under the primary.
  new_family_key_result new_family_key() const;

  // How many unwrapped family keys the keyring keeps (32 bytes each, in one guarded arena).
  static constexpr std::size_t family_key_cache_capacity = 4096;

  // errc::not_found when the KEK version that wrapped it is unknown or retired; errc::crypto when
  // the wrapped bytes, key id or version were changed. The key comes from the keyring's cache of
  // unwrapped family keys when this exact wrapped form was unwrapped before (see
  // family_key_cache.hpp); retire() empties that cache.
  result<family_key> unwrap(const wrapped_family_key& wrapped) const;

  // Wipes the unwrapped key `key_id` from the cache (as soon as no request uses it): call it when
  // the family's wrapped key is destroyed (crypto-shredding).
  void forget_family_key(std::string_view key_id) const;
  keys::family_key_cache_stats family_key_cache_stats() const;

  // The same family key wrapped under the primary KEK version (after rotate()), so its payloads
  // stay readable without being re-encrypted. Errors as unwrap().
  result<wrapped_family_key> rewrap(const wrapped_family_key& wrapped) const;

 private:
  struct state;
  explicit keyring(std::unique_ptr<state> s) noexcept;
  result<family_key> unwrap_locked(const wrapped_family_key& wrapped) const;  // lock held

  std::unique_ptr<state> state_;
};

}  // namespace sluis::keys
