#pragma once
// Signed checkpoints: every so often the log's head (seq, hash) is signed with the audit key
// (Ed25519), so that rewriting history needs the signing key, not just the database key.
//
// Each checkpoint also names the previous checkpoint's sequence number (0 for the first), so that
// removing a checkpoint from the middle is detected too. The signed message is
//   "sluis/audit/checkpoint/v1" || u64 seq || hash (32 bytes) || u64 previous_seq
// with big-endian integers.

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "common/error.hpp"
#include "gateway/audit/canonical.hpp"

namespace sluis::audit {

using public_key = std::array<unsigned char, 32>;
using signature = std::array<unsigned char, 64>;

// Signs checkpoint messages with the audit key. The key itself stays behind this interface (the
// keyring's audit signer implements it). Implementations must be safe to call from the store's
// writer thread; the log never calls them concurrently.
class checkpoint_signer {
 public:
  virtual ~checkpoint_signer() = default;
  // A loggable id of the signing key, stored beside each signature.
  virtual std::string key_id() const = 0;
  virtual audit::public_key public_key() const = 0;
  virtual result<signature> sign(std::span<const unsigned char> message) const = 0;
};

struct checkpoint {
  std::int64_t seq = 0;
  chain_hash hash{};
  std::int64_t previous_seq = 0;
  std::string key_id;
  audit::public_key key{};
  audit::signature sig{};
};

std::vector<unsigned char> checkpoint_message(std::int64_t seq, const chain_hash& hash,
                                              std::int64_t previous_seq);

// True when `cp.sig` is a valid Ed25519 signature by `cp.key` over checkpoint_message(...).
bool signature_valid(const checkpoint& cp);

}  // namespace sluis::audit
