// The family plan: what each person sees of one family under the example policy, with hidden
// items counted and explained, and the no-leak rule (a record at `none` leaves no trace).

#include "gateway/plan/plan.hpp"

#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>

#include "gateway/plan/plan_json.hpp"
#include "tests/gateway/plan/plan_fixture.hpp"

namespace sluis::plan {
namespace {

using namespace testing;
using policy::category;
using policy::level;
using policy::record_kind;

// The family's contributions, from DOMAIN.md's kind of story.
std::vector<cases::stored_contribution> contributions() {
  return {
      contribution("c-wt-goal", "wijkteam-noord", "mem-moeder", "financien", record_kind::goal),
      contribution("c-wt-action", "wijkteam-noord", "mem-moeder", "financien", record_kind::action),
      contribution("c-sh-deadline", "schuldhulp-noord", "mem-moeder", "financien",
                   record_kind::deadline, category::regular, "active", today + days{10}),
      contribution("c-woco-note", "woningcorporatie-noord", "", "wonen", record_kind::note),
      contribution("c-ggz-goal", "ggz-noord", "mem-dochter", "psychische-gezondheid",
                   record_kind::goal, category::special),
      contribution("c-jh-action", "jeugdhulp-noord", "mem-zoon", "opvoeding", record_kind::action,
                   category::regular, "planned", today - days{3}),
      contribution("c-pol-note", "politie-noord", "mem-moeder", "veiligheid", record_kind::note,
                   category::criminal),
      contribution("c-wt-eval", "wijkteam-noord", "", "netwerk", record_kind::evaluation),
  };
}

std::string json_of(const family_plan& p) { return boost::json::serialize(to_json(p)); }

const domain_section& domain(const family_plan& p, std::string_view id) {
  for (const auto& s : p.domains) {
    if (s.id == id) return s;
  }
  throw std::runtime_error("no domain " + std::string(id));
}

const item* find_item(const family_plan& p, std::string_view id) {
  for (const auto& s : p.domains) {
    for (const auto* list :
         {&s.goals, &s.actions, &s.evaluations, &s.deadlines, &s.notes, &s.involvements}) {
      for (const auto& i : *list) {
        if (i.id == id) return &i;
      }
    }
  }
  return nullptr;
}

bool involved(const family_plan& p, std::string_view org) {
  for (const auto& o : p.organisations) {
    if (o.id == org) return true;
  }
  return false;
}

bool has_code(const std::vector<hidden_reason>& reasons, std::initializer_list<const char*> codes) {
  for (const auto& r : reasons) {
    for (const auto* c : codes) {
      if (r.code == c) return true;
    }
  }
  return false;
}

// Every text a person could recognise: titles, bodies, owners, member labels, the gezinsmanager.
std::vector<std::string> personal_texts(const std::vector<cases::stored_contribution>& all) {
  std::vector<std::string> out = {"moeder", "dochter", "zoon", "Gezinsmanager Jansen"};
  for (const auto& c : all) {
    out.push_back(c.content.title);
    out.push_back(c.content.body);
    out.push_back(c.content.owner_name);
  }
  return out;
}

class plan_test : public ::testing::Test {
 protected:
  family_plan view(const policy::engine& e, const policy::requester& who,
                   const std::vector<cases::stored_contribution>& list,
                   const policy::family& fam_facts) const {
    return assemble(e, who, fam_, list, fam_facts, config_, now);
  }

