#include "gateway/audit/canonical.hpp"

#include <sodium.h>

#include <algorithm>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <string_view>

#include "keys/secret_bytes.hpp"

namespace sluis::audit {
namespace {

constexpr std::string_view chain_domain = "sluis/audit/v1";

class encoder {
 public:
  void u8(std::uint8_t v) { bytes_.push_back(v); }
  void u32(std::uint32_t v) { big_endian(v, 4); }
  void u64(std::uint64_t v) { big_endian(v, 8); }
  void str(std::string_view text) {
    u32(static_cast<std::uint32_t>(text.size()));
    bytes_.insert(bytes_.end(), text.begin(), text.end());
  }
  std::vector<unsigned char> take() && { return std::move(bytes_); }

 private:
  void big_endian(std::uint64_t v, int width) {
    for (int shift = 8 * (width - 1); shift >= 0; shift -= 8) {
      bytes_.push_back(static_cast<unsigned char>(v >> shift));
    }
  }
  std::vector<unsigned char> bytes_;
};

boost::json::value sorted(const boost::json::value& value) {
  if (value.is_array()) {
    boost::json::array out;
    for (const auto& element : value.get_array()) out.push_back(sorted(element));
    return out;
  }
  if (!value.is_object()) return value;
  const auto& object = value.get_object();
  std::vector<std::string_view> keys;
  for (const auto& member : object) keys.push_back(member.key());
  std::sort(keys.begin(), keys.end());
  boost::json::object out;
  for (auto key : keys) out.emplace(key, sorted(object.at(key)));
  return out;
}

}  // namespace

std::string canonical_detail(const boost::json::object& detail) {
  return boost::json::serialize(sorted(detail));
}

std::vector<unsigned char> canonical_encoding(const audit_entry& entry) {
  encoder out;
  out.u64(static_cast<std::uint64_t>(entry.seq));
  out.u64(static_cast<std::uint64_t>(entry.time.time_since_epoch().count()));
  out.str(entry.actor_org);
  out.str(entry.actor_user);
  out.str(entry.action);
  out.str(entry.resource.type);
  out.str(entry.resource.id);
  out.str(entry.family_id);
  out.u32(static_cast<std::uint32_t>(entry.subjects.size()));
  for (const auto& subject : entry.subjects) out.str(subject);
  out.str(entry.purpose);
  out.str(entry.legal_basis);
  out.str(to_string(entry.outcome.kind));
  out.str(entry.outcome.code);
  out.str(entry.policy_version);
  out.str(entry.request_id);
  out.u8(entry.break_glass ? 1 : 0);
  out.str(canonical_detail(entry.detail));
  return std::move(out).take();
}

std::optional<std::int64_t> encoded_seq(std::span<const unsigned char> canonical) {
  if (canonical.size() < 8) return std::nullopt;
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < 8; ++i) v = (v << 8) | canonical[i];
  return static_cast<std::int64_t>(v);
}

chain_hash genesis_hash() noexcept { return chain_hash{}; }

chain_hash chain_next(const chain_hash& previous, std::span<const unsigned char> canonical) {
  keys::ensure_sodium();
  crypto_generichash_state state;
  chain_hash out;
  crypto_generichash_init(&state, nullptr, 0, out.size());
  crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(chain_domain.data()),
                            chain_domain.size());
  crypto_generichash_update(&state, previous.data(), previous.size());
  crypto_generichash_update(&state, canonical.data(), canonical.size());
  crypto_generichash_final(&state, out.data(), out.size());
  return out;
}

std::string to_hex(std::span<const unsigned char> bytes) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char b : bytes) {
    out.push_back(digits[b >> 4]);
    out.push_back(digits[b & 0x0f]);
  }
  return out;
}

}  // namespace sluis::audit
