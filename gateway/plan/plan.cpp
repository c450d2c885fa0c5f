#include "gateway/plan/plan.hpp"

#include <algorithm>
#include <map>
#include <tuple>

#include "gateway/case/policy_facts.hpp"

namespace sluis::plan {
namespace {

using policy::level;
using policy::record_kind;

due_flag flag_for(const std::optional<date>& due, std::string_view status, date today) {
  if (!due || is_closed_status(status)) return due_flag::none;
  if (*due < today) return due_flag::overdue;
  if (*due <= today + std::chrono::days{due_soon_days}) return due_flag::due_soon;
  return due_flag::none;
}

// The item as `d` allows: every field above the decided level stays empty.
item redact(const cases::stored_contribution& c, policy::decision&& d,
            const cases::stored_family& family, date today) {
  item out;
  out.id = c.id;
  out.level = d.level;
  out.kind = c.kind;
  out.domain = c.domain;
  out.status = c.status;
  out.source_organisation = c.org_id;
  out.start_date = c.content.start_date;
  out.due_date = c.content.due_date;
  out.end_date = c.content.end_date;
  out.updated_at = c.updated_at;
  out.due = flag_for(c.content.due_date, c.status, today);
  out.withdrawn = c.withdrawn_at.has_value();
  out.basis = d.basis;
  out.flagged = d.flagged;
  out.reasons = std::move(d.reasons);
  if (d.level >= level::summary) {
    out.title = c.content.title;
    if (c.subject) {
      const auto* m = family.member_by_pseudonym(*c.subject);
      out.subject_label = m != nullptr ? m->content.label : "voormalig gezinslid";
    }
  }
  if (d.level >= level::full) {
    out.body = c.content.body;
    out.owner_name = c.content.owner_name;
  }
  return out;
}

std::vector<item>& list_for(domain_section& s, record_kind kind) {
  switch (kind) {
    case record_kind::goal:
      return s.goals;
    case record_kind::action:
      return s.actions;
    case record_kind::evaluation:
      return s.evaluations;
    case record_kind::deadline:
      return s.deadlines;
    case record_kind::note:
      return s.notes;
    case record_kind::involvement:
      break;
  }
  return s.involvements;
}

// Deadlines by when they fall; everything else by last update, newest first. Ids break ties, so
// the order never depends on the order the store returned.
void sort_items(domain_section& s) {
  const auto by_update = [](const item& a, const item& b) {
    return std::tie(b.updated_at, a.id) < std::tie(a.updated_at, b.id);
  };
  for (auto* list : {&s.goals, &s.actions, &s.evaluations, &s.notes, &s.involvements}) {
    std::sort(list->begin(), list->end(), by_update);
  }
  std::sort(s.deadlines.begin(), s.deadlines.end(), [](const item& a, const item& b) {
    // No due date sorts last.
    const auto key = [](const item& i) {
      return std::make_tuple(!i.due_date.has_value(), i.due_date.value_or(date{}), i.id);
    };
    return key(a) < key(b);
  });
}

std::string label_of(const cases::stored_family& family, const std::string& member_id) {
  const auto* m = family.member(member_id);
  return m != nullptr ? m->content.label : "buiten het gezin";
}

consent_summary summarise(const policy::consent& c, const cases::stored_family& family,
                          const policy::family& facts, const policy::engine& engine,
                          time_point now) {
  consent_summary s;
  s.id = c.id;
  s.state = engine.status_of(facts, c, now);
  for (const auto& signer : c.granted_by) s.granted_by.push_back(label_of(family, signer));
  s.recipient_organisations = c.recipient_organisations;
  s.recipient_roles = c.recipient_roles;
  s.purposes = c.purposes;
  s.categories = c.categories;
  s.domains = c.domains;
  s.valid_from = c.valid_from;
  s.valid_until = c.valid_until;
  s.effective_until = engine.consent_end(c);
  s.withdrawn_at = c.withdrawn_at;
  return s;
}

// Reasons that a (new, complete or co-signed) consent would resolve.
bool is_consent_reason(const policy::reason& r) {
  using policy::reason_code;
  switch (r.kind) {
    case reason_code::no_consent:
    case reason_code::consent_withdrawn:
    case reason_code::consent_expired:
    case reason_code::consent_not_started:
    case reason_code::needs_gezag_holder:
    case reason_code::needs_subject:
    case reason_code::needs_family_members:
      return true;
    default:
      return false;
  }
}

// Accumulates the plan while the contributions are decided one by one.
class builder {
 public:
  builder(const policy::engine& engine, const cases::stored_family& family,
          const config::gateway_config& config, time_point now, bool own_gezinsmanager)
      : engine_(engine),
        family_(family),
        config_(config),
        today_(policy::dutch_date(now)),
        own_gezinsmanager_(own_gezinsmanager) {
    for (const auto& d : policy::standard_domains()) {
      auto& s = sections_[domain_key(std::string(d.id))];
      s.id = d.id;
      s.name = d.name;
    }
  }

