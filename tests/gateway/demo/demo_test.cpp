// The demo data set and the synthetic generator, loaded into a real SQLCipher store with the
// example configuration and policy.

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <optional>
#include <set>
#include <string>

#include "gateway/audit/journal.hpp"
#include "gateway/audit/key_ring_signer.hpp"
#include "gateway/audit/verify.hpp"
#include "gateway/case/case_store.hpp"
#include "gateway/case/legal_store.hpp"
#include "gateway/case/model.hpp"
#include "gateway/case/policy_facts.hpp"
#include "gateway/config/config.hpp"
#include "gateway/demo/demo_data.hpp"
#include "gateway/demo/generator.hpp"
#include "gateway/demo/loader.hpp"
#include "gateway/people/user_store.hpp"
#include "gateway/store/connection.hpp"
#include "gateway/store/statement.hpp"
#include "gateway/store/store.hpp"
#include "keys/bsn.hpp"
#include "keys/kek.hpp"
#include "keys/key_ring.hpp"
#include "policy/engine.hpp"
#include "tests/keys/test_keys.hpp"
#include "tests/support/temp_dir.hpp"

namespace sluis::demo {
namespace {

constexpr unix_seconds day = 86'400;

unix_seconds wall_clock() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// ---- the data set itself ------------------------------------------------------------------

TEST(demo_data, every_bsn_is_fictional_valid_and_unique) {
  std::set<std::string_view> seen;
  for (const auto& f : families()) {
    for (const auto& m : f.members) {
      EXPECT_TRUE(keys::bsn::parse(m.bsn)) << f.label << " " << m.label;
      EXPECT_TRUE(m.bsn.starts_with("99999")) << f.label << " " << m.label;
      EXPECT_TRUE(seen.insert(m.bsn).second) << f.label << " " << m.label;
    }
  }
}

TEST(demo_data, refers_only_to_known_members_domains_statuses_organisations_and_users) {
  const auto config = config::parse(testing::read_file(SLUIS_EXAMPLE_CONFIG), "config.toml", "/x");
  ASSERT_TRUE(config) << config.error().what();
  std::set<std::string_view> labels_of_families;
  for (const auto& f : families()) {
    SCOPED_TRACE(std::string(f.label));
    EXPECT_TRUE(labels_of_families.insert(f.label).second);
    std::set<std::string_view> labels;
    for (const auto& m : f.members) EXPECT_TRUE(labels.insert(m.label).second);
    auto known = [&](std::string_view label) { return labels.contains(label); };
    for (const auto& m : f.members) {
      for (auto holder : m.gezag_holders) EXPECT_TRUE(known(holder)) << holder;
    }
    for (const auto& i : f.items) {
      EXPECT_TRUE(i.about.empty() || known(i.about)) << i.title;
      EXPECT_TRUE(policy::is_standard_domain(i.domain)) << i.domain;
      EXPECT_TRUE(policy::is_contribution_status(i.status)) << i.status;
      EXPECT_NE(config->find(i.org), nullptr) << i.org;
      EXPECT_FALSE(i.title.empty());
    }
    for (const auto& c : f.consents) {
      EXPECT_TRUE(c.subject.empty() || known(c.subject));
      for (auto signer : c.granted_by) EXPECT_TRUE(known(signer)) << signer;
      for (auto domain : c.domains) EXPECT_TRUE(policy::is_standard_domain(domain)) << domain;
    }
    const auto* gm = find_user(f.gezinsmanager);
    ASSERT_NE(gm, nullptr);
    EXPECT_EQ(gm->role, "gezinsmanager");
    for (const auto& b : f.break_glass) EXPECT_NE(find_user(b.user), nullptr);
  }
  std::set<std::string_view> roles;
  for (const auto& u : users()) {
    EXPECT_TRUE(people::parse_role(u.role)) << u.role;
    EXPECT_NE(config->find(u.organisation), nullptr) << u.organisation;
    roles.insert(u.role);
  }
  EXPECT_EQ(roles, (std::set<std::string_view>{"gezinsmanager", "procesmanager", "professional",
                                               "privacy-officer", "admin"}));
}

TEST(demo_data, shows_every_consent_case_and_a_member_without_any_consent) {
  std::set<consent_case> cases_shown;
  bool someone_without_consent = false;
  for (const auto& f : families()) {
    std::set<std::string_view> covered;
    for (const auto& c : f.consents) {
      cases_shown.insert(c.shows);
      covered.insert(c.subject);
    }
    for (const auto& m : f.members) someone_without_consent |= !covered.contains(m.label);
  }
  EXPECT_EQ(cases_shown.size(), 6u);
  EXPECT_TRUE(someone_without_consent);
}

// ---- loading into a real store ------------------------------------------------------------

// A data directory as `sluis init` leaves it: keyring, store, the example configuration, and
// the example policy compiled.
class demo_store_test : public ::testing::Test {
 protected:
  void SetUp() override {
    auto kr = keys::keyring::create(dir_ / "keyring.toml",
                                    sluis::testing::passphrase("demo test passphrase"));
    ASSERT_TRUE(kr) << kr.error().what();
    keyring_.emplace(std::move(*kr));
    auto st = store::store::open(dir_.path(), keyring_->reveal_database_key_for_sqlcipher());
    ASSERT_TRUE(st) << st.error().what();
    store_ = std::move(*st);
    auto cfg = config::parse(testing::read_file(SLUIS_EXAMPLE_CONFIG), "config.toml", dir_.path());
    ASSERT_TRUE(cfg) << cfg.error().what();
    config_.emplace(std::move(*cfg));
    auto policy = policy::engine::compile(testing::read_file(SLUIS_EXAMPLE_POLICY), "policy.toml");
    ASSERT_TRUE(policy);
    engine_ = std::make_shared<const policy::engine>(std::move(*policy));
    signer_.emplace(keyring_->audit_signer());
    auto journal = audit::journal::open(dir_.path(), keyring_->reveal_database_key_for_sqlcipher(),
                                        *store_, *signer_);
    ASSERT_TRUE(journal) << journal.error().what();
    log_ = std::move(*journal);
  }

