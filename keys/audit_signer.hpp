#pragma once
// Ed25519 signatures for the audit log: the keyring holds the signing key, anyone can verify.

#include <array>
#include <span>

#include "keys/secret_bytes.hpp"

namespace sluis::keys {

using ed25519_public_key = std::array<unsigned char, 32>;
using ed25519_signature = std::array<unsigned char, 64>;

// Signs messages with an Ed25519 key that never leaves secret memory. Immutable after
// construction: sign() and public_key() are safe to call from many threads.
class audit_signer {
 public:
  static constexpr std::size_t seed_size = 32;

  // The key pair derived from a 32-byte seed (as the keyring stores it); throws
  // std::invalid_argument on another size.
  static audit_signer from_seed(const secret_bytes& seed);
  // A fresh random key pair.
  static audit_signer generate();

  // Deterministic (Ed25519 signatures depend only on key and message).
  ed25519_signature sign(std::span<const unsigned char> message) const;
  const ed25519_public_key& public_key() const noexcept { return public_key_; }

 private:
  audit_signer(secret_bytes&& secret_key, const ed25519_public_key& public_key)
      : secret_key_(std::move(secret_key)), public_key_(public_key) {}

  secret_bytes secret_key_;  // libsodium's 64-byte form: seed || public key.
  ed25519_public_key public_key_;
};

// True when `signature` is a valid Ed25519 signature of `message` under `public_key`.
bool verify(const ed25519_public_key& public_key, std::span<const unsigned char> message,
            const ed25519_signature& signature);

}  // namespace sluis::keys