  const cases::stored_family fam_ = family();
  const config::gateway_config config_ = gateway_config();
  const policy::engine example_ = example_engine();
  const policy::engine involvement_ = involvement_engine();
  const std::vector<cases::stored_contribution> all_ = contributions();
};

TEST_F(plan_test, every_life_domain_in_fixed_order_with_dutch_names) {
  for (const auto& who : {own_gezinsmanager(), other_gezinsmanager(), procesmanager()}) {
    const auto p = view(example_, who, all_, facts(fam_, {}, {ground()}));
    const auto standard = policy::standard_domains();
    ASSERT_EQ(p.domains.size(), standard.size());
    for (std::size_t i = 0; i < p.domains.size(); ++i) {
      EXPECT_EQ(p.domains[i].id, standard[i].id);
      EXPECT_EQ(p.domains[i].name, standard[i].name);
    }
  }
  EXPECT_EQ(domain(view(example_, own_gezinsmanager(), all_, facts(fam_)), "financien").name,
            "Financiën en schulden");
}

TEST_F(plan_test, wijkteam_item_at_summary_under_a_coordination_ground) {
  const auto p = view(example_, own_gezinsmanager(), all_, facts(fam_, {}, {ground()}));
  const auto* goal = find_item(p, "c-wt-goal");
  ASSERT_NE(goal, nullptr);
  EXPECT_EQ(goal->level, level::summary);
  EXPECT_EQ(goal->basis, policy::legal_basis::coordination);
  EXPECT_EQ(goal->title, "TITEL c-wt-goal");
  EXPECT_EQ(goal->subject_label, "moeder");
  EXPECT_FALSE(goal->body);
  EXPECT_FALSE(goal->owner_name);
  EXPECT_FALSE(goal->reasons.empty()) << "a summary says why not more";
  EXPECT_EQ(goal->source_organisation, "wijkteam-noord");
  EXPECT_EQ(goal->updated_at, all_[0].updated_at);

  const auto json = json_of(p);
  EXPECT_NE(json.find("TITEL c-wt-goal"), std::string::npos);
  EXPECT_EQ(json.find("TEKST over c-wt-goal"), std::string::npos);
  EXPECT_EQ(json.find("Behandelaar c-wt-goal"), std::string::npos);
  EXPECT_EQ(domain(p, "financien").goals.size(), 1u);
  EXPECT_EQ(domain(p, "financien").actions.size(), 1u);
}

TEST_F(plan_test, without_ground_or_consent_the_gezinsmanager_sees_no_trace_of_anything) {
  const auto p = view(example_, own_gezinsmanager(), all_, facts(fam_));
  EXPECT_EQ(p.totals.shown, 0u);
  EXPECT_EQ(p.totals.hidden, 0u);
  EXPECT_TRUE(p.organisations.empty());
  // Their own family: members, gezag and consent status are still theirs to see.
  ASSERT_EQ(p.members.size(), 3u);
  EXPECT_TRUE(p.own_gezinsmanager);
}

// Issue 10: a record of kind involvement that the gezinsmanager may only know exists is counted
// as hidden, with the engine's reason and the missing consent, like any other kind.
TEST_F(plan_test, an_involvement_record_known_only_to_exist_is_counted_hidden_with_its_reason) {
  auto record = all_[4];  // GGZ, about the daughter, special category
  record.id = "c-ggz-involvement";
  record.kind = record_kind::involvement;
  const std::vector<cases::stored_contribution> only{record};
  const auto no_consent = facts(fam_, {}, {ground()});
  const auto p = view(involvement_, own_gezinsmanager(), only, no_consent);
  const auto& psy = domain(p, "psychische-gezondheid");
  EXPECT_EQ(psy.hidden, 1u);
  EXPECT_TRUE(psy.involvements.empty());
  EXPECT_TRUE(has_code(psy.hidden_reasons, {"consent.missing", "no_consent"}));
  EXPECT_TRUE(involved(p, "ggz-noord"));
  const auto& dochter = p.members[1];
  ASSERT_TRUE(dochter.consent);
  ASSERT_FALSE(dochter.consent->missing.empty());
  EXPECT_EQ(dochter.consent->missing[0].source_organisation, "ggz-noord");
}

TEST_F(plan_test, ggz_item_hidden_without_consent_visible_with_consent_hidden_after_withdrawal) {
  const auto ggz_record = cases::record_facts(all_[4], fam_, config_);

  // 1. No consent: known to exist (involvement, under the ground), hidden, with the engine's
  // reasons.
  const auto no_consent = facts(fam_, {}, {ground()});
  auto p = view(involvement_, own_gezinsmanager(), all_, no_consent);
  EXPECT_EQ(find_item(p, "c-ggz-goal"), nullptr);
  const auto& psy = domain(p, "psychische-gezondheid");
  EXPECT_EQ(psy.hidden, 1u);
  EXPECT_TRUE(psy.goals.empty());
  const auto expected =
      involvement_.decide(own_gezinsmanager(), no_consent, ggz_record, now).reasons;
  ASSERT_FALSE(expected.empty());
  ASSERT_EQ(psy.hidden_reasons.size(), expected.size());
  for (const auto& r : expected) {
    EXPECT_TRUE(std::any_of(psy.hidden_reasons.begin(), psy.hidden_reasons.end(),
                            [&](const hidden_reason& h) {
                              return h.code == r.code && h.message == r.message && h.items == 1;
                            }))
        << r.code;
  }
  EXPECT_TRUE(has_code(psy.hidden_reasons, {"consent.missing", "no_consent"}));
  EXPECT_TRUE(involved(p, "ggz-noord"));
  EXPECT_EQ(json_of(p).find("TITEL c-ggz-goal"), std::string::npos);
  // The gezinsmanager can act on it: the daughter's consent status says what is missing.
  const auto& dochter = p.members[1];
  ASSERT_TRUE(dochter.consent);
  ASSERT_FALSE(dochter.consent->missing.empty());
  EXPECT_EQ(dochter.consent->missing[0].domain, "psychische-gezondheid");
  EXPECT_EQ(dochter.consent->missing[0].category, category::special);
  EXPECT_EQ(dochter.consent->missing[0].source_organisation, "ggz-noord");

  // 2. A valid consent, signed by the daughter (15) and her mother with gezag: shown in full.
  auto c = consent("cns-ggz", "mem-dochter", {"mem-dochter", "mem-moeder"}, "psychische-gezondheid",
                   category::special);
  for (const auto* e : {&example_, &involvement_}) {
    p = view(*e, own_gezinsmanager(), all_, facts(fam_, {c}, {ground()}));
    const auto* goal = find_item(p, "c-ggz-goal");
    ASSERT_NE(goal, nullptr);
    EXPECT_EQ(goal->level, level::full);
    EXPECT_EQ(goal->basis, policy::legal_basis::consent);
    EXPECT_EQ(goal->body, "TEKST over c-ggz-goal met persoonlijke details");
    EXPECT_EQ(goal->owner_name, "Behandelaar c-ggz-goal");
    EXPECT_TRUE(goal->reasons.empty());
    EXPECT_EQ(domain(p, "psychische-gezondheid").hidden, 0u);
    ASSERT_TRUE(p.members[1].consent);
    ASSERT_EQ(p.members[1].consent->consents.size(), 1u);
    EXPECT_EQ(p.members[1].consent->consents[0].state, policy::consent_status::valid);
    EXPECT_EQ(p.members[1].consent->consents[0].granted_by,
              (std::vector<std::string>{"dochter", "moeder"}));
    EXPECT_TRUE(p.members[1].consent->missing.empty());
  }

  // 3. Withdrawn: hidden again at once, the reason says so, the consent is listed as withdrawn.
  c.withdrawn_at = now - minutes{1};
  const auto withdrawn = facts(fam_, {c}, {ground()});
  p = view(involvement_, own_gezinsmanager(), all_, withdrawn);
  EXPECT_EQ(find_item(p, "c-ggz-goal"), nullptr);
  EXPECT_EQ(domain(p, "psychische-gezondheid").hidden, 1u);
  EXPECT_TRUE(has_code(domain(p, "psychische-gezondheid").hidden_reasons,
                       {"consent.withdrawn", "consent_withdrawn"}));
  EXPECT_EQ(p.members[1].consent->consents[0].state, policy::consent_status::withdrawn);
  // Under the example policy as shipped, the gezinsmanager may not know it exists: no trace.
  p = view(example_, own_gezinsmanager(), all_, withdrawn);
  EXPECT_EQ(find_item(p, "c-ggz-goal"), nullptr);
  EXPECT_EQ(domain(p, "psychische-gezondheid").hidden, 0u);
  EXPECT_FALSE(involved(p, "ggz-noord"));
}

TEST_F(plan_test, consent_signed_by_the_daughter_alone_is_not_enough) {
  const auto c = consent("cns-alone", "mem-dochter", {"mem-dochter"}, "psychische-gezondheid",
                         category::special);
  const auto p = view(involvement_, own_gezinsmanager(), all_, facts(fam_, {c}, {ground()}));
  EXPECT_EQ(find_item(p, "c-ggz-goal"), nullptr);
  EXPECT_TRUE(has_code(domain(p, "psychische-gezondheid").hidden_reasons,
                       {"consent.minor_needs_gezag", "needs_gezag_holder"}));
  ASSERT_EQ(p.members[1].consent->consents.size(), 1u);
  EXPECT_EQ(p.members[1].consent->consents[0].state, policy::consent_status::signatures_missing);
}

TEST_F(plan_test, consent_state_follows_the_policy_maximum_and_the_signers) {
  // Written for three years: the policy honours 365 days from the start, then it lapses.
  auto long_one = consent("cns-long", "mem-moeder", {"mem-moeder"}, "financien", category::regular);
  long_one.valid_from = now - days{400};
  long_one.valid_until = now + days{700};
  // The son (8): a parent with gezag signs; the father elsewhere holds gezag too, so he may.
  const auto by_father =
      consent("cns-zoon", "mem-zoon", {"vader-elders"}, "opvoeding", category::regular);
  // The mother has no gezag holder: a consent "for" her signed by the daughter is not hers.
  const auto wrong =
      consent("cns-wrong", "mem-moeder", {"mem-dochter"}, "wonen", category::regular);
  auto later = consent("cns-later", "mem-moeder", {"mem-moeder"}, "wonen", category::regular);
  later.valid_from = now + days{1};
  const auto p = view(example_, own_gezinsmanager(), all_,
                      facts(fam_, {long_one, by_father, wrong, later}, {ground()}));
  const auto& moeder = p.members[0].consent->consents;
  ASSERT_EQ(moeder.size(), 3u);  // by valid_from: long_one, wrong, later
  EXPECT_EQ(moeder[0].id, "cns-long");
  EXPECT_EQ(moeder[0].state, policy::consent_status::expired);
  EXPECT_EQ(moeder[0].effective_until, long_one.valid_from + days{365});
  EXPECT_EQ(moeder[1].id, "cns-wrong");
  EXPECT_EQ(moeder[1].state, policy::consent_status::signatures_missing);
  EXPECT_EQ(moeder[2].state, policy::consent_status::not_yet_valid);
  ASSERT_EQ(p.members[2].consent->consents.size(), 1u);
  EXPECT_EQ(p.members[2].consent->consents[0].state, policy::consent_status::valid);
  EXPECT_EQ(p.members[2].consent->consents[0].granted_by,
            (std::vector<std::string>{"buiten het gezin"}));
  // And the engine agrees: the son's action from jeugdhulp opens on that consent.
  const auto* action = find_item(p, "c-jh-action");
  ASSERT_NE(action, nullptr);
  EXPECT_EQ(action->basis, policy::legal_basis::consent);
}

TEST_F(plan_test, expired_consent_is_listed_as_expired) {
  auto c = consent("cns-old", "mem-moeder", {"mem-moeder"}, "financien", category::regular);
  c.valid_from = now - days{400};
  c.valid_until = now - days{35};
  const auto p = view(example_, own_gezinsmanager(), all_, facts(fam_, {c}, {ground()}));
  ASSERT_EQ(p.members[0].consent->consents.size(), 1u);
  EXPECT_EQ(p.members[0].consent->consents[0].state, policy::consent_status::expired);
  // The financial items are still shown at summary on the ground, and say why not in full.
  EXPECT_EQ(find_item(p, "c-wt-goal")->level, level::summary);
  bool expired_reason = false;
  for (const auto& m : p.members[0].consent->missing) {
    expired_reason |= m.reason_code == "consent.expired" || m.reason_code == "consent_expired";
  }
  EXPECT_TRUE(expired_reason);
}

TEST_F(plan_test, gezinsmanager_of_another_family_sees_nothing) {
  const auto c = consent("cns-ggz", "mem-dochter", {"mem-dochter", "mem-moeder"},
                         "psychische-gezondheid", category::special);
  const auto p = view(involvement_, other_gezinsmanager(), all_, facts(fam_, {c}, {ground()}));
  EXPECT_FALSE(p.own_gezinsmanager);
  EXPECT_TRUE(p.members.empty());
  EXPECT_TRUE(p.organisations.empty());
  EXPECT_FALSE(p.gezinsmanager_organisation);
  EXPECT_FALSE(p.family_consent);
  EXPECT_EQ(p.totals.shown, 0u);
  EXPECT_EQ(p.totals.hidden, 0u);
  for (const auto& s : p.domains) EXPECT_EQ(s.hidden, 0u);
  const auto json = json_of(p);
  for (const auto& text : personal_texts(all_)) {
    EXPECT_EQ(json.find(text), std::string::npos) << text;
  }
  // And claiming to be the family's gezinsmanager does not help: assemble() checks the family.
  auto liar = other_gezinsmanager();
  liar.is_family_gezinsmanager = true;
  EXPECT_EQ(json_of(view(involvement_, liar, all_, facts(fam_, {c}, {ground()}))), json);
}

TEST_F(plan_test, professional_sees_own_contributions_in_full_and_others_by_consent) {
  const auto ggz = professional("ggz-noord", "ggz");
  auto p = view(example_, ggz, all_, facts(fam_, {}, {ground()}));
  const auto* own = find_item(p, "c-ggz-goal");
  ASSERT_NE(own, nullptr);
  EXPECT_EQ(own->level, level::full);
  EXPECT_EQ(own->basis, policy::legal_basis::none);
  EXPECT_EQ(p.totals.shown, 1u);
  EXPECT_EQ(p.totals.hidden, 0u);
  ASSERT_EQ(p.organisations.size(), 1u);
  // Only the member their item is about, and without gezag or consent status.
  ASSERT_EQ(p.members.size(), 1u);
  EXPECT_EQ(p.members[0].label, "dochter");
  EXPECT_FALSE(p.members[0].consent);
  EXPECT_TRUE(p.members[0].gezag_holders.empty());
  EXPECT_EQ(json_of(p).find("TITEL c-wt-goal"), std::string::npos);

  // The mother consents to share her financial data with GGZ Noord.
  auto c = consent("cns-fin", "mem-moeder", {"mem-moeder"}, "financien", category::regular);
  c.recipient_roles.clear();
  c.recipient_organisations = {"ggz-noord"};
  p = view(example_, ggz, all_, facts(fam_, {c}, {ground()}));
  ASSERT_NE(find_item(p, "c-wt-goal"), nullptr);
  EXPECT_EQ(find_item(p, "c-wt-goal")->level, level::full);
  EXPECT_EQ(find_item(p, "c-wt-goal")->basis, policy::legal_basis::consent);
  EXPECT_TRUE(involved(p, "wijkteam-noord"));
  EXPECT_TRUE(involved(p, "schuldhulp-noord"));
}

TEST_F(plan_test, withdrawn_contribution_is_shown_only_to_its_own_organisation) {
  auto list = all_;
  list[4].withdrawn_at = 1'780'100'000;  // the GGZ goal
  const auto ggz = view(example_, professional("ggz-noord", "ggz"), list, facts(fam_));
  ASSERT_NE(find_item(ggz, "c-ggz-goal"), nullptr);
  EXPECT_TRUE(find_item(ggz, "c-ggz-goal")->withdrawn);

  // Not to the gezinsmanager, even with a consent that would show it in full.
  const auto c = consent("cns-ggz", "mem-dochter", {"mem-dochter", "mem-moeder"},
                         "psychische-gezondheid", category::special);
  const auto with = view(involvement_, own_gezinsmanager(), list, facts(fam_, {c}, {ground()}));
  EXPECT_EQ(find_item(with, "c-ggz-goal"), nullptr);
  EXPECT_EQ(domain(with, "psychische-gezondheid").hidden, 0u);
  auto without = all_;
  without.erase(without.begin() + 4);
  EXPECT_EQ(json_of(with), json_of(view(involvement_, own_gezinsmanager(), without,
                                        facts(fam_, {c}, {ground()}))));
}

TEST_F(plan_test, deadlines_overdue_and_due_soon_are_flagged) {
  std::vector<cases::stored_contribution> list = {
      contribution("d-overdue", "wijkteam-noord", "", "wonen", record_kind::deadline,
                   category::regular, "active", today - days{1}),
      contribution("d-today", "wijkteam-noord", "", "wonen", record_kind::deadline,
                   category::regular, "active", today),
      contribution("d-14", "wijkteam-noord", "", "wonen", record_kind::deadline, category::regular,
                   "planned", today + days{14}),
      contribution("d-15", "wijkteam-noord", "", "wonen", record_kind::deadline, category::regular,
                   "active", today + days{15}),
      contribution("d-done", "wijkteam-noord", "", "wonen", record_kind::deadline,
                   category::regular, "done", today - days{20}),
      contribution("a-overdue", "wijkteam-noord", "", "werk-inkomen", record_kind::action,
                   category::regular, "in-progress", today - days{40}),
  };
  const auto p = view(example_, own_gezinsmanager(), list, facts(fam_, {}, {ground()}));
  EXPECT_EQ(find_item(p, "d-overdue")->due, due_flag::overdue);
  EXPECT_EQ(find_item(p, "d-today")->due, due_flag::due_soon);
  EXPECT_EQ(find_item(p, "d-14")->due, due_flag::due_soon);
  EXPECT_EQ(find_item(p, "d-15")->due, due_flag::none);
  EXPECT_EQ(find_item(p, "d-done")->due, due_flag::none);
  EXPECT_EQ(find_item(p, "a-overdue")->due, due_flag::overdue);
  EXPECT_EQ(p.totals.overdue, 2u);
  EXPECT_EQ(p.totals.due_soon, 2u);
  EXPECT_EQ(p.totals.next_due, today);
  // Deadlines in the order they fall.
  std::vector<std::string> order;
  for (const auto& d : domain(p, "wonen").deadlines) order.push_back(d.id);
  EXPECT_EQ(order, (std::vector<std::string>{"d-done", "d-overdue", "d-today", "d-14", "d-15"}));
  const auto json = json_of(p);
  EXPECT_NE(json.find(R"("due":"overdue")"), std::string::npos);
  EXPECT_NE(json.find(R"("next_due":"2026-06-15")"), std::string::npos);
  const auto c = card(p);
  EXPECT_EQ(c.overdue, 2u);
  EXPECT_EQ(c.next_due, today);
  EXPECT_EQ(c.members, (std::vector<std::string>{"moeder", "dochter", "zoon"}));
}

TEST_F(plan_test, members_with_age_gezag_and_consent_status_for_the_own_gezinsmanager) {
  const auto p = view(example_, own_gezinsmanager(), all_, facts(fam_, {}, {ground()}));
  ASSERT_EQ(p.members.size(), 3u);
  EXPECT_EQ(p.members[0].label, "moeder");
  EXPECT_EQ(p.members[0].age, 42);
  EXPECT_EQ(p.members[1].age, 15);
  EXPECT_EQ(p.members[2].age, 8);
  EXPECT_EQ(p.members[1].gezag_holders, (std::vector<std::string>{"moeder"}));
  EXPECT_EQ(p.members[2].gezag_holders, (std::vector<std::string>{"moeder"}));
  EXPECT_EQ(p.members[2].gezag_holders_elsewhere, 1u);
  ASSERT_TRUE(p.family_consent);
  EXPECT_EQ(p.gezinsmanager_name, "Gezinsmanager Jansen");
}

// Issue 10: the gezinsmanager's name goes with text. The family's own organisation sees it, and so
// does a reader the policy shows some text of the family (they coordinate with the gezinsmanager);
// a reader shown no text learns the organisation at most, never the name.
bool shows_text(const family_plan& p) {
  return std::any_of(p.domains.begin(), p.domains.end(), [](const domain_section& d) {
    for (const auto* list : {&d.goals, &d.actions, &d.evaluations, &d.deadlines, &d.notes})
      for (const auto& i : *list)
        if (i.level >= level::summary) return true;
    return false;
  });
}

TEST_F(plan_test, the_gezinsmanagers_name_is_shown_with_text_only) {
  const auto own = view(example_, own_gezinsmanager(), all_, facts(fam_, {}, {ground()}));
  EXPECT_EQ(own.gezinsmanager_name, "Gezinsmanager Jansen");

  const auto woco = professional("woningcorporatie-noord", "woningcorporatie");
  std::vector<cases::stored_contribution> others;  // without the corporation's own note
  for (const auto& item : all_)
    if (item.org_id != "woningcorporatie-noord") others.push_back(item);
  const auto nothing = view(example_, woco, others, facts(fam_, {}, {ground()}));
  ASSERT_FALSE(shows_text(nothing));
  EXPECT_FALSE(nothing.gezinsmanager_name.has_value());

  auto c = consent("cns-wonen", "mem-moeder", {"mem-moeder"}, "financien", category::regular);
  c.recipient_roles.clear();
  c.recipient_organisations = {"woningcorporatie-noord"};
  const auto with_text = view(example_, woco, others, facts(fam_, {c}, {ground()}));
  ASSERT_TRUE(shows_text(with_text));
  EXPECT_EQ(with_text.gezinsmanager_name, "Gezinsmanager Jansen");
}

TEST_F(plan_test, police_record_never_reaches_the_housing_corporation) {
  auto c = consent("cns-pol", "mem-moeder", {"mem-moeder"}, "veiligheid", category::criminal);
  c.recipient_roles.clear();
  c.recipient_organisations = {"woningcorporatie-noord"};
  const auto p = view(example_, professional("woningcorporatie-noord", "woningcorporatie"), all_,
                      facts(fam_, {c}, {ground()}));
  EXPECT_EQ(find_item(p, "c-pol-note"), nullptr);
  EXPECT_FALSE(involved(p, "politie-noord"));
  EXPECT_EQ(domain(p, "veiligheid").hidden, 0u);
}

TEST_F(plan_test, break_the_glass_shows_everything_flagged) {
  auto f = facts(fam_);
  f.break_glass.push_back({"bg-1", "gm-jansen",
                           "acute dreiging voor de dochter na melding van de school",
                           now - minutes{10}, now + minutes{60}, "wijkteam-noord"});
  const auto p = view(example_, own_gezinsmanager(), all_, f);
  EXPECT_EQ(p.totals.shown, all_.size());
  EXPECT_EQ(p.totals.flagged, all_.size());
  EXPECT_TRUE(find_item(p, "c-ggz-goal")->flagged);
  EXPECT_TRUE(audit_detail(p).break_glass);
}

// The no-leak rule: for every requester, every record they get at `none` can be removed from the
// family without changing a single byte of their plan.
TEST_F(plan_test, a_record_at_none_leaves_no_trace) {
  const auto ggz_consent = consent("cns-ggz", "mem-dochter", {"mem-dochter", "mem-moeder"},
                                   "psychische-gezondheid", category::special);
  struct scenario {
    const char* name;
    policy::requester who;
    policy::family facts;
  };
  const std::vector<scenario> scenarios = {
      {"own gezinsmanager, nothing recorded", own_gezinsmanager(), facts(fam_)},
      {"own gezinsmanager, ground", own_gezinsmanager(), facts(fam_, {}, {ground()})},
      {"own gezinsmanager, ground and consent", own_gezinsmanager(),
       facts(fam_, {ggz_consent}, {ground()})},
      {"other gezinsmanager", other_gezinsmanager(), facts(fam_, {ggz_consent}, {ground()})},
      {"procesmanager", procesmanager(), facts(fam_, {}, {ground()})},
      {"ggz professional", professional("ggz-noord", "ggz"), facts(fam_, {}, {ground()})},
      {"housing", professional("woningcorporatie-noord", "woningcorporatie"),
       facts(fam_, {}, {ground()})},
  };
  std::size_t removed = 0;
  for (const auto* e : {&example_, &involvement_}) {
    for (const auto& s : scenarios) {
      const auto full = json_of(view(*e, s.who, all_, s.facts));
      std::vector<cases::stored_contribution> visible;
      for (std::size_t i = 0; i < all_.size(); ++i) {
        auto who = s.who;
        who.is_family_gezinsmanager = fam_.has_gezinsmanager(s.who.organisation_id, s.who.user_id);
        const auto d = e->decide(who, s.facts, cases::record_facts(all_[i], fam_, config_), now);
        if (d.level != level::none) {
          visible.push_back(all_[i]);
          continue;
        }
        auto without = all_;
        without.erase(without.begin() + static_cast<std::ptrdiff_t>(i));
        EXPECT_EQ(json_of(view(*e, s.who, without, s.facts)), full)
            << s.name << ": removing " << all_[i].id << " changed the plan";
        ++removed;
      }
      // All of them at once, too.
      EXPECT_EQ(json_of(view(*e, s.who, visible, s.facts)), full) << s.name;
      // And the audit detail of the view is the same.
      EXPECT_EQ(boost::json::serialize(audit_detail(view(*e, s.who, visible, s.facts)).detail),
                boost::json::serialize(audit_detail(view(*e, s.who, all_, s.facts)).detail))
          << s.name;
    }
  }
  EXPECT_GT(removed, 20u) << "the table must exercise records at none";
}

// Items at `involvement` are counted; adding one changes the counts, which is allowed (the person
// may know it exists) and is what makes the notice honest.
TEST_F(plan_test, a_record_at_involvement_is_counted_not_shown) {
  const auto f = facts(fam_, {}, {ground()});
  const auto p = view(involvement_, own_gezinsmanager(), all_, f);
  std::size_t expected_hidden = 0;
  for (const auto& c : all_) {
    const auto d =
        involvement_.decide(own_gezinsmanager(), f, cases::record_facts(c, fam_, config_), now);
    if (d.level == level::involvement) {
      ++expected_hidden;
      EXPECT_EQ(find_item(p, c.id), nullptr) << c.id;
      EXPECT_TRUE(involved(p, c.org_id)) << c.id;
    }
  }
  EXPECT_GT(expected_hidden, 0u);
  EXPECT_EQ(p.totals.hidden, expected_hidden);
  const auto json = json_of(p);
  for (const auto& c : all_) {
    if (find_item(p, c.id) == nullptr) {
      EXPECT_EQ(json.find(c.content.title), std::string::npos);
    }
  }
}

TEST_F(plan_test, hidden_items_of_a_domain_share_their_reasons_with_a_count) {
  auto list = all_;
  list.push_back(contribution("c-ggz-action", "ggz-noord", "mem-dochter", "psychische-gezondheid",
                              record_kind::action, category::special));
  const auto p = view(involvement_, own_gezinsmanager(), list, facts(fam_, {}, {ground()}));
  const auto& psy = domain(p, "psychische-gezondheid");
  EXPECT_EQ(psy.hidden, 2u);
  ASSERT_FALSE(psy.hidden_reasons.empty());
  for (const auto& r : psy.hidden_reasons) EXPECT_EQ(r.items, 2u) << r.code;
  for (std::size_t i = 1; i < psy.hidden_reasons.size(); ++i) {
    EXPECT_LE(psy.hidden_reasons[i - 1].code, psy.hidden_reasons[i].code);
  }
  ASSERT_EQ(p.members[1].consent->missing.size(), 1u);
  EXPECT_EQ(p.members[1].consent->missing[0].items, 2u);
}

// Someone who is not the family's gezinsmanager, allowed to know that items exist: the reasons
// must not tell them which member the hidden items are about.
TEST_F(plan_test, others_get_reason_codes_without_member_names_for_hidden_items) {
  constexpr const char* colleague_rule = R"(
[[rule]]
id = "collega-betrokkenheid"
effect = "permit"
roles = ["gezinsmanager"]
purposes = ["plan"]
basis = "coordination"
allow_sensitive_without_consent = true
level = "involvement"
)";
  const auto e =
      policy::engine::compile(example_policy_text() + colleague_rule, "colleague").value();
  const auto p = view(e, other_gezinsmanager(), all_, facts(fam_, {}, {ground()}));
  ASSERT_GT(p.totals.hidden, 0u);
  for (const auto& s : p.domains) {
    for (const auto& r : s.hidden_reasons) {
      EXPECT_FALSE(r.code.empty());
      EXPECT_TRUE(r.message.empty()) << r.message;
      EXPECT_TRUE(r.action.empty()) << r.action;
    }
  }
  const auto json = json_of(p);
  for (const auto& text : personal_texts(all_)) {
    EXPECT_EQ(json.find(text), std::string::npos) << text;
  }
  // The family's own gezinsmanager, under the same kind of rule, gets the sentences.
  const auto own = view(involvement_, own_gezinsmanager(), all_, facts(fam_, {}, {ground()}));
  EXPECT_FALSE(domain(own, "psychische-gezondheid").hidden_reasons.at(0).message.empty());
}

TEST_F(plan_test, contributions_of_another_family_are_ignored) {
  auto list = all_;
  auto stray = contribution("c-stray", "wijkteam-noord", "", "wonen", record_kind::goal);
  stray.family_id = "fam-other";
  list.push_back(stray);
  const auto f = facts(fam_, {}, {ground()});
  EXPECT_EQ(json_of(view(example_, own_gezinsmanager(), list, f)),
            json_of(view(example_, own_gezinsmanager(), all_, f)));
}

}  // namespace
}  // namespace sluis::plan
