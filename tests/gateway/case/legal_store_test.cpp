#include "gateway/case/legal_store.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>

#include "gateway/case/case_store.hpp"
#include "gateway/store/connection.hpp"
#include "gateway/store/statement.hpp"
#include "gateway/store/store.hpp"
#include "keys/bsn.hpp"
#include "keys/kek.hpp"
#include "keys/key_ring.hpp"
#include "policy/engine.hpp"
#include "tests/keys/test_keys.hpp"
#include "tests/support/temp_dir.hpp"

namespace sluis::cases {
namespace {

using namespace std::chrono_literals;
using std::chrono::days;

constexpr const char* mother_bsn = "111222333";
constexpr const char* daughter_bsn = "123456782";
// 2026-11-26 12:00 UTC: the daughter (born 2011-06-15) is 15.
constexpr unix_seconds now = 1'795'694'400;
constexpr unix_seconds day = 86'400;

date ymd(int y, unsigned m, unsigned d) {
  return date(std::chrono::year_month_day{std::chrono::year(y), std::chrono::month(m),
                                          std::chrono::day(d)});
}

// A real keyring, a real SQLCipher store in a temp dir, the example policy, and one family:
// mother (parent) and daughter (15, gezag: mother), gezinsmanager gm-1 of the wijkteam.
class legal_store_test : public ::testing::Test {
 protected:
  void SetUp() override {
    auto kr =
        keys::keyring::create(dir_ / "keyring.toml", sluis::testing::passphrase("test passphrase"));
    ASSERT_TRUE(kr) << kr.error().what();
    keyring_.emplace(std::move(*kr));
    auto st = store::store::open(dir_.path(), keyring_->reveal_database_key_for_sqlcipher());
    ASSERT_TRUE(st) << st.error().what();
    store_ = std::move(*st);
    cases_.emplace(*keyring_);
    legal_.emplace(*keyring_);
    auto policy = policy::engine::compile(testing::read_file(SLUIS_EXAMPLE_POLICY), "policy.toml");
    ASSERT_TRUE(policy);
    engine_.emplace(std::move(*policy));

    ASSERT_TRUE(write([&](store::connection& db) -> result<void> {
      if (auto r = cases_->sync_organisation(db, "wijkteam", "Wijkteam", "wijkteam", false); !r)
        return r;
      if (auto r = cases_->sync_organisation(db, "ggz", "GGZ", "ggz", true); !r) return r;
      family_registration reg;
      reg.gezinsmanager = {"gm-1", "Annemarie Quackenbosch"};
      reg.label = "Gezin V.";
      reg.members.push_back(
          {pseudonym(mother_bsn), policy::member_role::parent, "moeder", ymd(1985, 3, 1), {}});
      reg.members.push_back({pseudonym(daughter_bsn),
                             policy::member_role::child,
                             "dochter",
                             ymd(2011, 6, 15),
                             {"moeder"}});
      auto done = cases_->register_family(db, "wijkteam", reg, now - 30 * day);
      if (!done) return done.error();
      family_ = done->family_id;
      mother_ = done->members.at(0).first;
      daughter_ = done->members.at(1).first;
      return {};
    }));
  }

  keys::pseudonym pseudonym(const char* bsn) const {
    return keyring_->pseudonymiser().pseudonymise(keys::bsn::parse(bsn).value());
  }

  template <class F>
  bool write(F&& f) {
    auto r = store_->writes().run(std::forward<F>(f));
    EXPECT_TRUE(r) << r.error().what();
    return r.has_value();
  }

  // Runs f on a writer connection and returns its result (errors included).
  template <class T, class F>
  result<T> in_writer(F&& f) {
    std::optional<result<T>> out;
    auto r = store_->writes().run([&](store::connection& db) -> result<void> {
      out.emplace(f(db));
      if (!*out) return out->error();
      return {};
    });
    (void)r;
    return std::move(*out);
  }

  template <class F>
  auto read(F&& f) {
    return store_->reads().with(std::forward<F>(f));
  }

