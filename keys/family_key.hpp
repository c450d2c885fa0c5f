#pragma once
// A family's data key: it seals that family's payloads. Destroying its wrapped form (kept by the
// gateway in its store) makes every payload sealed with it unreadable for good (crypto-shredding).

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.hpp"
#include "keys/family_key_cache.hpp"
#include "keys/secret_bytes.hpp"

namespace sluis::keys {

class keyring;

// A family key as it is stored: encrypted under one KEK version of the keyring. Holds no secret in
// the clear, so it may be written to the store and copied freely.
struct wrapped_family_key {
  std::string key_id;
  std::uint32_t kek_version = 0;
  std::vector<unsigned char> wrapped;  // nonce || ciphertext || tag

  friend bool operator==(const wrapped_family_key&, const wrapped_family_key&) = default;
};

// Seals and opens payloads with XChaCha20-Poly1305-IETF under a random 32-byte key. Every sealed
// blob carries a versioned header with the key id, a random 24-byte nonce, and is bound (as
// associated data) to the record id, the family id and the key id, so a payload moved to another
// record or family, or offered to another key, fails to open. Immutable: safe to use from many
// threads at once. The key bytes live either in the keyring's cache of family keys (pinned there
// while this object lives, see family_key_cache.hpp) or, when that is full, in secret memory of
// its own.
class family_key {
 public:
  static constexpr std::size_t key_size = 32;
  static constexpr std::size_t max_key_id_size = 64;

  // A fresh random key. The keyring names keys itself (keyring::new_family_key); this is public so
  // tests can show that a new key with a known id still cannot open old payloads. Throws
  // std::invalid_argument for an empty key id or one longer than max_key_id_size.
  static family_key generate(std::string key_id);

  // Throws std::invalid_argument as generate() does, or when `key` is not key_size bytes.
  family_key(std::string key_id, secret_bytes&& key);

  const std::string& key_id() const noexcept { return key_id_; }

  // Layout: 0x01 || key id length (1 byte) || key id || nonce (24) || ciphertext || tag (16).
  std::vector<unsigned char> seal(std::string_view record_id, std::string_view family_id,
                                  std::span<const unsigned char> plaintext) const;

  // errc::corrupt when `sealed` is not a sealed blob of a known format; errc::crypto when it was
  // sealed under another key id, or when any byte of it, the record id or the family id differs.
  result<std::vector<unsigned char>> open(std::string_view record_id, std::string_view family_id,
                                          std::span<const unsigned char> sealed) const;

 private:
  friend class keyring;  // wraps the key bytes, which nobody else may see

  family_key(std::string key_id, family_key_cache::pin&& cached);
  std::span<const unsigned char> bytes() const noexcept;

  std::string key_id_;
  family_key_cache::pin cached_;  // the key's slot in the cache, or empty
  secret_bytes owned_;            // the key, when it is not in the cache
};

}  // namespace sluis::keys
