#pragma once
// Hex text for the backup's digests, signatures and wrapped keys.

#include <sodium.h>

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace sluis::backup {

inline std::string to_hex(std::span<const unsigned char> bytes) {
  std::string hex(bytes.size() * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), bytes.data(), bytes.size());
  hex.pop_back();
  return hex;
}

// False unless `hex` is exactly out.size() bytes of hex.
inline bool from_hex(std::string_view hex, std::span<unsigned char> out) {
  std::size_t n = 0;
  return hex.size() == out.size() * 2 &&
         sodium_hex2bin(out.data(), out.size(), hex.data(), hex.size(), nullptr, &n, nullptr) ==
             0 &&
         n == out.size();
}

inline std::vector<unsigned char> bytes_from_hex(std::string_view hex, bool& ok) {
  std::vector<unsigned char> out(hex.size() / 2);
  ok = hex.size() % 2 == 0 && from_hex(hex, out);
  return out;
}

inline std::string_view trimmed(std::string_view text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.remove_suffix(1);
  return text;
}

}  // namespace sluis::backup
