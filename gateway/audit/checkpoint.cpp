#include "gateway/audit/checkpoint.hpp"

#include <sodium.h>

#include <string_view>

#include "keys/secret_bytes.hpp"

namespace sluis::audit {
namespace {

constexpr std::string_view checkpoint_domain = "sluis/audit/checkpoint/v1";

void append_u64(std::vector<unsigned char>& out, std::int64_t value) {
  const auto v = static_cast<std::uint64_t>(value);
  for (int shift = 56; shift >= 0; shift -= 8)
    out.push_back(static_cast<unsigned char>(v >> shift));
}

}  // namespace

std::vector<unsigned char> checkpoint_message(std::int64_t seq, const chain_hash& hash,
                                              std::int64_t previous_seq) {
  std::vector<unsigned char> out(checkpoint_domain.begin(), checkpoint_domain.end());
  append_u64(out, seq);
  out.insert(out.end(), hash.begin(), hash.end());
  append_u64(out, previous_seq);
  return out;
}

bool signature_valid(const checkpoint& cp) {
  keys::ensure_sodium();
  const auto message = checkpoint_message(cp.seq, cp.hash, cp.previous_seq);
  return crypto_sign_verify_detached(cp.sig.data(), message.data(), message.size(),
                                     cp.key.data()) == 0;
}

}  // namespace sluis::audit
