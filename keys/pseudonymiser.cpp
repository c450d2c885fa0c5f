#include "keys/pseudonymiser.hpp"

#include <sodium.h>

#include <stdexcept>
#include <string_view>

namespace sluis::keys {

namespace {
// sizeof includes the terminating NUL, which is part of the domain separator on purpose.
constexpr char domain[] = "sluis/bsn-pseudonym/v1";
}  // namespace

keyed_blake2b_pseudonymiser::keyed_blake2b_pseudonymiser(secret_bytes&& key)
    : key_(std::move(key)) {
  if (key_.size() != key_size) throw std::invalid_argument("the pseudonym key must be 32 bytes");
}

pseudonym keyed_blake2b_pseudonymiser::pseudonymise(const bsn& citizen) const {
  const std::string_view digits = citizen.digits_for_pseudonymisation();
  crypto_generichash_state state;
  crypto_generichash_init(&state, key_.data(), key_.size(), pseudonym::size);
  crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(domain), sizeof domain);
  crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(digits.data()),
                            digits.size());
  pseudonym out;
  crypto_generichash_final(&state, out.bytes.data(), out.bytes.size());
  sodium_memzero(&state, sizeof state);  // The state holds the digits and the key.
  return out;
}

}  // namespace sluis::keys
