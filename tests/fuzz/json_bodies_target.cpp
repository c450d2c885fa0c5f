#include <cstdlib>
#include <string_view>

#include "adapters/json/partner_api.hpp"
#include "keys/pseudonymiser.hpp"
#include "keys/secret_bytes.hpp"
#include "tests/fuzz/targets.hpp"

namespace sluis::fuzz {
namespace {

const keys::pseudonymiser& fixed_pseudonymiser() {
  static const keys::keyed_blake2b_pseudonymiser p(
      keys::secret_bytes::random(keys::keyed_blake2b_pseudonymiser::key_size));
  return p;
}

}  // namespace

int json_bodies(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view body(reinterpret_cast<const char*>(data) + 1, size - 1);
  const auto& p = fixed_pseudonymiser();
  // An accepted member always stands for a validated BSN: its pseudonym is never the empty one.
  const keys::pseudonym none{};
  switch (data[0] % 3) {
    case 0:
      if (auto family = adapters::json::parse_family_registration(body, p)) {
        for (const auto& m : family->members)
          if (m.pseudonym == none) std::abort();
      }
      break;
    case 1:
      if (auto member = adapters::json::parse_member(body, p)) {
        if (member->pseudonym == none) std::abort();
      }
      break;
    default:
      if (auto contribution = adapters::json::parse_contribution(body, p)) {
        if (contribution->subject && *contribution->subject == none) std::abort();
      }
      break;
  }
  return 0;
}

}  // namespace sluis::fuzz
