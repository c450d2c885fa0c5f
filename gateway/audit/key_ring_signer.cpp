#include "gateway/audit/key_ring_signer.hpp"

#include <sodium.h>

namespace sluis::audit {

std::string keyring_signer::key_id() const {
  char hex[17];
  sodium_bin2hex(hex, sizeof hex, signer_.public_key().data(), 8);
  return std::string("ed25519:") + hex;
}

}  // namespace sluis::audit
