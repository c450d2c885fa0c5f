#include "policy/detail/request_walk.hpp"

#include <algorithm>
#include <map>
#include <string_view>

#include "policy/detail/compiled_policy.hpp"
#include "policy/detail/engine_access.hpp"

namespace sluis::policy {
namespace {

using detail::compiled_policy;
using detail::compiled_rule;

// Concrete stand-ins for "another ..." in a witness: no policy names them.
const std::string other_organisation = "andere-organisatie";
const std::string other_source_organisation = "nog-een-organisatie";
const std::string other_sector = "andere-sector";
const std::string worker = "medewerker";

constexpr std::size_t at(axis_id a) { return static_cast<std::size_t>(a); }

// Consent values: the first five for a member, "none", "all" and "unsigned:BAND" for the family.
enum consent_value : std::size_t { no_consent, by_subject, by_gezag, separately, by_both, by_all };
constexpr std::size_t first_unsigned = 6;

time_point the_moment() {
  return std::chrono::sys_days{std::chrono::year{2026} / 6 / 15} + std::chrono::hours{12};
}

void add_unique(std::vector<std::string>& out, const std::vector<std::string>& names) {
  for (const auto& n : names) {
    if (std::find(out.begin(), out.end(), n) == out.end()) out.push_back(n);
  }
}

std::string band_label(const std::vector<int>& bands, std::size_t i) {
  if (i + 1 == bands.size()) return std::to_string(bands[i]) + "+";
  if (bands[i] == bands[i + 1] - 1) return std::to_string(bands[i]);
  return std::to_string(bands[i]) + "–" + std::to_string(bands[i + 1] - 1);
}

int band_age(const std::vector<int>& bands, std::size_t i) {
  return i + 1 == bands.size() ? std::max(bands[i], 40) : bands[i + 1] - 1;
}

date born_aged(int years) {
  // Ten days past the birthday at the_moment(): `years` old, whatever the rounding.
  const std::chrono::year_month_day today{dutch_date(the_moment())};
  return std::chrono::sys_days{today - std::chrono::years{years}} - std::chrono::days{10};
}

std::size_t band_count(const request_space& s) { return s.age_bands.size(); }
bool is_family_subject(const request_space& s, std::size_t v) { return v >= band_count(s); }
std::size_t subject_band(const request_space& s, std::size_t v) {
  return is_family_subject(s, v) ? v - band_count(s) : v;
}

const std::string& value_id(const request_space& s, axis_id a, const auto& shape) {
  return s[a].values[shape[at(a)]].id;
}

// The id an axis value stands for: itself, or for "*" (a name neither policy uses) `stand_in`.
const std::string& concrete(const std::string& value, const std::string& stand_in) {
  return value == "*" ? stand_in : value;
}

requester requester_of(const request_space& s, const std::array<std::size_t, axis_count>& shape) {
  requester who;
  who.user_id = worker;
  who.role = value_id(s, axis_id::role, shape);
  who.purpose = value_id(s, axis_id::purpose, shape);
  who.sector = concrete(value_id(s, axis_id::sector, shape), other_sector);
  who.organisation_id = concrete(value_id(s, axis_id::organisation, shape), other_organisation);
  who.is_family_gezinsmanager = shape[at(axis_id::own_gezinsmanager)] == 0;
  return who;
}

std::string source_organisation_of(const std::string& value, const requester& who) {
  return value == "=" ? who.organisation_id : concrete(value, other_source_organisation);
}

record record_of(const request_space& s, const std::array<std::size_t, axis_count>& shape,
                 const requester& who) {
  record rec;
  rec.id = "gegeven";
  rec.source_organisation_id =
      source_organisation_of(value_id(s, axis_id::source_organisation, shape), who);
  rec.source_sector = concrete(value_id(s, axis_id::source_sector, shape), other_sector);
  rec.source_has_professional_secrecy = shape[at(axis_id::source_secrecy)] == 0;
  rec.domain = value_id(s, axis_id::domain, shape);
  rec.data_category = *parse_category(value_id(s, axis_id::category, shape));
  rec.kind = *parse_record_kind(value_id(s, axis_id::kind, shape));
  rec.subject_member_id =
      is_family_subject(s, shape[at(axis_id::subject)]) ? std::string() : std::string("kind");
  return rec;
}

family family_of(const request_space& s, const std::array<std::size_t, axis_count>& shape,
                 const requester& who) {
  const auto now = the_moment();
  family fam;
  fam.id = "gezin";
  const std::size_t subject = shape[at(axis_id::subject)];
  const std::size_t band = subject_band(s, subject);
  const bool whole_family = is_family_subject(s, subject);
  const std::size_t recent = shape[at(axis_id::consent)];
  const std::size_t older = shape[at(axis_id::older_consent)];

  // The member who leaves a family consent unsigned, by band: the oldest when in its band.
  const auto non_signer = [&](std::size_t value) {
    const std::size_t j = value - first_unsigned;
    return j == band ? std::string("oudste") : "lid-" + std::to_string(j);
  };
  if (whole_family) {
    fam.members.push_back(
        {"oudste", "oudste", member_role::parent, born_aged(band_age(s.age_bands, band)), {}});
    for (const auto value : {recent, older}) {
      if (value < first_unsigned) continue;
      const auto id = non_signer(value);
      const bool present = std::any_of(fam.members.begin(), fam.members.end(),
                                       [&](const member& m) { return m.id == id; });
      if (!present) {
        fam.members.push_back({id,
                               id,
                               member_role::child,
                               born_aged(band_age(s.age_bands, value - first_unsigned)),
                               {}});
      }
    }
  } else {
    fam.members.push_back(
        {"kind", "kind", member_role::child, born_aged(band_age(s.age_bands, band)), {"ouder"}});
    fam.members.push_back({"ouder", "ouder", member_role::parent, born_aged(40), {}});
  }

  std::vector<std::string> domains;
  for (const auto& v : s[axis_id::domain].values) domains.push_back(v.id);
  const auto add_consent = [&](std::vector<std::string> signers, time_point from) {
    consent c;
    c.id = "toestemming-" + std::to_string(fam.consents.size() + 1);
    c.subject_member_id = whole_family ? std::string() : std::string("kind");
    c.granted_by = std::move(signers);
    c.recipient_organisations = {who.organisation_id};
    c.recipient_roles = {who.role};
    c.purposes = {who.purpose};
    c.categories = {category::regular, category::special, category::criminal};
    c.domains = domains;
    c.valid_from = from;
    c.valid_until = now + std::chrono::days{1};
    c.evidence = {"formulier", dutch_date(from)};
    fam.consents.push_back(std::move(c));
  };
  const auto add_consents = [&](std::size_t value, time_point from) {
    switch (value) {
      case no_consent:
        return;
      case by_subject:
        return add_consent({"kind"}, from);
      case by_gezag:
        return add_consent({"ouder"}, from);
      case separately:
        add_consent({"kind"}, from);
        return add_consent({"ouder"}, from);
      case by_both:
        return add_consent({"kind", "ouder"}, from);
      default:
        break;
    }
    std::vector<std::string> signers;
    for (const auto& m : fam.members) {
      if (value == by_all || m.id != non_signer(value)) signers.push_back(m.id);
    }
    add_consent(std::move(signers), from);
  };
  add_consents(recent, now - std::chrono::hours{1});
  // Old enough that only the longer maximum keeps it: it started `short` days and an hour ago.
  add_consents(older, now - std::chrono::days{s.consent_days_short} - std::chrono::hours{1});

  const auto& ground = value_id(s, axis_id::ground, shape);
  if (ground != "none") {
    coordination_ground g{"besluit",
                          "besluitvormer",
                          "noodzaak",
                          "proportionaliteit",
                          "subsidiariteit",
                          dutch_date(now),
                          "",
                          now - std::chrono::days{1},
                          now + std::chrono::days{1},
                          {}};
    if (ground == "not-started") {
      g.valid_from = now + std::chrono::days{1};
      g.valid_until = now + std::chrono::days{2};
    }
    fam.grounds.push_back(std::move(g));
  }

  const auto& glass = value_id(s, axis_id::break_glass, shape);
  if (glass != "none") {
    break_glass_grant grant{"doorbraak",
                            worker,
                            "noodsituatie",
                            now - std::chrono::minutes{1},
                            now + std::chrono::minutes{1},
                            who.organisation_id};
    if (glass == "older") {
      // Past the shorter maximum, within the longer one.
      grant.started_at =
          now - std::chrono::minutes{s.glass_minutes_short} - std::chrono::seconds{30};
      grant.expires_at = grant.started_at + std::chrono::minutes{s.glass_minutes_long};
    }
    fam.break_glass.push_back(std::move(grant));
  }
  return fam;
}

// --- Classes of values: values no rule tells apart, found by their signature over the rules ---

struct classes {
  std::vector<value_set> sets;
  std::vector<std::size_t> representatives;
};

template <class Signature>
classes partition(std::size_t values, Signature signature) {
  classes out;
  std::map<std::string, std::size_t> seen;
  for (std::size_t v = 0; v < values; ++v) {
    const auto [it, fresh] = seen.emplace(signature(v), out.sets.size());
    if (fresh) {
      out.sets.emplace_back(values);
      out.representatives.push_back(v);
    }
    out.sets[it->second].set(v);
  }
  return out;
}

classes singles(std::size_t values, const std::vector<std::size_t>& which) {
  classes out;
  for (const auto v : which) {
    out.sets.emplace_back(values);
    out.sets.back().set(v);
    out.representatives.push_back(v);
  }
  return out;
}

classes all_values(std::size_t values) {
  std::vector<std::size_t> every(values);
  for (std::size_t v = 0; v < values; ++v) every[v] = v;
  return singles(values, every);
}

classes whole(std::size_t values, std::size_t representative) {
  classes out;
  out.sets.emplace_back(values);
  out.sets.back().set();
  out.representatives.push_back(representative);
  return out;
}

// The shape being built by walk(): per axis the class chosen and its representative.
struct cursor {
  std::array<std::size_t, axis_count> shape{};
  std::array<const value_set*, axis_count> where{};
};

using axis_classes = std::vector<std::pair<axis_id, const classes*>>;

// Calls `body` once for every combination of one class per axis of `axes`, with `c` set to it.
template <class Body>
void combine(cursor& c, const axis_classes& axes, const Body& body, std::size_t from = 0) {
  if (from == axes.size()) return body();
  const auto& [a, options] = axes[from];
  for (std::size_t i = 0; i < options->sets.size(); ++i) {
    c.shape[at(a)] = options->representatives[i];
    c.where[at(a)] = &options->sets[i];
    combine(c, axes, body, from + 1);
  }
}

bool in_mask(std::uint64_t mask, std::uint64_t bit) { return mask == 0 || (mask & bit) != 0; }

bool has(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

// The rules of both policies, with the policy each belongs to.
struct rule_ref {
  const compiled_policy* policy;
  const compiled_rule* rule;
};

std::vector<std::string> names_of(const detail::name_table& table, std::uint64_t mask) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < table.names().size(); ++i) {
    if (mask & (std::uint64_t{1} << i)) out.push_back(table.names()[i]);
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> sorted(std::vector<std::string> list) {
  std::sort(list.begin(), list.end());
  return list;
}

// Whether two candidate rules decide every record alike (their who-conditions already held).
bool same_rule(const compiled_policy& pa, const compiled_rule& a, const compiled_policy& pb,
               const compiled_rule& b) {
  return a.id == b.id && a.explanation == b.explanation && a.deny == b.deny && a.basis == b.basis &&
         a.level == b.level &&
         a.allow_sensitive_without_consent == b.allow_sensitive_without_consent &&
         a.own_organisation == b.own_organisation && a.categories == b.categories &&
         a.kinds == b.kinds && a.source_secrecy == b.source_secrecy &&
         names_of(pa.domains, a.domains) == names_of(pb.domains, b.domains) &&
         names_of(pa.sectors, a.source_sectors) == names_of(pb.sectors, b.source_sectors) &&
         sorted(a.source_organisations) == sorted(b.source_organisations);
}

bool any_basis(const std::vector<rule_ref>& rules, legal_basis basis) {
  return std::any_of(rules.begin(), rules.end(),
                     [&](const rule_ref& r) { return !r.rule->deny && r.rule->basis == basis; });
}

bool equivalent(const compiled_policy& pa, std::span<const std::uint32_t> a,
                const compiled_policy& pb, std::span<const std::uint32_t> b,
                const std::vector<rule_ref>& both) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (!same_rule(pa, pa.rules[a[i]], pb, pb.rules[b[i]])) return false;
  }
  if (any_basis(both, legal_basis::consent) &&
      (pa.consent.max_validity_days != pb.consent.max_validity_days ||
       pa.consent.child_alone_from_age != pb.consent.child_alone_from_age ||
       pa.consent.child_with_gezag_from_age != pb.consent.child_with_gezag_from_age)) {
    return false;
  }
  return !any_basis(both, legal_basis::vital_interest) ||
         pa.break_glass.max_duration_minutes == pb.break_glass.max_duration_minutes;
}

}  // namespace

