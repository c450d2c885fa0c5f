// Who may manage a family's legal grounds, decided once in application/legal_grounds: tested on a
// real keyring and a real SQLCipher store, without HTTP (tests/integration/legal_routes_test.cpp
// covers the routes over TLS).

#include "gateway/application/legal_grounds.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>

#include "gateway/case/case_store.hpp"
#include "gateway/case/legal_store.hpp"
#include "gateway/store/connection.hpp"
#include "gateway/store/store.hpp"
#include "keys/bsn.hpp"
#include "keys/key_ring.hpp"
#include "policy/engine.hpp"
#include "tests/keys/test_keys.hpp"
#include "tests/support/temp_dir.hpp"

namespace sluis::application {
namespace {

constexpr cases::unix_seconds now = 1'795'694'400;  // 2026-11-26 12:00 UTC
constexpr cases::unix_seconds day = 86'400;

cases::date ymd(int y, unsigned m, unsigned d) {
  return cases::date(std::chrono::year_month_day{std::chrono::year(y), std::chrono::month(m),
                                                 std::chrono::day(d)});
}

// One family of the wijkteam, gezinsmanager gm-1: mother and daughter (15).
class legal_grounds_test : public ::testing::Test {
 protected:
  void SetUp() override {
    auto kr =
        keys::keyring::create(dir_ / "keyring.toml", sluis::testing::passphrase("test passphrase"));
    ASSERT_TRUE(kr) << kr.error().what();
    keyring_.emplace(std::move(*kr));
    auto st = store::store::open(dir_.path(), keyring_->reveal_database_key_for_sqlcipher());
    ASSERT_TRUE(st) << st.error().what();
    store_ = std::move(*st);
    auto policy = policy::engine::compile(testing::read_file(SLUIS_EXAMPLE_POLICY), "policy.toml");
    ASSERT_TRUE(policy);
    engine_.emplace(std::move(*policy));
    const cases::case_store cases(*keyring_);
    auto done = store_->writes().run([&](store::connection& db) -> result<void> {
      for (const auto* org : {&wijkteam_, &ggz_}) {
        if (auto r = cases.sync_organisation(db, org->id, org->name, org->sector,
                                             org->professional_secrecy);
            !r)
          return r;
      }
      cases::family_registration reg;
      reg.gezinsmanager = {"gm-1", "Annemarie Quackenbosch"};
      reg.members.push_back(
          {pseudonym("111222333"), policy::member_role::parent, "moeder", ymd(1985, 3, 1), {}});
      reg.members.push_back({pseudonym("123456782"),
                             policy::member_role::child,
                             "dochter",
                             ymd(2011, 6, 15),
                             {"moeder"}});
      auto family = cases.register_family(db, "wijkteam", reg, now - 30 * day);
      if (!family) return family.error();
      family_ = family->family_id;
      mother_ = family->members.at(0).first;
      return {};
    });
    ASSERT_TRUE(done) << done.error().what();
  }

  keys::pseudonym pseudonym(const char* bsn) const {
    return keyring_->pseudonymiser().pseudonymise(keys::bsn::parse(bsn).value());
  }

  legal_context ctx() const { return {*keyring_, *engine_, now}; }

  actor person(const config::organisation& org, std::string user, std::string role) const {
    return {&org, std::move(user), std::move(role), true, "Naam"};
  }
  actor system_of(const config::organisation& org, std::string user = "") const {
    return {&org, std::move(user), "professional", false, ""};
  }

  cases::new_consent consent() const {
    cases::new_consent c;
    c.subject_member_id = mother_;
    c.granted_by = {mother_};
    c.recipient_roles = {"gezinsmanager"};
    c.purposes = {"plan"};
    c.categories = {policy::category::regular};
    c.domains = {"financien"};
    c.valid_from = now - day;
    c.valid_until = now + 180 * day;
    c.evidence_form_reference = "formulier-1";
    c.evidence_signed_on = ymd(2026, 11, 25);
    return c;
  }

  // Runs a use case in the writer's transaction, as write_then_send does.
  template <class T, class F>
  result<T> write(F&& f) {
    std::optional<result<T>> out;
    (void)store_->writes().run([&](store::connection& db) -> result<void> {
      out.emplace(f(db));
      if (!*out) return out->error();
      return {};
    });
    return std::move(*out);
  }

  std::size_t stored_consents() {
    auto found = store_->reads().with(
        [&](store::connection& db) { return cases::legal_store(*keyring_).consents(db, family_); });
    EXPECT_TRUE(found);
    return found ? found->size() : 0;
  }

