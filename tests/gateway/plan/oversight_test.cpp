// The procesmanager's oversight: status only, never text, whatever the policy allows.

#include "gateway/plan/oversight.hpp"

#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>

#include "gateway/plan/plan_json.hpp"
#include "tests/gateway/plan/plan_fixture.hpp"

namespace sluis::plan {
namespace {

using namespace testing;
using policy::category;
using policy::record_kind;

std::vector<cases::stored_contribution> contributions() {
  return {
      contribution("o-goal-1", "wijkteam-noord", "mem-moeder", "financien", record_kind::goal,
                   category::regular, "active"),
      contribution("o-goal-2", "schuldhulp-noord", "mem-moeder", "financien", record_kind::goal,
                   category::regular, "achieved"),
      contribution("o-goal-3", "woningcorporatie-noord", "", "wonen", record_kind::goal,
                   category::regular, "active"),
      contribution("o-deadline", "schuldhulp-noord", "mem-moeder", "financien",
                   record_kind::deadline, category::regular, "active", today - days{2}),
      contribution("o-ggz", "ggz-noord", "mem-dochter", "psychische-gezondheid", record_kind::goal,
                   category::special),
      contribution("o-note", "wijkteam-noord", "mem-zoon", "opvoeding", record_kind::note),
  };
}

std::vector<std::string> texts(const std::vector<cases::stored_contribution>& all) {
  std::vector<std::string> out = {"moeder",      "dochter", "zoon", "Gezinsmanager Jansen",
                                  "Behandelaar", "TITEL",   "TEKST"};
  for (const auto& c : all) {
    out.push_back(c.content.title);
    out.push_back(c.content.body);
    out.push_back(c.content.owner_name);
  }
  return out;
}

// A policy that (wrongly) gives the procesmanager everything: oversight must still show no text.
constexpr const char* generous_rule = R"(
[[rule]]
id = "procesmanager-alles"
effect = "permit"
roles = ["procesmanager"]
purposes = ["process-oversight"]
basis = "none"
allow_sensitive_without_consent = true
level = "full"
)";

class oversight_test : public ::testing::Test {
 protected:
  const cases::stored_family fam_ = family();
  const config::gateway_config config_ = gateway_config();
  const std::vector<cases::stored_contribution> all_ = contributions();
  const policy::family facts_ = facts(fam_, {}, {ground()});
};

// The example policy without its [oversight] section: families by their random id only.
policy::engine without_oversight(std::string text) {
  const auto start = text.find("[oversight]\n");
  EXPECT_NE(start, std::string::npos);
  text.erase(start, text.find('\n', text.find("identify_families_by", start)) + 1 - start);
  return policy::engine::compile(text, "policy.example.toml without [oversight]").value();
}

TEST_F(oversight_test, status_only_goals_by_status_and_overdue_deadlines) {
  const auto engine = without_oversight(example_policy_text());
  cases::stored_family second = fam_;
  second.id = "fam-second";
  const std::vector<cases::stored_contribution> none;
  const auto second_facts = facts(second);
  const std::vector<family_input> input = {{&fam_, &all_, &facts_},
                                           {&second, &none, &second_facts}};
  const auto view = oversee(engine, procesmanager(), input, config_, now);
  ASSERT_EQ(view.families.size(), 2u);
  const auto& f = view.families[0];
  EXPECT_EQ(f.family_id, "fam-vermeulen");
  // Regular data from sources without secrecy, at status: the GGZ goal vanishes.
  std::vector<std::string> orgs;
  for (const auto& o : f.organisations) orgs.push_back(o.id);
  EXPECT_EQ(orgs, (std::vector<std::string>{"schuldhulp-noord", "wijkteam-noord",
                                            "woningcorporatie-noord"}));
  ASSERT_EQ(f.goals_by_status.size(), 2u);
  EXPECT_EQ(f.goals_by_status[0].status, "active");
  EXPECT_EQ(f.goals_by_status[0].count, 2u);
  EXPECT_EQ(f.goals_by_status[1].status, "achieved");
  EXPECT_EQ(f.goals_by_status[1].count, 1u);
  EXPECT_EQ(f.overdue, 1u);
  EXPECT_EQ(f.items_shown, 5u);
  EXPECT_EQ(f.items_hidden, 0u);
  EXPECT_EQ(view.families[1].family_id, "fam-second");
  EXPECT_TRUE(view.families[1].organisations.empty());
  EXPECT_TRUE(f.coordination_ground);
  EXPECT_FALSE(view.families[1].coordination_ground);
  EXPECT_FALSE(f.label);  // without [oversight], nothing names the family or its gezinsmanager
  EXPECT_FALSE(f.gezinsmanager_name);

  const auto json = boost::json::serialize(to_json(view));
  EXPECT_NE(json.find(R"("goals_by_status":{"active":2,"achieved":1})"), std::string::npos);
  for (const auto& t : texts(all_)) EXPECT_EQ(json.find(t), std::string::npos) << t;
  const auto audit = boost::json::serialize(audit_detail(view).detail);
  EXPECT_EQ(audit, R"({"families":2,"shown":5,"hidden":0,"overdue":1})");
}

TEST_F(oversight_test, the_procesmanagers_plan_view_holds_no_text_either) {
  const auto p = assemble(example_engine(), procesmanager(), fam_, all_, facts_, config_, now);
  EXPECT_GT(p.totals.shown, 0u);
  EXPECT_TRUE(p.members.empty());
  const auto json = boost::json::serialize(to_json(p));
  for (const auto& t : texts(all_)) EXPECT_EQ(json.find(t), std::string::npos) << t;
}

TEST_F(oversight_test, no_text_even_when_the_policy_gives_the_procesmanager_everything) {
  const auto engine = without_oversight(example_policy_text() + generous_rule);
  const std::vector<family_input> input = {{&fam_, &all_, &facts_}};
  const auto view = oversee(engine, procesmanager(), input, config_, now);
  ASSERT_EQ(view.families.size(), 1u);
  EXPECT_EQ(view.families[0].items_shown, all_.size());
  const auto json = boost::json::serialize(to_json(view));
  for (const auto& t : texts(all_)) EXPECT_EQ(json.find(t), std::string::npos) << t;
}

// Issue 10: with the example policy's [oversight], the procesmanager can tell families apart and
// knows whom to call (the family's label and its gezinsmanager); still no text of the plans.
TEST_F(oversight_test, the_policy_lets_the_procesmanager_name_families_and_their_gezinsmanager) {
  cases::stored_family labelled = fam_;
  labelled.label = "Gezin V.";
  const std::vector<family_input> input = {{&labelled, &all_, &facts_}};
  const auto view = oversee(example_engine(), procesmanager(), input, config_, now);
  ASSERT_EQ(view.families.size(), 1u);
  EXPECT_EQ(view.families[0].label, "Gezin V.");
  EXPECT_EQ(view.families[0].gezinsmanager_organisation, "wijkteam-noord");
  EXPECT_EQ(view.families[0].gezinsmanager_name, "Gezinsmanager Jansen");
  const auto json = boost::json::serialize(to_json(view));
  for (const auto& t : texts(all_)) {
    if (t == "Gezinsmanager Jansen") continue;
    EXPECT_EQ(json.find(t), std::string::npos) << t;
  }
}

// The example policy lets the procesmanager know THAT an organisation with professional secrecy
// is involved, from its involvement record, under a coordination decision only.
TEST_F(oversight_test, secrecy_organisation_listed_from_its_involvement_record_under_a_ground) {
  auto list = all_;
  list.push_back(contribution("o-ggz-inv", "ggz-noord", "mem-dochter", "psychische-gezondheid",
                              record_kind::involvement, category::special));
  const auto engine = example_engine();
  const auto no_ground = facts(fam_);
  for (const auto* f : {&facts_, &no_ground}) {
    const std::vector<family_input> input = {{&fam_, &list, f}};
    const auto view = oversee(engine, procesmanager(), input, config_, now);
    bool ggz = false;
    for (const auto& o : view.families.at(0).organisations) ggz |= o.id == "ggz-noord";
    EXPECT_EQ(ggz, f == &facts_);
    // Not shown; under the ground known to exist, so counted as hidden like any record whose
    // content is hidden (issue 10); without the ground, no trace at all.
    const auto without = oversee(engine, procesmanager(),
                                 std::vector<family_input>{{&fam_, &all_, f}}, config_, now);
    EXPECT_EQ(view.families[0].items_shown, without.families[0].items_shown);
    EXPECT_EQ(view.families[0].items_hidden,
              without.families[0].items_hidden + (f == &facts_ ? 1u : 0u));
  }
}

TEST_F(oversight_test, null_inputs_are_skipped) {
  const std::vector<family_input> input = {{nullptr, &all_, &facts_}, {&fam_, nullptr, &facts_}};
  EXPECT_TRUE(oversee(example_engine(), procesmanager(), input, config_, now).families.empty());
}

}  // namespace
}  // namespace sluis::plan
