#include "policy/engine.hpp"

#include <algorithm>
#include <stdexcept>
#include <tuple>
#include <utility>

#include "policy/detail/compiled_policy.hpp"
#include "policy/detail/parse.hpp"
#include "policy/detail/suggest.hpp"

namespace sluis::policy {
namespace {

using detail::compiled_rule;
using detail::consent_state;
using signers_problem = consent_state::signers_problem;

bool contains(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

int age_at(const member& m, time_point now) { return policy::age_at(m.date_of_birth, now); }

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

// A consent names its recipients by organisation and by role. With organisations, the person must
// work at one of them and, when roles are given too, have one of those roles: a consent to
// "ggz-noord" for its gezinsmanager does not open data to the procesmanager of ggz-noord. Without
// organisations, only the role gezinsmanager is specific enough to name one person: this
// family's own gezinsmanager. "gezinsmanager" always means that one person: a gezinsmanager of
// another family is never a recipient, not even at a named organisation.
bool covers_requester(const consent& c, const requester& who) {
  if (!contains(c.purposes, who.purpose)) return false;
  if (who.role == "gezinsmanager" && !who.is_family_gezinsmanager) return false;
  if (c.recipient_organisations.empty()) {
    return who.role == "gezinsmanager" && contains(c.recipient_roles, who.role);
  }
  if (!contains(c.recipient_organisations, who.organisation_id)) return false;
  return c.recipient_roles.empty() || contains(c.recipient_roles, who.role);
}

// Validity beyond the policy maximum is cut off at the maximum rather than rejecting the whole
// consent: the family did agree, for at least that long.
time_point end_of(const consent& c, const detail::consent_settings& rules) {
  return std::min(c.valid_until, add_days(c.valid_from, rules.max_validity_days));
}

// Where `c` stands at `now` (engine::status_of), and which signature is missing when one is.
std::pair<consent_status, signers_problem> standing(const consent& c, const family& fam,
                                                    time_point now,
                                                    const detail::consent_settings& rules) {
  if (c.withdrawn_at && *c.withdrawn_at <= now) return {consent_status::withdrawn, {}};
  if (now < c.valid_from) return {consent_status::not_yet_valid, {}};
  if (now >= end_of(c, rules)) return {consent_status::expired, {}};
  const auto signers = check_signers(c, fam, now, rules);
  return {
      signers == signers_problem::none ? consent_status::valid : consent_status::signatures_missing,
      signers};
}

consent_state judge(const consent& c, const requester& who, const family& fam, time_point now,
                    const detail::consent_settings& rules) {
  consent_state s;
  s.facts = &c;
  s.covers_requester = covers_requester(c, who);
  std::tie(s.state, s.signers) = standing(c, fam, now, rules);
  return s;
}

bool ground_complete(const coordination_ground& g) {
  return !g.decided_by.empty() && !g.necessity.empty() && !g.proportionality.empty() &&
         !g.subsidiarity.empty() && (g.family_informed_on || !g.not_informed_reason.empty());
}

// --- Dutch texts for reasons: the names of policy/vocabulary.hpp, as they read in a sentence;
// names a policy adds itself are shown as written. ---

std::string domain_text(const std::string& domain) {
  return in_sentence(name_of(standard_domains(), domain));
}

std::string role_text(const std::string& role) {
  return in_sentence(name_of(standard_roles(), role));
}

std::string purpose_text(const std::string& purpose) {
  return in_sentence(name_of(standard_purposes(), purpose));
}

std::string_view level_text(level value) {
  switch (value) {
    case level::none:
      return "niets";
    case level::involvement:
      return "alleen de betrokkenheid";
    case level::status:
      return "alleen de status";
    case level::summary:
      return "de hoofdlijnen";
    case level::full:
      return "alles";
  }
  return "niets";
}

constexpr std::string_view month_names[] = {"januari",   "februari", "maart",    "april",
                                            "mei",       "juni",     "juli",     "augustus",
                                            "september", "oktober",  "november", "december"};

// "1 juli 2026": the Dutch date at `moment` (policy/calendar.hpp).
std::string date_text(time_point moment);

// The last day of a validity that ends (exclusively) at `end`: a form's "valid until 5 December"
// is stored as the start of 6 December, and a person must read "tot en met 5 december".
std::string last_day_text(time_point end) { return date_text(end - std::chrono::seconds{1}); }

std::string date_text(time_point moment) {
  const std::chrono::year_month_day day{dutch_date(moment)};
  return std::to_string(static_cast<unsigned>(day.day())) + " " +
         std::string(month_names[static_cast<unsigned>(day.month()) - 1]) + " " +
         std::to_string(static_cast<int>(day.year()));
}

std::string who_text(const family& fam, const std::string& member_id, time_point now) {
  if (member_id.empty()) return "het gezin";
  const member* m = find_member(fam, member_id);
  if (!m) return "een onbekend gezinslid";
  return m->label + " (" + std::to_string(age_at(*m, now)) + ")";
}

std::string data_text(const record& rec) {
  std::string out = "gegevens over " + domain_text(rec.domain);
  switch (rec.data_category) {
    case category::special:
      return out + " (bijzondere persoonsgegevens)";
    case category::criminal:
      return out + " (strafrechtelijke gegevens)";
    case category::regular:
      break;
  }
  return out;
}

std::string recipient_text(const requester& who) {
  if (who.role == "gezinsmanager" && who.is_family_gezinsmanager) return "de gezinsmanager";
  return "de " + role_text(who.role) + " van " + who.organisation_id;
}

// What to ask for, by who must sign for `member_id` at `now`: "vraag dochter én een ouder met
// gezag om toestemming".
std::string ask_consent(const family& fam, const std::string& member_id, time_point now,
                        const detail::consent_settings& rules, std::string_view again = "") {
  const std::string ask = "vraag ";
  const std::string tail = std::string(again) + " om toestemming";
  if (member_id.empty()) {
    return ask + "alle gezinsleden van " + std::to_string(rules.child_alone_from_age) +
           " jaar en ouder" + tail;
  }
  const member* m = find_member(fam, member_id);
  if (!m) return "controleer of dit gezinslid nog bij het gezin hoort";
  const int age = age_at(*m, now);
  if (age >= rules.child_alone_from_age) return ask + m->label + " zelf" + tail;
  if (age >= rules.child_with_gezag_from_age) {
    return ask + m->label + " én een ouder met gezag" + tail;
  }
  return ask + "een ouder met gezag over " + m->label + tail;
}

// Fills a reason: `problem` says what is missing, `action` what the user can do.
void set_reason(reason& r, reason_code kind, std::string problem, std::string action) {
  r.kind = kind;
  r.code = std::string(to_string(kind));
  r.message = action.empty() ? std::move(problem) : problem + " — " + action;
  r.action = std::move(action);
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
bool engine::oversight_shows_label() const noexcept { return policy_->oversight.label; }
bool engine::oversight_shows_gezinsmanager() const noexcept {
  return policy_->oversight.gezinsmanager;
}
std::chrono::days engine::consent_max_validity() const noexcept {
  return std::chrono::days{policy_->consent.max_validity_days};
}
int engine::child_with_gezag_from_age() const noexcept {
  return policy_->consent.child_with_gezag_from_age;
}
int engine::child_alone_from_age() const noexcept { return policy_->consent.child_alone_from_age; }

consent_status engine::status_of(const family& fam, const consent& c, time_point now) const {
  return standing(c, fam, now, policy_->consent).first;
}

time_point engine::consent_end(const consent& c) const { return end_of(c, policy_->consent); }

engine::signers engine::required_signers(const family& fam, const std::string& member_id,
                                         time_point now) const {
  if (member_id.empty()) return signers::every_member_of_age;
  const member* m = find_member(fam, member_id);
  if (!m) return signers::unknown_member;
  const int age = age_at(*m, now);
  if (age >= policy_->consent.child_alone_from_age) return signers::subject;
  if (age >= policy_->consent.child_with_gezag_from_age) return signers::subject_and_gezag_holder;
  return signers::gezag_holder;
}

const std::vector<std::string>& engine::roles() const noexcept { return policy_->roles.names(); }
const std::vector<std::string>& engine::purposes() const noexcept {
  return policy_->purposes.names();
}
const std::vector<std::string>& engine::sectors() const noexcept {
  return policy_->sectors.names();
}
const std::vector<std::string>& engine::domains() const noexcept {
  return policy_->domains.names();
}
const std::vector<std::string>& engine::organisations() const noexcept {
  return policy_->organisations;
}

diagnostics engine::check_organisations(std::span<const std::string> configured) const {
  const std::vector<std::string> known(configured.begin(), configured.end());
  diagnostics out;
  const auto& pol = *policy_;
  for (std::size_t i = 0; i < pol.organisations.size(); ++i) {
    const auto& id = pol.organisations[i];
    if (contains(known, id)) continue;
    std::string hint = known.empty() ? std::string("the configuration has no organisations")
                                     : detail::suggest(id, known);
    hint += "; spell it as the id of an [[organisation]] in the gateway configuration";
    out.items.push_back(
        {pol.file_name, pol.organisation_positions[i].line, pol.organisation_positions[i].column,
         "organisation '" + id + "' is not in the gateway configuration", std::move(hint)});
  }
  return out;
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

  // When no ground holds, remember the one closest to holding, to say what is wrong with it: a
  // complete ground that starts later, before one that ended, before an incomplete one.
  using ground_state = prepared_request::ground_state;
  const auto closeness = [](ground_state s) {
    switch (s) {
      case ground_state::valid:
        return 4;
      case ground_state::not_started:
        return 3;
      case ground_state::ended:
      case ground_state::expired:
        return 2;
      case ground_state::incomplete:
        return 1;
      case ground_state::missing:
        break;
    }
    return 0;
  };
  for (const auto& g : fam.grounds) {
    ground_state state = ground_state::incomplete;
    time_point when{};
    if (ground_complete(g)) {
      if (g.ended_at && *g.ended_at <= now) {
        state = ground_state::ended;
        when = *g.ended_at;
      } else if (now < g.valid_from) {
        state = ground_state::not_started;
        when = g.valid_from;
      } else if (now >= g.valid_until) {
        state = ground_state::expired;
        when = g.valid_until;
      } else {
        state = ground_state::valid;
      }
    }
    if (closeness(state) > closeness(p.ground_) ||
        // Of two that start later, name the earliest start; of two that ended, the latest end.
        (state == p.ground_ && state == ground_state::not_started && when < p.ground_date_) ||
        (state == p.ground_ && state != ground_state::not_started && when > p.ground_date_)) {
      p.ground_ = state;
      p.ground_date_ = when;
    }
    if (state == ground_state::valid) break;
  }

  using glass_state = prepared_request::glass_state;
  const auto max_glass = std::chrono::minutes{pol.break_glass.max_duration_minutes};
  for (const auto& grant : fam.break_glass) {
    if (grant.user_id != who.user_id || now < grant.started_at) continue;
    if (!grant.organisation_id.empty() && grant.organisation_id != who.organisation_id) continue;
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
    if (s.state == consent_status::valid) return true;
    // Report the failure closest to success: a consent that only lacks a signature is more useful
    // to name than one that starts later, one that expired, or one that was withdrawn.
    const int rank = s.state == consent_status::signatures_missing ? 4
                     : s.state == consent_status::not_yet_valid    ? 3
                     : s.state == consent_status::expired          ? 2
                                                                   : 1;
    if (rank > best_rank) {
      best_rank = rank;
      best = &s;
    }
  }
  const auto& fam = *family_;
  const std::string& subject = rec.subject_member_id;
  const std::string who = who_text(fam, subject, now_);
  const std::string what = data_text(rec);
  const member* m = subject.empty() ? nullptr : find_member(fam, subject);
  const std::string label = m ? m->label : who;
  if (!best) {
    set_reason(
        failure, reason_code::no_consent,
        "geen toestemming van " + who + " voor " + what + " voor " + recipient_text(requester_),
        ask_consent(fam, subject, now_, pol.consent));
    return false;
  }
  const auto& c = *best->facts;
  const std::string consent_of = "de toestemming van " + who + " voor " + what;
  switch (best->state) {
    case consent_status::withdrawn:
      set_reason(failure, reason_code::consent_withdrawn,
                 consent_of + " is ingetrokken op " + date_text(*c.withdrawn_at),
                 "respecteer de intrekking; alleen een nieuwe toestemming opent dit weer");
      return false;
    case consent_status::expired: {
      // The maximum is named only when it, not the form's own end date, ended the consent.
      const auto end = end_of(c, pol.consent);
      const std::string cap = end < c.valid_until
                                  ? " (een toestemming geldt hoogstens " +
                                        std::to_string(pol.consent.max_validity_days) + " dagen)"
                                  : "";
      set_reason(failure, reason_code::consent_expired,
                 consent_of + " is verlopen: geldig tot en met " + last_day_text(end) + cap,
                 ask_consent(fam, subject, now_, pol.consent, " opnieuw"));
      return false;
    }
    case consent_status::not_yet_valid:
      set_reason(
          failure, reason_code::consent_not_started,
          consent_of + " gaat pas in op " + date_text(c.valid_from),
          "wacht tot die datum, of corrigeer de ingangsdatum als die verkeerd is vastgelegd");
      return false;
    case consent_status::signatures_missing:
    case consent_status::valid:
      break;
  }
  switch (best->signers) {
    case signers_problem::minor_needs_gezag:
      set_reason(failure, reason_code::needs_gezag_holder,
                 who + " heeft zelf toestemming gegeven voor " + what +
                     ", maar op die leeftijd moet ook een ouder met gezag toestemming geven",
                 "vraag een ouder met gezag over " + label + " om mee te tekenen");
      break;
    case signers_problem::gezag_holder_missing:
      set_reason(failure, reason_code::needs_gezag_holder,
                 consent_of + " is niet gegeven door een ouder met gezag over " + label,
                 ask_consent(fam, subject, now_, pol.consent) +
                     "; controleer ook of het gezag goed is vastgelegd");
      break;
    case signers_problem::subject_missing:
      set_reason(failure, reason_code::needs_subject,
                 consent_of + " is niet door " + label + " zelf gegeven",
                 ask_consent(fam, subject, now_, pol.consent));
      break;
    case signers_problem::family_signers_missing:
      set_reason(failure, reason_code::needs_family_members,
                 "de toestemming voor " + what + " over het hele gezin mist handtekeningen",
                 ask_consent(fam, subject, now_, pol.consent));
      break;
    case signers_problem::unknown_subject:
    case signers_problem::none:
      set_reason(failure, reason_code::no_consent,
                 "de toestemming gaat over een gezinslid dat niet (meer) bij dit gezin hoort",
                 "controleer de gezinssamenstelling en vraag zo nodig opnieuw om toestemming");
      break;
  }
  return false;
}

void prepared_request::ground_failure(reason& failure) const {
  switch (ground_) {
    case ground_state::incomplete:
      set_reason(failure, reason_code::ground_incomplete,
                 "het afstemmingsbesluit voor dit gezin is onvolledig",
                 "vul aan wie besloot, de noodzaak, de proportionaliteit, de subsidiariteit en "
                 "wanneer het gezin is geïnformeerd (of waarom niet)");
      break;
    case ground_state::expired:
      set_reason(failure, reason_code::ground_expired,
                 "het afstemmingsbesluit voor dit gezin is verlopen: geldig tot en met " +
                     last_day_text(ground_date_),
                 "neem een nieuw besluit en leg het vast, als afstemming nog nodig is");
      break;
    case ground_state::ended:
      set_reason(failure, reason_code::ground_expired,
                 "het afstemmingsbesluit voor dit gezin is beëindigd op " + date_text(ground_date_),
                 "neem een nieuw besluit en leg het vast, als afstemming weer nodig is");
      break;
    case ground_state::not_started:
      set_reason(failure, reason_code::ground_not_started,
                 "het afstemmingsbesluit voor dit gezin gaat pas in op " + date_text(ground_date_),
                 "tot dan wordt op deze grond niets gedeeld; corrigeer de ingangsdatum als die "
                 "verkeerd is vastgelegd");
      break;
    case ground_state::missing:
    case ground_state::valid:
      set_reason(failure, reason_code::no_ground,
                 "er is geen afstemmingsbesluit vastgelegd voor dit gezin",
                 "leg het besluit vast (wie besloot, noodzaak, proportionaliteit, subsidiariteit, "
                 "informeren van het gezin) als de voorwaarden voor afstemming gelden");
      break;
  }
}

bool prepared_request::basis_holds(const compiled_rule& rule, const record& rec,
                                   reason& failure) const {
  failure.rule_id = rule.id;
  switch (rule.basis) {
    case legal_basis::consent:
      return consent_holds(rec, failure);
    case legal_basis::vital_interest:
      if (glass_ == glass_state::active) return true;
      if (glass_ == glass_state::expired) {
        set_reason(failure, reason_code::break_glass_expired,
                   "uw doorbraak (break-the-glass) bij dit gezin is verlopen",
                   "vraag alleen een nieuwe doorbraak aan als de noodsituatie voortduurt");
      } else {
        set_reason(
            failure, reason_code::no_break_glass,
            "in een noodsituatie kan een doorbraak (break-the-glass) dit openen, maar u hebt geen "
            "actieve doorbraak bij dit gezin",
            "vraag alleen in een echte noodsituatie een doorbraak aan, met een schriftelijke "
            "motivering; de privacyfunctionaris beoordeelt die achteraf");
      }
      return false;
    case legal_basis::none:
    case legal_basis::coordination:
      break;
  }
  const bool sensitive =
      rec.data_category != category::regular || rec.source_has_professional_secrecy;
  if (sensitive && !rule.allow_sensitive_without_consent) {
    // The action depends on whether a consent could open it for this requester at all; decide()
    // fills it in once it knows (see sensitive_action).
    if (rec.data_category == category::special) {
      set_reason(failure, reason_code::special_category,
                 "gegevens over " + domain_text(rec.domain) +
                     " zijn bijzondere persoonsgegevens en worden alleen gedeeld met toestemming "
                     "of in een noodsituatie via een doorbraak",
                 {});
    } else if (rec.data_category == category::criminal) {
      set_reason(failure, reason_code::criminal_data,
                 "gegevens over " + domain_text(rec.domain) +
                     " zijn strafrechtelijke gegevens en worden alleen gedeeld met toestemming of "
                     "in een noodsituatie via een doorbraak",
                 {});
    } else {
      set_reason(failure, reason_code::professional_secrecy,
                 "dit gegeven komt van een organisatie met beroepsgeheim" +
                     (rec.source_sector.empty() ? std::string() : " (" + rec.source_sector + ")") +
                     " en wordt alleen gedeeld met toestemming of in een noodsituatie via een "
                     "doorbraak",
                 {});
    }
    return false;
  }
  if (rule.basis == legal_basis::none || ground_ == ground_state::valid) return true;
  ground_failure(failure);
  return false;
}

decision prepared_request::decide(const record& rec, level wanted) const {
  const auto& pol = *policy_;
  decision out;
  out.policy_version = pol.version;
  const std::uint64_t domain_bit = pol.domains.bit(rec.domain);
  const std::uint64_t source_sector_bit = pol.sectors.bit(rec.source_sector);
  bool denied = false;
  bool consent_could_open = false;  // a consent-based permit for this requester selects it
  int best_rank = 0;
  std::vector<std::pair<level, reason>> failures;
  for (const auto index : candidates_) {
    const auto& rule = pol.rules[index];
    if (!selects(rule, rec, requester_, domain_bit, source_sector_bit)) continue;
    if (rule.deny) {
      denied = true;
      out.applied_rules.push_back(rule.id);
      reason r;
      r.rule_id = rule.id;
      set_reason(r, reason_code::denied_by_rule,
                 "het beleid staat niet toe dat u dit gegeven inziet (regel '" + rule.id + "')" +
                     (rule.explanation.empty() ? std::string() : ": " + rule.explanation),
                 "dit is zo bedoeld; denkt u dat het beleid niet klopt, neem dan contact op met "
                 "de privacyfunctionaris");
      out.reasons.push_back(std::move(r));
      continue;
    }
    if (rule.basis == legal_basis::consent) consent_could_open = true;
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
    if (rule_level <= out.level) continue;
    if (failure.action.empty()) {
      // Special, criminal or secrecy data: only a consent (or an emergency) opens it. Ask for one
      // only when a consent would count for this requester under this policy.
      set_reason(failure, failure.kind, std::move(failure.message),
                 consent_could_open
                     ? ask_consent(*family_, rec.subject_member_id, now_, pol.consent) + " voor " +
                           recipient_text(requester_)
                     : "dat is voor uw rol zo bedoeld; dit gegeven blijft voor u "
                       "verborgen");
    }
    out.reasons.push_back(std::move(failure));
  }
  if (out.reasons.empty()) {
    reason r;
    set_reason(
        r, reason_code::role_not_permitted,
        "het beleid geeft de " + role_text(requester_.role) + " voor " +
            purpose_text(requester_.purpose) + " " +
            (out.level == level::none ? "geen inzage in " + data_text(rec)
                                      : "niet meer dan " + std::string(level_text(out.level)) +
                                            " van " + data_text(rec)),
        "dat is voor uw rol zo bedoeld; hebt u meer nodig voor uw taak, neem dan contact "
        "op met de privacyfunctionaris");
    out.reasons.push_back(std::move(r));
  }
  deduplicate(out.reasons);
  return out;
}

}  // namespace sluis::policy
