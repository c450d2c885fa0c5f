// Accounts through a real SQLCipher file: passwords, TOTP codes (wrong, reused, drifting),
// lock-out and its end, disabled accounts, reset, rotation of the key that seals the secret.

#include "gateway/people/user_store.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "gateway/store/connection.hpp"
#include "gateway/store/statement.hpp"
#include "gateway/store/store.hpp"
#include "keys/kek.hpp"
#include "keys/key_ring.hpp"
#include "tests/support/temp_dir.hpp"

namespace sluis::people {
namespace {

using sluis::testing::temp_dir;

constexpr unix_seconds t0 = 1'800'000'000;  // a step boundary: 1800000000 / 30 is whole
constexpr std::string_view password = "correct horse battery";

class UserStore : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(keys::create_key_file(dir_ / "kek.key"));
    auto source = keys::kek_source::from_key_file(dir_ / "kek.key");
    ASSERT_TRUE(source);
    auto kr = keys::keyring::create(dir_ / "keyring.toml", *source);
    ASSERT_TRUE(kr) << kr.error().what();
    keyring_.emplace(std::move(*kr));
    open_store();
    ASSERT_TRUE(write([](store::connection& db) {
      return db.execute(
          "INSERT INTO organisations (id, name, sector, professional_secrecy) VALUES "
          "('wijkteam', 'Wijkteam', 'wijkteam', 0), ('ggz', 'GGZ', 'ggz', 1)");
    }));
    users_.emplace(*keyring_, options());
  }

  static user_store_options options() {
    user_store_options o;
    o.password_limits = keys::argon2_limits::minimum();  // fast; limits are not under test
    return o;
  }

  void open_store() {
    store_.reset();
    auto s = store::store::open(dir_.path(), keyring_->reveal_database_key_for_sqlcipher());
    ASSERT_TRUE(s) << s.error().what();
    store_ = std::move(*s);
  }

  template <class F>
  result<void> write(F&& f) {
    return store_->writes().run(std::forward<F>(f));
  }

  enrolment add(const std::string& id, role r = role::gezinsmanager) {
    enrolment shown;
    auto done = write([&](store::connection& db) -> result<void> {
      auto e = users_->add(db, {id, "wijkteam", r, "Mevrouw Jansen"}, password, t0);
      if (!e) return e.error();
      shown = *e;
      return {};
    });
    EXPECT_TRUE(done) << done.error().what();
    return shown;
  }

  result<user> login(std::string_view id, std::string_view pw, std::string_view code,
                     unix_seconds now) {
    result<user> out = error::internal("not run");
    auto done = write([&](store::connection& db) -> result<void> {
      out = users_->verify_login(db, id, pw, code, now);
      return {};  // the failure count must commit, as it does for a refused login in the API
    });
    EXPECT_TRUE(done);
    return out;
  }

  static std::string code_at(const enrolment& e, unix_seconds now) {
    const auto secret = base32_decode(e.secret_base32);
    EXPECT_TRUE(secret);
    return totp_code(*secret, now);
  }

  static std::string wrong_code(const enrolment& e, unix_seconds now) {
    std::string code = code_at(e, now);
    code[0] = code[0] == '9' ? '0' : static_cast<char>(code[0] + 1);
    return code;
  }

  temp_dir dir_;
  std::optional<keys::keyring> keyring_;
  std::unique_ptr<store::store> store_;
  std::optional<user_store> users_;
};

void expect_generic_refusal(const result<user>& r) {
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), errc::unauthenticated);
  EXPECT_EQ(r.error().message(), "unknown user, wrong password or wrong code");
  EXPECT_EQ(r.error().field(), "");
}

TEST_F(UserStore, EnrolmentIsA20ByteSecretAndItsOtpauthUri) {
  const auto e = add("gm-jansen");
  EXPECT_EQ(e.secret_base32.size(), 32u);
  const auto secret = base32_decode(e.secret_base32);
  ASSERT_TRUE(secret);
  EXPECT_EQ(secret->size(), 20u);
  EXPECT_EQ(e.otpauth_uri, "otpauth://totp/Sluis:gm-jansen?secret=" + e.secret_base32 +
                               "&issuer=Sluis&algorithm=SHA1&digits=6&period=30");
  EXPECT_NE(add("gm-de-vries").secret_base32, e.secret_base32);
}

TEST_F(UserStore, OtpauthUriPercentEncodesTheId) {
  EXPECT_EQ(otpauth_uri("a@b", "ABC"),
            "otpauth://totp/Sluis:a%40b?secret=ABC&issuer=Sluis&algorithm=SHA1&digits=6&period=30");
}

