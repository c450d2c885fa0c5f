#include "keys/audit_signer.hpp"

#include <gtest/gtest.h>

#include "keys/detail/hex.hpp"
#include "tests/keys/test_keys.hpp"

namespace sluis::keys {
namespace {

using sluis::testing::bytes_of;

// RFC 8032, section 7.1, TEST 1 (empty message).
TEST(AuditSigner, MatchesRfc8032TestVector) {
  secret_bytes seed(32);
  ASSERT_TRUE(detail::from_hex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
                               seed.span()));
  const audit_signer signer = audit_signer::from_seed(seed);
  EXPECT_EQ(detail::to_hex(signer.public_key()),
            "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
  const ed25519_signature signature = signer.sign({});
  EXPECT_EQ(detail::to_hex(signature),
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39"
            "701cf9b46bd25bf5f0595bbe24655141438e7a100b");
  EXPECT_TRUE(verify(signer.public_key(), {}, signature));
}

TEST(AuditSigner, VerifiesItsOwnSignatureAndDetectsTampering) {
  const audit_signer signer = audit_signer::generate();
  const std::string message = "audit entry 42: view of family f-1";
  const ed25519_signature signature = signer.sign(bytes_of(message));
  EXPECT_TRUE(verify(signer.public_key(), bytes_of(message), signature));

  std::string tampered = message;
  tampered[12] ^= 0x01;
  EXPECT_FALSE(verify(signer.public_key(), bytes_of(tampered), signature));

  ed25519_signature bad_signature = signature;
  bad_signature[5] ^= 0x01;
  EXPECT_FALSE(verify(signer.public_key(), bytes_of(message), bad_signature));

  EXPECT_FALSE(verify(audit_signer::generate().public_key(), bytes_of(message), signature));
}

TEST(AuditSigner, RefusesASeedOfTheWrongSize) {
  EXPECT_THROW(audit_signer::from_seed(secret_bytes::random(31)), std::invalid_argument);
}

}  // namespace
}  // namespace sluis::keys