  // A GGZ treatment record about the daughter: special category, professional secrecy.
  std::string submit_ggz_record() {
    std::string id;
    write([&](store::connection& db) -> result<void> {
      contribution_submission s;
      s.source_ref = "ggz-1";
      s.subject = pseudonym(daughter_bsn);
      s.domain = "psychische-gezondheid";
      s.kind = policy::record_kind::action;
      s.category = policy::category::special;
      s.status = "active";
      s.content.title = "Behandeling";
      auto done = cases_->submit(db, "ggz", s, now - 10 * day);
      if (!done) return done.error();
      id = done->contribution_id;
      return {};
    });
    return id;
  }

  // A consent of daughter and mother sharing GGZ data with the wijkteam, for one year.
  new_consent ggz_consent() const {
    new_consent c;
    c.subject_member_id = daughter_;
    c.granted_by = {daughter_, mother_};
    c.recipient_organisations = {"wijkteam"};
    c.purposes = {"plan"};
    c.categories = {policy::category::special};
    c.domains = {"psychische-gezondheid"};
    c.valid_from = now - day;
    c.valid_until = now + 300 * day;
    c.evidence_form_reference = "TOESTEMMING-2026-0042";
    c.evidence_signed_on = ymd(2026, 11, 25);
    c.note = "Besproken tijdens huisbezoek";
    return c;
  }

  new_ground coordination_ground() const {
    new_ground g;
    g.decided_by = "teamleider wijkteam";
    g.necessity = "Vijf organisaties zonder onderlinge afstemming; schulden lopen op.";
    g.proportionality = "Alleen koppen van reguliere gegevens, geen zorginhoud.";
    g.subsidiarity = "Toestemming is gevraagd en niet verkregen; geen lichter middel.";
    g.family_informed_on = ymd(2026, 11, 20);
    g.valid_from = now - day;
    g.valid_until = now + 180 * day;
    return g;
  }

  // What the wijkteam professional may see of `record_id` for the plan, decided on the facts in
  // the store right now.
  policy::decision decide_for_wijkteam(const std::string& record_id, unix_seconds at) {
    auto decision = read([&](store::connection& db) -> result<policy::decision> {
      auto loaded = legal_->load_family_facts(db, family_);
      if (!loaded) return loaded.error();
      auto contributions = cases_->family_contributions(db, family_);
      if (!contributions) return contributions.error();
      for (const auto& c : *contributions) {
        if (c.id != record_id) continue;
        policy::record rec;
        rec.id = c.id;
        rec.source_organisation_id = c.org_id;
        rec.source_sector = "ggz";
        rec.source_has_professional_secrecy = true;
        rec.subject_member_id = loaded->family.member_by_pseudonym(*c.subject)->id;
        rec.domain = c.domain;
        rec.kind = c.kind;
        rec.data_category = c.category;
        const policy::requester who{"prof-1",   "professional", "wijkteam",
                                    "wijkteam", "plan",         false};
        return engine_->decide(who, loaded->facts, rec, to_time_point(at));
      }
      return error::not_found("record");
    });
    EXPECT_TRUE(decision) << decision.error().what();
    return decision ? *decision : policy::decision{};
  }

