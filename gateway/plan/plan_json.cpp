#include "gateway/plan/plan_json.hpp"

#include <algorithm>
#include <boost/json/monotonic_resource.hpp>
#include <boost/json/serialize.hpp>
#include <map>

namespace sluis::plan {
namespace {

namespace json = boost::json;

void put_digits(char* out, unsigned value, int width) {
  for (int i = width - 1; i >= 0; --i) {
    out[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
}

// "YYYY-MM-DD": by hand, as printf-style formatting showed in the plan benchmark.
std::string date_text(date d) {
  const std::chrono::year_month_day ymd{d};
  std::string out(10, '-');
  put_digits(out.data(), static_cast<unsigned>(static_cast<int>(ymd.year())), 4);
  put_digits(out.data() + 5, static_cast<unsigned>(ymd.month()), 2);
  put_digits(out.data() + 8, static_cast<unsigned>(ymd.day()), 2);
  return out;
}

std::string moment_text(time_point t) {
  const auto day = std::chrono::floor<std::chrono::days>(t);
  const std::chrono::hh_mm_ss hms{t - day};
  std::string out = date_text(day) + "T00:00:00Z";
  put_digits(out.data() + 11, static_cast<unsigned>(hms.hours().count()), 2);
  put_digits(out.data() + 14, static_cast<unsigned>(hms.minutes().count()), 2);
  put_digits(out.data() + 17, static_cast<unsigned>(hms.seconds().count()), 2);
  return out;
}

// The plan's tree is built in one storage (a monotonic arena in to_json_text): every nested value
// must be created in it, or moving it into its parent would copy it.
using storage = json::storage_ptr;

json::value text(std::string_view s, const storage& sp) { return json::value(s, sp); }

json::value date_or_null(const std::optional<date>& d, const storage& sp = {}) {
  return d ? text(date_text(*d), sp) : json::value(nullptr, sp);
}

json::array strings(const std::vector<std::string>& list, const storage& sp = {}) {
  json::array out(sp);
  out.reserve(list.size());
  for (const auto& s : list) out.emplace_back(s);
  return out;
}

json::object to_json(const item& i, const storage& sp) {
  json::object o(sp);
  o.reserve(22);
  o["id"] = i.id;
  o["level"] = policy::to_string(i.level);
  o["kind"] = policy::to_string(i.kind);
  o["domain"] = i.domain;
  o["status"] = i.status;
  o["source_organisation"] = i.source_organisation;
  o["start_date"] = date_or_null(i.start_date, sp);
  o["due_date"] = date_or_null(i.due_date, sp);
  o["end_date"] = date_or_null(i.end_date, sp);
  o["updated_at"] = moment_text(time_point{std::chrono::seconds{i.updated_at}});
  if (i.due == due_flag::none) {
    o["due"] = nullptr;
  } else {
    o["due"] = to_string(i.due);
  }
  o["withdrawn"] = i.withdrawn;
  o["basis"] = policy::to_string(i.basis);
  o["flagged"] = i.flagged;
  auto& reasons = o["reasons"].emplace_array();
  for (const auto& r : i.reasons) {
    auto& reason = reasons.emplace_back(json::object(sp)).as_object();
    reason["code"] = r.code;
    reason["message"] = r.message;
    reason["action"] = r.action;
    reason["rule"] = r.rule_id;
  }
  if (i.level >= policy::level::summary) {
    if (i.subject_label) {
      o["subject"] = *i.subject_label;
    } else {
      o["subject"] = nullptr;
    }
    o["title"] = i.title.value_or("");
  }
  if (i.level >= policy::level::full) {
    o["body"] = i.body.value_or("");
    o["owner"] = i.owner_name.value_or("");
  }
  return o;
}

json::array to_json(const std::vector<item>& items, const storage& sp) {
  json::array out(sp);
  out.reserve(items.size());
  for (const auto& i : items) out.push_back(to_json(i, sp));
  return out;
}

json::object to_json(const consent_status& c, const storage& sp) {
  json::object out(sp);
  auto& consents = out["consents"].emplace_array();
  for (const auto& s : c.consents) {
    auto& o = consents.emplace_back(json::object(sp)).as_object();
    o["id"] = s.id;
    o["state"] = to_string(s.state);
    o["granted_by"] = strings(s.granted_by, sp);
    o["recipient_organisations"] = strings(s.recipient_organisations, sp);
    o["recipient_roles"] = strings(s.recipient_roles, sp);
    o["purposes"] = strings(s.purposes, sp);
    auto& categories = o["categories"].emplace_array();
    for (const auto k : s.categories) categories.emplace_back(policy::to_string(k));
    o["domains"] = strings(s.domains, sp);
    o["valid_from"] = moment_text(s.valid_from);
    o["valid_until"] = moment_text(s.valid_until);
    o["effective_until"] = moment_text(s.effective_until);
    if (s.withdrawn_at) {
      o["withdrawn_at"] = moment_text(*s.withdrawn_at);
    } else {
      o["withdrawn_at"] = nullptr;
    }
  }
  auto& missing = out["missing"].emplace_array();
  for (const auto& m : c.missing) {
    auto& o = missing.emplace_back(json::object(sp)).as_object();
    o["domain"] = m.domain;
    o["category"] = policy::to_string(m.category);
    o["source_organisation"] = m.source_organisation;
    o["reason"] = m.reason_code;
    o["items"] = m.items;
  }
  return out;
}

json::object to_json(const member_view& m, bool own_gezinsmanager, const storage& sp) {
  json::object o(sp);
  o["id"] = m.id;
  o["label"] = m.label;
  o["age"] = m.age;
  o["role"] = cases::to_string(m.role);
  if (own_gezinsmanager) {
    o["gezag_holders"] = strings(m.gezag_holders, sp);
    o["gezag_holders_elsewhere"] = m.gezag_holders_elsewhere;
    if (m.consent) {
      o["consent"] = to_json(*m.consent, sp);
    } else {
      o["consent"] = nullptr;
    }
  }
  return o;
}

json::object to_json(const domain_section& s, const storage& sp) {
  json::object o(sp);
  o.reserve(9);
  o["id"] = s.id;
  o["name"] = s.name;
  o["goals"] = to_json(s.goals, sp);
  o["actions"] = to_json(s.actions, sp);
  o["evaluations"] = to_json(s.evaluations, sp);
  o["deadlines"] = to_json(s.deadlines, sp);
  o["notes"] = to_json(s.notes, sp);
  o["involvements"] = to_json(s.involvements, sp);
  auto& hidden = o["hidden"].emplace_object();
  hidden["count"] = s.hidden;
  auto& reasons = hidden["reasons"].emplace_array();
  for (const auto& r : s.hidden_reasons) {
    auto& reason = reasons.emplace_back(json::object(sp)).as_object();
    reason["code"] = r.code;
    reason["message"] = r.message;
    reason["action"] = r.action;
    reason["items"] = r.items;
  }
  return o;
}

constexpr std::array<policy::legal_basis, 4> all_bases = {
    policy::legal_basis::none, policy::legal_basis::consent, policy::legal_basis::coordination,
    policy::legal_basis::vital_interest};

}  // namespace

boost::json::object to_json(const family_plan& plan, const boost::json::storage_ptr& sp) {
  json::object o(sp);
  o["family_id"] = plan.family_id;
  o["policy_version"] = plan.policy_version;
  o["generated_at"] = moment_text(plan.generated_at);
  o["own_gezinsmanager"] = plan.own_gezinsmanager;
  if (plan.gezinsmanager_organisation) {
    auto& gm = o["gezinsmanager"].emplace_object();
    gm["organisation"] = *plan.gezinsmanager_organisation;
    if (plan.gezinsmanager_name) {
      gm["name"] = *plan.gezinsmanager_name;
    } else {
      gm["name"] = nullptr;
    }
  } else {
    o["gezinsmanager"] = nullptr;
  }
  auto& members = o["members"].emplace_array();
  for (const auto& m : plan.members) members.push_back(to_json(m, plan.own_gezinsmanager, sp));
  if (plan.family_consent) {
    o["family_consent"] = to_json(*plan.family_consent, sp);
  } else {
    o["family_consent"] = nullptr;
  }
  auto& organisations = o["organisations"].emplace_array();
  for (const auto& org : plan.organisations) {
    auto& entry = organisations.emplace_back(json::object(sp)).as_object();
    entry["id"] = org.id;
    entry["name"] = org.name;
    entry["sector"] = org.sector;
    entry["contact"] = org.contact;
    entry["professional_secrecy"] = org.professional_secrecy;
    entry["domains"] = strings(org.domains, sp);
  }
  auto& domains = o["domains"].emplace_array();
  for (const auto& s : plan.domains) domains.push_back(to_json(s, sp));
  const auto& t = plan.totals;
  auto& totals = o["totals"].emplace_object();
  totals["shown"] = t.shown;
  totals["hidden"] = t.hidden;
  totals["overdue"] = t.overdue;
  totals["due_soon"] = t.due_soon;
  totals["flagged"] = t.flagged;
  totals["next_due"] = date_or_null(t.next_due, sp);
  return o;
}

std::string to_json_text(const family_plan& plan) {
  // One arena for the whole tree: the plan's many small values cost one allocation each
  // otherwise, which dominated serialisation in the plan benchmark.
  json::monotonic_resource arena;
  return json::serialize(to_json(plan, json::storage_ptr(&arena)));
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
    json::object entry;
    entry["family_id"] = f.family_id;
    entry["label"] = f.label ? json::value(*f.label) : json::value(nullptr);
    if (f.gezinsmanager_organisation) {
      entry["gezinsmanager"] = {{"organisation", *f.gezinsmanager_organisation},
                                {"name", f.gezinsmanager_name.value_or("")}};
    } else {
      entry["gezinsmanager"] = nullptr;
    }
    entry["coordination_ground"] = f.coordination_ground;
    entry["organisations"] = std::move(organisations);
    entry["goals_by_status"] = std::move(goals);
    entry["items_shown"] = f.items_shown;
    entry["items_hidden"] = f.items_hidden;
    entry["overdue"] = f.overdue;
    entry["due_soon"] = f.due_soon;
    entry["next_due"] = date_or_null(f.next_due);
    families.push_back(std::move(entry));
  }
  json::object o;
  o["policy_version"] = view.policy_version;
  o["generated_at"] = moment_text(view.generated_at);
  o["families"] = std::move(families);
  return o;
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
  out.detail["shown"] = plan.totals.shown;
  out.detail["hidden"] = std::move(hidden_json);
  out.detail["bases"] = std::move(bases);
  out.detail["flagged"] = plan.totals.flagged;
  out.detail["organisations"] = plan.organisations.size();
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
