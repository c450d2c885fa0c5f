#include "keys/family_key.hpp"

#include <algorithm>
#include <stdexcept>

#include "keys/detail/aead.hpp"

namespace sluis::keys {

namespace {

constexpr unsigned char format_v1 = 0x01;

void check_key_id(std::string_view key_id) {
  if (key_id.empty() || key_id.size() > family_key::max_key_id_size)
    throw std::invalid_argument("a family key id must have 1 to 64 characters");
}

std::vector<unsigned char> header(std::string_view key_id) {
  std::vector<unsigned char> h{format_v1, static_cast<unsigned char>(key_id.size())};
  h.insert(h.end(), key_id.begin(), key_id.end());
  return h;
}

// The header is authenticated too, so the format byte and the key id cannot be changed.
detail::associated_data bound_to(std::span<const unsigned char> header_bytes,
                                 std::string_view record_id, std::string_view family_id) {
  detail::associated_data ad("sluis/family-payload/v1");
  ad.add(header_bytes).add(record_id).add(family_id);
  return ad;
}

}  // namespace

family_key family_key::generate(std::string key_id) {
  return family_key(std::move(key_id), secret_bytes::random(key_size));
}

family_key::family_key(std::string key_id, secret_bytes&& key)
    : key_id_(std::move(key_id)), owned_(std::move(key)) {
  check_key_id(key_id_);
  if (owned_.size() != key_size) throw std::invalid_argument("a family key must be 32 bytes");
}

family_key::family_key(std::string key_id, family_key_cache::pin&& cached)
    : key_id_(std::move(key_id)), cached_(std::move(cached)) {
  check_key_id(key_id_);
}

std::span<const unsigned char> family_key::bytes() const noexcept {
  return cached_ ? cached_.bytes() : owned_.span();
}

std::vector<unsigned char> family_key::seal(std::string_view record_id, std::string_view family_id,
                                            std::span<const unsigned char> plaintext) const {
  std::vector<unsigned char> sealed = header(key_id_);
  const auto ad = bound_to(sealed, record_id, family_id);
  const auto body = detail::aead_seal(bytes(), plaintext, ad.bytes());
  sealed.insert(sealed.end(), body.begin(), body.end());
  return sealed;
}

result<std::vector<unsigned char>> family_key::open(std::string_view record_id,
                                                    std::string_view family_id,
                                                    std::span<const unsigned char> sealed) const {
  if (sealed.size() < 2 || sealed[0] != format_v1)
    return error::corrupt("sealed payload has an unknown format");
  const std::size_t header_size = 2 + sealed[1];
  if (sealed.size() < header_size + detail::aead_nonce_size + detail::aead_tag_size)
    return error::corrupt("sealed payload is truncated");
  const auto header_bytes = sealed.first(header_size);
  if (!std::equal(header_bytes.begin() + 2, header_bytes.end(), key_id_.begin(), key_id_.end()))
    return error::crypto("sealed payload belongs to another family key");
  const auto ad = bound_to(header_bytes, record_id, family_id);
  auto plaintext = detail::aead_open(bytes(), sealed.subspan(header_size), ad.bytes());
  if (!plaintext) return error::crypto("sealed payload failed authentication");
  return std::move(*plaintext);
}

}  // namespace sluis::keys