  testing::temp_dir dir_;
  std::optional<keys::keyring> keyring_;
  std::unique_ptr<store::store> store_;
  std::optional<case_store> cases_;
  std::optional<legal_store> legal_;
  std::optional<policy::engine> engine_;
  std::string family_, mother_, daughter_;
  const recorder gm_{"wijkteam", "gm-1"};
};

// ---- families: gezinsmanager user and label (migration 4) ----

TEST_F(legal_store_test, FamilyLabelIsSealedAndReadBack) {
  auto family = read([&](store::connection& db) { return cases_->load_family(db, family_); });
  ASSERT_TRUE(family);
  EXPECT_EQ(family->label, "Gezin V.");
  EXPECT_EQ(family->gezinsmanager.user_id, "gm-1");
  EXPECT_FALSE(testing::any_file_contains(dir_.path(), "Gezin V."));
}

TEST_F(legal_store_test, GezinsmanagerFindsOwnFamiliesByIndex) {
  submit_ggz_record();
  auto mine = read([&](store::connection& db) {
    return cases_->families_of_gezinsmanager(db, "wijkteam", "gm-1");
  });
  ASSERT_TRUE(mine);
  ASSERT_EQ(mine->size(), 1u);
  EXPECT_EQ(mine->front().id, family_);
  EXPECT_EQ(mine->front().label, "Gezin V.");
  EXPECT_EQ(mine->front().member_labels, (std::vector<std::string>{"moeder", "dochter"}));
  ASSERT_EQ(mine->front().organisations.size(), 1u);
  EXPECT_EQ(mine->front().organisations.front().first, "ggz");

  for (const auto& [org, user] : {std::pair{"wijkteam", "gm-2"}, std::pair{"ggz", "gm-1"}}) {
    auto other = read(
        [&](store::connection& db) { return cases_->families_of_gezinsmanager(db, org, user); });
    ASSERT_TRUE(other);
    EXPECT_TRUE(other->empty()) << org << "/" << user;
  }
}

TEST_F(legal_store_test, AllFamiliesPagesAndSkipsErasedFamilies) {
  std::string second;
  write([&](store::connection& db) -> result<void> {
    family_registration reg;
    reg.gezinsmanager = {"gm-2", "Iemand"};
    reg.members.push_back(
        {pseudonym("192837461"), policy::member_role::parent, "vader", ymd(1980, 1, 1), {}});
    auto done = cases_->register_family(db, "wijkteam", reg, now);
    if (!done) return done.error();
    second = done->family_id;
    return {};
  });
  auto first_page = read([&](store::connection& db) { return cases_->all_families(db, 1, 0); });
  auto second_page = read([&](store::connection& db) { return cases_->all_families(db, 1, 1); });
  ASSERT_TRUE(first_page && second_page);
  ASSERT_EQ(first_page->size(), 1u);
  ASSERT_EQ(second_page->size(), 1u);
  EXPECT_EQ(first_page->front().id, family_);
  EXPECT_EQ(second_page->front().id, second);
  EXPECT_EQ(second_page->front().label, "");

  write([&](store::connection& db) { return cases_->destroy_family_key(db, family_); });
  auto after = read([&](store::connection& db) { return cases_->all_families(db, 10, 0); });
  ASSERT_TRUE(after);
  ASSERT_EQ(after->size(), 1u);
  EXPECT_EQ(after->front().id, second);
}

// ---- consents ----

TEST_F(legal_store_test, ConsentIsRecordedSealedAndListed) {
  auto recorded = in_writer<stored_consent>([&](store::connection& db) {
    return legal_->record_consent(db, family_, ggz_consent(), gm_, now);
  });
  ASSERT_TRUE(recorded) << recorded.error().what();
  auto listed = read([&](store::connection& db) { return legal_->consents(db, family_); });
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 1u);
  const auto& c = listed->front();
  EXPECT_EQ(c.consent.id, recorded->consent.id);
  EXPECT_EQ(c.consent.subject_member_id, daughter_);
  EXPECT_EQ(c.consent.granted_by, (std::vector<std::string>{daughter_, mother_}));
  EXPECT_EQ(c.consent.recipient_organisations, std::vector<std::string>{"wijkteam"});
  EXPECT_EQ(c.consent.categories, std::vector<policy::category>{policy::category::special});
  EXPECT_EQ(c.consent.evidence.form_reference, "TOESTEMMING-2026-0042");
  EXPECT_EQ(c.consent.evidence.signed_on, ymd(2026, 11, 25));
  EXPECT_EQ(c.consent.recorded_by, "gm-1");
  EXPECT_EQ(c.recorded_by_org, "wijkteam");
  EXPECT_EQ(c.note, "Besproken tijdens huisbezoek");
  EXPECT_FALSE(c.consent.withdrawn_at);
  // The texts are sealed: not in the row's look-up columns, nor anywhere on disk in the clear.
  EXPECT_FALSE(testing::any_file_contains(dir_.path(), "TOESTEMMING-2026-0042"));
  EXPECT_FALSE(testing::any_file_contains(dir_.path(), "huisbezoek"));
}

TEST_F(legal_store_test, InvalidConsentsNameTheFieldAndStoreNothing) {
  struct scenario {
    const char* name;
    std::function<void(new_consent&)> change;
    const char* field;
  };
  const std::vector<scenario> scenarios = {
      {"unknown subject", [](new_consent& c) { c.subject_member_id = "mem-unknown"; },
       "subject_member_id"},
      {"no signers", [](new_consent& c) { c.granted_by.clear(); }, "granted_by"},
      {"stranger signs", [](new_consent& c) { c.granted_by.push_back("someone-else"); },
       "granted_by"},
      {"no recipients", [](new_consent& c) { c.recipient_organisations.clear(); }, "recipients"},
      {"unknown organisation", [](new_consent& c) { c.recipient_organisations = {"nobody"}; },
       "recipient_organisations"},
      {"bad role", [](new_consent& c) { c.recipient_roles = {"Gezins Manager"}; },
       "recipient_roles"},
      {"no purposes", [](new_consent& c) { c.purposes.clear(); }, "purposes"},
      {"no categories", [](new_consent& c) { c.categories.clear(); }, "categories"},
      {"no domains", [](new_consent& c) { c.domains.clear(); }, "domains"},
      {"malformed domain", [](new_consent& c) { c.domains = {"Astrologie!"}; }, "domains"},
      {"ends before start", [](new_consent& c) { c.valid_until = c.valid_from; }, "valid_until"},
      {"no form reference", [](new_consent& c) { c.evidence_form_reference = "  "; },
       "evidence/form_reference"},
      {"no signing date", [](new_consent& c) { c.evidence_signed_on.reset(); },
       "evidence/signed_on"},
      {"signed tomorrow", [](new_consent& c) { c.evidence_signed_on = ymd(2026, 11, 27); },
       "evidence/signed_on"},
  };
  for (const auto& s : scenarios) {
    new_consent c = ggz_consent();
    s.change(c);
    auto r = in_writer<stored_consent>(
        [&](store::connection& db) { return legal_->record_consent(db, family_, c, gm_, now); });
    ASSERT_FALSE(r) << s.name;
    EXPECT_EQ(r.error().code(), errc::invalid_argument) << s.name;
    EXPECT_EQ(r.error().field(), s.field) << s.name;
    // Messages never repeat values (they could be personal data).
    EXPECT_EQ(r.error().message().find("TOESTEMMING"), std::string::npos) << s.name;
  }
  auto nobody = in_writer<stored_consent>([&](store::connection& db) {
    return legal_->record_consent(db, family_, ggz_consent(), recorder{"wijkteam", ""}, now);
  });
  ASSERT_FALSE(nobody);
  EXPECT_EQ(nobody.error().field(), "recorded_by");
  auto too_long = in_writer<stored_consent>([&](store::connection& db) {
    return legal_->record_consent(db, family_, ggz_consent(), gm_, now, days{200});
  });
  ASSERT_FALSE(too_long);
  EXPECT_EQ(too_long.error().field(), "valid_until");
  auto unknown_family = in_writer<stored_consent>([&](store::connection& db) {
    return legal_->record_consent(db, "fam-unknown", ggz_consent(), gm_, now);
  });
  ASSERT_FALSE(unknown_family);
  EXPECT_EQ(unknown_family.error().code(), errc::not_found);

  auto listed = read([&](store::connection& db) { return legal_->consents(db, family_); });
  ASSERT_TRUE(listed);
  EXPECT_TRUE(listed->empty());
}

TEST_F(legal_store_test, AnyMemberMaySignAndAFamilyConsentHasNoSubject) {
  std::string son;
  write([&](store::connection& db) -> result<void> {
    new_member m{
        pseudonym("192837461"), policy::member_role::child, "zoon", ymd(2014, 2, 2), {"moeder"}};
    auto added = cases_->add_member(db, family_, m, now);
    if (!added) return added.error();
    son = added->member_id;
    return {};
  });
  new_consent c = ggz_consent();
  c.subject_member_id = son;
  c.granted_by = {mother_};
  auto r = in_writer<stored_consent>(
      [&](store::connection& db) { return legal_->record_consent(db, family_, c, gm_, now); });
  EXPECT_TRUE(r) << r.error().what();
  c.subject_member_id = "";  // a family consent
  auto family_wide = in_writer<stored_consent>(
      [&](store::connection& db) { return legal_->record_consent(db, family_, c, gm_, now); });
  EXPECT_TRUE(family_wide) << family_wide.error().what();
}

TEST_F(legal_store_test, ConsentMakesGgzRecordVisibleAndWithdrawalHidesItOnTheNextDecision) {
  const std::string record = submit_ggz_record();
  EXPECT_EQ(decide_for_wijkteam(record, now).level, policy::level::none);

  auto recorded = in_writer<stored_consent>([&](store::connection& db) {
    return legal_->record_consent(db, family_, ggz_consent(), gm_, now);
  });
  ASSERT_TRUE(recorded);
  const auto granted = decide_for_wijkteam(record, now + 60);
  EXPECT_EQ(granted.level, policy::level::full);
  EXPECT_EQ(granted.basis, policy::legal_basis::consent);

  auto withdrawn = in_writer<stored_consent>([&](store::connection& db) {
    return legal_->withdraw_consent(db, family_, recorded->consent.id, gm_, now + 120);
  });
  ASSERT_TRUE(withdrawn) << withdrawn.error().what();
  ASSERT_TRUE(withdrawn->consent.withdrawn_at);
  EXPECT_EQ(to_unix_seconds(*withdrawn->consent.withdrawn_at), now + 120);
  EXPECT_EQ(withdrawn->withdrawn_by, "gm-1");
  const auto hidden = decide_for_wijkteam(record, now + 121);
  EXPECT_EQ(hidden.level, policy::level::none);
  EXPECT_FALSE(hidden.reasons.empty());
}

TEST_F(legal_store_test, WithdrawingTwiceOrElsewhereIsRefused) {
  auto recorded = in_writer<stored_consent>([&](store::connection& db) {
    return legal_->record_consent(db, family_, ggz_consent(), gm_, now);
  });
  ASSERT_TRUE(recorded);
  const std::string id = recorded->consent.id;
  auto first = in_writer<stored_consent>(
      [&](store::connection& db) { return legal_->withdraw_consent(db, family_, id, gm_, now); });
  ASSERT_TRUE(first);
  auto again = in_writer<stored_consent>([&](store::connection& db) {
    return legal_->withdraw_consent(db, family_, id, gm_, now + 1);
  });
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code(), errc::conflict);
  auto unknown = in_writer<stored_consent>([&](store::connection& db) {
    return legal_->withdraw_consent(db, family_, "cst-x", gm_, now);
  });
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code(), errc::not_found);
  // The first withdrawal stands.
  auto listed = read([&](store::connection& db) { return legal_->consents(db, family_); });
  ASSERT_TRUE(listed);
  EXPECT_EQ(to_unix_seconds(*listed->front().consent.withdrawn_at), now);
}

