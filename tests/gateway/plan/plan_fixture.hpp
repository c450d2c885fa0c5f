#pragma once
// A hand-built family for the plan suites and the plan benchmark: the Vermeulen household (moeder
// 42 with gezag over both children, dochter 15, zoon 8 whose father elsewhere also holds gezag),
// its gezinsmanager at the wijkteam, the partner organisations of deploy/config.example.toml, and
// the example policy from deploy/ as shipped (SLUIS_EXAMPLE_POLICY).

#include <chrono>
#include <stdexcept>
#include <string>
#include <vector>

#include "gateway/case/policy_facts.hpp"
#include "gateway/plan/plan.hpp"
#include "tests/support/temp_dir.hpp"

namespace sluis::plan::testing {

using namespace std::chrono;

inline const time_point now = time_point{sys_days{2026y / June / 15}} + hours{12};
inline const sys_days today = sys_days{2026y / June / 15};

inline std::string example_policy_text() { return sluis::testing::read_file(SLUIS_EXAMPLE_POLICY); }

// The example policy without its `gezinsmanager-involvement` rule: what a municipality gets that
// decides the gezinsmanager must not know of items without consent. Then the no-leak rule makes
// those items vanish for the gezinsmanager (see plan.hpp).
inline std::string without_involvement_rule(std::string text) {
  const auto start = text.find("[[rule]]\nid = \"gezinsmanager-involvement\"");
  if (start == std::string::npos) throw std::runtime_error("the example policy changed");
  const auto end = text.find("[[rule]]", start + 1);
  return text.erase(start, end - start);
}

inline policy::engine example_engine() {
  return policy::engine::compile(without_involvement_rule(example_policy_text()),
                                 "policy.example.toml without gezinsmanager-involvement")
      .value();
}

// The example policy as shipped: under a coordination decision the family's own gezinsmanager may
// know which organisations are involved, and so learns that items exist which the family did not
// consent to share.
inline policy::engine involvement_engine() {
  return policy::engine::compile(example_policy_text(), "policy.example.toml").value();
}

inline config::organisation org(std::string id, std::string name, std::string sector,
                                bool secrecy) {
  config::organisation o;
  o.id = std::move(id);
  o.name = std::move(name);
  o.sector = std::move(sector);
  o.professional_secrecy = secrecy;
  o.contact = o.id + "@example.org, 010-0000000";
  o.certificate_oin = "0000009900000000000" + std::to_string(o.id.size() % 10);
  return o;
}

inline config::gateway_config gateway_config() {
  config::gateway_config c;
  c.organisations = {
      org("wijkteam-noord", "Wijkteam Noord", "wijkteam", false),
      org("ggz-noord", "GGZ Noord", "ggz", true),
      org("jeugdhulp-noord", "Jeugdhulp Noord", "jeugdhulp", true),
      org("schuldhulp-noord", "Schuldhulpverlening Noord", "schuldhulp", false),
      org("woningcorporatie-noord", "Woningcorporatie Noord", "woningcorporatie", false),
      org("politie-noord", "Politie Noord", "politie", false)};
  return c;
}

inline keys::pseudonym pseudonym_of(unsigned char n) {
  keys::pseudonym p;
  p.bytes.fill(0x5a);
  p.bytes[0] = n;
  return p;
}

inline cases::stored_member member(std::string id, unsigned char n, policy::member_role role,
                                   std::string label, sys_days born,
                                   std::vector<std::string> gezag) {
  return {std::move(id), pseudonym_of(n), role, {std::move(label), born, std::move(gezag)}};
}

inline cases::stored_family family() {
  cases::stored_family f;
  f.id = "fam-vermeulen";
  f.created_by_org = "wijkteam-noord";
  f.gezinsmanager_org = "wijkteam-noord";
  f.gezinsmanager = {"gm-jansen", "Gezinsmanager Jansen"};
  f.created_at = f.updated_at = 1'780'000'000;
  f.members = {
      member("mem-moeder", 1, policy::member_role::parent, "moeder", sys_days{1984y / March / 2},
             {}),
      member("mem-dochter", 2, policy::member_role::child, "dochter", sys_days{2011y / January / 9},
             {"mem-moeder"}),
      member("mem-zoon", 3, policy::member_role::child, "zoon", sys_days{2018y / May / 20},
             {"mem-moeder", "vader-elders"}),
  };
  return f;
}

// A contribution about `subject` (a member id of family(), or "" for the family as a whole).
inline cases::stored_contribution contribution(
    std::string id, std::string org, const std::string& subject, std::string domain,
    policy::record_kind kind = policy::record_kind::goal,
    policy::category category = policy::category::regular, std::string status = "active",
    std::optional<sys_days> due = std::nullopt) {
  const auto f = family();
  cases::stored_contribution c;
  c.id = std::move(id);
  c.org_id = std::move(org);
  c.source_ref = "ref-" + c.id;
  c.family_id = f.id;
  if (!subject.empty()) c.subject = f.member(subject)->pseudonym;
  c.domain = std::move(domain);
  c.kind = kind;
  c.category = category;
  c.status = std::move(status);
  // Distinct, recognisable texts: the suites scan JSON for them.
  c.content.title = "TITEL " + c.id;
  c.content.body = "TEKST over " + c.id + " met persoonlijke details";
  c.content.owner_name = "Behandelaar " + c.id;
  c.content.start_date = sys_days{2026y / March / 1};
  c.content.due_date = due;
  c.created_at = 1'780'000'000;
  c.updated_at = 1'780'000'000 + static_cast<cases::unix_seconds>(c.id.size()) * 60;
  return c;
}

inline policy::requester own_gezinsmanager() {
  return {"gm-jansen", "gezinsmanager", "wijkteam-noord", "wijkteam", "plan", true};
}
inline policy::requester other_gezinsmanager() {
  return {"gm-pietersen", "gezinsmanager", "wijkteam-noord", "wijkteam", "plan", false};
}
inline policy::requester procesmanager() {
  return {"pm-de-vries", "procesmanager", "wijkteam-noord", "wijkteam", "process-oversight", false};
}
inline policy::requester professional(std::string org, std::string sector) {
  return {"prof-" + org, "professional", std::move(org), std::move(sector), "plan", false};
}

inline policy::coordination_ground ground() {
  policy::coordination_ground g;
  g.id = "grd-1";
  g.decided_by = "teamleider wijkteam";
  g.necessity = "schulden, dreigende huisuitzetting en schoolverzuim tegelijk";
  g.proportionality = "alleen hoofdlijnen van gewone gegevens";
  g.subsidiarity = "afzonderlijke hulp is vastgelopen";
  g.family_informed_on = sys_days{2026y / May / 20};
  g.valid_from = now - days{10};
  g.valid_until = now + days{170};
  return g;
}

// A consent for the family's gezinsmanager about `subject`, for one domain and category.
inline policy::consent consent(std::string id, std::string subject,
                               std::vector<std::string> granted_by, std::string domain,
                               policy::category category) {
  policy::consent c;
  c.id = std::move(id);
  c.subject_member_id = std::move(subject);
  c.granted_by = std::move(granted_by);
  c.recipient_roles = {"gezinsmanager"};
  c.purposes = {"plan"};
  c.categories = {category};
  c.domains = {std::move(domain)};
  c.valid_from = now - days{30};
  c.valid_until = now + days{300};
  c.evidence = {"form-2026-17", sys_days{2026y / May / 16}};
  c.recorded_by = "gm-jansen";
  return c;
}

inline policy::family facts(const cases::stored_family& f,
                            std::vector<policy::consent> consents = {},
                            std::vector<policy::coordination_ground> grounds = {}) {
  auto out = cases::family_facts(f);
  out.consents = std::move(consents);
  out.grounds = std::move(grounds);
  return out;
}

}  // namespace sluis::plan::testing