  result<load_summary> load_demo() {
    load_options options;
    options.users.password_limits = keys::argon2_limits::minimum();
    return load(*store_, *keyring_, *config_, engine_, *log_, now_, options);
  }

  template <class F>
  auto read(F&& f) {
    return store_->reads().with(std::forward<F>(f));
  }

  // On the audit log's file for a query of audit_log, else on the case store.
  std::int64_t count(const std::string& sql) {
    auto& readers = sql.find("audit_log") != std::string::npos ? log_->reads() : store_->reads();
    auto n = readers.with([&](store::connection& db) -> result<std::int64_t> {
      auto st = db.prepare(sql);
      if (!st) return st.error();
      auto row = st->step();
      if (!row) return row.error();
      return st->column_int64(0);
    });
    EXPECT_TRUE(n) << n.error().what();
    return n ? *n : -1;
  }

  std::string family_id(const load_summary& s, std::string_view label) {
    for (const auto& f : s.loaded)
      if (f.label == label) return f.family_id;
    ADD_FAILURE() << "no family " << label;
    return {};
  }

  // The decisions for `user` (a demo gezinsmanager) on every contribution of a family from
  // `org` about the member `about`, at the load time.
  std::vector<policy::decision> decisions(const std::string& family, std::string_view user,
                                          std::string_view org, std::string_view about) {
    std::vector<policy::decision> out;
    auto done = read([&](store::connection& db) -> result<void> {
      const cases::legal_store legal(*keyring_);
      const cases::case_store cases(*keyring_);
      auto loaded = legal.load_family_facts(db, family);
      if (!loaded) return loaded.error();
      auto contributions = cases.family_contributions(db, family);
      if (!contributions) return contributions.error();
      const auto member = std::find_if(loaded->family.members.begin(), loaded->family.members.end(),
                                       [&](const auto& m) { return m.content.label == about; });
      if (member == loaded->family.members.end()) return error::not_found("no such member");
      const policy::requester who{
          std::string(user), "gezinsmanager", std::string(organisation_of(user)),
          "wijkteam",        "plan",          loaded->family.gezinsmanager.user_id == user};
      for (const auto& c : *contributions) {
        if (c.org_id != org || !c.subject || *c.subject != member->pseudonym) continue;
        const auto rec = cases::record_facts(c, loaded->family, *config_);
        out.push_back(engine_->decide(who, loaded->facts, rec, cases::to_time_point(now_ + 60)));
      }
      return {};
    });
    EXPECT_TRUE(done) << done.error().what();
    return out;
  }