// ---- coordination grounds ----

TEST_F(legal_store_test, GroundIsRecordedListedAndEnded) {
  auto recorded = in_writer<stored_ground>([&](store::connection& db) {
    return legal_->record_ground(db, family_, coordination_ground(), gm_, now);
  });
  ASSERT_TRUE(recorded) << recorded.error().what();
  auto facts = read([&](store::connection& db) { return legal_->load_family_facts(db, family_); });
  ASSERT_TRUE(facts);
  ASSERT_EQ(facts->facts.grounds.size(), 1u);
  const auto& g = facts->facts.grounds.front();
  EXPECT_EQ(g.decided_by, "teamleider wijkteam");
  EXPECT_EQ(g.family_informed_on, ymd(2026, 11, 20));
  EXPECT_FALSE(g.ended_at);
  EXPECT_FALSE(testing::any_file_contains(dir_.path(), "onderlinge afstemming"));

  auto ended = in_writer<stored_ground>([&](store::connection& db) {
    return legal_->end_ground(db, family_, recorded->ground.id, gm_, now + 5);
  });
  ASSERT_TRUE(ended);
  EXPECT_EQ(to_unix_seconds(*ended->ground.ended_at), now + 5);
  EXPECT_EQ(ended->ended_by, "gm-1");
  auto again = in_writer<stored_ground>([&](store::connection& db) {
    return legal_->end_ground(db, family_, recorded->ground.id, gm_, now + 6);
  });
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code(), errc::conflict);
}

