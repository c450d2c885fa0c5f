// sluis user add|list|disable|reset, run as the command line runs them, on a real data directory:
// what they print, what they refuse, what they audit (and never audit), and that the printed
// enrolment logs in.

#include "gateway/cli/user_commands.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <CLI/CLI.hpp>
#include <sstream>

#include "gateway/cli/commands.hpp"
#include "gateway/people/user_store.hpp"
#include "gateway/store/connection.hpp"
#include "gateway/store/statement.hpp"
#include "keys/kek.hpp"
#include "keys/key_ring.hpp"
#include "tests/support/temp_dir.hpp"

namespace sluis::cli {
namespace {

using sluis::testing::temp_dir;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr std::string_view password = "correct horse battery";

class UserCommands : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto data = dir_ / "data";
    std::filesystem::create_directories(data);
    sluis::testing::write_file(
        data / "config.toml",
        "[tls]\ncertificate = \"pki/server.pem\"\nprivate_key = \"pki/server.key\"\n"
        "client_ca = \"pki/ca.pem\"\n[policy]\nfile = \"policy.toml\"\n"
        "[[organisation]]\nid = \"wijkteam\"\nname = \"Wijkteam\"\nsector = \"wijkteam\"\n"
        "certificate = { sha256 = \"" +
            std::string(64, 'a') + "\" }\n");
    ASSERT_TRUE(keys::create_key_file(dir_ / "kek.key"));
    auto source = keys::kek_source::from_key_file(dir_ / "kek.key");
    ASSERT_TRUE(source);
    ASSERT_TRUE(keys::keyring::create(data / "keyring.toml", *source));
    options_.unlock.data_dir = data;
    options_.unlock.key_file = dir_ / "kek.key";
    options_.id = "gm-jansen";
    options_.organisation = "wijkteam";
    options_.role = "gezinsmanager";
    options_.display_name = "Mevrouw Jansen";
    options_.password_stdin = true;
  }

  std::string add(const user_options& o) {
    std::istringstream in(std::string(password) + "\n");
    std::ostringstream out;
    user_add(o, in, out);
    return out.str();
  }

  std::string list() {
    std::ostringstream out;
    user_list(options_, out);
    return out.str();
  }

  // The value printed after `label` up to the end of its line.
  static std::string printed(const std::string& output, std::string_view label) {
    const auto at = output.find(label);
    EXPECT_NE(at, std::string::npos) << output;
    if (at == std::string::npos) return {};
    const auto start = at + label.size();
    return output.substr(start, output.find('\n', start) - start);
  }

  // Everything in the audit log: actions, and every column as text, for "never audited" checks.
  std::pair<std::vector<std::string>, std::string> audit_log() {
    auto opened = open_data_dir(options_.unlock).value();
    return opened.audit->reads().with([](store::connection& db) {
      std::vector<std::string> actions;
      std::string everything;
      auto st = db.prepare("SELECT * FROM audit_log ORDER BY seq");
      while (st->step().value()) {
        actions.emplace_back(st->column_text(4));
        for (int c = 0; c < st->column_count(); ++c) {
          everything += st->column_text(c);
          everything += '\n';
        }
      }
      return std::pair{actions, everything};
    });
  }

  temp_dir dir_;
  user_options options_;
};

TEST_F(UserCommands, AddPrintsTheEnrolmentOnceAndItLogsIn) {
  const std::string out = add(options_);
  EXPECT_THAT(out, HasSubstr("added user gm-jansen (wijkteam, gezinsmanager)"));
  const std::string secret = printed(out, "enter it in an authenticator app): ");
  EXPECT_EQ(secret.size(), 32u);
  EXPECT_EQ(printed(out, "otpauth URI (for a QR code): "),
            people::otpauth_uri("gm-jansen", secret));

  auto opened = open_data_dir(options_.unlock).value();
  const people::user_store users(opened.keyring);
  const std::int64_t now = std::time(nullptr);
  ASSERT_TRUE(opened.store->writes().run([&](store::connection& db) -> result<void> {
    const auto key = people::base32_decode(secret).value();
    auto u = users.verify_login(db, "gm-jansen", password, people::totp_code(key, now), now);
    EXPECT_TRUE(u) << u.error().what();
    return {};
  }));
}

