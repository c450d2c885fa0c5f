#include "gateway/config/config.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/support/temp_dir.hpp"

namespace sluis::config {
namespace {

using ::testing::HasSubstr;

constexpr const char* minimal_tls = R"(
[tls]
certificate = "pki/server.pem"
private_key = "/etc/sluis/server.key"
client_ca = "pki/ca.pem"
)";

result<gateway_config> parse_text(const std::string& text) {
  return parse(text, "config.toml", "/data");
}

TEST(Config, ExampleConfigurationParses) {
  const auto text = testing::read_file(SLUIS_EXAMPLE_CONFIG);
  auto config = parse(text, "config.example.toml", "/data");
  ASSERT_TRUE(config) << config.error().what();
  EXPECT_EQ(config->organisations.size(), 9u);
  EXPECT_EQ(config->server.port, 8443);
  EXPECT_EQ(config->tls.client_ca, std::filesystem::path("/data/pki/ca.pem"));
  EXPECT_EQ(config->policy_file, std::filesystem::path("/data/policy.toml"));
  const organisation* ggz = config->find("ggz-noord");
  ASSERT_NE(ggz, nullptr);
  EXPECT_TRUE(ggz->professional_secrecy);
  EXPECT_EQ(config->find_by_certificate("00000099000000000002", ""), ggz);
}

TEST(Config, DefaultsApplyAndAbsolutePathsStay) {
  auto config = parse_text(minimal_tls);
  ASSERT_TRUE(config) << config.error().what();
  EXPECT_EQ(config->server.body_limit_bytes, 1024u * 1024u);
  EXPECT_EQ(config->server.idle_timeout, std::chrono::seconds(60));
  EXPECT_EQ(config->tls.private_key, std::filesystem::path("/etc/sluis/server.key"));
}

TEST(Config, UnknownKeyIsAnErrorWithLineAndColumn) {
  auto config = parse_text(std::string(minimal_tls) + "[server]\nprot = 8443\n");
  ASSERT_FALSE(config);
  EXPECT_THAT(config.error().message(), HasSubstr("config.toml:7:1: unknown key 'prot'"));
  EXPECT_THAT(config.error().message(), HasSubstr("port"));
}

TEST(Config, WrongTypeNamesTheKey) {
  auto config = parse_text(std::string(minimal_tls) + "[server]\nport = \"8443\"\n");
  ASSERT_FALSE(config);
  EXPECT_THAT(config.error().message(), HasSubstr("config.toml:7:8: port must be a whole number"));
}

TEST(Config, PortOutOfRangeIsRejected) {
  auto config = parse_text(std::string(minimal_tls) + "[server]\nport = 70000\n");
  ASSERT_FALSE(config);
  EXPECT_THAT(config.error().message(), HasSubstr("between 0 and 65535"));
}

TEST(Config, SyntaxErrorCarriesPosition) {
  auto config = parse_text("[server\nport = 1\n");
  ASSERT_FALSE(config);
  EXPECT_THAT(config.error().message(), HasSubstr("config.toml:1:"));
}

TEST(Config, MissingTlsIsAnError) {
  auto config = parse_text("[server]\nport = 1\n");
  ASSERT_FALSE(config);
  EXPECT_THAT(config.error().message(), HasSubstr("[tls] needs"));
}

TEST(Config, OrganisationNeedsACertificateMatch) {
  auto config = parse_text(std::string(minimal_tls) +
                           "[[organisation]]\nid = \"ggz\"\nname = \"GGZ\"\nsector = \"ggz\"\n");
  ASSERT_FALSE(config);
  EXPECT_THAT(config.error().message(), HasSubstr("needs certificate.oin or certificate.sha256"));
}

TEST(Config, DuplicateOrganisationIdIsRejected) {
  const std::string org =
      "[[organisation]]\nid = \"ggz\"\nname = \"GGZ\"\nsector = \"ggz\"\n"
      "certificate = { oin = \"1\" }\n";
  auto config = parse_text(std::string(minimal_tls) + org + org);
  ASSERT_FALSE(config);
  EXPECT_THAT(config.error().message(), HasSubstr("used twice"));
}

TEST(Config, FingerprintIsNormalisedAndMatched) {
  const std::string fp(64, 'A');
  auto config = parse_text(std::string(minimal_tls) +
                           "[[organisation]]\nid = \"ggz\"\nname = \"GGZ\"\nsector = \"ggz\"\n"
                           "certificate = { sha256 = \"" +
                           fp + "\" }\n");
  ASSERT_TRUE(config) << config.error().what();
  EXPECT_NE(config->find_by_certificate("", std::string(64, 'a')), nullptr);
  EXPECT_EQ(config->find_by_certificate("", std::string(64, 'b')), nullptr);
  EXPECT_EQ(config->find_by_certificate("unknown-oin", ""), nullptr);
}

}  // namespace
}  // namespace sluis::config
