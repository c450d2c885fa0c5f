#include "keys/pseudonym.hpp"

#include <cstring>

#include "keys/detail/hex.hpp"

namespace sluis::keys {

std::string pseudonym::to_hex() const { return detail::to_hex(bytes); }

result<pseudonym> pseudonym::from_hex(std::string_view hex) {
  pseudonym p;
  if (!detail::from_hex(hex, p.bytes))
    return error::invalid("pseudonym", "must be exactly 64 hexadecimal characters");
  return p;
}

}  // namespace sluis::keys

std::size_t std::hash<sluis::keys::pseudonym>::operator()(
    const sluis::keys::pseudonym& p) const noexcept {
  std::size_t h = 0;
  std::memcpy(&h, p.bytes.data(), sizeof h);
  return h;
}
