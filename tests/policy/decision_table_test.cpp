// The decision table: scenarios from DOMAIN.md's stories against the example policy, each
// asserting the level, and the reason code when less than `full` is shown.

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <functional>

#include "tests/policy/example_policy.hpp"

namespace sluis::policy {
namespace {

using namespace std::chrono;
using testing::at;

const time_point now = at(sys_days{2026y / June / 15});

// The Derksen/Voortman household: the mother has gezag; the father lives in but has no gezag; the
// younger son also has a father with gezag outside the household ("vader-elders").
family household() {
  family f;
  f.id = "gezin-1";
  f.members = {
      {"m-moeder", "moeder", member_role::parent, sys_days{1982y / May / 5}, {}},
      {"m-vader", "vader", member_role::parent, sys_days{1980y / March / 1}, {}},
      {"m-oudste", "zoon", member_role::child, sys_days{2009y / February / 2}, {"m-moeder"}},
      {"m-dochter", "dochter", member_role::child, sys_days{2011y / January / 10}, {"m-moeder"}},
      {"m-zoon",
       "jongste zoon",
       member_role::child,
       sys_days{2018y / March / 1},
       {"m-moeder", "vader-elders"}},
      {"m-jarige", "tweede dochter", member_role::child, sys_days{2010y / June / 15}, {"m-moeder"}},
  };
  return f;
}

consent consent_for(std::string subject, std::vector<std::string> granted_by,
                    std::vector<std::string> domains, std::vector<category> categories) {
  consent c;
  c.id = "c-" + subject;
  c.subject_member_id = std::move(subject);
  c.granted_by = std::move(granted_by);
  c.recipient_roles = {"gezinsmanager"};
  c.purposes = {"plan"};
  c.categories = std::move(categories);
  c.domains = std::move(domains);
  c.valid_from = now - days{30};
  c.valid_until = now + days{300};
  c.evidence = {"form-2026-17", sys_days{2026y / May / 16}};
  c.recorded_by = "u-gm";
  return c;
}

consent dochter_ggz_consent(std::vector<std::string> granted_by) {
  return consent_for("m-dochter", std::move(granted_by), {"psychische-gezondheid"},
                     {category::special});
}

coordination_ground ground() {
  coordination_ground g;
  g.id = "g-1";
  g.decided_by = "teamleider wijkteam";
  g.necessity = "schulden, huisuitzetting en schoolverzuim tegelijk";
  g.proportionality = "alleen hoofdlijnen van gewone gegevens";
  g.subsidiarity = "afzonderlijke hulp is vastgelopen";
  g.family_informed_on = sys_days{2026y / May / 20};
  g.valid_from = now - days{10};
  g.valid_until = now + days{170};
  return g;
}

break_glass_grant glass(std::string user, time_point started, minutes length) {
  return {"bg-1",  std::move(user),  "acute dreiging voor de dochter na melding van de school",
          started, started + length, ""};
}

requester gezinsmanager() {
  return {"u-gm", "gezinsmanager", "org-wijkteam", "wijkteam", "plan", true};
}
requester other_gezinsmanager() {
  return {"u-gm2", "gezinsmanager", "org-wijkteam", "wijkteam", "plan", false};
}
requester procesmanager(std::string purpose = "process-oversight") {
  return {"u-pm", "procesmanager", "org-gemeente", "wijkteam", std::move(purpose), false};
}
requester professional(std::string org, std::string sector, std::string purpose = "plan") {
  return {"u-" + org, "professional", std::move(org), std::move(sector), std::move(purpose), false};
}
requester privacy_officer() {
  return {"u-fg", "privacy-officer", "org-gemeente", "wijkteam", "plan", false};
}

record ggz_dochter() {
  return {"r-ggz",           "org-ggz",        "ggz", true, "m-dochter", "psychische-gezondheid",
          record_kind::goal, category::special};
}
record wijkteam_moeder() {
  return {"r-wt",     "org-wijkteam", "wijkteam",        false,
          "m-moeder", "financien",    record_kind::goal, category::regular};
}
record jeugdhulp_dochter() {
  return {"r-jh",      "org-jeugdhulp", "jeugdhulp",         true,
          "m-dochter", "opvoeding",     record_kind::action, category::regular};
}
record politie_moeder() {
  return {"r-pol",    "org-politie", "politie",         false,
          "m-moeder", "veiligheid",  record_kind::note, category::criminal};
}
record woco_family() {
  return {"r-woco", "org-woco", "woningcorporatie",  false,
          "",       "wonen",    record_kind::action, category::regular};
}
record schuldhulp_involvement() {
  return {"r-sh",      "org-schuldhulp",         "schuldhulp",     false, "m-moeder",
          "financien", record_kind::involvement, category::regular};
}
record ggz_involvement() {
  return {"r-ggz-inv",
          "org-ggz",
          "ggz",
          true,
          "m-moeder",
          "psychische-gezondheid",
          record_kind::involvement,
          category::special};
}
record jeugdhulp_involvement() {
  return {"r-jh-inv",  "org-jeugdhulp",          "jeugdhulp",      true, "m-dochter",
          "opvoeding", record_kind::involvement, category::regular};
}
coordination_ground ground_from(time_point start) {
  auto g = ground();
  g.valid_from = start;
  return g;
}
record for_member(std::string subject, std::string domain = "onderwijs") {
  return {"r-" + subject,     "org-school",      "onderwijs",       false,
          std::move(subject), std::move(domain), record_kind::goal, category::regular};
}

struct scenario_case {
  std::string name;
  std::function<void(family&)> facts;
  requester who;
  record rec;
  level expected;
  std::string reason;  // a code that must be among the reasons; empty: no reasons at all
  legal_basis basis = legal_basis::none;
  bool flagged = false;
};

// Test names are enough to identify a case in gtest's output.
void PrintTo(const scenario_case& c, std::ostream* os) { *os << c.name; }

void none(family&) {}

std::vector<scenario_case> cases() {
  const auto gm = gezinsmanager();
  return {
      // Minors and gezag (Derksen: the daughter is 15).
      {"no_consent_no_ground", none, gm, ggz_dochter(), level::none, "no_consent"},
      {"daughter_15_alone_is_not_enough",
       [](family& f) { f.consents.push_back(dochter_ggz_consent({"m-dochter"})); }, gm,
       ggz_dochter(), level::none, "needs_gezag_holder"},
      {"father_without_gezag_is_not_enough",
       [](family& f) { f.consents.push_back(dochter_ggz_consent({"m-vader"})); }, gm, ggz_dochter(),
       level::none, "needs_gezag_holder"},
      {"daughter_and_father_without_gezag_is_not_enough",
       [](family& f) {
         f.consents.push_back(dochter_ggz_consent({"m-dochter", "m-vader"}));
       },
       gm, ggz_dochter(), level::none, "needs_gezag_holder"},
      {"daughter_and_mother_with_gezag_is_enough",
       [](family& f) {
         f.consents.push_back(dochter_ggz_consent({"m-dochter", "m-moeder"}));
       },
       gm, ggz_dochter(), level::full, "", legal_basis::consent},
      {"mother_alone_for_daughter_15_is_not_enough",
       [](family& f) { f.consents.push_back(dochter_ggz_consent({"m-moeder"})); }, gm,
       ggz_dochter(), level::none, "needs_subject"},
      {"son_8_mother_with_gezag_is_enough",
       [](family& f) {
         f.consents.push_back(
             consent_for("m-zoon", {"m-moeder"}, {"onderwijs"}, {category::regular}));
       },
       gm, for_member("m-zoon"), level::full, "", legal_basis::consent},
      {"son_8_alone_is_not_enough",
       [](family& f) {
         f.consents.push_back(
             consent_for("m-zoon", {"m-zoon"}, {"onderwijs"}, {category::regular}));
       },
       gm, for_member("m-zoon"), level::none, "needs_gezag_holder"},
      {"son_8_father_with_gezag_outside_household_is_enough",
       [](family& f) {
         f.consents.push_back(
             consent_for("m-zoon", {"vader-elders"}, {"onderwijs"}, {category::regular}));
       },
       gm, for_member("m-zoon"), level::full, "", legal_basis::consent},
      {"son_17_alone_is_enough",
       [](family& f) {
         f.consents.push_back(
             consent_for("m-oudste", {"m-oudste"}, {"onderwijs"}, {category::regular}));
       },
       gm, for_member("m-oudste"), level::full, "", legal_basis::consent},
      {"son_17_mother_alone_is_not_enough",
       [](family& f) {
         f.consents.push_back(
             consent_for("m-oudste", {"m-moeder"}, {"onderwijs"}, {category::regular}));
       },
       gm, for_member("m-oudste"), level::none, "needs_subject"},
      {"turning_16_today_consents_alone",
       [](family& f) {
         f.consents.push_back(
             consent_for("m-jarige", {"m-jarige"}, {"onderwijs"}, {category::regular}));
       },
       gm, for_member("m-jarige"), level::full, "", legal_basis::consent},
      {"family_record_signed_by_every_member_16_plus",
       [](family& f) {
         f.consents.push_back(consent_for("", {"m-moeder", "m-vader", "m-oudste", "m-jarige"},
                                          {"wonen"}, {category::regular}));
       },
       gm, woco_family(), level::full, "", legal_basis::consent},
      {"family_record_signed_by_mother_only",
       [](family& f) {
         f.consents.push_back(consent_for("", {"m-moeder"}, {"wonen"}, {category::regular}));
       },
       gm, woco_family(), level::none, "needs_family_members"},
      // Validity of consent.
      {"withdrawn_consent",
       [](family& f) {
         auto c = dochter_ggz_consent({"m-dochter", "m-moeder"});
         c.withdrawn_at = now - minutes{1};
         f.consents.push_back(c);
       },
       gm, ggz_dochter(), level::none, "consent_withdrawn"},
      {"withdrawal_takes_effect_at_its_moment_not_before",
       [](family& f) {
         auto c = dochter_ggz_consent({"m-dochter", "m-moeder"});
         c.withdrawn_at = now + minutes{1};
         f.consents.push_back(c);
       },
       gm, ggz_dochter(), level::full, "", legal_basis::consent},
      {"expired_consent",
       [](family& f) {
         auto c = dochter_ggz_consent({"m-dochter", "m-moeder"});
         c.valid_until = now - seconds{1};
         f.consents.push_back(c);
       },
       gm, ggz_dochter(), level::none, "consent_expired"},
      {"consent_longer_than_maximum_lapses_at_maximum",
       [](family& f) {
         auto c = dochter_ggz_consent({"m-dochter", "m-moeder"});
         c.valid_from = now - days{366};
         c.valid_until = now + days{100};
         f.consents.push_back(c);
       },
       gm, ggz_dochter(), level::none, "consent_expired"},
      {"consent_not_yet_valid",
       [](family& f) {
         auto c = dochter_ggz_consent({"m-dochter", "m-moeder"});
         c.valid_from = now + days{1};
         f.consents.push_back(c);
       },
       gm, ggz_dochter(), level::none, "consent_not_started"},
      // Specificity of consent.
      {"consent_for_another_recipient",
       [](family& f) {
         auto c = dochter_ggz_consent({"m-dochter", "m-moeder"});
         c.recipient_roles.clear();
         c.recipient_organisations = {"org-school"};
         f.consents.push_back(c);
       },
       gm, ggz_dochter(), level::none, "no_consent"},
      {"consent_for_another_domain",
       [](family& f) {
         f.consents.push_back(consent_for("m-dochter", {"m-dochter", "m-moeder"}, {"onderwijs"},
                                          {category::special}));
       },
       gm, ggz_dochter(), level::none, "no_consent"},
      {"consent_for_another_purpose",
       [](family& f) {
         auto c = dochter_ggz_consent({"m-dochter", "m-moeder"});
         c.purposes = {"signalling"};
         f.consents.push_back(c);
       },
       gm, ggz_dochter(), level::none, "no_consent"},
      {"consent_for_regular_data_does_not_open_special_data",
       [](family& f) {
         f.consents.push_back(consent_for("m-dochter", {"m-dochter", "m-moeder"},
                                          {"psychische-gezondheid"}, {category::regular}));
       },
       gm, ggz_dochter(), level::none, "no_consent"},
      {"consent_for_the_son_does_not_cover_the_daughter",
       [](family& f) {
         f.consents.push_back(
             consent_for("m-oudste", {"m-oudste"}, {"psychische-gezondheid"}, {category::special}));
       },
       gm, ggz_dochter(), level::none, "no_consent"},
      // Recipients: organisation AND role when roles are given; "gezinsmanager" is this family's.
      {"consent_to_an_organisation_for_its_gezinsmanager_does_not_open_to_its_professional",
       [](family& f) {
         auto c = dochter_ggz_consent({"m-dochter", "m-moeder"});
         c.recipient_organisations = {"org-jeugdhulp"};
         c.recipient_roles = {"gezinsmanager"};
         f.consents.push_back(c);
       },
       professional("org-jeugdhulp", "jeugdhulp"), ggz_dochter(), level::none, "no_consent"},
      {"consent_to_an_organisation_for_the_gezinsmanager_opens_to_the_own_gezinsmanager_there",
       [](family& f) {
         auto c = dochter_ggz_consent({"m-dochter", "m-moeder"});
         c.recipient_organisations = {"org-wijkteam"};
         c.recipient_roles = {"gezinsmanager"};
         f.consents.push_back(c);
       },
       gm, ggz_dochter(), level::full, "", legal_basis::consent},
      {"consent_to_another_organisation_for_the_gezinsmanager_does_not_open_to_the_gezinsmanager",
       [](family& f) {
         auto c = dochter_ggz_consent({"m-dochter", "m-moeder"});
         c.recipient_organisations = {"org-ggz"};
         c.recipient_roles = {"gezinsmanager"};
         f.consents.push_back(c);
       },
       gm, ggz_dochter(), level::none, "no_consent"},
      {"consent_to_a_role_without_organisation_is_not_specific_enough",
       [](family& f) {
         auto c = dochter_ggz_consent({"m-dochter", "m-moeder"});
         c.recipient_roles = {"professional"};
         f.consents.push_back(c);
       },
       professional("org-jeugdhulp", "jeugdhulp"), ggz_dochter(), level::none, "no_consent"},
      // The coordination ground (afstemmingsbepaling / Wams).
      {"ggz_record_under_ground_without_consent_is_hidden",
       [](family& f) { f.grounds.push_back(ground()); }, gm, ggz_dochter(), level::involvement,
       "no_consent", legal_basis::coordination},
      {"wijkteam_record_under_ground_is_summary", [](family& f) { f.grounds.push_back(ground()); },
       gm, wijkteam_moeder(), level::summary, "no_consent", legal_basis::coordination},
      {"secrecy_source_under_ground_is_hidden", [](family& f) { f.grounds.push_back(ground()); },
       gm, jeugdhulp_dochter(), level::involvement, "no_consent", legal_basis::coordination},
      {"criminal_data_under_ground_is_hidden", [](family& f) { f.grounds.push_back(ground()); }, gm,
       politie_moeder(), level::involvement, "no_consent", legal_basis::coordination},
      {"ground_never_opens_criminal_data", [](family& f) { f.grounds.push_back(ground()); },
       procesmanager(), politie_moeder(), level::none, "criminal_data"},
      {"ground_never_opens_secrecy_sources", [](family& f) { f.grounds.push_back(ground()); },
       procesmanager(), jeugdhulp_dochter(), level::none, "professional_secrecy"},
      {"criminal_data_with_consent_is_shown",
       [](family& f) {
         f.consents.push_back(
             consent_for("m-moeder", {"m-moeder"}, {"veiligheid"}, {category::criminal}));
       },
       gm, politie_moeder(), level::full, "", legal_basis::consent},
      {"no_ground_recorded", none, gm, wijkteam_moeder(), level::none, "no_ground"},
      {"ground_without_subsidiarity_is_incomplete",
       [](family& f) {
         auto g = ground();
         g.subsidiarity.clear();
         f.grounds.push_back(g);
       },
       gm, wijkteam_moeder(), level::none, "ground_incomplete"},
      {"ground_without_informing_or_reason_is_incomplete",
       [](family& f) {
         auto g = ground();
         g.family_informed_on.reset();
         f.grounds.push_back(g);
       },
       gm, wijkteam_moeder(), level::none, "ground_incomplete"},
      {"ground_with_recorded_reason_not_to_inform",
       [](family& f) {
         auto g = ground();
         g.family_informed_on.reset();
         g.not_informed_reason = "informeren brengt de veiligheid van de kinderen in gevaar";
         f.grounds.push_back(g);
       },
       gm, wijkteam_moeder(), level::summary, "no_consent", legal_basis::coordination},
      {"ended_ground",
       [](family& f) {
         auto g = ground();
         g.ended_at = now - hours{1};
         f.grounds.push_back(g);
       },
       gm, wijkteam_moeder(), level::none, "ground_expired"},
      {"ground_past_its_end_date",
       [](family& f) {
         auto g = ground();
         g.valid_until = now - hours{1};
         f.grounds.push_back(g);
       },
       gm, wijkteam_moeder(), level::none, "ground_expired"},
      {"ground_not_started_yet", [](family& f) { f.grounds.push_back(ground_from(now + days{5})); },
       gm, wijkteam_moeder(), level::none, "ground_not_started"},
      {"ground_starting_this_morning_holds",
       [](family& f) { f.grounds.push_back(ground_from(now - hours{3})); }, gm, wijkteam_moeder(),
       level::summary, "no_consent", legal_basis::coordination},
      {"ground_not_started_is_named_before_an_ended_one",
       [](family& f) {
         auto old = ground();
         old.ended_at = now - days{2};
         f.grounds.push_back(old);
         f.grounds.push_back(ground_from(now + days{5}));
       },
       gm, wijkteam_moeder(), level::none, "ground_not_started"},
      {"incomplete_ground_not_started_is_incomplete",
       [](family& f) {
         auto g = ground_from(now + days{5});
         g.necessity.clear();
         f.grounds.push_back(g);
       },
       gm, wijkteam_moeder(), level::none, "ground_incomplete"},
      // Data minimisation by role and purpose binding.
      {"procesmanager_sees_status_only", [](family& f) { f.grounds.push_back(ground()); },
       procesmanager(), wijkteam_moeder(), level::status, "role_not_permitted",
       legal_basis::coordination},
      {"procesmanager_with_full_consent_still_status_only",
       [](family& f) {
         f.grounds.push_back(ground());
         auto c = consent_for("m-moeder", {"m-moeder"}, {"financien"}, {category::regular});
         c.recipient_roles = {"procesmanager"};
         c.purposes = {"process-oversight"};
         f.consents.push_back(c);
       },
       procesmanager(), wijkteam_moeder(), level::status, "role_not_permitted",
       legal_basis::coordination},
      {"procesmanager_for_plan_purpose_sees_nothing",
       [](family& f) { f.grounds.push_back(ground()); }, procesmanager("plan"), wijkteam_moeder(),
       level::none, "role_not_permitted"},
      {"procesmanager_never_sees_ggz", [](family& f) { f.grounds.push_back(ground()); },
       procesmanager(), ggz_dochter(), level::none, "special_category"},
      {"gezinsmanager_of_another_family_sees_nothing",
       [](family& f) {
         f.grounds.push_back(ground());
         f.consents.push_back(dochter_ggz_consent({"m-dochter", "m-moeder"}));
       },
       other_gezinsmanager(), ggz_dochter(), level::none, "no_break_glass"},
      {"gezinsmanager_of_another_family_sees_no_regular_data_either",
       [](family& f) { f.grounds.push_back(ground()); }, other_gezinsmanager(), wijkteam_moeder(),
       level::none, "no_break_glass"},
      {"privacy_officer_sees_no_content",
       [](family& f) {
         auto c = consent_for("m-moeder", {"m-moeder"}, {"financien"}, {category::regular});
         c.recipient_roles = {"privacy-officer"};
         f.consents.push_back(c);
       },
       privacy_officer(), wijkteam_moeder(), level::none, "denied_by_rule"},
      // The procesmanager and organisations with beroepsgeheim: the fact of their involvement,
      // only under a coordination ground, never status or content (deploy/policy.example.toml).
      {"procesmanager_sees_ggz_involvement_under_ground",
       [](family& f) { f.grounds.push_back(ground()); }, procesmanager(), ggz_involvement(),
       level::involvement, "special_category", legal_basis::coordination},
      {"procesmanager_sees_jeugdhulp_involvement_under_ground",
       [](family& f) { f.grounds.push_back(ground()); }, procesmanager(), jeugdhulp_involvement(),
       level::involvement, "professional_secrecy", legal_basis::coordination},
      {"procesmanager_without_ground_sees_no_ggz_involvement", none, procesmanager(),
       ggz_involvement(), level::none, "no_ground"},
      {"procesmanager_before_the_ground_starts_sees_no_ggz_involvement",
       [](family& f) { f.grounds.push_back(ground_from(now + days{1})); }, procesmanager(),
       ggz_involvement(), level::none, "ground_not_started"},
      {"procesmanager_for_plan_sees_no_ggz_involvement",
       [](family& f) { f.grounds.push_back(ground()); }, procesmanager("plan"), ggz_involvement(),
       level::none, "role_not_permitted"},
      // Professionals.
      {"professional_sees_own_organisation_records", none, professional("org-ggz", "ggz"),
       ggz_dochter(), level::full, "", legal_basis::none},
      {"professional_with_consent_for_their_organisation",
       [](family& f) {
         auto c = dochter_ggz_consent({"m-dochter", "m-moeder"});
         c.recipient_roles.clear();
         c.recipient_organisations = {"org-jeugdhulp"};
         f.consents.push_back(c);
       },
       professional("org-jeugdhulp", "jeugdhulp"), ggz_dochter(), level::full, "",
       legal_basis::consent},
      {"signal_match_shows_involvement_of_others", [](family& f) { f.grounds.push_back(ground()); },
       professional("org-woco", "woningcorporatie", "signalling"), schuldhulp_involvement(),
       level::involvement, "role_not_permitted", legal_basis::coordination},
      {"signal_match_does_not_reveal_ggz_involvement",
       [](family& f) { f.grounds.push_back(ground()); },
       professional("org-woco", "woningcorporatie", "signalling"), ggz_involvement(), level::none,
       "special_category"},
      {"signal_match_does_not_reveal_involvement_of_a_secrecy_source",
       [](family& f) { f.grounds.push_back(ground()); },
       professional("org-woco", "woningcorporatie", "signalling"),
       {"r-jh-inv", "org-jeugdhulp", "jeugdhulp", true, "m-dochter", "opvoeding",
        record_kind::involvement, category::regular},
       level::none,
       "professional_secrecy"},
      {"signalling_shows_no_goals", [](family& f) { f.grounds.push_back(ground()); },
       professional("org-woco", "woningcorporatie", "signalling"), wijkteam_moeder(), level::none,
       "role_not_permitted"},
      // Deny overrides permit.
      {"police_records_never_reach_housing_even_with_consent",
       [](family& f) {
         auto c = consent_for("m-moeder", {"m-moeder"}, {"veiligheid"}, {category::criminal});
         c.recipient_roles.clear();
         c.recipient_organisations = {"org-woco"};
         f.consents.push_back(c);
       },
       professional("org-woco", "woningcorporatie"), politie_moeder(), level::none,
       "denied_by_rule"},
      {"same_consent_opens_police_record_to_another_sector",
       [](family& f) {
         auto c = consent_for("m-moeder", {"m-moeder"}, {"veiligheid"}, {category::criminal});
         c.recipient_roles.clear();
         c.recipient_organisations = {"org-veilig-thuis"};
         f.consents.push_back(c);
       },
       professional("org-veilig-thuis", "veilig-thuis"), politie_moeder(), level::full, "",
       legal_basis::consent},
      // Break-the-glass (vital interest; Smit and Yildiz).
      {"active_break_glass_shows_and_flags",
       [](family& f) { f.break_glass.push_back(glass("u-gm", now - minutes{30}, hours{2})); }, gm,
       ggz_dochter(), level::full, "", legal_basis::vital_interest, true},
      {"expired_break_glass_hides_again",
       [](family& f) { f.break_glass.push_back(glass("u-gm", now - hours{3}, hours{2})); }, gm,
       ggz_dochter(), level::none, "break_glass_expired"},
      {"break_glass_longer_than_policy_maximum_is_capped",
       [](family& f) { f.break_glass.push_back(glass("u-gm", now - hours{5}, hours{6})); }, gm,
       ggz_dochter(), level::none, "break_glass_expired"},
      {"break_glass_of_another_user_does_not_count",
       [](family& f) { f.break_glass.push_back(glass("u-other", now - minutes{5}, hours{1})); }, gm,
       ggz_dochter(), level::none, "no_break_glass"},
      {"break_glass_of_the_same_user_id_at_another_organisation_does_not_count",
       [](family& f) {
         auto g = glass("u-gm", now - minutes{5}, hours{1});
         g.organisation_id = "org-elders";
         f.break_glass.push_back(g);
       },
       gm, ggz_dochter(), level::none, "no_break_glass"},
      {"consent_preferred_over_break_glass_so_not_flagged",
       [](family& f) {
         f.break_glass.push_back(glass("u-gm", now - minutes{30}, hours{2}));
         f.consents.push_back(dochter_ggz_consent({"m-dochter", "m-moeder"}));
       },
       gm, ggz_dochter(), level::full, "", legal_basis::consent, false},
      {"break_glass_opens_criminal_data_for_a_professional",
       [](family& f) {
         f.break_glass.push_back(glass("u-org-veilig-thuis", now - minutes{1}, hours{1}));
       },
       professional("org-veilig-thuis", "veilig-thuis"), politie_moeder(), level::full, "",
       legal_basis::vital_interest, true},
  };
}

class decision_table : public ::testing::TestWithParam<scenario_case> {};

TEST_P(decision_table, decides_level_and_reason) {
  static const engine policy = testing::example_engine();
  const auto& c = GetParam();
  auto fam = household();
  c.facts(fam);
  const auto d = policy.decide(c.who, fam, c.rec, now);
  EXPECT_EQ(d.level, c.expected) << to_string(d.level);
  EXPECT_EQ(d.policy_version, policy.version());
  if (c.reason.empty()) {
    EXPECT_TRUE(d.reasons.empty()) << d.reasons.front().code;
  } else {
    const bool found = std::any_of(d.reasons.begin(), d.reasons.end(),
                                   [&](const reason& r) { return r.code == c.reason; });
    EXPECT_TRUE(found) << "reasons: " << (d.reasons.empty() ? "none" : d.reasons.front().code);
  }
  if (d.level != level::none) {
    EXPECT_EQ(d.basis, c.basis) << to_string(d.basis);
    EXPECT_FALSE(d.applied_rules.empty());
  }
  EXPECT_EQ(d.flagged, c.flagged);
}

INSTANTIATE_TEST_SUITE_P(stories, decision_table, ::testing::ValuesIn(cases()),
                         [](const auto& test) { return test.param.name; });

TEST(decision_table_size, has_at_least_forty_scenarios) { EXPECT_GE(cases().size(), 40u); }

TEST(decision_reasons, name_the_member_by_label_and_age_and_what_to_do) {
  const auto policy = testing::example_engine();
  auto fam = household();
  fam.consents.push_back(dochter_ggz_consent({"m-dochter"}));
  const auto d = policy.decide(gezinsmanager(), fam, ggz_dochter(), now);
  ASSERT_FALSE(d.reasons.empty());
  const auto& r = d.reasons.front();
  EXPECT_EQ(r.kind, reason_code::needs_gezag_holder);
  EXPECT_EQ(r.message,
            "dochter (15) heeft zelf toestemming gegeven voor gegevens over psychische gezondheid "
            "(bijzondere persoonsgegevens), maar op die leeftijd moet ook een ouder met gezag "
            "toestemming geven — vraag een ouder met gezag over dochter om mee te tekenen");
  EXPECT_EQ(r.action, "vraag een ouder met gezag over dochter om mee te tekenen");
  EXPECT_EQ(r.rule_id, "gezinsmanager-consent");
}

TEST(decision_reasons, missing_consent_says_who_must_sign_for_a_15_year_old) {
  const auto policy = testing::example_engine();
  const auto d = policy.decide(gezinsmanager(), household(), ggz_dochter(), now);
  const auto it = std::find_if(d.reasons.begin(), d.reasons.end(),
                               [](const reason& r) { return r.kind == reason_code::no_consent; });
  ASSERT_NE(it, d.reasons.end());
  EXPECT_EQ(it->code, "no_consent");
  EXPECT_EQ(it->message,
            "geen toestemming van dochter (15) voor gegevens over psychische gezondheid "
            "(bijzondere persoonsgegevens) voor de gezinsmanager — vraag dochter én een ouder met "
            "gezag om toestemming");
}

TEST(decision_reasons, a_ground_that_starts_later_says_when) {
  const auto policy = testing::example_engine();
  auto fam = household();
  fam.grounds.push_back(ground_from(at(sys_days{2026y / July / 1}, 0)));
  const auto d = policy.decide(gezinsmanager(), fam, wijkteam_moeder(), now);
  const auto it = std::find_if(d.reasons.begin(), d.reasons.end(), [](const reason& r) {
    return r.kind == reason_code::ground_not_started;
  });
  ASSERT_NE(it, d.reasons.end());
  EXPECT_EQ(
      it->message.rfind("het afstemmingsbesluit voor dit gezin gaat pas in op 1 juli 2026 — ", 0),
      0u)
      << it->message;
  EXPECT_EQ(it->message.find("verlopen"), std::string::npos) << it->message;
}

TEST(decision_reasons, an_expired_consent_says_when_and_whom_to_ask_again) {
  const auto policy = testing::example_engine();
  auto fam = household();
  auto c = dochter_ggz_consent({"m-dochter", "m-moeder"});
  c.valid_until = start_of(sys_days{2026y / June / 1});  // 00:00 on 1 June in the Netherlands
  fam.consents.push_back(c);
  const auto d = policy.decide(gezinsmanager(), fam, ggz_dochter(), now);
  ASSERT_FALSE(d.reasons.empty());
  EXPECT_EQ(d.reasons.front().kind, reason_code::consent_expired);
  // valid_until is the exclusive end: the form's last day was 31 May (issue 10: it said 1 June),
  // and the form's own end date, not the policy's maximum, ended it, so no note on the maximum.
  EXPECT_NE(d.reasons.front().message.find("is verlopen: geldig tot en met 31 mei 2026"),
            std::string::npos)
      << d.reasons.front().message;
  EXPECT_EQ(d.reasons.front().message.find("hoogstens"), std::string::npos)
      << d.reasons.front().message;
  EXPECT_EQ(d.reasons.front().action,
            "vraag dochter én een ouder met gezag opnieuw om toestemming");
}

TEST(decision_reasons, a_consent_ended_by_the_policy_maximum_says_so) {
  const auto policy = testing::example_engine();
  auto fam = household();
  auto c = dochter_ggz_consent({"m-dochter", "m-moeder"});
  c.valid_from = now - std::chrono::days{500};
  c.valid_until = now + std::chrono::days{30};  // the form asked for longer than the maximum
  fam.consents.push_back(c);
  const auto d = policy.decide(gezinsmanager(), fam, ggz_dochter(), now);
  ASSERT_FALSE(d.reasons.empty());
  EXPECT_EQ(d.reasons.front().kind, reason_code::consent_expired);
  EXPECT_NE(d.reasons.front().message.find("(een toestemming geldt hoogstens 365 dagen)"),
            std::string::npos)
      << d.reasons.front().message;
}

TEST(decision_reasons, a_deny_shows_its_dutch_explanation_not_its_description) {
  const auto policy = testing::example_engine();
  const auto d = policy.decide(professional("org-woco", "woningcorporatie"), household(),
                               politie_moeder(), now);
  ASSERT_EQ(d.reasons.size(), 1u);
  EXPECT_EQ(d.reasons.front().kind, reason_code::denied_by_rule);
  EXPECT_NE(d.reasons.front().message.find(
                "politiegegevens worden nooit gedeeld met een woningcorporatie"),
            std::string::npos)
      << d.reasons.front().message;
  EXPECT_EQ(d.reasons.front().message.find("Police"), std::string::npos);
}

TEST(decision_reasons, sensitive_data_asks_for_consent_only_where_a_consent_could_count) {
  const auto policy = testing::example_engine();
  auto fam = household();
  fam.grounds.push_back(ground());
  // The procesmanager has no consent-based permit: asking the family would not help.
  const auto pm = policy.decide(procesmanager(), fam, ggz_dochter(), now);
  ASSERT_FALSE(pm.reasons.empty());
  EXPECT_EQ(pm.reasons.front().kind, reason_code::special_category);
  EXPECT_EQ(pm.reasons.front().action.find("vraag"), std::string::npos)
      << pm.reasons.front().action;
}

// Words that would betray an English rule text or id inside a Dutch sentence.
bool has_english_word(const std::string& message) {
  static const std::vector<std::string> english = {"consent",
                                                   "ground",
                                                   "rule",
                                                   "special",
                                                   "criminal",
                                                   "regular",
                                                   "purpose",
                                                   "level",
                                                   "the",
                                                   "and",
                                                   "not",
                                                   "for",
                                                   "with",
                                                   "without",
                                                   "expired",
                                                   "missing",
                                                   "denied",
                                                   "none",
                                                   "summary",
                                                   "full",
                                                   "signalling",
                                                   "process-oversight",
                                                   "privacy-officer",
                                                   "secrecy",
                                                   "police",
                                                   "never"};
  std::string word;
  for (const char ch : message + " ") {
    if (ch == ' ' || ch == ',' || ch == ';' || ch == '(' || ch == ')' || ch == ':' || ch == '\'') {
      if (std::find(english.begin(), english.end(), word) != english.end()) return true;
      word.clear();
    } else {
      word += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    }
  }
  return false;
}

TEST(decision_reasons, every_reason_is_dutch_actionable_and_has_a_stable_code) {
  const auto policy = testing::example_engine();
  std::size_t seen = 0;
  for (const auto& c : cases()) {
    auto fam = household();
    c.facts(fam);
    for (const auto& r : policy.decide(c.who, fam, c.rec, now).reasons) {
      ++seen;
      EXPECT_EQ(r.code, to_string(r.kind)) << c.name;
      EXPECT_EQ(parse_reason_code(r.code), r.kind) << c.name;
      EXPECT_FALSE(r.action.empty()) << c.name << ": " << r.message;
      const std::string tail = " — " + r.action;
      EXPECT_TRUE(r.message.size() > tail.size() &&
                  r.message.compare(r.message.size() - tail.size(), tail.size(), tail) == 0)
          << c.name << ": " << r.message;
      EXPECT_FALSE(has_english_word(r.message)) << c.name << ": " << r.message;
    }
  }
  EXPECT_GT(seen, 40u);
}

TEST(reason_codes, round_trip_and_are_snake_case) {
  for (int i = 0; i <= static_cast<int>(reason_code::professional_secrecy); ++i) {
    const auto kind = static_cast<reason_code>(i);
    const auto text = to_string(kind);
    EXPECT_EQ(parse_reason_code(text), kind);
    EXPECT_EQ(text.find_first_not_of("abcdefghijklmnopqrstuvwxyz_"), std::string_view::npos);
  }
  EXPECT_FALSE(parse_reason_code("consent.missing").has_value());
}

// A consent names recipients by organisation and role: both must match when both are given.
TEST(consent_recipients, organisation_and_role_when_given) {
  const auto policy = engine::compile(R"(
organisations = ["ggz-noord", "wijkteam-noord"]

[[rule]]
id = "anyone-with-consent"
effect = "permit"
roles = ["gezinsmanager", "procesmanager", "professional"]
purposes = ["plan"]
basis = "consent"
level = "full"
)",
                                      "recipients.toml")
                          .value();
  const auto with = [](std::vector<std::string> orgs, std::vector<std::string> roles) {
    auto fam = household();
    auto c = dochter_ggz_consent({"m-dochter", "m-moeder"});
    c.recipient_organisations = std::move(orgs);
    c.recipient_roles = std::move(roles);
    fam.consents.push_back(c);
    return fam;
  };
  const auto person = [](std::string role, std::string org, bool own = false) {
    return requester{"u-" + role, std::move(role), std::move(org), "ggz", "plan", own};
  };
  struct row {
    std::vector<std::string> orgs, roles;
    requester who;
    level expected;
  };
  const std::vector<row> rows = {
      // "ggz-noord, for the gezinsmanager": the own gezinsmanager at ggz-noord only.
      {{"ggz-noord"}, {"gezinsmanager"}, person("gezinsmanager", "ggz-noord", true), level::full},
      {{"ggz-noord"}, {"gezinsmanager"}, person("procesmanager", "ggz-noord"), level::none},
      {{"ggz-noord"}, {"gezinsmanager"}, person("professional", "ggz-noord"), level::none},
      {{"ggz-noord"}, {"gezinsmanager"}, person("gezinsmanager", "ggz-noord", false), level::none},
      {{"ggz-noord"},
       {"gezinsmanager"},
       person("gezinsmanager", "wijkteam-noord", true),
       level::none},
      // An organisation without roles: everyone there, except a gezinsmanager of another family.
      {{"ggz-noord"}, {}, person("professional", "ggz-noord"), level::full},
      {{"ggz-noord"}, {}, person("professional", "wijkteam-noord"), level::none},
      {{"ggz-noord"}, {}, person("gezinsmanager", "ggz-noord", false), level::none},
      // Roles without an organisation: only "gezinsmanager" names one person.
      {{}, {"gezinsmanager"}, person("gezinsmanager", "wijkteam-noord", true), level::full},
      {{}, {"gezinsmanager"}, person("gezinsmanager", "wijkteam-noord", false), level::none},
      {{}, {"professional"}, person("professional", "ggz-noord"), level::none},
      {{}, {}, person("gezinsmanager", "ggz-noord", true), level::none},
  };
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto fam = with(rows[i].orgs, rows[i].roles);
    const auto d = policy.decide(rows[i].who, fam, ggz_dochter(), now);
    EXPECT_EQ(d.level, rows[i].expected) << "row " << i;
    if (d.level == level::none) {
      ASSERT_FALSE(d.reasons.empty()) << "row " << i;
      EXPECT_EQ(d.reasons.front().kind, reason_code::no_consent) << "row " << i;
    }
  }
}

