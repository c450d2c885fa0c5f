#include <cstdlib>
#include <string_view>

#include "keys/bsn.hpp"
#include "tests/fuzz/targets.hpp"

namespace sluis::fuzz {
namespace {

// The elfproef written out again, independently of keys/bsn.cpp: 9 digits, weights 9..2 and -1,
// sum divisible by 11, not all zeros.
bool valid_bsn(std::string_view s) {
  if (s.size() != 9) return false;
  int sum = 0;
  bool all_zero = true;
  for (std::size_t i = 0; i < 9; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    const int digit = s[i] - '0';
    all_zero = all_zero && digit == 0;
    sum += (i < 8 ? static_cast<int>(9 - i) : -1) * digit;
  }
  return !all_zero && sum % 11 == 0;
}

}  // namespace

int bsn(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto parsed = keys::bsn::parse(text);
  if (parsed.has_value() != valid_bsn(text)) std::abort();
  if (parsed && parsed->digits_for_pseudonymisation() != text) std::abort();
  if (!parsed && parsed.error().field() != "bsn") std::abort();
  return 0;
}

}  // namespace sluis::fuzz