  testing::temp_dir dir_;
  std::optional<keys::keyring> keyring_;
  std::unique_ptr<store::store> store_;
  std::optional<config::gateway_config> config_;
  std::shared_ptr<const policy::engine> engine_;
  std::optional<audit::keyring_signer> signer_;
  std::unique_ptr<audit::journal> log_;  // the audit log (audit.db)
  unix_seconds now_ = wall_clock();
};

TEST_F(demo_store_test, load_writes_what_the_demo_promises) {
  auto s = load_demo();
  ASSERT_TRUE(s) << s.error().what();
  EXPECT_GE(s->organisations, 6u);
  EXPECT_GE(s->families, 10u);
  EXPECT_EQ(count("SELECT count(*) FROM families"), static_cast<std::int64_t>(s->families));
  EXPECT_EQ(count("SELECT count(*) FROM members"), static_cast<std::int64_t>(s->members));
  EXPECT_EQ(count("SELECT count(*) FROM contributions"),
            static_cast<std::int64_t>(s->contributions));
  EXPECT_GE(count("SELECT count(DISTINCT org_id) FROM contributions"), 6);
  EXPECT_GE(count("SELECT count(*) FROM contributions WHERE category = 'special'"), 1);
  EXPECT_GE(count("SELECT count(*) FROM contributions WHERE category = 'criminal'"), 1);
  EXPECT_EQ(count("SELECT count(*) FROM coordination_grounds"), 2);  // Gezin V. and Gezin U.
  EXPECT_EQ(count("SELECT count(*) FROM break_glass WHERE started_at <= " + std::to_string(now_) +
                  " AND expires_at > " + std::to_string(now_)),
            1);
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE action = 'demo.load'"),
            static_cast<std::int64_t>(s->families + s->logins.size()));

  // Consents in every state, judged at the load time.
  EXPECT_GE(count("SELECT count(*) FROM consents WHERE withdrawn_at IS NULL AND valid_from <= " +
                  std::to_string(now_) + " AND valid_until > " + std::to_string(now_)),
            1);
  EXPECT_GE(count("SELECT count(*) FROM consents WHERE withdrawn_at IS NULL AND valid_until < " +
                  std::to_string(now_)),
            1);
  EXPECT_GE(count("SELECT count(*) FROM consents WHERE withdrawn_at IS NOT NULL"), 1);

  // A gezinsmanager of most families, and users for every role with their enrolment.
  const cases::case_store cases(*keyring_);
  auto own = read([&](store::connection& db) {
    return cases.families_of_gezinsmanager(db, "wijkteam-noord", "gm-jansen");
  });
  ASSERT_TRUE(own) << own.error().what();
  EXPECT_GT(own->size(), s->families / 2);
  EXPECT_TRUE(
      std::any_of(own->begin(), own->end(), [](const auto& f) { return f.label == "Gezin V."; }));
  const people::user_store accounts(*keyring_);
  auto listed = read([&](store::connection& db) { return accounts.list(db); });
  ASSERT_TRUE(listed);
  std::set<people::role> roles;
  for (const auto& u : *listed) roles.insert(u.role);
  EXPECT_EQ(roles.size(), 5u);
  for (const auto& l : s->logins) {
    EXPECT_EQ(l.password, demo_password);
    EXPECT_EQ(l.totp_secret_base32.size(), 32u);
    EXPECT_TRUE(l.otpauth_uri.starts_with("otpauth://totp/")) << l.otpauth_uri;
  }

  // The demo password and a code from the printed secret log in.
  const auto& gm = s->logins.front();
  const auto key = people::base32_decode(gm.totp_secret_base32);
  ASSERT_TRUE(key);
  auto login = store_->writes().run([&](store::connection& db) -> result<void> {
    auto user = accounts.verify_login(db, gm.id, gm.password, people::totp_code(*key, now_), now_);
    if (!user) return user.error();
    return {};
  });
  EXPECT_TRUE(login) << login.error().what();

