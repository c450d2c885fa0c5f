#include "keys/bsn.hpp"

#include <gtest/gtest.h>

#include <iterator>
#include <string>
#include <type_traits>

namespace sluis::keys {
namespace {

static_assert(!std::is_convertible_v<bsn, std::string>, "a BSN never turns into a string");
static_assert(!std::is_constructible_v<bsn, std::string>, "a BSN only comes from parse()");

TEST(Bsn, AcceptsNumbersThatPassTheElfproef) {
  // 111222333: 9+8+7+12+10+8+9+6-3 = 66 = 6*11; 123456782: 9+16+21+24+25+24+21+16-2 = 154 = 14*11;
  // 999999990: 9*44 - 0 = 396 = 36*11; 100000009: 9 - 9 = 0.
  // Failure output names the case by index: test output never shows a BSN.
  const char* valid_numbers[] = {"111222333", "123456782", "999999990", "100000009"};
  for (std::size_t i = 0; i < std::size(valid_numbers); ++i) {
    const char* valid = valid_numbers[i];
    auto parsed = bsn::parse(valid);
    ASSERT_TRUE(parsed.has_value()) << "case " << i;
    EXPECT_TRUE(parsed->digits_for_pseudonymisation() == valid) << "case " << i;
  }
}

TEST(Bsn, RejectsAWrongChecksumWithoutEchoingTheNumber) {
  const char* wrong_numbers[] = {"111222334", "123456789", "123456783", "999999999"};
  for (std::size_t i = 0; i < std::size(wrong_numbers); ++i) {
    const char* wrong = wrong_numbers[i];
    auto parsed = bsn::parse(wrong);
    ASSERT_FALSE(parsed.has_value()) << "case " << i;
    EXPECT_EQ(parsed.error().code(), errc::invalid_argument);
    EXPECT_EQ(parsed.error().field(), "bsn");
    EXPECT_EQ(parsed.error().message(), "fails the elfproef (11-check)");
    EXPECT_EQ(parsed.error().what().find(wrong), std::string::npos);
  }
}

TEST(Bsn, RejectsAnythingButExactlyNineAsciiDigits) {
  // The last one is 9 bytes: an Arabic-Indic digit one (2 bytes UTF-8) and 7 ASCII digits.
  const char* malformed_inputs[] = {"",
                                    "12345678",
                                    "1234567820",
                                    "11122233a",
                                    "111 22333",
                                    " 111222333",
                                    "111222333 ",
                                    "+11222333",
                                    "-11222333",
                                    "111-22-333",
                                    "\xd9\xa1\x31\x31\x32\x32\x32\x33\x33"};
  for (std::size_t i = 0; i < std::size(malformed_inputs); ++i) {
    auto parsed = bsn::parse(malformed_inputs[i]);
    ASSERT_FALSE(parsed.has_value()) << "case " << i;
    EXPECT_EQ(parsed.error().field(), "bsn");
    EXPECT_EQ(parsed.error().message(), "must be exactly 9 digits");
  }
}

TEST(Bsn, RejectsEmbeddedNul) {
  const std::string with_nul("11122233\0", 9);
  EXPECT_FALSE(bsn::parse(with_nul).has_value());
}

TEST(Bsn, RejectsAllZerosThoughTheyPassTheElfproef) {
  auto parsed = bsn::parse("000000000");
  ASSERT_FALSE(parsed.has_value());
  EXPECT_EQ(parsed.error().field(), "bsn");
  EXPECT_EQ(parsed.error().message(), "must not be all zeros");
}

}  // namespace
}  // namespace sluis::keys