  void add(const cases::stored_contribution& c, policy::decision&& d) {
    if (d.level == level::none) return;  // the no-leak rule: not a trace
    involved_.try_emplace(c.org_id);
    ++by_basis_[static_cast<std::size_t>(d.basis)];
    if (c.subject) {
      if (const auto* m = family_.member_by_pseudonym(*c.subject)) touched_.push_back(m->id);
    }
    // The engine's sentences name the member a record is about ("dochter (15)"). Only the
    // family's own gezinsmanager knows the members anyway; anyone else gets them where the item
    // itself shows its subject (summary and up), and the bare codes elsewhere.
    if (!own_gezinsmanager_ && d.level < level::summary) {
      for (auto& r : d.reasons) {
        r.message.clear();
        r.action.clear();
      }
    }
    // At level involvement only the organisation's involvement shows; the record's own content
    // is hidden and counted with the engine's reason, whatever its kind (an involvement record's
    // title and dates are content too).
    if (d.level == level::involvement) {
      count_hidden(c, d);
      return;
    }
    text_shown_ = text_shown_ || d.level >= level::summary;
    auto shown = redact(c, std::move(d), family_, today_);
    involved_[c.org_id].push_back(c.domain);
    if (shown.subject_label && c.subject) {
      if (const auto* m = family_.member_by_pseudonym(*c.subject)) subjects_.push_back(m->id);
    }
    if (shown.level < level::full) note_missing_consent(c, shown.reasons);
    list_for(section(c.domain), c.kind).push_back(std::move(shown));
  }

  family_plan finish(const policy::family& facts, time_point now) && {
    family_plan plan;
    plan.own_gezinsmanager = own_gezinsmanager_;
    plan.organisations = organisations();
    // Who coordinates is status information; the gezinsmanager's name is text, shown with text.
    if (own_gezinsmanager_ || !plan.organisations.empty()) {
      plan.gezinsmanager_organisation = family_.gezinsmanager_org;
    }
    if (own_gezinsmanager_ || text_shown_) {
      plan.gezinsmanager_name = family_.gezinsmanager.display_name;
    }
    plan.members = members(facts, now);
    if (own_gezinsmanager_) plan.family_consent = consents_about("", facts, now);
    for (auto& [key, s] : sections_) {
      if (!policy::is_standard_domain(s.id) && s.hidden == 0 && empty(s)) continue;
      sort_items(s);
      std::sort(s.hidden_reasons.begin(), s.hidden_reasons.end(),
                [](const hidden_reason& a, const hidden_reason& b) {
                  return std::tie(a.code, a.message) < std::tie(b.code, b.message);
                });
      plan.domains.push_back(std::move(s));
    }
    plan.totals = totals(plan.domains);
    plan.totals.by_basis = by_basis_;
    plan.subject_member_ids = touched_;
    for (const auto& m : plan.members) plan.subject_member_ids.push_back(m.id);
    auto& ids = plan.subject_member_ids;
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    return plan;
  }

