#include "gateway/people/totp.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>
#include <stdexcept>

namespace sluis::people {
namespace {

constexpr std::string_view alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

int base32_value(char ch) noexcept {
  if (ch >= 'A' && ch <= 'Z') return ch - 'A';
  if (ch >= 'a' && ch <= 'z') return ch - 'a';
  if (ch >= '2' && ch <= '7') return ch - '2' + 26;
  return -1;
}

constexpr std::array<std::uint32_t, 9> powers_of_ten{1,      10,      100,      1000,     10000,
                                                     100000, 1000000, 10000000, 100000000};

bool all_digits(std::string_view text) noexcept {
  for (const char ch : text) {
    if (ch < '0' || ch > '9') return false;
  }
  return true;
}

}  // namespace

std::string base32_encode(std::span<const unsigned char> bytes) {
  std::string out;
  out.reserve((bytes.size() * 8 + 4) / 5);
  std::uint32_t buffer = 0;
  int bits = 0;
  for (const unsigned char b : bytes) {
    buffer = (buffer << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out.push_back(alphabet[(buffer >> (bits - 5)) & 0x1f]);
      bits -= 5;
    }
  }
  if (bits > 0) out.push_back(alphabet[(buffer << (5 - bits)) & 0x1f]);
  return out;
}

std::optional<std::vector<unsigned char>> base32_decode(std::string_view text) {
  while (!text.empty() && text.back() == '=') text.remove_suffix(1);
  // Lengths whose leftover bits cannot form a byte (1, 3 and 6 characters past a full 8-character
  // group) are never produced by an encoder.
  const std::size_t rest = text.size() % 8;
  if (rest == 1 || rest == 3 || rest == 6) return std::nullopt;
  std::vector<unsigned char> out;
  out.reserve(text.size() * 5 / 8);
  std::uint32_t buffer = 0;
  int bits = 0;
  for (const char ch : text) {
    const int v = base32_value(ch);
    if (v < 0) return std::nullopt;
    buffer = (buffer << 5) | static_cast<std::uint32_t>(v);
    bits += 5;
    if (bits >= 8) {
      out.push_back(static_cast<unsigned char>((buffer >> (bits - 8)) & 0xff));
      bits -= 8;
    }
  }
  return out;
}

std::string hotp(std::span<const unsigned char> key, std::uint64_t counter, int digits) {
  if (digits < 6 || digits > 8) throw std::invalid_argument("HOTP digits must be 6 to 8");
  std::array<unsigned char, 8> message{};
  for (int i = 7; i >= 0; --i) {
    message[static_cast<std::size_t>(i)] = static_cast<unsigned char>(counter & 0xff);
    counter >>= 8;
  }
  std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
  unsigned int mac_size = 0;
  static constexpr unsigned char no_key = 0;
  if (HMAC(EVP_sha1(), key.empty() ? &no_key : key.data(), static_cast<int>(key.size()),
           message.data(), message.size(), mac.data(), &mac_size) == nullptr ||
      mac_size != 20) {
    throw std::runtime_error("HMAC-SHA1 failed");
  }
  // RFC 4226 section 5.3, dynamic truncation.
  const std::size_t offset = mac[19] & 0x0f;
  const std::uint32_t binary = (static_cast<std::uint32_t>(mac[offset] & 0x7f) << 24) |
                               (static_cast<std::uint32_t>(mac[offset + 1]) << 16) |
                               (static_cast<std::uint32_t>(mac[offset + 2]) << 8) |
                               static_cast<std::uint32_t>(mac[offset + 3]);
  const std::uint32_t value = binary % powers_of_ten[static_cast<std::size_t>(digits)];
  std::string code = std::to_string(value);
  return std::string(static_cast<std::size_t>(digits) - code.size(), '0') + code;
}

std::uint64_t totp_step(unix_seconds now) noexcept {
  return now <= 0 ? 0 : static_cast<std::uint64_t>(now / totp_period);
}

std::string totp_code(std::span<const unsigned char> key, unix_seconds now, int digits) {
  return hotp(key, totp_step(now), digits);
}

std::optional<std::uint64_t> match_totp(std::span<const unsigned char> key, std::string_view code,
                                        unix_seconds now,
                                        std::optional<std::uint64_t> last_used_step) {
  if (code.size() != static_cast<std::size_t>(totp_digits) || !all_digits(code)) {
    return std::nullopt;
  }
  const std::uint64_t current = totp_step(now);
  const std::uint64_t first = current == 0 ? 0 : current - 1;
  std::optional<std::uint64_t> matched;
  // Every candidate is computed and compared, matched or not, so the time taken does not say
  // which step (if any) matched.
  for (std::uint64_t step = first; step <= current + 1; ++step) {
    const std::string expected = hotp(key, step, totp_digits);
    const bool equal = CRYPTO_memcmp(expected.data(), code.data(), code.size()) == 0;
    const bool unused = !last_used_step || step > *last_used_step;
    if (equal && unused && !matched) matched = step;
  }
  return matched;
}

}  // namespace sluis::people