TEST_F(UserStore, PasswordAndCodeLogIn) {
  const auto e = add("gm-jansen");
  const auto u = login("gm-jansen", password, code_at(e, t0 + 100), t0 + 100);
  ASSERT_TRUE(u) << u.error().what();
  EXPECT_EQ(u->id, "gm-jansen");
  EXPECT_EQ(u->organisation, "wijkteam");
  EXPECT_EQ(u->role, role::gezinsmanager);
  EXPECT_EQ(u->display_name, "Mevrouw Jansen");
  EXPECT_EQ(u->last_login_at, t0 + 100);
}

TEST_F(UserStore, EveryBadCredentialGivesTheSameError) {
  const auto e = add("gm-jansen");
  const unix_seconds now = t0 + 100;
  expect_generic_refusal(login("gm-jansen", "wrong password!", code_at(e, now), now));
  expect_generic_refusal(login("gm-jansen", password, wrong_code(e, now), now));
  expect_generic_refusal(login("gm-jansen", password, "", now));
  expect_generic_refusal(login("nobody", password, code_at(e, now), now));
  expect_generic_refusal(login("", password, code_at(e, now), now));
  expect_generic_refusal(login("not a valid id!", password, code_at(e, now), now));
}

TEST_F(UserStore, ACodeIsAcceptedOnce) {
  const auto e = add("gm-jansen");
  const unix_seconds now = t0 + 100;
  const auto code = code_at(e, now);
  ASSERT_TRUE(login("gm-jansen", password, code, now));
  expect_generic_refusal(login("gm-jansen", password, code, now + 5));
  // The code of the step before is older than the one used: refused too.
  expect_generic_refusal(login("gm-jansen", password, code_at(e, now - 30), now + 5));
  // The next step's code works.
  EXPECT_TRUE(login("gm-jansen", password, code_at(e, now + 30), now + 30));
}

TEST_F(UserStore, OneStepOfClockDriftIsTolerated) {
  const auto e = add("gm-jansen");
  const unix_seconds now = t0 + 300;
  EXPECT_TRUE(login("gm-jansen", password, code_at(e, now - 30), now));
  EXPECT_TRUE(login("gm-jansen", password, code_at(e, now + 30), now + 1));
  expect_generic_refusal(login("gm-jansen", password, code_at(e, now + 90), now + 2));
  expect_generic_refusal(login("gm-jansen", password, code_at(e, now + 400), now + 3));
}

TEST_F(UserStore, FiveFailuresLockTheAccountForFifteenMinutes) {
  const auto e = add("gm-jansen");
  const unix_seconds start = t0 + 1000;
  for (int i = 0; i < 4; ++i) {
    expect_generic_refusal(login("gm-jansen", "wrong password!", code_at(e, start + i), start + i));
  }
  const auto fifth = login("gm-jansen", "wrong password!", code_at(e, start + 4), start + 4);
  ASSERT_FALSE(fifth);
  EXPECT_EQ(fifth.error().code(), errc::rate_limited);
  // Locked: even the right password and code are refused, for 15 minutes from the fifth failure.
  const unix_seconds during = start + 4 + 15 * 60 - 1;
  const auto locked = login("gm-jansen", password, code_at(e, during), during);
  ASSERT_FALSE(locked);
  EXPECT_EQ(locked.error().code(), errc::rate_limited);
  // Afterwards the right credentials work again (and the code refused while locked was not used).
  const unix_seconds after = start + 4 + 15 * 60;
  EXPECT_TRUE(login("gm-jansen", password, code_at(e, after), after));
}

TEST_F(UserStore, FailuresSpreadOverMoreThanTheWindowDoNotLock) {
  const auto e = add("gm-jansen");
  unix_seconds now = t0 + 1000;
  for (int i = 0; i < 8; ++i) {
    expect_generic_refusal(login("gm-jansen", "wrong password!", code_at(e, now), now));
    now += 4 * 60;  // 4 failures fit in any 15 minutes, never 5
    if (i % 4 == 3) now += 15 * 60;
  }
  EXPECT_TRUE(login("gm-jansen", password, code_at(e, now), now));
}

TEST_F(UserStore, ASuccessResetsTheFailureCount) {
  const auto e = add("gm-jansen");
  unix_seconds now = t0 + 1000;
  for (int i = 0; i < 4; ++i) login("gm-jansen", "wrong password!", code_at(e, now), now);
  ASSERT_TRUE(login("gm-jansen", password, code_at(e, now), now));
  for (int i = 0; i < 4; ++i) {
    now += 30;
    expect_generic_refusal(login("gm-jansen", "wrong password!", code_at(e, now), now));
  }
}