 private:
  static bool empty(const domain_section& s) {
    return s.goals.empty() && s.actions.empty() && s.evaluations.empty() && s.deadlines.empty() &&
           s.notes.empty() && s.involvements.empty();
  }

  domain_section& section(const std::string& domain) {
    auto& s = sections_[domain_key(domain)];
    if (s.id.empty()) {
      s.id = domain;
      s.name = policy::name_of(policy::standard_domains(), domain);
    }
    return s;
  }

  // Standard domains first in their order, then any other domain by id.
  static std::pair<std::size_t, std::string> domain_key(const std::string& id) {
    const auto standard = policy::standard_domains();
    const auto at = std::find_if(standard.begin(), standard.end(),
                                 [&](const policy::term& t) { return t.id == id; });
    const auto index = static_cast<std::size_t>(at - standard.begin());
    return {index, index < standard.size() ? std::string{} : id};
  }

  void count_hidden(const cases::stored_contribution& c, const policy::decision& d) {
    auto& s = section(c.domain);
    ++s.hidden;
    for (const auto& r : d.reasons) {
      auto at = std::find_if(
          s.hidden_reasons.begin(), s.hidden_reasons.end(),
          [&](const hidden_reason& h) { return h.code == r.code && h.message == r.message; });
      if (at == s.hidden_reasons.end()) {
        s.hidden_reasons.push_back({r.code, r.message, r.action, 1});
      } else {
        ++at->items;
      }
    }
    note_missing_consent(c, d.reasons);
  }

  void note_missing_consent(const cases::stored_contribution& c,
                            const std::vector<policy::reason>& reasons) {
    if (!own_gezinsmanager_) return;
    std::string subject;
    if (c.subject) {
      const auto* m = family_.member_by_pseudonym(*c.subject);
      if (m == nullptr) return;  // a former member: no consent of this family can cover it
      subject = m->id;
    }
    for (const auto& r : reasons) {
      if (!is_consent_reason(r)) continue;
      auto& n = missing_[std::make_tuple(subject, c.domain, c.category, c.org_id, r.code)];
      ++n;
    }
  }

  std::vector<involved_organisation> organisations() const {
    std::vector<involved_organisation> out;
    for (const auto& [id, domains] : involved_) {
      involved_organisation o;
      o.id = id;
      if (const auto* org = config_.find(id)) {
        o.name = org->name;
        o.sector = org->sector;
        o.contact = org->contact;
        o.professional_secrecy = org->professional_secrecy;
      } else {
        // No longer configured: keep the id, and assume secrecy (the stricter reading).
        o.name = id;
        o.professional_secrecy = true;
      }
      for (const auto& d : policy::standard_domains()) {
        if (std::find(domains.begin(), domains.end(), d.id) != domains.end())
          o.domains.emplace_back(d.id);
      }
      std::vector<std::string> others;
      for (const auto& d : domains) {
        if (!policy::is_standard_domain(d)) others.push_back(d);
      }
      std::sort(others.begin(), others.end());
      others.erase(std::unique(others.begin(), others.end()), others.end());
      o.domains.insert(o.domains.end(), others.begin(), others.end());
      out.push_back(std::move(o));
    }
    return out;
  }

  std::vector<member_view> members(const policy::family& facts, time_point now) const {
    std::vector<member_view> out;
    for (const auto& m : family_.members) {
      if (!own_gezinsmanager_ &&
          std::find(subjects_.begin(), subjects_.end(), m.id) == subjects_.end()) {
        continue;
      }
      member_view v;
      v.id = m.id;
      v.label = m.content.label;
      v.age = policy::age_at(m.content.date_of_birth, now);
      v.role = m.role;
      if (own_gezinsmanager_) {
        for (const auto& holder : m.content.gezag_holder_ids) {
          if (const auto* h = family_.member(holder)) {
            v.gezag_holders.push_back(h->content.label);
          } else {
            ++v.gezag_holders_elsewhere;
          }
        }
        v.consent = consents_about(m.id, facts, now);
      }
      out.push_back(std::move(v));
    }
    return out;
  }