TEST(engine_settings, exposes_consent_and_break_glass_limits) {
  const auto policy = testing::example_engine();
  EXPECT_EQ(policy.consent_max_validity(), days{365});
  EXPECT_EQ(policy.child_with_gezag_from_age(), 12);
  EXPECT_EQ(policy.child_alone_from_age(), 16);
  EXPECT_EQ(policy.break_glass_max_duration(), minutes{240});
  EXPECT_EQ(policy.break_glass_min_justification(), 30u);
  EXPECT_EQ(policy.break_glass_reviewer_role(), "privacy-officer");
  const auto fam = household();
  using signers = engine::signers;
  EXPECT_EQ(policy.required_signers(fam, "m-zoon", now), signers::gezag_holder);
  EXPECT_EQ(policy.required_signers(fam, "m-dochter", now), signers::subject_and_gezag_holder);
  EXPECT_EQ(policy.required_signers(fam, "m-jarige", now), signers::subject);  // 16 today
  EXPECT_EQ(policy.required_signers(fam, "", now), signers::every_member_of_age);
  EXPECT_EQ(policy.required_signers(fam, "m-nobody", now), signers::unknown_member);
  EXPECT_NE(std::find(policy.domains().begin(), policy.domains().end(), "psychische-gezondheid"),
            policy.domains().end());
  EXPECT_NE(std::find(policy.sectors().begin(), policy.sectors().end(), "ggz"),
            policy.sectors().end());
  EXPECT_EQ(policy.roles().front(), "gezinsmanager");
  EXPECT_EQ(policy.purposes().front(), "plan");
  EXPECT_TRUE(policy.organisations().empty());
}

