// The plan's JSON and its audit detail: keys by level, and counts only in the audit.

#include "gateway/plan/plan_json.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "tests/gateway/plan/plan_fixture.hpp"

namespace sluis::plan {
namespace {

using namespace testing;
using policy::category;
using policy::record_kind;

std::vector<cases::stored_contribution> contributions() {
  return {
      contribution("j-wt", "wijkteam-noord", "mem-moeder", "financien", record_kind::goal),
      contribution("j-ggz", "ggz-noord", "mem-dochter", "psychische-gezondheid", record_kind::goal,
                   category::special),
      contribution("j-jh", "jeugdhulp-noord", "mem-zoon", "opvoeding", record_kind::action),
      contribution("j-inv", "ggz-noord", "mem-dochter", "psychische-gezondheid",
                   record_kind::involvement, category::special),
  };
}

class plan_json_test : public ::testing::Test {
 protected:
  family_plan plan(const policy::engine& e, const policy::family& f) const {
    return assemble(e, own_gezinsmanager(), fam_, all_, f, config_, now);
  }
  const cases::stored_family fam_ = family();
  const config::gateway_config config_ = gateway_config();
  const std::vector<cases::stored_contribution> all_ = contributions();
};

TEST_F(plan_json_test, item_keys_follow_the_level) {
  const auto c = consent("cns-ggz", "mem-dochter", {"mem-dochter", "mem-moeder"},
                         "psychische-gezondheid", category::special);
  const auto json = to_json(plan(example_engine(), facts(fam_, {c}, {ground()})));
  const auto& domains = json.at("domains").as_array();
  const auto& financien = domains.at(0).as_object();
  ASSERT_EQ(financien.at("id"), "financien");
  const auto& summary = financien.at("goals").as_array().at(0).as_object();
  EXPECT_EQ(summary.at("level"), "summary");
  EXPECT_EQ(summary.at("title"), "TITEL j-wt");
  EXPECT_EQ(summary.at("subject"), "moeder");
  EXPECT_FALSE(summary.contains("body"));
  EXPECT_FALSE(summary.contains("owner"));
  EXPECT_EQ(summary.at("start_date"), "2026-03-01");
  EXPECT_TRUE(summary.at("due_date").is_null());
  EXPECT_EQ(summary.at("basis"), "coordination");
  EXPECT_FALSE(summary.at("reasons").as_array().empty());

  const auto& psy = domains.at(6).as_object();
  ASSERT_EQ(psy.at("id"), "psychische-gezondheid");
  const auto& full = psy.at("goals").as_array().at(0).as_object();
  EXPECT_EQ(full.at("level"), "full");
  EXPECT_EQ(full.at("body"), "TEKST over j-ggz met persoonlijke details");
  EXPECT_EQ(full.at("owner"), "Behandelaar j-ggz");
  EXPECT_EQ(full.at("reasons").as_array().size(), 0u);
  EXPECT_EQ(psy.at("involvements").as_array().size(), 1u);

  const auto& members = json.at("members").as_array();
  ASSERT_EQ(members.size(), 3u);
  const auto& dochter = members.at(1).as_object();
  EXPECT_EQ(dochter.at("label"), "dochter");
  EXPECT_EQ(dochter.at("age"), 15);
  EXPECT_EQ(dochter.at("gezag_holders").as_array().at(0), "moeder");
  const auto& consent0 = dochter.at("consent").at("consents").as_array().at(0).as_object();
  EXPECT_EQ(consent0.at("state"), "valid");
  EXPECT_EQ(consent0.at("valid_from"), "2026-05-16T12:00:00Z");
  EXPECT_EQ(json.at("generated_at"), "2026-06-15T12:00:00Z");
  EXPECT_EQ(json.at("gezinsmanager").at("organisation"), "wijkteam-noord");
}

TEST_F(plan_json_test, audit_detail_counts_without_personal_text) {
  const auto e = involvement_engine();
  const auto p = plan(e, facts(fam_, {}, {ground()}));
  const auto audit = audit_detail(p);
  EXPECT_EQ(audit.policy_version, e.version());
  EXPECT_FALSE(audit.break_glass);
  EXPECT_EQ(audit.legal_bases, (std::vector<std::string>{"coordination"}));
  const auto& d = audit.detail;
  EXPECT_EQ(d.at("shown"), 1);  // the wijkteam goal, at summary
  // The GGZ goal, the jeugdhulp action and the GGZ involvement record are hidden (level
  // involvement): an involvement record's content is hidden and counted like any other (issue 10).
  std::int64_t hidden_consent = 0;
  for (const auto& [code, n] : d.at("hidden").as_object()) {
    if (code == "consent.missing" || code == "no_consent")
      hidden_consent = n.to_number<std::int64_t>();
  }
  EXPECT_EQ(hidden_consent, 3);
  EXPECT_EQ(d.at("bases").at("coordination"), 4);
  EXPECT_EQ(d.at("organisations"), 3);

  const auto text = boost::json::serialize(d);
  for (const auto& s : p.domains) {
    for (const auto& r : s.hidden_reasons) EXPECT_EQ(text.find(r.message), std::string::npos);
  }
  for (const auto* t : {"moeder", "dochter", "zoon", "TITEL", "TEKST", "Behandelaar", "Jansen",
                        "j-wt", "j-ggz", "mem-"}) {
    EXPECT_EQ(text.find(t), std::string::npos) << t;
  }
  // Subjects for the audit entry are pseudonyms, one per member whose data the view touches.
  const auto subjects = audit_subjects(p, fam_);
  EXPECT_EQ(subjects.size(), 3u);
  for (const auto& s : subjects) EXPECT_EQ(s.size(), 64u);
}

TEST_F(plan_json_test, card_for_my_families) {
  const auto p = plan(example_engine(), facts(fam_, {}, {ground()}));
  const auto json = boost::json::serialize(to_json(card(p), "Gezin V."));
  EXPECT_EQ(
      json,
      R"({"family_id":"fam-vermeulen","label":"Gezin V.","members":["moeder","dochter","zoon"],)"
      R"("organisations":1,"next_deadline":null,"overdue":0})");
}

TEST_F(plan_json_test, output_is_valid_json_that_round_trips) {
  const auto p = plan(involvement_engine(), facts(fam_, {}, {ground()}));
  const auto text = boost::json::serialize(to_json(p));
  EXPECT_EQ(boost::json::serialize(boost::json::parse(text)), text);
  EXPECT_EQ(to_json_text(p), text) << "the arena-built text is the same document";
}

}  // namespace
}  // namespace sluis::plan
