#pragma once
// The keyring's Ed25519 audit key as the audit log's checkpoint signer.

#include "gateway/audit/checkpoint.hpp"
#include "keys/audit_signer.hpp"

namespace sluis::audit {

// Forwards to keys::audit_signer, which must outlive it. Key id: "ed25519:" + the first 16 hex
// digits of the public key. Thread-safe, as the signer is.
class keyring_signer final : public checkpoint_signer {
 public:
  explicit keyring_signer(const keys::audit_signer& signer) : signer_(signer) {}
  std::string key_id() const override;
  audit::public_key public_key() const override { return signer_.public_key(); }
  result<signature> sign(std::span<const unsigned char> message) const override {
    return signer_.sign(message);
  }

 private:
  const keys::audit_signer& signer_;
};

}  // namespace sluis::audit
