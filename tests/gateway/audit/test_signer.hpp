#pragma once
// An Ed25519 key pair straight from libsodium, so that audit tests need nothing of the keyring.

#include <sodium.h>

#include <string>

#include "gateway/audit/checkpoint.hpp"
#include "keys/secret_bytes.hpp"

namespace sluis::audit {

class test_signer : public checkpoint_signer {
 public:
  test_signer() : secret_(crypto_sign_SECRETKEYBYTES) {
    keys::ensure_sodium();
    crypto_sign_keypair(public_.data(), secret_.data());
  }
  std::string key_id() const override { return "test-audit-key"; }
  audit::public_key public_key() const override { return public_; }
  result<signature> sign(std::span<const unsigned char> message) const override {
    signature sig;
    crypto_sign_detached(sig.data(), nullptr, message.data(), message.size(), secret_.data());
    return sig;
  }

 private:
  audit::public_key public_;
  keys::secret_bytes secret_;
};

}  // namespace sluis::audit
