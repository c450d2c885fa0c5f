#include "gateway/case/policy_facts.hpp"

namespace sluis::cases {

policy::family family_facts(const stored_family& family) {
  policy::family facts;
  facts.id = family.id;
  for (const auto& m : family.members) {
    facts.members.push_back(
        {m.id, m.content.label, m.role, m.content.date_of_birth, m.content.gezag_holder_ids});
  }
  return facts;
}

policy::record record_facts(const stored_contribution& c, const stored_family& family,
                            const config::gateway_config& config) {
  policy::record r;
  r.id = c.id;
  r.source_organisation_id = c.org_id;
  if (const auto* org = config.find(c.org_id)) {
    r.source_sector = org->sector;
    r.source_has_professional_secrecy = org->professional_secrecy;
  } else {
    r.source_has_professional_secrecy = true;
  }
  if (c.subject) {
    // A person removed from the family is nobody the family's consents can cover.
    const auto* m = family.member_by_pseudonym(*c.subject);
    r.subject_member_id = m != nullptr ? m->id : "former-member";
  }
  r.domain = c.domain;
  r.kind = c.kind;
  r.data_category = c.category;
  return r;
}

}  // namespace sluis::cases