  sluis::testing::temp_dir dir_;
  std::optional<keys::keyring> keyring_;
  std::unique_ptr<store::store> store_;
  std::optional<policy::engine> engine_;
  const config::organisation wijkteam_{"wijkteam", "Wijkteam", "wijkteam", false, "", {}, {}};
  const config::organisation ggz_{"ggz", "GGZ", "ggz", true, "", {}, {}};
  std::string family_, mother_;
};

TEST_F(legal_grounds_test, TheGezinsmanagerRecordsAConsentAndItsEntrySaysAboutWhom) {
  audit::audit_entry entry;
  auto recorded = write<family_ground<cases::stored_consent>>([&](store::connection& db) {
    return record_consent(ctx(), db, person(wijkteam_, "gm-1", "gezinsmanager"), family_, consent(),
                          entry);
  });
  ASSERT_TRUE(recorded) << recorded.error().what();
  EXPECT_EQ(recorded->item.consent.recorded_by, "gm-1");
  EXPECT_EQ(entry.family_id, family_);
  EXPECT_EQ(entry.legal_basis, "consent");
  EXPECT_EQ(entry.resource.id, recorded->item.consent.id);
  EXPECT_EQ(entry.policy_version, engine_->version());
  ASSERT_EQ(entry.subjects.size(), 1u);
  EXPECT_EQ(entry.subjects[0], pseudonym("111222333").to_hex());

  audit::audit_entry listed;
  auto found = store_->reads().with([&](store::connection& db) {
    return consents(ctx(), db, person(wijkteam_, "gm-1", "gezinsmanager"), family_, listed);
  });
  ASSERT_TRUE(found);
  EXPECT_EQ(found->items.size(), 1u);
  EXPECT_EQ(listed.detail.at("count").as_uint64(), 1u);
}

TEST_F(legal_grounds_test, AConsentNamesOnlyLifeDomainsOfThePolicyInForce) {
  auto c = consent();
  c.domains = {"financien", "wmo-toegang"};
  audit::audit_entry entry;
  auto refused = write<family_ground<cases::stored_consent>>([&](store::connection& db) {
    return record_consent(ctx(), db, person(wijkteam_, "gm-1", "gezinsmanager"), family_, c, entry);
  });
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().field(), "domains");
  EXPECT_EQ(refused.error().message().find("wmo-toegang"), std::string::npos);
  EXPECT_EQ(stored_consents(), 0u);
}

TEST_F(legal_grounds_test, AnyoneButTheFamilysManagersIsToldTheFamilyDoesNotExist) {
  const actor others[] = {person(wijkteam_, "gm-2", "gezinsmanager"),  // a colleague
                          person(wijkteam_, "gm-1", "professional"),   // the right user, not as gm
                          system_of(ggz_, "behandelaar-1")};           // another organisation
  for (const auto& who : others) {
    audit::audit_entry entry;
    auto recorded = write<family_ground<cases::stored_consent>>([&](store::connection& db) {
      return record_consent(ctx(), db, who, family_, consent(), entry);
    });
    ASSERT_FALSE(recorded) << who.user << " " << who.role;
    EXPECT_EQ(recorded.error().code(), errc::not_found);
    auto listed = store_->reads().with(
        [&](store::connection& db) { return consents(ctx(), db, who, family_, entry); });
    ASSERT_FALSE(listed);
    EXPECT_EQ(listed.error().code(), errc::not_found);
    // The answer is the one for a family that does not exist.
    auto unknown = store_->reads().with([&](store::connection& db) {
      return consents(ctx(), db, who, "fam-does-not-exist", entry);
    });
    ASSERT_FALSE(unknown);
    EXPECT_EQ(unknown.error().code(), listed.error().code());
  }
  EXPECT_EQ(stored_consents(), 0u);
}

TEST_F(legal_grounds_test, ASystemOfTheOwnOrganisationRecordsOnlyForANamedUser) {
  audit::audit_entry entry;
  auto unnamed = write<family_ground<cases::stored_consent>>([&](store::connection& db) {
    return record_consent(ctx(), db, system_of(wijkteam_), family_, consent(), entry);
  });
  ASSERT_FALSE(unnamed);
  EXPECT_EQ(unnamed.error().code(), errc::invalid_argument);
  EXPECT_EQ(unnamed.error().field(), "X-Sluis-User");
  EXPECT_EQ(stored_consents(), 0u);

  auto named = write<family_ground<cases::stored_consent>>([&](store::connection& db) {
    return record_consent(ctx(), db, system_of(wijkteam_, "gm-1"), family_, consent(), entry);
  });
  ASSERT_TRUE(named) << named.error().what();
  EXPECT_EQ(stored_consents(), 1u);
}

TEST_F(legal_grounds_test, OnlyThePrivacyOfficerInPersonReviewsBreakTheGlass) {
  audit::audit_entry entry;
  auto granted = write<cases::stored_break_glass>([&](store::connection& db) {
    return request_break_glass(
        ctx(), db, person(wijkteam_, "gm-2", "gezinsmanager"), family_,
        "Acute crisis: kind niet opgehaald, moeder onbereikbaar, politie vraagt om contact.",
        std::nullopt, entry);
  });
  ASSERT_TRUE(granted) << granted.error().what();
  EXPECT_TRUE(entry.break_glass);
  EXPECT_EQ(entry.legal_basis, "vital-interest");

  const actor not_reviewers[] = {person(wijkteam_, "gm-1", "gezinsmanager"),
                                 system_of(wijkteam_, "po-1")};
  for (const auto& who : not_reviewers) {
    EXPECT_EQ(may_review(ctx(), who).error().code(), errc::forbidden);
    auto reviewed = write<cases::stored_break_glass>([&](store::connection& db) {
      return review_break_glass(ctx(), db, who, granted->grant.id, cases::review_state::justified,
                                "ok", entry);
    });
    ASSERT_FALSE(reviewed);
    EXPECT_EQ(reviewed.error().code(), errc::forbidden);
  }
  const actor officer = person(wijkteam_, "po-1", engine_->break_glass_reviewer_role());
  audit::audit_entry review_entry;
  auto reviewed = write<cases::stored_break_glass>([&](store::connection& db) {
    return review_break_glass(ctx(), db, officer, granted->grant.id, cases::review_state::justified,
                              "terecht", review_entry);
  });
  ASSERT_TRUE(reviewed) << reviewed.error().what();
  EXPECT_EQ(review_entry.family_id, family_);
  EXPECT_EQ(review_entry.detail.at("outcome").as_string(), "justified");
}

}  // namespace
}  // namespace sluis::application
