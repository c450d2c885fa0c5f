#pragma once
// XChaCha20-Poly1305-IETF with a random 24-byte nonce: the one AEAD of the keys module, used to
// wrap keys under keys and to seal family payloads. Output layout: nonce || ciphertext || tag.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "keys/secret_bytes.hpp"

namespace sluis::keys::detail {

inline constexpr std::size_t aead_key_size = 32;
inline constexpr std::size_t aead_nonce_size = 24;
inline constexpr std::size_t aead_tag_size = 16;

// Keys are spans over secret memory (secret_bytes::span(), or a slot of the family key cache).
std::vector<unsigned char> aead_seal(std::span<const unsigned char> key,
                                     std::span<const unsigned char> plaintext,
                                     std::span<const unsigned char> associated_data);

// nullopt when the key, nonce, ciphertext, tag or associated data do not match.
std::optional<std::vector<unsigned char>> aead_open(std::span<const unsigned char> key,
                                                    std::span<const unsigned char> sealed,
                                                    std::span<const unsigned char> associated_data);

// Same as aead_open, but the plaintext (a key) goes straight into secret memory.
std::optional<secret_bytes> aead_open_secret(std::span<const unsigned char> key,
                                             std::span<const unsigned char> sealed,
                                             std::span<const unsigned char> associated_data);

// Same again, into `out`, which must be exactly the plaintext's size (a key's slot in secret memory
// that the caller already holds). False, with `out` wiped, on any mismatch.
bool aead_open_into(std::span<const unsigned char> key, std::span<const unsigned char> sealed,
                    std::span<const unsigned char> associated_data, std::span<unsigned char> out);

// Builds associated data that cannot be confused between purposes or fields: a domain label and
// then every field with a 4-byte big-endian length prefix, so ("ab","c") never equals ("a","bc").
class associated_data {
 public:
  explicit associated_data(std::string_view domain);
  associated_data& add(std::string_view field);
  associated_data& add(std::span<const unsigned char> field);
  associated_data& add(std::uint64_t number);
  std::span<const unsigned char> bytes() const noexcept { return bytes_; }

 private:
  std::vector<unsigned char> bytes_;
};

}  // namespace sluis::keys::detail
