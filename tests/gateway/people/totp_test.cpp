// TOTP and base32: known answers from RFC 6238 appendix B and RFC 4648 section 10, drift and reuse.

#include "gateway/people/totp.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace sluis::people {
namespace {

std::vector<unsigned char> bytes_of(std::string_view text) { return {text.begin(), text.end()}; }

const std::vector<unsigned char> rfc_seed = bytes_of("12345678901234567890");

struct rfc6238_vector {
  unix_seconds time;
  std::string code8;
};

// RFC 6238 appendix B, the SHA1 column.
const rfc6238_vector rfc6238_sha1[] = {
    {59, "94287082"},         {1111111109, "07081804"}, {1111111111, "14050471"},
    {1234567890, "89005924"}, {2000000000, "69279037"}, {20000000000, "65353130"},
};

TEST(Totp, Rfc6238AppendixBSha1EightDigits) {
  for (const auto& v : rfc6238_sha1) {
    EXPECT_EQ(totp_code(rfc_seed, v.time, 8), v.code8) << "T=" << v.time;
  }
}

TEST(Totp, SixDigitsAreTheLastSixOfTheSameValue) {
  for (const auto& v : rfc6238_sha1) {
    EXPECT_EQ(totp_code(rfc_seed, v.time), v.code8.substr(2)) << "T=" << v.time;
  }
}

TEST(Totp, Rfc4226AppendixDHotpValues) {
  const char* expected[] = {"755224", "287082", "359152", "969429", "338314",
                            "254676", "287922", "162583", "399871", "520489"};
  for (std::uint64_t counter = 0; counter < 10; ++counter) {
    EXPECT_EQ(hotp(rfc_seed, counter, 6), expected[counter]);
  }
}

TEST(Totp, StepsAreThirtySeconds) {
  EXPECT_EQ(totp_step(0), 0u);
  EXPECT_EQ(totp_step(29), 0u);
  EXPECT_EQ(totp_step(30), 1u);
  EXPECT_EQ(totp_step(59), 1u);
  EXPECT_EQ(totp_step(-5), 0u);
}

TEST(Totp, MatchAcceptsOneStepOfDriftEitherSide) {
  const unix_seconds now = 1111111111;
  const auto step = totp_step(now);
  EXPECT_EQ(match_totp(rfc_seed, totp_code(rfc_seed, now), now, std::nullopt), step);
  EXPECT_EQ(match_totp(rfc_seed, totp_code(rfc_seed, now - 30), now, std::nullopt), step - 1);
  EXPECT_EQ(match_totp(rfc_seed, totp_code(rfc_seed, now + 30), now, std::nullopt), step + 1);
  EXPECT_EQ(match_totp(rfc_seed, totp_code(rfc_seed, now - 60), now, std::nullopt), std::nullopt);
  EXPECT_EQ(match_totp(rfc_seed, totp_code(rfc_seed, now + 60), now, std::nullopt), std::nullopt);
}

TEST(Totp, MatchRefusesAStepAlreadyUsedOrEarlier) {
  const unix_seconds now = 1234567890;
  const auto step = totp_step(now);
  const auto code = totp_code(rfc_seed, now);
  EXPECT_EQ(match_totp(rfc_seed, code, now, step), std::nullopt);
  EXPECT_EQ(match_totp(rfc_seed, code, now, step + 1), std::nullopt);
  EXPECT_EQ(match_totp(rfc_seed, code, now, step - 1), step);
  // The previous step's code, after the current step was used, is refused as well.
  EXPECT_EQ(match_totp(rfc_seed, totp_code(rfc_seed, now - 30), now, step), std::nullopt);
}

TEST(Totp, MatchRefusesMalformedCodes) {
  const unix_seconds now = 1234567890;
  const auto code = totp_code(rfc_seed, now);
  EXPECT_EQ(match_totp(rfc_seed, "", now, std::nullopt), std::nullopt);
  EXPECT_EQ(match_totp(rfc_seed, code.substr(1), now, std::nullopt), std::nullopt);
  EXPECT_EQ(match_totp(rfc_seed, code + "0", now, std::nullopt), std::nullopt);
  EXPECT_EQ(match_totp(rfc_seed, "12345a", now, std::nullopt), std::nullopt);
  EXPECT_EQ(match_totp(rfc_seed, "89005924", now, std::nullopt), std::nullopt);  // 8 digits
}

TEST(Base32, Rfc4648TestVectorsWithoutPadding) {
  const std::pair<const char*, const char*> vectors[] = {
      {"", ""},
      {"f", "MY"},
      {"fo", "MZXQ"},
      {"foo", "MZXW6"},
      {"foob", "MZXW6YQ"},
      {"fooba", "MZXW6YTB"},
      {"foobar", "MZXW6YTBOI"},
  };
  for (const auto& [plain, encoded] : vectors) {
    EXPECT_EQ(base32_encode(bytes_of(plain)), encoded);
    EXPECT_EQ(base32_decode(encoded), bytes_of(plain)) << encoded;
  }
  EXPECT_EQ(base32_decode("MZXW6YQ="), bytes_of("foob"));
  EXPECT_EQ(base32_decode("mzxw6ytboi"), bytes_of("foobar"));
}

TEST(Base32, TheRfcSeedIsTheWellKnownSecret) {
  EXPECT_EQ(base32_encode(rfc_seed), "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
}

TEST(Base32, DecodeRefusesForeignCharactersAndImpossibleLengths) {
  EXPECT_EQ(base32_decode("MZXW1"), std::nullopt);  // 1 is not in the alphabet
  EXPECT_EQ(base32_decode("MZ XW"), std::nullopt);
  EXPECT_EQ(base32_decode("M"), std::nullopt);
  EXPECT_EQ(base32_decode("MZX"), std::nullopt);
  EXPECT_EQ(base32_decode("MZXW6Y"), std::nullopt);
}

}  // namespace
}  // namespace sluis::people