TEST(decision_reasons, none_below_the_level_asked) {
  const auto policy = testing::example_engine();
  auto fam = household();
  fam.grounds.push_back(ground());
  const auto d =
      policy.prepare(gezinsmanager(), fam, now).decide(wijkteam_moeder(), level::summary);
  EXPECT_EQ(d.level, level::summary);
  EXPECT_TRUE(d.reasons.empty());
}

TEST(decision_rules, lists_permits_and_denies_that_applied) {
  const auto policy = testing::example_engine();
  auto fam = household();
  fam.grounds.push_back(ground());
  fam.consents.push_back(consent_for("m-moeder", {"m-moeder"}, {"financien"}, {category::regular}));
  const auto d = policy.decide(gezinsmanager(), fam, wijkteam_moeder(), now);
  EXPECT_EQ(d.level, level::full);
  EXPECT_EQ(d.basis, legal_basis::consent);
  EXPECT_EQ(d.applied_rules,
            (std::vector<std::string>{"gezinsmanager-consent", "gezinsmanager-coordination",
                                      "gezinsmanager-involvement"}));

  const auto denied =
      policy.decide(professional("org-woco", "woningcorporatie"), fam, politie_moeder(), now);
  EXPECT_EQ(denied.applied_rules, std::vector<std::string>{"no-police-to-housing"});
}

