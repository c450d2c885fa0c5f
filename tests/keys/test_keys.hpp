#pragma once
// Helpers shared by the keys test suites.

#include <span>
#include <string_view>

#include "keys/kek.hpp"
#include "keys/secret_bytes.hpp"

namespace sluis::testing {

inline std::span<const unsigned char> bytes_of(std::string_view text) {
  return {reinterpret_cast<const unsigned char*>(text.data()), text.size()};
}

// A passphrase source with libsodium's minimum Argon2id cost, so tests stay fast under ASan.
inline keys::kek_source passphrase(std::string_view text,
                                   keys::argon2_limits limits = keys::argon2_limits::minimum()) {
  return keys::kek_source::from_passphrase(keys::secret_bytes::copy_of(bytes_of(text)), limits);
}

}  // namespace sluis::testing
