#include "keys/family_key.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/keys/test_keys.hpp"

namespace sluis::keys {
namespace {

using sluis::testing::bytes_of;

const std::string payload = R"({"goal":"stable housing","owner":"woningcorporatie"})";

std::string text_of(const std::vector<unsigned char>& bytes) {
  return {bytes.begin(), bytes.end()};
}

TEST(FamilyKey, SealsAndOpens) {
  const family_key key = family_key::generate("fk-test");
  const auto sealed = key.seal("record-1", "family-1", bytes_of(payload));
  auto opened = key.open("record-1", "family-1", sealed);
  ASSERT_TRUE(opened.has_value()) << opened.error().what();
  EXPECT_EQ(text_of(*opened), payload);
}

TEST(FamilyKey, SealsAnEmptyPayload) {
  const family_key key = family_key::generate("fk-test");
  const auto sealed = key.seal("r", "f", {});
  auto opened = key.open("r", "f", sealed);
  ASSERT_TRUE(opened.has_value());
  EXPECT_TRUE(opened->empty());
}

TEST(FamilyKey, LayoutHasAVersionedHeaderWithTheKeyIdAndARandomNonce) {
  const family_key key = family_key::generate("fk-abc");
  const auto a = key.seal("r", "f", bytes_of(payload));
  const auto b = key.seal("r", "f", bytes_of(payload));
  ASSERT_EQ(a.size(), 2 + 6 + 24 + payload.size() + 16);
  EXPECT_EQ(a[0], 0x01);
  EXPECT_EQ(a[1], 6);
  EXPECT_EQ(std::string(a.begin() + 2, a.begin() + 8), "fk-abc");
  EXPECT_NE(a, b) << "every seal uses a fresh nonce";
  // The plaintext does not appear in the sealed bytes.
  EXPECT_EQ(text_of(a).find("stable housing"), std::string::npos);
}

TEST(FamilyKey, DetectsEverySingleFlippedByte) {
  // Covers the format byte, the key id length and bytes, the nonce, the ciphertext and the tag.
  const family_key key = family_key::generate("fk-test");
  const auto sealed = key.seal("record-1", "family-1", bytes_of(payload));
  for (std::size_t i = 0; i < sealed.size(); ++i) {
    auto tampered = sealed;
    tampered[i] ^= 0x01;
    EXPECT_FALSE(key.open("record-1", "family-1", tampered).has_value()) << "byte " << i;
  }
}

TEST(FamilyKey, BindsRecordIdAndFamilyId) {
  const family_key key = family_key::generate("fk-test");
  const auto sealed = key.seal("record-1", "family-1", bytes_of(payload));
  for (auto [record, family] :
       {std::pair{"record-2", "family-1"}, std::pair{"record-1", "family-2"},
        std::pair{"family-1", "record-1"}, std::pair{"record-1", "family-1 "},
        std::pair{"", "family-1"}}) {
    auto opened = key.open(record, family, sealed);
    ASSERT_FALSE(opened.has_value()) << record << " / " << family;
    EXPECT_EQ(opened.error().code(), errc::crypto);
  }
}

TEST(FamilyKey, LengthPrefixesKeepFieldBoundaries) {
  const family_key key = family_key::generate("fk-test");
  const auto sealed = key.seal("ab", "c", bytes_of(payload));
  EXPECT_FALSE(key.open("a", "bc", sealed).has_value());
  EXPECT_TRUE(key.open("ab", "c", sealed).has_value());
}

TEST(FamilyKey, AnotherKeyIdIsRefused) {
  const family_key key = family_key::generate("fk-one");
  const family_key other = family_key::generate("fk-two");
  auto opened = other.open("r", "f", key.seal("r", "f", bytes_of(payload)));
  ASSERT_FALSE(opened.has_value());
  EXPECT_EQ(opened.error().code(), errc::crypto);
}

TEST(FamilyKey, CryptoShreddingAFreshKeyWithTheSameIdCannotOpen) {
  const family_key original = family_key::generate("fk-family-1");
  const auto sealed = original.seal("record-1", "family-1", bytes_of(payload));
  const family_key replacement = family_key::generate(original.key_id());
  auto opened = replacement.open("record-1", "family-1", sealed);
  ASSERT_FALSE(opened.has_value());
  EXPECT_EQ(opened.error().code(), errc::crypto);
}

TEST(FamilyKey, MalformedBlobsAreCorruptNotCrashes) {
  const family_key key = family_key::generate("fk-test");
  const auto sealed = key.seal("r", "f", bytes_of(payload));
  for (std::size_t size : {std::size_t{0}, std::size_t{1}, std::size_t{2}, std::size_t{8 + 24},
                           std::size_t{8 + 24 + 15}}) {
    std::vector<unsigned char> truncated(sealed.begin(), sealed.begin() + size);
    auto opened = key.open("r", "f", truncated);
    ASSERT_FALSE(opened.has_value()) << size;
    EXPECT_EQ(opened.error().code(), errc::corrupt) << size;
  }
  auto future = sealed;
  future[0] = 0x02;
  EXPECT_EQ(key.open("r", "f", future).error().code(), errc::corrupt);
}

TEST(FamilyKey, RefusesInvalidKeyIdsAndSizes) {
  EXPECT_THROW(family_key::generate(""), std::invalid_argument);
  EXPECT_THROW(family_key::generate(std::string(65, 'k')), std::invalid_argument);
  EXPECT_NO_THROW(family_key::generate(std::string(64, 'k')));
  EXPECT_THROW(family_key("fk", secret_bytes::random(16)), std::invalid_argument);
}

}  // namespace
}  // namespace sluis::keys