TEST_F(legal_store_test, GroundNeedsMotivationsAndWhetherTheFamilyWasInformed) {
  struct scenario {
    std::function<void(new_ground&)> change;
    const char* field;
  };
  const std::vector<scenario> scenarios = {
      {[](new_ground& g) { g.decided_by = " "; }, "decided_by"},
      {[](new_ground& g) { g.necessity = "nodig"; }, "necessity"},
      {[](new_ground& g) { g.proportionality = ""; }, "proportionality"},
      {[](new_ground& g) { g.subsidiarity = "                        x"; }, "subsidiarity"},
      {[](new_ground& g) { g.family_informed_on.reset(); }, "not_informed_reason"},
      {[](new_ground& g) { g.family_informed_on = ymd(2026, 12, 1); }, "family_informed_on"},
      {[](new_ground& g) { g.valid_until = g.valid_from - 1; }, "valid_until"},
  };
  for (const auto& s : scenarios) {
    new_ground g = coordination_ground();
    s.change(g);
    auto r = in_writer<stored_ground>(
        [&](store::connection& db) { return legal_->record_ground(db, family_, g, gm_, now); });
    ASSERT_FALSE(r) << s.field;
    EXPECT_EQ(r.error().field(), s.field);
  }
  new_ground not_informed = coordination_ground();
  not_informed.family_informed_on.reset();
  not_informed.not_informed_reason = "Informeren brengt de veiligheid van de moeder in gevaar.";
  auto r = in_writer<stored_ground>([&](store::connection& db) {
    return legal_->record_ground(db, family_, not_informed, gm_, now);
  });
  EXPECT_TRUE(r) << r.error().what();
  auto listed = read([&](store::connection& db) { return legal_->grounds(db, family_); });
  ASSERT_TRUE(listed);
  EXPECT_EQ(listed->size(), 1u);
}

