#include "keys/detail/hex.hpp"

#include <sodium.h>

#include "keys/secret_bytes.hpp"

namespace sluis::keys::detail {

std::string to_hex(std::span<const unsigned char> bytes) {
  ensure_sodium();
  std::string hex(bytes.size() * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), bytes.data(), bytes.size());
  hex.pop_back();
  return hex;
}

bool from_hex(std::string_view hex, std::span<unsigned char> out) {
  ensure_sodium();
  if (hex.size() != out.size() * 2) return false;
  std::size_t written = 0;
  const char* end = nullptr;
  // sodium_hex2bin runs in constant time, which matters when the hex is a key.
  if (sodium_hex2bin(out.data(), out.size(), hex.data(), hex.size(), nullptr, &written, &end) != 0)
    return false;
  return written == out.size() && end == hex.data() + hex.size();
}

std::optional<std::vector<unsigned char>> from_hex(std::string_view hex) {
  if (hex.size() % 2 != 0) return std::nullopt;
  std::vector<unsigned char> bytes(hex.size() / 2);
  if (!from_hex(hex, bytes)) return std::nullopt;
  return bytes;
}

}  // namespace sluis::keys::detail