TEST(decision_purity, same_facts_same_decision_and_prepare_equals_decide) {
  const auto policy = testing::example_engine();
  auto fam = household();
  fam.grounds.push_back(ground());
  const auto prepared = policy.prepare(gezinsmanager(), fam, now);
  for (const auto& rec : {ggz_dochter(), wijkteam_moeder(), politie_moeder(), woco_family()}) {
    const auto a = prepared.decide(rec);
    const auto b = policy.decide(gezinsmanager(), fam, rec, now);
    EXPECT_EQ(a.level, b.level);
    EXPECT_EQ(a.applied_rules, b.applied_rules);
    ASSERT_EQ(a.reasons.size(), b.reasons.size());
    for (std::size_t i = 0; i < a.reasons.size(); ++i) {
      EXPECT_EQ(a.reasons[i].code, b.reasons[i].code);
      EXPECT_EQ(a.reasons[i].message, b.reasons[i].message);
    }
  }
}

TEST(policy_change, changes_the_outcome_and_the_version) {
  const auto text = testing::example_policy_text();
  const auto before = engine::compile(text, "before.toml").value();
  std::string changed = text;
  const std::string from =
      "source_secrecy = false     # never records of organisations with "
      "professional secrecy\nlevel = \"summary\"";
  const auto at_pos = changed.find(from);
  ASSERT_NE(at_pos, std::string::npos);
  changed.replace(at_pos, from.size(), "source_secrecy = false\nlevel = \"status\"");
  const auto after = engine::compile(changed, "after.toml").value();
  auto fam = household();
  fam.grounds.push_back(ground());
  const auto a = before.decide(gezinsmanager(), fam, wijkteam_moeder(), now);
  const auto b = after.decide(gezinsmanager(), fam, wijkteam_moeder(), now);
  EXPECT_EQ(a.level, level::summary);
  EXPECT_EQ(b.level, level::status);
  EXPECT_NE(a.policy_version, b.policy_version);
  EXPECT_EQ(a.policy_version, before.version());
  EXPECT_EQ(b.policy_version, after.version());
}

TEST(policy_version, is_a_stable_hex_content_hash) {
  const auto text = testing::example_policy_text();
  const auto a = engine::compile(text, "a.toml").value();
  const auto b = engine::compile(text, "b.toml").value();
  EXPECT_EQ(a.version(), b.version());
  EXPECT_EQ(a.version().size(), 16u);
  EXPECT_EQ(a.version().find_first_not_of("0123456789abcdef"), std::string::npos);
  const auto c = engine::compile(text + "\n# a comment changes the text\n", "c.toml").value();
  EXPECT_NE(a.version(), c.version());
}

}  // namespace
}  // namespace sluis::policy
