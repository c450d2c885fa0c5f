#include "keys/audit_signer.hpp"

#include <sodium.h>

#include <stdexcept>

namespace sluis::keys {

static_assert(crypto_sign_SEEDBYTES == audit_signer::seed_size);
static_assert(crypto_sign_PUBLICKEYBYTES == std::tuple_size_v<ed25519_public_key>);
static_assert(crypto_sign_BYTES == std::tuple_size_v<ed25519_signature>);

audit_signer audit_signer::from_seed(const secret_bytes& seed) {
  if (seed.size() != seed_size)
    throw std::invalid_argument("the audit signing seed must be 32 bytes");
  secret_bytes secret_key(crypto_sign_SECRETKEYBYTES);
  ed25519_public_key public_key;
  crypto_sign_seed_keypair(public_key.data(), secret_key.data(), seed.data());
  return audit_signer(std::move(secret_key), public_key);
}

audit_signer audit_signer::generate() { return from_seed(secret_bytes::random(seed_size)); }

ed25519_signature audit_signer::sign(std::span<const unsigned char> message) const {
  ed25519_signature signature;
  crypto_sign_detached(signature.data(), nullptr, message.data(), message.size(),
                       secret_key_.data());
  return signature;
}

bool verify(const ed25519_public_key& public_key, std::span<const unsigned char> message,
            const ed25519_signature& signature) {
  ensure_sodium();
  return crypto_sign_verify_detached(signature.data(), message.data(), message.size(),
                                     public_key.data()) == 0;
}

}  // namespace sluis::keys
