#include "gateway/plan/plan_json.hpp"

#include <algorithm>
#include <cstdio>
#include <map>

namespace sluis::plan {
namespace {

namespace json = boost::json;

std::string date_text(date d) {
  const std::chrono::year_month_day ymd{d};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return buf;
}

std::string moment_text(time_point t) {
  const auto day = std::chrono::floor<std::chrono::days>(t);
  const std::chrono::hh_mm_ss hms{t - day};
  char buf[16];
  std::snprintf(buf, sizeof buf, "T%02d:%02d:%02dZ", static_cast<int>(hms.hours().count()),
                static_cast<int>(hms.minutes().count()), static_cast<int>(hms.seconds().count()));
  return date_text(day) + buf;
}

json::value date_or_null(const std::optional<date>& d) {
  return d ? json::value(date_text(*d)) : json::value(nullptr);
}

json::array strings(const std::vector<std::string>& list) {
  json::array out;
  for (const auto& s : list) out.emplace_back(s);
  return out;
}

json::object to_json(const item& i) {
  json::object o;
  o["id"] = i.id;
  o["level"] = policy::to_string(i.level);
  o["kind"] = policy::to_string(i.kind);
  o["domain"] = i.domain;
  o["status"] = i.status;
  o["source_organisation"] = i.source_organisation;
  o["start_date"] = date_or_null(i.start_date);
  o["due_date"] = date_or_null(i.due_date);
  o["end_date"] = date_or_null(i.end_date);
  o["updated_at"] = moment_text(time_point{std::chrono::seconds{i.updated_at}});
  o["due"] = i.due == due_flag::none ? json::value(nullptr) : json::value(to_string(i.due));
  o["withdrawn"] = i.withdrawn;
  o["basis"] = policy::to_string(i.basis);
  o["flagged"] = i.flagged;
  json::array reasons;
  for (const auto& r : i.reasons) {
    reasons.push_back(json::object{{"code", r.code}, {"message", r.message}, {"rule", r.rule_id}});
  }
  o["reasons"] = std::move(reasons);
  if (i.level >= policy::level::summary) {
    o["subject"] = i.subject_label ? json::value(*i.subject_label) : json::value(nullptr);
    o["title"] = i.title.value_or("");
  }
  if (i.level >= policy::level::full) {
    o["body"] = i.body.value_or("");
    o["owner"] = i.owner_name.value_or("");
  }
  return o;
}

json::array to_json(const std::vector<item>& items) {
  json::array out;
  for (const auto& i : items) out.push_back(to_json(i));
  return out;
}

json::object to_json(const consent_status& c) {
  json::array consents;
  for (const auto& s : c.consents) {
    json::array categories;
    for (const auto k : s.categories) categories.emplace_back(policy::to_string(k));
    consents.push_back(
        json::object{{"id", s.id},
                     {"state", to_string(s.state)},
                     {"granted_by", strings(s.granted_by)},
                     {"recipient_organisations", strings(s.recipient_organisations)},
                     {"recipient_roles", strings(s.recipient_roles)},
                     {"purposes", strings(s.purposes)},
                     {"categories", std::move(categories)},
                     {"domains", strings(s.domains)},
                     {"valid_from", moment_text(s.valid_from)},
                     {"valid_until", moment_text(s.valid_until)},
                     {"withdrawn_at", s.withdrawn_at ? json::value(moment_text(*s.withdrawn_at))
                                                     : json::value(nullptr)}});
  }
  json::array missing;
  for (const auto& m : c.missing) {
    missing.push_back(json::object{{"domain", m.domain},
                                   {"category", policy::to_string(m.category)},
                                   {"source_organisation", m.source_organisation},
                                   {"reason", m.reason_code},
                                   {"items", m.items}});
  }
  return {{"consents", std::move(consents)}, {"missing", std::move(missing)}};
}

json::object to_json(const member_view& m, bool own_gezinsmanager) {
  json::object o{
      {"id", m.id}, {"label", m.label}, {"age", m.age}, {"role", cases::to_string(m.role)}};
  if (own_gezinsmanager) {
    o["gezag_holders"] = strings(m.gezag_holders);
    o["gezag_holders_elsewhere"] = m.gezag_holders_elsewhere;
    o["consent"] = m.consent ? json::value(to_json(*m.consent)) : json::value(nullptr);
  }
  return o;
}

json::object to_json(const domain_section& s) {
  json::array reasons;
  for (const auto& r : s.hidden_reasons) {
    reasons.push_back(json::object{{"code", r.code}, {"message", r.message}, {"items", r.items}});
  }
  return {{"id", s.id},
          {"name", s.name},
          {"goals", to_json(s.goals)},
          {"actions", to_json(s.actions)},
          {"evaluations", to_json(s.evaluations)},
          {"deadlines", to_json(s.deadlines)},
          {"notes", to_json(s.notes)},
          {"involvements", to_json(s.involvements)},
          {"hidden", json::object{{"count", s.hidden}, {"reasons", std::move(reasons)}}}};
}

constexpr std::array<policy::legal_basis, 4> all_bases = {
    policy::legal_basis::none, policy::legal_basis::consent, policy::legal_basis::coordination,
    policy::legal_basis::vital_interest};

}  // namespace

boost::json::object to_json(const family_plan& plan) {
  json::object o;
  o["family_id"] = plan.family_id;
  o["policy_version"] = plan.policy_version;
  o["generated_at"] = moment_text(plan.generated_at);
  o["own_gezinsmanager"] = plan.own_gezinsmanager;
  if (plan.gezinsmanager_organisation) {
    o["gezinsmanager"] =
        json::object{{"organisation", *plan.gezinsmanager_organisation},
                     {"name", plan.gezinsmanager_name ? json::value(*plan.gezinsmanager_name)
                                                      : json::value(nullptr)}};
  } else {
    o["gezinsmanager"] = nullptr;
  }
  json::array members;
  for (const auto& m : plan.members) members.push_back(to_json(m, plan.own_gezinsmanager));
  o["members"] = std::move(members);
  o["family_consent"] =
      plan.family_consent ? json::value(to_json(*plan.family_consent)) : json::value(nullptr);
  json::array organisations;
  for (const auto& org : plan.organisations) {
    organisations.push_back(json::object{{"id", org.id},
                                         {"name", org.name},
                                         {"sector", org.sector},
                                         {"contact", org.contact},
                                         {"professional_secrecy", org.professional_secrecy},
                                         {"domains", strings(org.domains)}});
  }
  o["organisations"] = std::move(organisations);
  json::array domains;
  for (const auto& s : plan.domains) domains.push_back(to_json(s));
  o["domains"] = std::move(domains);
  const auto& t = plan.totals;
  o["totals"] = json::object{{"shown", t.shown},     {"hidden", t.hidden},
                             {"overdue", t.overdue}, {"due_soon", t.due_soon},
                             {"flagged", t.flagged}, {"next_due", date_or_null(t.next_due)}};
  return o;
}

boost::json::object to_json(const oversight& view) {
  json::array families;
  for (const auto& f : view.families) {
    json::array organisations;
    for (const auto& org : f.organisations) {
      organisations.push_back(
          json::object{{"id", org.id}, {"name", org.name}, {"sector", org.sector}});
    }
    json::object goals;
    for (const auto& g : f.goals_by_status) goals[g.status] = g.count;
    families.push_back(json::object{{"family_id", f.family_id},
                                    {"organisations", std::move(organisations)},
                                    {"goals_by_status", std::move(goals)},
                                    {"items_shown", f.items_shown},
                                    {"items_hidden", f.items_hidden},
                                    {"overdue", f.overdue},
                                    {"due_soon", f.due_soon},
                                    {"next_due", date_or_null(f.next_due)}});
  }
  return {{"policy_version", view.policy_version},
          {"generated_at", moment_text(view.generated_at)},
          {"families", std::move(families)}};
}

boost::json::object to_json(const family_card& card, std::string_view label) {
  return {{"family_id", card.family_id},
          {"label", label},
          {"members", strings(card.members)},
          {"organisations", card.organisations},
          {"next_deadline", date_or_null(card.next_due)},
          {"overdue", card.overdue}};
}

plan_audit audit_detail(const family_plan& plan) {
  plan_audit out;
  out.policy_version = plan.policy_version;
  out.break_glass = plan.totals.flagged > 0;
  std::map<std::string, std::size_t> hidden;
  for (const auto& s : plan.domains) {
    for (const auto& r : s.hidden_reasons) hidden[r.code] += r.items;
  }
  json::object hidden_json;
  for (const auto& [code, n] : hidden) hidden_json[code] = n;
  json::object bases;
  for (const auto b : all_bases) {
    const auto n = plan.totals.by_basis[static_cast<std::size_t>(b)];
    if (n == 0) continue;
    bases[policy::to_string(b)] = n;
    if (b != policy::legal_basis::none) out.legal_bases.emplace_back(policy::to_string(b));
  }
  std::sort(out.legal_bases.begin(), out.legal_bases.end());
  out.detail = {{"shown", plan.totals.shown},
                {"hidden", std::move(hidden_json)},
                {"bases", std::move(bases)},
                {"flagged", plan.totals.flagged},
                {"organisations", plan.organisations.size()}};
  return out;
}

plan_audit audit_detail(const oversight& view) {
  plan_audit out;
  out.policy_version = view.policy_version;
  std::size_t shown = 0, hidden = 0, overdue = 0;
  for (const auto& f : view.families) {
    shown += f.items_shown;
    hidden += f.items_hidden;
    overdue += f.overdue;
  }
  out.detail = {{"families", view.families.size()},
                {"shown", shown},
                {"hidden", hidden},
                {"overdue", overdue}};
  return out;
}

std::vector<std::string> audit_subjects(const family_plan& plan,
                                        const cases::stored_family& family) {
  std::vector<std::string> out;
  for (const auto& id : plan.subject_member_ids) {
    if (const auto* m = family.member(id)) out.push_back(m->pseudonym.to_hex());
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace sluis::plan
