#pragma once
// Turns a validated BSN into a pseudonym, behind an interface: a later step replaces the keyed hash
// with polymorphic pseudonyms (ElGamal on Ristretto255, as PEP does) without touching callers.

#include <memory>

#include "keys/bsn.hpp"
#include "keys/pseudonym.hpp"
#include "keys/secret_bytes.hpp"

namespace sluis::keys {

// The same BSN always gives the same pseudonym under the same key; different keys give unrelated
// pseudonyms. Implementations are immutable after construction and safe to call from many threads.
class pseudonymiser {
 public:
  virtual ~pseudonymiser() = default;
  virtual pseudonym pseudonymise(const bsn& citizen) const = 0;
};

// BLAKE2b-256 keyed with a 32-byte key over "sluis/bsn-pseudonym/v1\0" || the 9 ASCII digits.
// The domain label keeps these hashes apart from any other use of the key or of BLAKE2b.
class keyed_blake2b_pseudonymiser final : public pseudonymiser {
 public:
  static constexpr std::size_t key_size = 32;

  // Throws std::invalid_argument unless `key` has key_size bytes (a start-up error, not input).
  explicit keyed_blake2b_pseudonymiser(secret_bytes&& key);
  pseudonym pseudonymise(const bsn& citizen) const override;

 private:
  secret_bytes key_;
};

}  // namespace sluis::keys