TEST_F(UserStore, ADisabledUserIsRefusedWithTheGenericError) {
  const auto e = add("gm-jansen");
  ASSERT_TRUE(write([&](store::connection& db) { return users_->disable(db, "gm-jansen", t0); }));
  expect_generic_refusal(login("gm-jansen", password, code_at(e, t0 + 60), t0 + 60));
  const auto found =
      store_->reads().with([&](store::connection& db) { return users_->find(db, "gm-jansen"); });
  ASSERT_TRUE(found);
  EXPECT_TRUE(found->disabled);
  EXPECT_FALSE(write([&](store::connection& db) { return users_->disable(db, "nobody", t0); }));
}

TEST_F(UserStore, ResetReplacesPasswordAndSecretAndEndsOldSessions) {
  const auto old = add("gm-jansen");
  const auto before = login("gm-jansen", password, code_at(old, t0 + 60), t0 + 60);
  ASSERT_TRUE(before);
  const std::string new_password = "another long password";
  enrolment fresh;
  ASSERT_TRUE(write([&](store::connection& db) -> result<void> {
    auto r = users_->reset(db, "gm-jansen", new_password, t0 + 90);
    if (!r) return r.error();
    fresh = *r;
    return {};
  }));
  EXPECT_NE(fresh.secret_base32, old.secret_base32);
  const unix_seconds now = t0 + 200;
  expect_generic_refusal(login("gm-jansen", password, code_at(fresh, now), now));
  expect_generic_refusal(login("gm-jansen", new_password, code_at(old, now), now));
  const auto after = login("gm-jansen", new_password, code_at(fresh, now), now);
  ASSERT_TRUE(after);
  // A session made before the reset is no longer valid; one made after it is.
  store_->reads().with([&](store::connection& db) {
    EXPECT_EQ(users_->still_valid(db, *before).value(), false);
    EXPECT_EQ(users_->still_valid(db, *after).value(), true);
  });
  EXPECT_FALSE(write([&](store::connection& db) -> result<void> {
    auto r = users_->reset(db, "nobody", new_password, t0);
    if (!r) return r.error();
    return {};
  }));
}

TEST_F(UserStore, StillValidIsFalseAfterDisable) {
  const auto e = add("gm-jansen");
  const auto u = login("gm-jansen", password, code_at(e, t0 + 60), t0 + 60);
  ASSERT_TRUE(u);
  ASSERT_TRUE(write([&](store::connection& db) { return users_->disable(db, "gm-jansen", t0); }));
  store_->reads().with(
      [&](store::connection& db) { EXPECT_EQ(users_->still_valid(db, *u).value(), false); });
}

TEST_F(UserStore, AddRefusesBadInputWithoutEchoingIt) {
  const auto try_add = [&](new_user u, std::string_view pw) {
    result<enrolment> out = error::internal("not run");
    EXPECT_FALSE(write([&](store::connection& db) -> result<void> {
      out = users_->add(db, u, pw, t0);
      return out ? result<void>{} : result<void>(out.error());
    }));
    return out;
  };
  const auto field_of = [](const result<enrolment>& r) { return r ? "" : r.error().field(); };
  EXPECT_EQ(field_of(try_add({"gm jansen", "wijkteam", role::admin, "Naam"}, password)), "id");
  EXPECT_EQ(field_of(try_add({std::string(65, 'a'), "wijkteam", role::admin, "Naam"}, password)),
            "id");
  EXPECT_EQ(field_of(try_add({"gm", "onbekend", role::admin, "Naam"}, password)), "organisation");
  EXPECT_EQ(field_of(try_add({"gm", "wijkteam", role::admin, ""}, password)), "display_name");
  EXPECT_EQ(field_of(try_add({"gm", "wijkteam", role::admin, "Na\nam"}, password)), "display_name");
  const auto short_password = try_add({"gm", "wijkteam", role::admin, "Naam"}, "kort");
  EXPECT_EQ(field_of(short_password), "password");
  EXPECT_EQ(short_password.error().message().find("kort"), std::string::npos);
  add("gm");
  const auto twice = try_add({"gm", "ggz", role::professional, "Ander"}, password);
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().code(), errc::conflict);
}

TEST_F(UserStore, RolesHaveTheirPolicyNames) {
  for (const auto r : {role::gezinsmanager, role::procesmanager, role::professional,
                       role::privacy_officer, role::admin}) {
    EXPECT_EQ(parse_role(to_string(r)).value(), r);
  }
  EXPECT_EQ(to_string(role::privacy_officer), "privacy-officer");
  EXPECT_FALSE(parse_role("privacy_officer"));
  EXPECT_FALSE(parse_role("Admin"));
}

