#include "keys/detail/aead.hpp"

#include <sodium.h>

#include <cassert>

namespace sluis::keys::detail {

std::vector<unsigned char> aead_seal(std::span<const unsigned char> key,
                                     std::span<const unsigned char> plaintext,
                                     std::span<const unsigned char> associated_data) {
  ensure_sodium();
  assert(key.size() == aead_key_size);
  std::vector<unsigned char> sealed(aead_nonce_size + plaintext.size() + aead_tag_size);
  randombytes_buf(sealed.data(), aead_nonce_size);
  unsigned long long written = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(
      sealed.data() + aead_nonce_size, &written, plaintext.data(), plaintext.size(),
      associated_data.data(), associated_data.size(), nullptr, sealed.data(), key.data());
  assert(written == plaintext.size() + aead_tag_size);
  return sealed;
}

namespace {

// Decrypts into `out` (plaintext size bytes); false on any authentication failure.
bool open_into(std::span<const unsigned char> key, std::span<const unsigned char> sealed,
               std::span<const unsigned char> associated_data, unsigned char* out) {
  unsigned long long written = 0;
  return crypto_aead_xchacha20poly1305_ietf_decrypt(
             out, &written, nullptr, sealed.data() + aead_nonce_size,
             sealed.size() - aead_nonce_size, associated_data.data(), associated_data.size(),
             sealed.data(), key.data()) == 0;
}

bool well_formed(std::span<const unsigned char> key, std::span<const unsigned char> sealed) {
  return key.size() == aead_key_size && sealed.size() >= aead_nonce_size + aead_tag_size;
}

}  // namespace

std::optional<std::vector<unsigned char>> aead_open(
    std::span<const unsigned char> key, std::span<const unsigned char> sealed,
    std::span<const unsigned char> associated_data) {
  ensure_sodium();
  if (!well_formed(key, sealed)) return std::nullopt;
  std::vector<unsigned char> plaintext(sealed.size() - aead_nonce_size - aead_tag_size);
  if (!open_into(key, sealed, associated_data, plaintext.data())) return std::nullopt;
  return plaintext;
}

bool aead_open_into(std::span<const unsigned char> key, std::span<const unsigned char> sealed,
                    std::span<const unsigned char> associated_data, std::span<unsigned char> out) {
  ensure_sodium();
  if (!well_formed(key, sealed) || out.size() != sealed.size() - aead_nonce_size - aead_tag_size)
    return false;
  if (open_into(key, sealed, associated_data, out.data())) return true;
  sodium_memzero(out.data(), out.size());
  return false;
}

std::optional<secret_bytes> aead_open_secret(std::span<const unsigned char> key,
                                             std::span<const unsigned char> sealed,
                                             std::span<const unsigned char> associated_data) {
  ensure_sodium();
  if (!well_formed(key, sealed)) return std::nullopt;
  secret_bytes plaintext(sealed.size() - aead_nonce_size - aead_tag_size);
  if (!open_into(key, sealed, associated_data, plaintext.data())) return std::nullopt;
  return plaintext;
}

associated_data::associated_data(std::string_view domain) {
  bytes_.assign(domain.begin(), domain.end());
  bytes_.push_back(0);  // The label ends at a NUL, so no label is a prefix of another.
}

associated_data& associated_data::add(std::string_view field) {
  return add(std::span(reinterpret_cast<const unsigned char*>(field.data()), field.size()));
}

associated_data& associated_data::add(std::span<const unsigned char> field) {
  const auto size = static_cast<std::uint32_t>(field.size());
  for (int shift = 24; shift >= 0; shift -= 8) bytes_.push_back((size >> shift) & 0xff);
  bytes_.insert(bytes_.end(), field.begin(), field.end());
  return *this;
}

associated_data& associated_data::add(std::uint64_t number) {
  unsigned char be[8];
  for (int i = 0; i < 8; ++i) be[i] = (number >> (56 - 8 * i)) & 0xff;
  return add(std::span<const unsigned char>(be, 8));
}

}  // namespace sluis::keys::detail
