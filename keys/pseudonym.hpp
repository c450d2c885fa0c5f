#pragma once
// The stable, non-reversible stand-in for a BSN that the rest of Sluis stores and looks up.

#include <array>
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include "common/error.hpp"

namespace sluis::keys {

// 32 bytes derived from a BSN under the pseudonym key. Not personal data on its own (it cannot be
// reversed without the key), so it may be stored, compared and hashed; still keep it out of logs,
// as it links records of one person. A plain value: safe to share between threads.
struct pseudonym {
  static constexpr std::size_t size = 32;
  std::array<unsigned char, size> bytes{};

  // 64 lower-case hex characters.
  std::string to_hex() const;
  // Accepts exactly 64 hex characters (either case); error field "pseudonym" otherwise.
  static result<pseudonym> from_hex(std::string_view hex);

  friend bool operator==(const pseudonym&, const pseudonym&) = default;
};

}  // namespace sluis::keys

template <>
struct std::hash<sluis::keys::pseudonym> {
  // The bytes are already uniformly random, so the first machine word is a good hash.
  std::size_t operator()(const sluis::keys::pseudonym& p) const noexcept;
};