double request_space::size() const {
  double n = 1;
  for (const auto& a : axes) n *= static_cast<double>(a.values.size());
  return n;
}

scenario witness(const request_space& space, const std::array<std::size_t, axis_count>& shape) {
  scenario s;
  s.who = requester_of(space, shape);
  s.fam = family_of(space, shape, s.who);
  s.records.push_back(record_of(space, shape, s.who));
  s.now = the_moment();
  return s;
}

namespace detail {

std::vector<std::size_t> consent_values_for(const request_space& s, std::size_t v) {
  if (!is_family_subject(s, v)) return {no_consent, by_subject, by_gezag, separately, by_both};
  std::vector<std::size_t> out{no_consent, by_all};
  for (std::size_t j = 0; j <= subject_band(s, v); ++j) out.push_back(first_unsigned + j);
  return out;
}

request_space space_of(const engine& before, const engine& after) {
  const auto& a = detail::engine_access::compiled(before);
  const auto& b = detail::engine_access::compiled(after);
  request_space s;
  const auto set_axis = [&](axis_id id, std::string name, std::vector<axis_value> values) {
    s.axes[at(id)] = {std::move(name), std::move(values)};
  };
  // The ids as "PREFIX id", then "*" labelled `other` when it is given.
  const auto from = [](const std::vector<std::string>& ids, const std::string& prefix,
                       const char* other = nullptr) {
    std::vector<axis_value> out;
    out.reserve(ids.size() + 1);
    for (const auto& id : ids) out.push_back({id, prefix + id});
    if (other) out.push_back({"*", other});
    return out;
  };
  std::vector<std::string> roles = a.roles.names(), purposes = a.purposes.names(),
                           sectors = a.sectors.names(), organisations = a.organisations,
                           domains = a.domains.names();
  add_unique(roles, b.roles.names());
  add_unique(purposes, b.purposes.names());
  add_unique(sectors, b.sectors.names());
  add_unique(organisations, b.organisations);
  add_unique(domains, b.domains.names());

  set_axis(axis_id::role, "role", from(roles, ""));
  set_axis(axis_id::purpose, "purpose", from(purposes, "purpose "));
  set_axis(axis_id::sector, "sector", from(sectors, "sector ", "a sector neither policy lists"));
  set_axis(axis_id::organisation, "organisation",
           from(organisations, "at ", "at an organisation neither policy names"));
  set_axis(axis_id::own_gezinsmanager, "own_gezinsmanager",
           {{"yes", "the family's own gezinsmanager"}, {"no", "not the family's gezinsmanager"}});
  auto source_values = from(organisations, "records of ", "records of another organisation");
  source_values.insert(source_values.begin(), {"=", "records of their own organisation"});
  set_axis(axis_id::source_organisation, "source_organisation", std::move(source_values));
  set_axis(axis_id::source_sector, "source_sector",
           from(sectors, "from sector ", "from a sector neither policy lists"));
  set_axis(axis_id::source_secrecy, "source_secrecy",
           {{"yes", "with professional secrecy"}, {"no", "without professional secrecy"}});
  set_axis(axis_id::domain, "domain", from(domains, ""));
  std::vector<axis_value> category_values, kind_values;
  for (const auto& t : categories())
    category_values.push_back({std::string(t.id), std::string(t.id)});
  for (const auto& t : record_kinds())
    kind_values.push_back({std::string(t.id), "kind " + std::string(t.id)});
  set_axis(axis_id::category, "category", std::move(category_values));
  set_axis(axis_id::kind, "kind", std::move(kind_values));

  std::vector<int> thresholds{0, a.consent.child_with_gezag_from_age,
                              a.consent.child_alone_from_age, b.consent.child_with_gezag_from_age,
                              b.consent.child_alone_from_age};
  std::sort(thresholds.begin(), thresholds.end());
  thresholds.erase(std::unique(thresholds.begin(), thresholds.end()), thresholds.end());
  s.age_bands = thresholds;
  std::vector<axis_value> subjects, consents;
  for (std::size_t i = 0; i < s.age_bands.size(); ++i) {
    subjects.push_back(
        {"member:" + band_label(s.age_bands, i), "a member aged " + band_label(s.age_bands, i)});
  }
  for (std::size_t i = 0; i < s.age_bands.size(); ++i) {
    subjects.push_back({"family:" + band_label(s.age_bands, i),
                        "the whole family, its oldest aged " + band_label(s.age_bands, i)});
  }
  set_axis(axis_id::subject, "subject", std::move(subjects));
  consents = {{"none", "no consent"},
              {"subject", "consent signed by the member"},
              {"gezag", "consent signed by a gezag holder"},
              {"separately", "consent of the member and, on another form, of a gezag holder"},
              {"both", "consent signed by the member and a gezag holder"},
              {"all", "family consent signed by every member"}};
  for (std::size_t i = 0; i < s.age_bands.size(); ++i) {
    consents.push_back(
        {"unsigned:" + band_label(s.age_bands, i),
         "family consent not signed by a member aged " + band_label(s.age_bands, i)});
  }
  s.consent_days_short = std::min(a.consent.max_validity_days, b.consent.max_validity_days);
  s.consent_days_long = std::max(a.consent.max_validity_days, b.consent.max_validity_days);
  std::vector<axis_value> older{{"none", "no older consent"}};
  if (s.consent_days_short != s.consent_days_long) {
    const std::string prefix = "consent started " + std::to_string(s.consent_days_short) + "–" +
                               std::to_string(s.consent_days_long - 1) + " days ago: ";
    older.clear();
    for (const auto& v : consents) older.push_back({v.id, prefix + v.label});
    older.front().label = "no consent started " + std::to_string(s.consent_days_short) + "–" +
                          std::to_string(s.consent_days_long - 1) + " days ago";
  }
  set_axis(axis_id::consent, "consent", std::move(consents));
  set_axis(axis_id::older_consent, "older_consent", std::move(older));
  set_axis(axis_id::ground, "ground",
           {{"in-force", "coordination ground in force"},
            {"none", "no coordination ground"},
            {"not-started", "coordination ground not yet started"}});
  s.glass_minutes_short =
      std::min(a.break_glass.max_duration_minutes, b.break_glass.max_duration_minutes);
  s.glass_minutes_long =
      std::max(a.break_glass.max_duration_minutes, b.break_glass.max_duration_minutes);
  std::vector<axis_value> glass{{"none", "no break-the-glass"},
                                {"active", "break-the-glass active"}};
  if (s.glass_minutes_short != s.glass_minutes_long) {
    glass.push_back({"older", "break-the-glass started " + std::to_string(s.glass_minutes_short) +
                                  "–" + std::to_string(s.glass_minutes_long) + " minutes ago"});
  }
  set_axis(axis_id::break_glass, "break_glass", std::move(glass));
  return s;
}

// One walk over the request space, its steps in order; split, its shared state (the two engines'
// candidates per class) would travel through every part.
// NOLINTNEXTLINE(readability-function-size)
std::uint64_t walk(const engine& before, const engine& after, const request_space& s,
                   const std::function<void(const shape_class&)>& visit) {
  const auto& pa = detail::engine_access::compiled(before);
  const auto& pb = detail::engine_access::compiled(after);
  const auto size = [&](axis_id a) { return s[a].values.size(); };
  const auto id = [&](axis_id a, std::size_t v) -> const std::string& { return s[a].values[v].id; };
  const compiled_policy* policies[] = {&pa, &pb};

  // The requester's axes, cut by the who-conditions of every rule of both policies.
  const auto by_table = [&](axis_id a, auto table_of, auto mask_of, bool special_gezinsmanager) {
    return partition(size(a), [&](std::size_t v) {
      std::string sig;
      for (const auto* p : policies) {
        const auto index = (p->*table_of).find(id(a, v));
        sig += index ? '1' : '0';
        for (const auto& rule : p->rules) {
          sig += index && in_mask(rule.*mask_of, std::uint64_t{1} << *index) ? '1' : '0';
        }
      }
      if (special_gezinsmanager) sig += id(a, v) == "gezinsmanager" ? '1' : '0';
      return sig;
    });
  };
  const auto roles = by_table(axis_id::role, &compiled_policy::roles, &compiled_rule::roles, true);
  const auto purposes =
      by_table(axis_id::purpose, &compiled_policy::purposes, &compiled_rule::purposes, false);
  const auto sectors = partition(size(axis_id::sector), [&](std::size_t v) {
    std::string sig;
    for (const auto* p : policies) {
      const auto bit = p->sectors.bit(id(axis_id::sector, v));
      for (const auto& rule : p->rules) sig += in_mask(rule.sectors, bit) ? '1' : '0';
    }
    return sig;
  });
  // Each named organisation is a class of its own: it is also the source of records "of their own
  // organisation", and a record of org-a is the requester's own only for a requester at org-a.
  const auto organisations = partition(size(axis_id::organisation),
                                       [&](std::size_t v) { return id(axis_id::organisation, v); });
  const auto own = all_values(2);

  std::uint64_t decided = 0;
  cursor c;
  const family nobody;
  const auto now = the_moment();
  const auto requester_axes = axis_classes{{axis_id::role, &roles},
                                           {axis_id::purpose, &purposes},
                                           {axis_id::sector, &sectors},
                                           {axis_id::organisation, &organisations},
                                           {axis_id::own_gezinsmanager, &own}};
  combine(c, requester_axes, [&] {
    const requester who = requester_of(s, c.shape);
    const auto asked_before = before.prepare(who, nobody, now);
    const auto asked_after = after.prepare(who, nobody, now);
    const auto ca = detail::engine_access::candidates(asked_before);
    const auto cb = detail::engine_access::candidates(asked_after);
    std::vector<rule_ref> candidates;
    for (const auto i : ca) candidates.push_back({&pa, &pa.rules[i]});
    for (const auto i : cb) candidates.push_back({&pb, &pb.rules[i]});
    if (equivalent(pa, ca, pb, cb, candidates)) return;

    // The record's axes, cut by the record conditions of the candidate rules.
    const auto record_classes = [&](axis_id a, auto matches) {
      return partition(size(a), [&](std::size_t v) {
        std::string sig;
        for (const auto& r : candidates) sig += matches(*r.policy, *r.rule, v) ? '1' : '0';
        return sig;
      });
    };
    const auto domains =
        record_classes(axis_id::domain, [&](const auto& p, const auto& rule, std::size_t v) {
          return in_mask(rule.domains, p.domains.bit(id(axis_id::domain, v)));
        });
    const auto source_sectors =
        record_classes(axis_id::source_sector, [&](const auto& p, const auto& rule, std::size_t v) {
          return in_mask(rule.source_sectors,
                         p.sectors.bit(concrete(id(axis_id::source_sector, v), other_sector)));
        });
    const auto sources = record_classes(
        axis_id::source_organisation, [&](const auto&, const auto& rule, std::size_t v) {
          const auto source = source_organisation_of(id(axis_id::source_organisation, v), who);
          return (!rule.own_organisation || source == who.organisation_id) &&
                 (rule.source_organisations.empty() || has(rule.source_organisations, source));
        });
    const auto kinds =
        record_classes(axis_id::kind, [&](const auto&, const auto& rule, std::size_t v) {
          return in_mask(rule.kinds, std::uint64_t{1} << v);
        });
    const auto secrecy = all_values(2);
    const auto category = all_values(size(axis_id::category));
    const auto record_axes = axis_classes{{axis_id::domain, &domains},
                                          {axis_id::source_organisation, &sources},
                                          {axis_id::source_sector, &source_sectors},
                                          {axis_id::source_secrecy, &secrecy},
                                          {axis_id::kind, &kinds},
                                          {axis_id::category, &category}};

    // The legal facts, each only where a candidate rule rests on it.
    const bool by_consent = any_basis(candidates, legal_basis::consent);
    const bool older_matters = by_consent && s.consent_days_short != s.consent_days_long;
    const auto subjects = by_consent ? all_values(size(axis_id::subject))
                                     : whole(size(axis_id::subject), s.age_bands.size() - 1);
    const auto grounds = any_basis(candidates, legal_basis::coordination)
                             ? all_values(size(axis_id::ground))
                             : whole(size(axis_id::ground), 1);
    const auto glass = any_basis(candidates, legal_basis::vital_interest)
                           ? all_values(size(axis_id::break_glass))
                           : whole(size(axis_id::break_glass), 0);
    combine(c, {{axis_id::subject, &subjects}}, [&] {
      const auto applicable = detail::consent_values_for(s, c.shape[at(axis_id::subject)]);
      const auto consents = by_consent ? singles(size(axis_id::consent), applicable)
                                       : whole(size(axis_id::consent), no_consent);
      const auto olders = older_matters ? singles(size(axis_id::older_consent), applicable)
                                        : whole(size(axis_id::older_consent), no_consent);
      const auto legal_axes = axis_classes{{axis_id::consent, &consents},
                                           {axis_id::older_consent, &olders},
                                           {axis_id::ground, &grounds},
                                           {axis_id::break_glass, &glass}};
      combine(c, legal_axes, [&] {
        const family fam = family_of(s, c.shape, who);
        const auto da = before.prepare(who, fam, now);
        const auto db = after.prepare(who, fam, now);
        combine(c, record_axes, [&] {
          const record rec = record_of(s, c.shape, who);
          const auto x = da.decide(rec);
          const auto y = db.decide(rec);
          ++decided;
          visit({c.where, c.shape, x, y});
        });
      });
    });
  });
  return decided;
}

}  // namespace detail
}  // namespace sluis::policy
