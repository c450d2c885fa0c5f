#include "keys/pseudonymiser.hpp"

#include <gtest/gtest.h>

#include <array>
#include <unordered_set>

namespace sluis::keys {
namespace {

secret_bytes counting_key() {
  std::array<unsigned char, 32> key;
  for (unsigned i = 0; i < key.size(); ++i) key[i] = static_cast<unsigned char>(i);
  return secret_bytes::copy_of(key);
}

bsn parse(const char* digits) { return bsn::parse(digits).value(); }

// Pins the construction. Computed independently with Python:
//   hashlib.blake2b(b"sluis/bsn-pseudonym/v1\x00" + b"111222333", key=bytes(range(32)),
//                   digest_size=32).hexdigest()
TEST(Pseudonymiser, MatchesIndependentlyComputedVectors) {
  const keyed_blake2b_pseudonymiser p(counting_key());
  EXPECT_EQ(p.pseudonymise(parse("111222333")).to_hex(),
            "f855eb1c7ef7efccaa7c4ef966197e5490b2388d2e943500b77663a25a960895");
  EXPECT_EQ(p.pseudonymise(parse("123456782")).to_hex(),
            "ccc62f1f62258ee5013b1af7599e297d7f190f2481622ca3549681680fb632d4");
}

TEST(Pseudonymiser, IsStableAndSeparatesCitizens) {
  const keyed_blake2b_pseudonymiser p(secret_bytes::random(32));
  EXPECT_EQ(p.pseudonymise(parse("111222333")), p.pseudonymise(parse("111222333")));
  EXPECT_NE(p.pseudonymise(parse("111222333")), p.pseudonymise(parse("123456782")));
}

TEST(Pseudonymiser, DifferentKeysGiveUnrelatedPseudonyms) {
  const keyed_blake2b_pseudonymiser a(secret_bytes::random(32));
  const keyed_blake2b_pseudonymiser b(secret_bytes::random(32));
  const pseudonym pa = a.pseudonymise(parse("111222333"));
  const pseudonym pb = b.pseudonymise(parse("111222333"));
  int equal_bytes = 0;
  for (std::size_t i = 0; i < pseudonym::size; ++i) equal_bytes += pa.bytes[i] == pb.bytes[i];
  // Unrelated 32-byte values share about 1/256 of their bytes; 8 or more is a (2^-40) fluke.
  EXPECT_LT(equal_bytes, 8);
}

TEST(Pseudonymiser, RefusesAKeyOfTheWrongSize) {
  EXPECT_THROW(keyed_blake2b_pseudonymiser(secret_bytes::random(16)), std::invalid_argument);
}

TEST(Pseudonym, HexRoundTripsAndRejectsMalformedText) {
  const keyed_blake2b_pseudonymiser p(counting_key());
  const pseudonym original = p.pseudonymise(parse("111222333"));
  EXPECT_EQ(pseudonym::from_hex(original.to_hex()).value(), original);
  std::string upper = original.to_hex();
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  EXPECT_EQ(pseudonym::from_hex(upper).value(), original);
  for (const std::string& bad : {std::string(), original.to_hex().substr(2),
                                 original.to_hex() + "00", std::string(64, 'g')}) {
    auto parsed = pseudonym::from_hex(bad);
    ASSERT_FALSE(parsed.has_value());
    EXPECT_EQ(parsed.error().field(), "pseudonym");
  }
}

TEST(Pseudonym, IsHashable) {
  const keyed_blake2b_pseudonymiser p(counting_key());
  std::unordered_set<pseudonym> set{p.pseudonymise(parse("111222333")),
                                    p.pseudonymise(parse("123456782")),
                                    p.pseudonymise(parse("111222333"))};
  EXPECT_EQ(set.size(), 2u);
  EXPECT_TRUE(set.contains(p.pseudonymise(parse("123456782"))));
}

}  // namespace
}  // namespace sluis::keys
