#pragma once
// A validated Dutch citizen service number (burgerservicenummer).

#include <array>
#include <string_view>

#include "common/error.hpp"

namespace sluis::keys {

// A BSN that passed validation: exactly 9 ASCII digits, the elfproef (11-check), and not all zeros.
// It is personal data, so it has no operator<<, no conversion to string and only one accessor,
// whose ugly name marks the single legitimate reader (the pseudonymiser). Its digits are wiped on
// destruction. A bsn is an immutable value: safe to read from several threads.
class bsn {
 public:
  // Errors (field "bsn") never repeat the input: "must be exactly 9 digits", "fails the elfproef
  // (11-check)" or "must not be all zeros".
  static result<bsn> parse(std::string_view text);

  bsn(const bsn&) = default;
  bsn& operator=(const bsn&) = default;
  ~bsn();

  // The 9 digits, for pseudonymisation only. Never log, store or compare outside the pseudonymiser.
  std::string_view digits_for_pseudonymisation() const noexcept {
    return {digits_.data(), digits_.size()};
  }

 private:
  explicit bsn(std::string_view digits) noexcept;

  std::array<char, 9> digits_;
};

}  // namespace sluis::keys
