#include "keys/bsn.hpp"

#include <sodium.h>

#include <algorithm>

namespace sluis::keys {

namespace {

bool is_ascii_digit(char c) { return c >= '0' && c <= '9'; }

// 9*d1 + 8*d2 + ... + 2*d8 - 1*d9 must be divisible by 11.
bool passes_elfproef(std::string_view digits) {
  int sum = 0;
  for (std::size_t i = 0; i < 8; ++i) sum += static_cast<int>(9 - i) * (digits[i] - '0');
  sum -= digits[8] - '0';
  return sum % 11 == 0;
}

}  // namespace

result<bsn> bsn::parse(std::string_view text) {
  if (text.size() != 9 || !std::all_of(text.begin(), text.end(), is_ascii_digit))
    return error::invalid("bsn", "must be exactly 9 digits");
  if (std::all_of(text.begin(), text.end(), [](char c) { return c == '0'; }))
    return error::invalid("bsn", "must not be all zeros");
  if (!passes_elfproef(text)) return error::invalid("bsn", "fails the elfproef (11-check)");
  return bsn(text);
}

bsn::bsn(std::string_view digits) noexcept { std::copy_n(digits.begin(), 9, digits_.begin()); }

bsn::~bsn() { sodium_memzero(digits_.data(), digits_.size()); }

}  // namespace sluis::keys