  consent_status consents_about(const std::string& member_id, const policy::family& facts,
                                time_point now) const {
    consent_status out;
    for (const auto& c : facts.consents) {
      if (c.subject_member_id == member_id)
        out.consents.push_back(summarise(c, family_, facts, engine_, now));
    }
    std::sort(out.consents.begin(), out.consents.end(),
              [](const consent_summary& a, const consent_summary& b) {
                return std::tie(a.valid_from, a.id) < std::tie(b.valid_from, b.id);
              });
    for (const auto& [key, n] : missing_) {
      const auto& [subject, domain, category, org, code] = key;
      if (subject == member_id) out.missing.push_back({domain, category, org, code, n});
    }
    return out;
  }

  static plan_totals totals(const std::vector<domain_section>& domains) {
    plan_totals t;
    for (const auto& s : domains) {
      t.hidden += s.hidden;
      for (const auto* list :
           {&s.goals, &s.actions, &s.evaluations, &s.deadlines, &s.notes, &s.involvements}) {
        t.shown += list->size();
        for (const auto& i : *list) {
          if (i.flagged) ++t.flagged;
          if (i.due == due_flag::overdue) ++t.overdue;
          if (i.due == due_flag::due_soon) ++t.due_soon;
          if (i.due != due_flag::overdue && i.due_date && !is_closed_status(i.status) &&
              (!t.next_due || *i.due_date < *t.next_due)) {
            t.next_due = i.due_date;
          }
        }
      }
    }
    return t;
  }

  const policy::engine& engine_;
  const cases::stored_family& family_;
  const config::gateway_config& config_;
  date today_;
  bool own_gezinsmanager_;
  bool text_shown_ = false;  // some item is shown at summary or higher
  std::map<std::pair<std::size_t, std::string>, domain_section> sections_;
  std::map<std::string, std::vector<std::string>> involved_;  // org id -> domains shown
  std::vector<std::string> subjects_;  // member ids of items shown at summary or higher
  std::vector<std::string> touched_;   // member ids of every listed or counted item
  std::array<std::size_t, 4> by_basis_{};
  std::map<std::tuple<std::string, std::string, policy::category, std::string, std::string>,
           std::size_t>
      missing_;  // (member id or "", domain, category, org, reason code) -> items
};

}  // namespace

bool is_closed_status(std::string_view status) noexcept {
  return status == "done" || status == "achieved" || status == "not-achieved" ||
         status == "cancelled" || status == "ended" || status == "declined";
}

std::string_view to_string(due_flag flag) noexcept {
  switch (flag) {
    case due_flag::due_soon:
      return "due_soon";
    case due_flag::overdue:
      return "overdue";
    case due_flag::none:
      break;
  }
  return "none";
}

family_plan assemble(const policy::engine& engine, const policy::requester& who,
                     const cases::stored_family& family,
                     const std::vector<cases::stored_contribution>& contributions,
                     const policy::family& facts, const config::gateway_config& config,
                     time_point now) {
  policy::requester asking = who;
  asking.is_family_gezinsmanager = family.has_gezinsmanager(who.organisation_id, who.user_id);
  const auto prepared = engine.prepare(asking, facts, now);

  builder plan(engine, family, config, now, asking.is_family_gezinsmanager);
  for (const auto& c : contributions) {
    if (c.family_id != family.id) continue;
    // A withdrawn contribution is its own organisation's business only.
    if (c.withdrawn_at && c.org_id != asking.organisation_id) continue;
    plan.add(c, prepared.decide(cases::record_facts(c, family, config)));
  }
  auto out = std::move(plan).finish(facts, now);
  out.family_id = family.id;
  out.policy_version = engine.version();
  out.generated_at = now;
  return out;
}

family_card card(const family_plan& plan) {
  family_card c;
  c.family_id = plan.family_id;
  for (const auto& m : plan.members) c.members.push_back(m.label);
  c.organisations = plan.organisations.size();
  c.next_due = plan.totals.next_due;
  c.overdue = plan.totals.overdue;
  return c;
}

}  // namespace sluis::plan