  auto verified = log_->reads().with([&](store::connection& db) {
    return audit::verify(db, keyring_->audit_signer().public_key());
  });
  ASSERT_TRUE(verified);
  EXPECT_TRUE(verified->ok()) << verified->reason;
}

TEST_F(demo_store_test, no_demo_bsn_reaches_the_store_files) {
  ASSERT_TRUE(load_demo());
  log_.reset();    // closes the audit log, then the store; each -wal file is checkpointed or kept:
  store_.reset();  // both are scanned
  for (const auto& f : families()) {
    for (const auto& m : f.members) {
      std::vector<std::filesystem::path> hits;
      EXPECT_FALSE(testing::any_file_contains(dir_.path(), m.bsn, &hits))
          << f.label << " " << m.label << " in " << (hits.empty() ? "" : hits[0].string());
    }
  }
}

TEST_F(demo_store_test, gezin_v_hides_the_mothers_ggz_items_until_a_consent_covers_them) {
  auto s = load_demo();
  ASSERT_TRUE(s) << s.error().what();
  const auto family = family_id(*s, "Gezin V.");
  auto before = decisions(family, "gm-jansen", "ggz-noord", "moeder");
  ASSERT_EQ(before.size(), 2u);
  // Under the family's coordination ground the gezinsmanager may know GGZ is involved, no more.
  for (const auto& d : before) {
    EXPECT_EQ(d.level, policy::level::involvement);
    EXPECT_FALSE(d.reasons.empty());
  }
  // Her regular data from other organisations is covered by her consent.
  for (const auto& d : decisions(family, "gm-jansen", "schuldhulp-noord", "moeder"))
    EXPECT_EQ(d.level, policy::level::full);

  // What the browser test does through the UI: record the missing consent.
  auto recorded = store_->writes().run([&](store::connection& db) -> result<void> {
    const cases::legal_store legal(*keyring_);
    auto facts = legal.load_family_facts(db, family);
    if (!facts) return facts.error();
    const auto& mother = *std::find_if(facts->family.members.begin(), facts->family.members.end(),
                                       [](const auto& m) { return m.content.label == "moeder"; });
    cases::new_consent c;
    c.subject_member_id = mother.id;
    c.granted_by = {mother.id};
    c.recipient_roles = {"gezinsmanager"};
    c.purposes = {"plan"};
    c.categories = {policy::category::special};
    c.domains = {"psychische-gezondheid"};
    c.valid_from = now_;
    c.valid_until = now_ + 180 * day;
    c.evidence_form_reference = "TV-TEST-1";
    c.evidence_signed_on = std::chrono::floor<std::chrono::days>(cases::to_time_point(now_));
    auto stored = legal.record_consent(db, family, c, {"wijkteam-noord", "gm-jansen"}, now_);
    if (!stored) return stored.error();
    return {};
  });
  ASSERT_TRUE(recorded) << recorded.error().what();
  for (const auto& d : decisions(family, "gm-jansen", "ggz-noord", "moeder"))
    EXPECT_EQ(d.level, policy::level::full);
}

TEST_F(demo_store_test, consent_and_break_glass_open_ggz_items_elsewhere) {
  auto s = load_demo();
  ASSERT_TRUE(s) << s.error().what();
  // Koen consented to GGZ data for his gezinsmanager.
  auto koen =
      decisions(family_id(*s, "Huishouden Ko."), "gm-jansen", "ggz-noord", "jongvolwassene");
  ASSERT_EQ(koen.size(), 1u);
  EXPECT_EQ(koen[0].level, policy::level::full);
  // Smit: her consent expired, but the gezinsmanager broke the glass in the crisis.
  auto smit = decisions(family_id(*s, "Gezin S."), "gm-jansen", "ggz-noord", "moeder");
  ASSERT_EQ(smit.size(), 2u);
  for (const auto& d : smit) {
    EXPECT_EQ(d.level, policy::level::full);
    EXPECT_TRUE(d.flagged);
  }
}

TEST_F(demo_store_test, loading_twice_is_refused_and_changes_nothing) {
  ASSERT_TRUE(load_demo());
  const auto families = count("SELECT count(*) FROM families");
  const auto contributions = count("SELECT count(*) FROM contributions");
  const auto entries = count("SELECT count(*) FROM audit_log");
  auto again = load_demo();
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code(), errc::conflict);
  EXPECT_EQ(count("SELECT count(*) FROM families"), families);
  EXPECT_EQ(count("SELECT count(*) FROM contributions"), contributions);
  EXPECT_EQ(count("SELECT count(*) FROM users"), static_cast<std::int64_t>(users().size()));
  EXPECT_EQ(count("SELECT count(*) FROM audit_log"), entries);
}

TEST_F(demo_store_test, a_configuration_without_a_demo_organisation_is_refused) {
  config_->organisations.erase(
      std::remove_if(config_->organisations.begin(), config_->organisations.end(),
                     [](const auto& o) { return o.id == "gemeente-noord"; }),
      config_->organisations.end());
  auto s = load_demo();
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().field(), "config");
  EXPECT_EQ(count("SELECT count(*) FROM families"), 0);
}