TEST_F(UserStore, AccountsSurviveReopeningTheEncryptedFile) {
  const auto e = add("gm-jansen");
  add("pm-bakker", role::procesmanager);
  open_store();
  const auto listed = store_->reads().with([&](store::connection& db) { return users_->list(db); });
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ((*listed)[0].id, "gm-jansen");
  EXPECT_EQ((*listed)[1].id, "pm-bakker");
  EXPECT_EQ((*listed)[1].role, role::procesmanager);
  EXPECT_EQ((*listed)[1].created_at, t0);
  EXPECT_FALSE((*listed)[1].disabled);
  EXPECT_TRUE(login("gm-jansen", password, code_at(e, t0 + 60), t0 + 60));
}

TEST_F(UserStore, TheStoredRowHoldsNeitherThePasswordNorTheSecretInTheClear) {
  const auto e = add("gm-jansen");
  const auto secret = *base32_decode(e.secret_base32);
  store_->reads().with([&](store::connection& db) {
    auto st = db.prepare("SELECT * FROM users");
    ASSERT_TRUE(st);
    ASSERT_TRUE(st->step().value());
    for (int c = 0; c < st->column_count(); ++c) {
      const auto blob = st->column_blob(c);
      const std::string_view text(reinterpret_cast<const char*>(blob.data()), blob.size());
      EXPECT_EQ(text.find(password), std::string_view::npos) << "column " << c;
      EXPECT_EQ(text.find(e.secret_base32), std::string_view::npos) << "column " << c;
      EXPECT_EQ(std::search(blob.begin(), blob.end(), secret.begin(), secret.end()), blob.end())
          << "column " << c;
    }
  });
  // And the file on disk is encrypted as a whole.
  EXPECT_FALSE(sluis::testing::any_file_contains(dir_.path(), "gm-jansen"));
}

TEST_F(UserStore, ConcurrentLoginsWithOneCodeLetOnlyOneIn) {
  const auto e = add("gm-jansen");
  const unix_seconds now = t0 + 60;
  const auto code = code_at(e, now);
  auto check = [&] {
    return store_->reads()
        .with([&](store::connection& db) {
          return users_->check_login(db, "gm-jansen", password, code, now);
        })
        .value();
  };
  // Both checks pass before either finishes, as two requests racing would.
  const login_check first = check();
  const login_check second = check();
  int logged_in = 0;
  for (const login_check* c : {&first, &second}) {
    ASSERT_TRUE(write([&](store::connection& db) -> result<void> {
      if (users_->finish_login(db, *c, now)) ++logged_in;
      return {};
    }));
  }
  EXPECT_EQ(logged_in, 1);
}

TEST_F(UserStore, SecretsStayUsableAcrossKekRotationAndRetirement) {
  const auto e = add("gm-jansen");
  const auto old_version = keyring_->primary_kek_version();
  ASSERT_TRUE(keyring_->rotate());
  std::size_t rewrapped = 0;
  ASSERT_TRUE(write([&](store::connection& db) -> result<void> {
    auto n = users_->rewrap_keys(db);
    if (!n) return n.error();
    rewrapped = *n;
    return {};
  }));
  EXPECT_EQ(rewrapped, 1u);
  ASSERT_TRUE(
      keyring_->retire(old_version, keys::retire_confirmation::nothing_is_wrapped_under_it));
  EXPECT_TRUE(login("gm-jansen", password, code_at(e, t0 + 60), t0 + 60));
}

TEST_F(UserStore, TheDefaultPasswordLimitsHashAndVerify) {
  user_store interactive(*keyring_);  // OPSLIMIT/MEMLIMIT_INTERACTIVE
  enrolment e;
  ASSERT_TRUE(write([&](store::connection& db) -> result<void> {
    auto r = interactive.add(db, {"gm", "wijkteam", role::gezinsmanager, "N"}, password, t0);
    if (!r) return r.error();
    e = *r;
    return {};
  }));
  ASSERT_TRUE(write([&](store::connection& db) -> result<void> {
    EXPECT_FALSE(interactive.verify_login(db, "gm", "wrong password!", code_at(e, t0), t0));
    auto u = interactive.verify_login(db, "gm", password, code_at(e, t0), t0);
    EXPECT_TRUE(u);
    return {};
  }));
}

}  // namespace
}  // namespace sluis::people