// `sluis keys rotate --retire-old` must re-wrap the TOTP keys too, or every login fails after it.
TEST_F(UserCommands, TheEnrolmentStillLogsInAfterKeyRotationAndRetirement) {
  const std::string secret = printed(add(options_), "enter it in an authenticator app): ");
  {
    CLI::App app;
    add_keys_commands(app);
    const std::string data = options_.unlock.data_dir.string();
    const std::string key_file = options_.unlock.key_file->string();
    const std::string command_line =
        "keys rotate --retire-old --data " + data + " --key-file " + key_file;
    ::testing::internal::CaptureStdout();
    app.parse(command_line, false);
    const std::string printed_out = ::testing::internal::GetCapturedStdout();
    EXPECT_THAT(printed_out, HasSubstr("kek version 1: retired"));
  }
  auto opened = open_data_dir(options_.unlock).value();
  const people::user_store users(opened.keyring);
  const std::int64_t now = std::time(nullptr);
  ASSERT_TRUE(opened.store->writes().run([&](store::connection& db) -> result<void> {
    const auto key = people::base32_decode(secret).value();
    auto u = users.verify_login(db, "gm-jansen", password, people::totp_code(key, now), now);
    EXPECT_TRUE(u) << u.error().what();
    return {};
  }));
}

TEST_F(UserCommands, ListShowsAccountsButNoSecret) {
  const std::string added = add(options_);
  const std::string secret = printed(added, "enter it in an authenticator app): ");
  auto other = options_;
  other.id = "pm-bakker";
  other.role = "procesmanager";
  other.display_name = "Meneer Bakker";
  add(other);
  const std::string out = list();
  EXPECT_THAT(out, HasSubstr("gm-jansen"));
  EXPECT_THAT(out, HasSubstr("pm-bakker"));
  EXPECT_THAT(out, HasSubstr("procesmanager"));
  EXPECT_THAT(out, HasSubstr("Mevrouw Jansen"));
  EXPECT_THAT(out, HasSubstr("2 users"));
  EXPECT_THAT(out, Not(HasSubstr(secret)));
  EXPECT_THAT(out, Not(HasSubstr("otpauth")));
  EXPECT_THAT(out, Not(HasSubstr(std::string(password))));
  EXPECT_THAT(out, Not(HasSubstr("argon2")));
}

TEST_F(UserCommands, UnknownOrganisationAndRoleAreRefusedBeforeAnythingChanges) {
  auto o = options_;
  o.organisation = "nergens";
  try {
    add(o);
    FAIL() << "accepted an unknown organisation";
  } catch (const error_exception& e) {
    EXPECT_EQ(e.err().field(), "organisation");
  }
  o = options_;
  o.role = "baas";
  try {
    add(o);
    FAIL() << "accepted an unknown role";
  } catch (const error_exception& e) {
    EXPECT_EQ(e.err().field(), "role");
  }
  EXPECT_THAT(list(), HasSubstr("0 users"));
}

TEST_F(UserCommands, DisableAndResetAreAuditedWithoutSecrets) {
  const std::string added = add(options_);
  std::ostringstream disabled;
  user_disable(options_, disabled);
  EXPECT_THAT(disabled.str(), HasSubstr("disabled user gm-jansen"));
  EXPECT_THAT(list(), HasSubstr("disabled"));

  std::istringstream in("another long password\n");
  std::ostringstream reset;
  user_reset(options_, in, reset);
  const std::string new_secret = printed(reset.str(), "enter it in an authenticator app): ");
  EXPECT_EQ(new_secret.size(), 32u);
  EXPECT_NE(new_secret, printed(added, "enter it in an authenticator app): "));

  auto unknown = options_;
  unknown.id = "nobody";
  std::istringstream in2("another long password\n");
  std::ostringstream ignored;
  EXPECT_THROW(user_reset(unknown, in2, ignored), error_exception);
  EXPECT_THROW(user_disable(unknown, ignored), error_exception);

  const auto [actions, everything] = audit_log();
  EXPECT_THAT(actions,
              ::testing::ElementsAre("user.add", "user.disable", "user.list", "user.reset"));
  EXPECT_THAT(everything, HasSubstr("gm-jansen"));
  EXPECT_THAT(everything, Not(HasSubstr(std::string(password))));
  EXPECT_THAT(everything, Not(HasSubstr("another long password")));
  EXPECT_THAT(everything, Not(HasSubstr(new_secret)));
  EXPECT_THAT(everything, Not(HasSubstr(printed(added, "enter it in an authenticator app): "))));
  EXPECT_THAT(everything, Not(HasSubstr("Mevrouw Jansen")));
}

TEST_F(UserCommands, AShortPasswordFromStdinIsRefused) {
  std::istringstream in("kort\n");
  std::ostringstream out;
  try {
    user_add(options_, in, out);
    FAIL() << "accepted a short password";
  } catch (const error_exception& e) {
    EXPECT_EQ(e.err().field(), "password");
    EXPECT_THAT(e.err().message(), Not(HasSubstr("kort")));
  }
}

}  // namespace
}  // namespace sluis::cli