// The demo goes through the use cases partners call, so the policy in force validates it as it
// would a partner's data: under a policy that allows consents of 30 days at most, the demo's
// consents of months are refused, and nothing at all is loaded.
TEST_F(demo_store_test, the_policy_in_force_validates_the_demo_as_it_would_a_partner) {
  std::string text = testing::read_file(SLUIS_EXAMPLE_POLICY);
  const std::string year = "max_validity_days = 365";
  ASSERT_NE(text.find(year), std::string::npos);
  text.replace(text.find(year), year.size(), "max_validity_days = 30");
  auto strict = policy::engine::compile(text, "policy.toml");
  ASSERT_TRUE(strict);
  engine_ = std::make_shared<const policy::engine>(std::move(*strict));
  auto s = load_demo();
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code(), errc::invalid_argument);
  EXPECT_EQ(s.error().field(), "valid_until");
  EXPECT_EQ(count("SELECT count(*) FROM families"), 0);
  EXPECT_EQ(count("SELECT count(*) FROM contributions"), 0);
  EXPECT_EQ(count("SELECT count(*) FROM audit_log"), 0);
}

// ---- synthetic families -------------------------------------------------------------------

TEST_F(demo_store_test, generate_spreads_families_within_the_promised_bounds) {
  generate_options options;
  options.families = 50;
  options.seed = 7;
  options.contributions_per_batch = 200;  // several batches, so batching is exercised
  std::size_t reports = 0;
  options.on_progress = [&](const generate_progress& p) {
    ++reports;
    EXPECT_LE(p.families, p.families_total);
  };
  auto s = generate(*store_, *keyring_, *config_, engine_, *log_, now_, options);
  ASSERT_TRUE(s) << s.error().what();
  EXPECT_EQ(s->progress.families, 50u);
  EXPECT_GT(s->batches, 1u);
  EXPECT_GE(reports, 1u);
  EXPECT_EQ(count("SELECT count(*) FROM families"), 50);
  EXPECT_EQ(count("SELECT count(*) FROM contributions"),
            static_cast<std::int64_t>(s->progress.contributions));
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE action = 'demo.generate'"), 50);

  const auto organisations = static_cast<std::int64_t>(config_->organisations.size());
  const auto most = std::min<std::int64_t>(15, organisations);
  EXPECT_EQ(count("SELECT count(*) FROM (SELECT family_id, count(DISTINCT org_id) AS n FROM "
                  "contributions GROUP BY family_id) WHERE n < 3 OR n > " +
                  std::to_string(most)),
            0);
  EXPECT_EQ(count("SELECT count(*) FROM (SELECT count(*) AS n FROM contributions GROUP BY "
                  "family_id, org_id) WHERE n < 1 OR n > 40"),
            0);
  // A spread, not one shape: organisations per family and contributions per organisation vary.
  EXPECT_GT(count("SELECT count(DISTINCT n) FROM (SELECT count(DISTINCT org_id) AS n FROM "
                  "contributions GROUP BY family_id)"),
            2);
  EXPECT_GT(count("SELECT max(n) - min(n) FROM (SELECT count(*) AS n FROM contributions GROUP "
                  "BY family_id, org_id)"),
            10);
  EXPECT_GE(count("SELECT count(DISTINCT domain) FROM contributions"), 8);
  EXPECT_EQ(count("SELECT count(DISTINCT kind) FROM contributions"), 6);
  EXPECT_GE(count("SELECT count(DISTINCT category) FROM contributions"), 2);
  EXPECT_GE(count("SELECT count(DISTINCT status) FROM contributions"), 6);
  EXPECT_GT(s->consents, 0u);
  EXPECT_EQ(count("SELECT count(*) FROM consents"), static_cast<std::int64_t>(s->consents));
  EXPECT_EQ(count("SELECT count(*) FROM coordination_grounds"),
            static_cast<std::int64_t>(s->grounds));

  // Every generated family opens with its key, with plausible contents.
  const cases::case_store cases(*keyring_);
  auto page = read([&](store::connection& db) { return cases.all_families(db, 100, 0); });
  ASSERT_TRUE(page) << page.error().what();
  ASSERT_EQ(page->size(), 50u);
  auto contributions =
      read([&](store::connection& db) { return cases.family_contributions(db, page->front().id); });
  ASSERT_TRUE(contributions) << contributions.error().what();
  for (const auto& c : *contributions) {
    EXPECT_TRUE(policy::is_standard_domain(c.domain));
    EXPECT_TRUE(policy::is_contribution_status(c.status));
    EXPECT_FALSE(c.content.title.empty());
  }

  // A second run adds families rather than updating the first run's contributions.
  options.families = 3;
  auto more = generate(*store_, *keyring_, *config_, engine_, *log_, now_, options);
  ASSERT_TRUE(more) << more.error().what();
  EXPECT_EQ(count("SELECT count(*) FROM families"), 53);
  EXPECT_EQ(count("SELECT count(*) FROM contributions"),
            static_cast<std::int64_t>(s->progress.contributions + more->progress.contributions));
}

}  // namespace
}  // namespace sluis::demo
