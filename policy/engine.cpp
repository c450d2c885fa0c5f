#include "policy/engine.hpp"

#include <algorithm>
#include <stdexcept>

#include "policy/detail/compiled_policy.hpp"
#include "policy/detail/parse.hpp"

namespace sluis::policy {
namespace {

using detail::compiled_rule;
using detail::consent_state;
using status = consent_state::status;
using signers_problem = consent_state::signers_problem;

bool contains(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

int age_at(const member& m, time_point now) {
  const std::chrono::year_month_day born{m.date_of_birth};
  const std::chrono::year_month_day today{std::chrono::floor<std::chrono::days>(now)};
  int years = static_cast<int>(today.year()) - static_cast<int>(born.year());
  if (today.month() < born.month() || (today.month() == born.month() && today.day() < born.day())) {
    --years;
  }
  return years;
}

const member* find_member(const family& fam, const std::string& id) {
  for (const auto& m : fam.members) {
    if (m.id == id) return &m;
  }
  return nullptr;
}

bool signed_by_gezag_holder(const consent& c, const member& subject) {
  return std::any_of(c.granted_by.begin(), c.granted_by.end(), [&](const std::string& signer) {
    return contains(subject.gezag_holder_ids, signer);
  });
}

// Who must sign (policy thresholds): under `with_gezag` a gezag holder; from `with_gezag` to
// `alone` the child and a gezag holder; from `alone` the person. A family consent (no subject)
// needs every member old enough to consent alone, since the record is about each of them.
signers_problem check_signers(const consent& c, const family& fam, time_point now,
                              const detail::consent_settings& rules) {
  if (c.subject_member_id.empty()) {
    bool anyone = false;
    for (const auto& m : fam.members) {
      if (age_at(m, now) < rules.child_alone_from_age) continue;
      anyone = true;
      if (!contains(c.granted_by, m.id)) return signers_problem::family_signers_missing;
    }
    return anyone ? signers_problem::none : signers_problem::family_signers_missing;
  }
  const member* subject = find_member(fam, c.subject_member_id);
  if (!subject) return signers_problem::unknown_subject;
  const int age = age_at(*subject, now);
  const bool by_subject = contains(c.granted_by, subject->id);
  const bool by_gezag = signed_by_gezag_holder(c, *subject);
  if (age >= rules.child_alone_from_age) {
    return by_subject ? signers_problem::none : signers_problem::subject_missing;
  }
  if (age >= rules.child_with_gezag_from_age) {
    if (by_subject && by_gezag) return signers_problem::none;
    return by_subject ? signers_problem::minor_needs_gezag
                      : (by_gezag ? signers_problem::subject_missing
                                  : signers_problem::gezag_holder_missing);
  }
  return by_gezag ? signers_problem::none : signers_problem::gezag_holder_missing;
}

bool covers_requester(const consent& c, const requester& who) {
  if (!contains(c.purposes, who.purpose)) return false;
  if (contains(c.recipient_organisations, who.organisation_id)) return true;
  // A consent "for the gezinsmanager" means this family's own gezinsmanager, no other.
  if (who.role == "gezinsmanager" && !who.is_family_gezinsmanager) return false;
  return contains(c.recipient_roles, who.role);
}

consent_state judge(const consent& c, const requester& who, const family& fam, time_point now,
                    const detail::consent_settings& rules) {
  consent_state s;
  s.facts = &c;
  s.covers_requester = covers_requester(c, who);
  // Validity beyond the policy maximum is cut off at the maximum rather than rejecting the whole
  // consent: the family did agree, for at least that long.
  const auto until =
      std::min(c.valid_until, c.valid_from + std::chrono::days{rules.max_validity_days});
  if (c.withdrawn_at && *c.withdrawn_at <= now) {
    s.state = status::withdrawn;
  } else if (now < c.valid_from) {
    s.state = status::not_yet_valid;
  } else if (now >= until) {
    s.state = status::expired;
  } else {
    s.signers = check_signers(c, fam, now, rules);
    if (s.signers != signers_problem::none) s.state = status::signers;
  }
  return s;
}

bool ground_complete(const coordination_ground& g) {
  return !g.decided_by.empty() && !g.necessity.empty() && !g.proportionality.empty() &&
         !g.subsidiarity.empty() && (g.family_informed_on || !g.not_informed_reason.empty());
}

bool ground_in_date(const coordination_ground& g, time_point now) {
  return g.valid_from <= now && now < g.valid_until && !(g.ended_at && *g.ended_at <= now);
}

std::string who_text(const family& fam, const std::string& member_id, time_point now) {
  if (member_id.empty()) return "het gezin";
  const member* m = find_member(fam, member_id);
  if (!m) return "een onbekend gezinslid";
  return m->label + " (" + std::to_string(age_at(*m, now)) + ")";
}

std::string data_text(const record& rec) {
  switch (rec.data_category) {
    case category::special:
      return rec.domain + "-gegevens (bijzondere gegevens)";
    case category::criminal:
      return rec.domain + "-gegevens (strafrechtelijke gegevens)";
    case category::regular:
      break;
  }
  return rec.domain + "-gegevens";
}

std::string recipient_text(const requester& who) {
  if (who.role == "gezinsmanager" && who.is_family_gezinsmanager) return "de gezinsmanager";
  return "de " + who.role + " van " + who.organisation_id;
}

std::string who_must_sign(const family& fam, const std::string& member_id, time_point now,
                          const detail::consent_settings& rules) {
  if (member_id.empty()) {
    return "alle gezinsleden van " + std::to_string(rules.child_alone_from_age) +
           " jaar en ouder moeten toestemming geven";
  }
  const member* m = find_member(fam, member_id);
  if (!m) return "het gezinslid moet bekend zijn in het gezin";
  const int age = age_at(*m, now);
  if (age >= rules.child_alone_from_age) return m->label + " kan zelf toestemming geven";
  if (age >= rules.child_with_gezag_from_age) {
    return m->label + " en een ouder met gezag moeten allebei toestemming geven";
  }
  return "een ouder met gezag moet toestemming geven";
}

void deduplicate(std::vector<reason>& reasons) {
  std::vector<reason> unique;
  for (auto& r : reasons) {
    const bool seen = std::any_of(unique.begin(), unique.end(), [&](const reason& u) {
      return u.code == r.code && u.message == r.message;
    });
    if (!seen) unique.push_back(std::move(r));
  }
  reasons = std::move(unique);
}

bool selects(const compiled_rule& rule, const record& rec, const requester& who,
             std::uint64_t domain_bit, std::uint64_t source_sector_bit) {
  if (rule.own_organisation && who.organisation_id != rec.source_organisation_id) return false;
  if (rule.domains && !(rule.domains & domain_bit)) return false;
  if (rule.categories && !(rule.categories & (1u << static_cast<unsigned>(rec.data_category)))) {
    return false;
  }
  if (rule.kinds && !(rule.kinds & (1u << static_cast<unsigned>(rec.kind)))) return false;
  if (rule.source_sectors && !(rule.source_sectors & source_sector_bit)) return false;
  if (!rule.source_organisations.empty() &&
      !contains(rule.source_organisations, rec.source_organisation_id)) {
    return false;
  }
  return !rule.source_secrecy || *rule.source_secrecy == rec.source_has_professional_secrecy;
}

// Basis preference among permits of equal level: prefer one that needs no break-the-glass flag.
int basis_rank(legal_basis basis) {
  switch (basis) {
    case legal_basis::none:
      return 0;
    case legal_basis::consent:
      return 1;
    case legal_basis::coordination:
      return 2;
    case legal_basis::vital_interest:
      return 3;
  }
  return 4;
}

}  // namespace

std::string diagnostic::to_string() const {
  std::string out =
      file + ":" + std::to_string(line) + ":" + std::to_string(column) + ": error: " + message;
  if (!hint.empty()) out += " (hint: " + hint + ")";
  return out;
}

void throw_exception_from_error(const diagnostics& errors, const boost::source_location&) {
  std::string text;
  for (const auto& d : errors.items) text += d.to_string() + "\n";
  throw std::runtime_error(text);
}

boost::system::result<engine, diagnostics> engine::compile(std::string_view text,
                                                           std::string_view file_name) {
  auto parsed = detail::parse_policy(text, file_name);
  if (!parsed) return parsed.error();
  return engine(std::move(*parsed));
}

const std::string& engine::version() const noexcept { return policy_->version; }
std::size_t engine::rule_count() const noexcept { return policy_->rules.size(); }
level engine::highest_permit_level() const noexcept { return policy_->highest_permit; }
std::chrono::minutes engine::break_glass_max_duration() const noexcept {
  return std::chrono::minutes{policy_->break_glass.max_duration_minutes};
}
std::size_t engine::break_glass_min_justification() const noexcept {
  return static_cast<std::size_t>(policy_->break_glass.min_justification_length);
}
const std::string& engine::break_glass_reviewer_role() const noexcept {
  return policy_->break_glass.reviewer_role;
}

prepared_request engine::prepare(const requester& who, const family& fam, time_point now) const {
  prepared_request p;
  p.policy_ = policy_;
  p.requester_ = who;
  p.family_ = &fam;
  p.now_ = now;
  const auto& pol = *policy_;
  const auto role = pol.roles.find(who.role);
  const auto purpose = pol.purposes.find(who.purpose);
  if (role && purpose) {
    const std::uint64_t sector_bit = pol.sectors.bit(who.sector);
    for (const auto index : pol.buckets[*role * pol.purposes.names().size() + *purpose]) {
      const auto& rule = pol.rules[index];
      if (rule.sectors && !(rule.sectors & sector_bit)) continue;
      if (!rule.organisations.empty() && !contains(rule.organisations, who.organisation_id)) {
        continue;
      }
      if (rule.own_gezinsmanager && !who.is_family_gezinsmanager) continue;
      p.candidates_.push_back(index);
    }
  }
  p.consents_.reserve(fam.consents.size());
  for (const auto& c : fam.consents) p.consents_.push_back(judge(c, who, fam, now, pol.consent));

  using ground_state = prepared_request::ground_state;
  for (const auto& g : fam.grounds) {
    const bool complete = ground_complete(g);
    if (complete && ground_in_date(g, now)) {
      p.ground_ = ground_state::valid;
      break;
    }
    p.ground_ = complete
                    ? ground_state::expired
                    : (p.ground_ == ground_state::expired ? p.ground_ : ground_state::incomplete);
  }

  using glass_state = prepared_request::glass_state;
  const auto max_glass = std::chrono::minutes{pol.break_glass.max_duration_minutes};
  for (const auto& grant : fam.break_glass) {
    if (grant.user_id != who.user_id || now < grant.started_at) continue;
    if (now < std::min(grant.expires_at, grant.started_at + max_glass)) {
      p.glass_ = glass_state::active;
      break;
    }
    p.glass_ = glass_state::expired;
  }
  return p;
}

decision engine::decide(const requester& who, const family& fam, const record& rec, time_point now,
                        level wanted) const {
  return prepare(who, fam, now).decide(rec, wanted);
}

bool prepared_request::consent_holds(const record& rec, reason& failure) const {
  const auto& pol = *policy_;
  int best_rank = 0;
  const consent_state* best = nullptr;
  for (const auto& s : consents_) {
    const auto& c = *s.facts;
    if (!s.covers_requester || c.subject_member_id != rec.subject_member_id ||
        std::find(c.categories.begin(), c.categories.end(), rec.data_category) ==
            c.categories.end() ||
        !contains(c.domains, rec.domain)) {
      continue;
    }
    if (s.state == status::valid) return true;
    // Report the failure closest to success: a consent that only lacks a signature is more useful
    // to name than one that was withdrawn.
    const int rank = s.state == status::signers ? 3 : (s.state == status::withdrawn ? 1 : 2);
    if (rank > best_rank) {
      best_rank = rank;
      best = &s;
    }
  }
  const auto& fam = *family_;
  const std::string who = who_text(fam, rec.subject_member_id, now_);
  const std::string what = data_text(rec);
  if (!best) {
    failure.code = "consent.missing";
    failure.message = "geen toestemming van " + who + " voor " + what + " voor " +
                      recipient_text(requester_) + "; " +
                      who_must_sign(fam, rec.subject_member_id, now_, pol.consent);
    return false;
  }
  switch (best->state) {
    case status::withdrawn:
      failure.code = "consent.withdrawn";
      failure.message = "de toestemming van " + who + " voor " + what +
                        " is ingetrokken; alleen een nieuwe toestemming opent dit weer";
      break;
    case status::expired:
      failure.code = "consent.expired";
      failure.message = "de toestemming van " + who + " voor " + what + " is verlopen (maximaal " +
                        std::to_string(pol.consent.max_validity_days) +
                        " dagen geldig); vraag opnieuw toestemming";
      break;
    case status::not_yet_valid:
      failure.code = "consent.not_yet_valid";
      failure.message = "de toestemming van " + who + " voor " + what + " is nog niet ingegaan";
      break;
    case status::signers:
    case status::valid:
      break;
  }
  if (best->state != status::signers) return false;
  switch (best->signers) {
    case signers_problem::minor_needs_gezag:
      failure.code = "consent.minor_needs_gezag";
      failure.message = "de toestemming van " + who + " alleen is niet genoeg voor " + what +
                        "; ook een ouder met gezag moet toestemming geven";
      break;
    case signers_problem::gezag_holder_missing:
      failure.code = "consent.gezag_holder_missing";
      failure.message = "de toestemming voor " + who +
                        " is niet gegeven door een ouder met gezag; " +
                        who_must_sign(fam, rec.subject_member_id, now_, pol.consent);
      break;
    case signers_problem::subject_missing:
      failure.code = "consent.subject_missing";
      failure.message = "de toestemming voor " + who + " is niet door " + who + " zelf gegeven; " +
                        who_must_sign(fam, rec.subject_member_id, now_, pol.consent);
      break;
    case signers_problem::family_signers_missing:
      failure.code = "consent.family_signers_missing";
      failure.message = "de toestemming voor gegevens over het gezin mist handtekeningen; " +
                        who_must_sign(fam, rec.subject_member_id, now_, pol.consent);
      break;
    case signers_problem::unknown_subject:
    case signers_problem::none:
      failure.code = "consent.missing";
      failure.message = "de toestemming gaat over een onbekend gezinslid";
      break;
  }
  return false;
}

bool prepared_request::basis_holds(const compiled_rule& rule, const record& rec,
                                   reason& failure) const {
  failure.rule_id = rule.id;
  switch (rule.basis) {
    case legal_basis::consent:
      return consent_holds(rec, failure);
    case legal_basis::vital_interest:
      if (glass_ == glass_state::active) return true;
      failure.code = glass_ == glass_state::expired ? "break_glass.expired" : "break_glass.missing";
      failure.message = glass_ == glass_state::expired
                            ? "uw doorbraak (break-the-glass) bij dit gezin is verlopen"
                            : "er is geen actieve doorbraak (break-the-glass) van u bij dit gezin";
      return false;
    case legal_basis::none:
    case legal_basis::coordination:
      break;
  }
  const bool sensitive =
      rec.data_category != category::regular || rec.source_has_professional_secrecy;
  if (sensitive && !rule.allow_sensitive_without_consent) {
    if (rec.data_category != category::regular) {
      failure.code = "category.needs_consent";
      failure.message =
          (rec.data_category == category::special ? "bijzondere" : "strafrechtelijke") +
          std::string(" gegevens (") + rec.domain +
          ") worden alleen gedeeld met toestemming of bij een doorbraak "
          "(break-the-glass)";
    } else {
      failure.code = "secrecy.needs_consent";
      failure.message = "dit gegeven komt van een organisatie met beroepsgeheim (" +
                        rec.source_sector +
                        ") en wordt alleen gedeeld met toestemming of bij een doorbraak "
                        "(break-the-glass)";
    }
    return false;
  }
  if (rule.basis == legal_basis::none || ground_ == ground_state::valid) return true;
  switch (ground_) {
    case ground_state::incomplete:
      failure.code = "ground.incomplete";
      failure.message =
          "het afstemmingsbesluit voor dit gezin is onvolledig: het moet vastleggen wie besloot, "
          "noodzaak, proportionaliteit, subsidiariteit en wanneer het gezin is geïnformeerd (of "
          "waarom niet)";
      break;
    case ground_state::expired:
      failure.code = "ground.expired";
      failure.message = "het afstemmingsbesluit voor dit gezin is verlopen of beëindigd";
      break;
    case ground_state::missing:
    case ground_state::valid:
      failure.code = "ground.missing";
      failure.message =
          "er is geen afstemmingsbesluit vastgelegd voor dit gezin; leg het besluit vast om op "
          "grond van de afstemmingstaak te delen";
      break;
  }
  return false;
}

decision prepared_request::decide(const record& rec, level wanted) const {
  const auto& pol = *policy_;
  decision out;
  out.policy_version = pol.version;
  const std::uint64_t domain_bit = pol.domains.bit(rec.domain);
  const std::uint64_t source_sector_bit = pol.sectors.bit(rec.source_sector);
  bool denied = false;
  int best_rank = 0;
  std::vector<std::pair<level, reason>> failures;
  for (const auto index : candidates_) {
    const auto& rule = pol.rules[index];
    if (!selects(rule, rec, requester_, domain_bit, source_sector_bit)) continue;
    if (rule.deny) {
      denied = true;
      out.applied_rules.push_back(rule.id);
      out.reasons.push_back({"rule.deny",
                             "regel '" + rule.id + "' verbiedt dit" +
                                 (rule.description.empty() ? "" : ": " + rule.description),
                             rule.id});
      continue;
    }
    reason failure;
    if (!basis_holds(rule, rec, failure)) {
      failures.emplace_back(rule.level, std::move(failure));
      continue;
    }
    out.applied_rules.push_back(rule.id);
    const int rank = basis_rank(rule.basis);
    if (rule.level > out.level || (rule.level == out.level && rank < best_rank)) {
      out.level = rule.level;
      out.basis = rule.basis;
      best_rank = rank;
    }
  }
  if (denied) {
    out.level = level::none;
    out.basis = legal_basis::none;
    deduplicate(out.reasons);
    return out;
  }
  out.flagged = out.level > level::none && out.basis == legal_basis::vital_interest;
  if (out.level >= wanted) return out;
  for (auto& [rule_level, failure] : failures) {
    if (rule_level > out.level) out.reasons.push_back(std::move(failure));
  }
  if (out.reasons.empty()) {
    out.reasons.push_back(
        {"no_rule",
         "geen regel geeft de " + requester_.role + " met doel " + requester_.purpose +
             (out.level == level::none
                  ? " inzage in "
                  : " meer dan niveau " + std::string(to_string(out.level)) + " van ") +
             data_text(rec),
         {}});
  }
  deduplicate(out.reasons);
  return out;
}

}  // namespace sluis::policy