// ---- break-the-glass ----

TEST_F(legal_store_test, ShortJustificationIsRefusedNamingTheField) {
  auto r = in_writer<stored_break_glass>([&](store::connection& db) {
    return legal_->request_break_glass(db, family_, {"wijkteam", "prof-1"}, "spoed, kind in nood",
                                       60min, *engine_, now);
  });
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), errc::invalid_argument);
  EXPECT_EQ(r.error().field(), "justification");
  EXPECT_EQ(r.error().message().find("nood"), std::string::npos);
  auto unnamed = in_writer<stored_break_glass>([&](store::connection& db) {
    return legal_->request_break_glass(
        db, family_, {"wijkteam", ""},
        "Melding van acuut gevaar voor het kind, ouders niet bereikbaar.", 60min, *engine_, now);
  });
  ASSERT_FALSE(unnamed);
  EXPECT_EQ(unnamed.error().field(), "user");
  auto grants =
      read([&](store::connection& db) { return legal_->break_glass_grants(db, family_); });
  ASSERT_TRUE(grants);
  EXPECT_TRUE(grants->empty());
}

TEST_F(legal_store_test, BreakGlassIsCappedActiveForItsUserAndThenExpires) {
  const std::string record = submit_ggz_record();
  auto granted = in_writer<stored_break_glass>([&](store::connection& db) {
    return legal_->request_break_glass(
        db, family_, {"wijkteam", "prof-1"},
        "Melding van acuut gevaar voor het kind, ouders niet bereikbaar.", 24h, *engine_, now);
  });
  ASSERT_TRUE(granted) << granted.error().what();
  EXPECT_EQ(granted->grant.expires_at - granted->grant.started_at,
            engine_->break_glass_max_duration());
  EXPECT_EQ(granted->review, review_state::pending);
  EXPECT_FALSE(testing::any_file_contains(dir_.path(), "ouders niet bereikbaar"));

  const auto active = decide_for_wijkteam(record, now + 60);
  EXPECT_EQ(active.level, policy::level::full);
  EXPECT_TRUE(active.flagged);
  const auto expired = decide_for_wijkteam(
      record,
      now +
          std::chrono::duration_cast<std::chrono::seconds>(engine_->break_glass_max_duration())
              .count() +
          1);
  EXPECT_EQ(expired.level, policy::level::none);
}

TEST_F(legal_store_test, ReviewQueueAndOneReviewPerGrant) {
  const std::string why = "Melding van acuut gevaar voor het kind, ouders niet bereikbaar.";
  auto granted = in_writer<stored_break_glass>([&](store::connection& db) {
    return legal_->request_break_glass(db, family_, {"wijkteam", "prof-1"}, why, 30min, *engine_,
                                       now);
  });
  ASSERT_TRUE(granted);
  const std::string id = granted->grant.id;
  auto pending = read(
      [&](store::connection& db) { return legal_->review_queue(db, review_filter::pending, 50); });
  ASSERT_TRUE(pending);
  ASSERT_EQ(pending->size(), 1u);
  EXPECT_EQ(pending->front().grant.justification, why);
  EXPECT_EQ(pending->front().family_id, family_);

  const recorder po{"wijkteam", "po-1"};
  auto own = in_writer<stored_break_glass>([&](store::connection& db) {
    return legal_->review(db, id, review_state::justified, {"wijkteam", "prof-1"}, "ok", now);
  });
  ASSERT_FALSE(own);
  EXPECT_EQ(own.error().code(), errc::forbidden);
  auto no_note = in_writer<stored_break_glass>([&](store::connection& db) {
    return legal_->review(db, id, review_state::justified, po, " ", now);
  });
  ASSERT_FALSE(no_note);
  EXPECT_EQ(no_note.error().field(), "note");

  auto reviewed = in_writer<stored_break_glass>([&](store::connection& db) {
    return legal_->review(db, id, review_state::unjustified, po, "Geen acuut gevaar gebleken.",
                          now + 3600);
  });
  ASSERT_TRUE(reviewed) << reviewed.error().what();
  EXPECT_EQ(reviewed->review, review_state::unjustified);
  EXPECT_EQ(reviewed->reviewed_by, "po-1");
  EXPECT_EQ(reviewed->review_note, "Geen acuut gevaar gebleken.");
  EXPECT_EQ(reviewed->grant.justification, why);
  auto twice = in_writer<stored_break_glass>([&](store::connection& db) {
    return legal_->review(db, id, review_state::justified, po, "Toch wel.", now + 7200);
  });
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().code(), errc::conflict);
  auto unknown = in_writer<stored_break_glass>([&](store::connection& db) {
    return legal_->review(db, "btg-x", review_state::justified, po, "x", now);
  });
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code(), errc::not_found);

  auto still_pending = read(
      [&](store::connection& db) { return legal_->review_queue(db, review_filter::pending, 50); });
  auto done = read(
      [&](store::connection& db) { return legal_->review_queue(db, review_filter::reviewed, 50); });
  ASSERT_TRUE(still_pending && done);
  EXPECT_TRUE(still_pending->empty());
  ASSERT_EQ(done->size(), 1u);
  EXPECT_EQ(done->front().review_note, "Geen acuut gevaar gebleken.");
}

// ---- crypto-shredding ----

TEST_F(legal_store_test, ErasingTheFamilyErasesItsLegalGrounds) {
  ASSERT_TRUE(in_writer<stored_consent>([&](store::connection& db) {
    return legal_->record_consent(db, family_, ggz_consent(), gm_, now);
  }));
  ASSERT_TRUE(in_writer<stored_break_glass>([&](store::connection& db) {
    return legal_->request_break_glass(
        db, family_, {"wijkteam", "prof-1"},
        "Melding van acuut gevaar voor het kind, ouders niet bereikbaar.", 30min, *engine_, now);
  }));
  write([&](store::connection& db) { return cases_->destroy_family_key(db, family_); });
  auto consents = read([&](store::connection& db) { return legal_->consents(db, family_); });
  ASSERT_FALSE(consents);
  EXPECT_EQ(consents.error().code(), errc::not_found);
  auto facts = read([&](store::connection& db) { return legal_->load_family_facts(db, family_); });
  ASSERT_FALSE(facts);
  auto queue = read(
      [&](store::connection& db) { return legal_->review_queue(db, review_filter::pending, 50); });
  ASSERT_TRUE(queue);
  EXPECT_TRUE(queue->empty());
}

}  // namespace
}  // namespace sluis::cases
