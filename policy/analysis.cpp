#include "policy/analysis.hpp"

#include <algorithm>
#include <map>

#include "policy/detail/engine_access.hpp"
#include "policy/detail/request_walk.hpp"

namespace sluis::policy {
namespace {

using detail::compiled_policy;
using detail::compiled_rule;
using detail::engine_access;

bool named(const std::vector<std::string>& list, const std::string& id) {
  return std::find(list.begin(), list.end(), id) != list.end();
}

// What one rule does: whether it ever applies, and whether leaving it out changes any level.
void judge_rule(const engine& e, std::size_t index, policy_analysis& out) {
  const auto& pol = engine_access::compiled(e);
  const auto& rule = pol.rules[index];
  auto others = pol.rules;
  others.erase(others.begin() + static_cast<std::ptrdiff_t>(index));
  const auto without = engine_access::with_rules(e, std::move(others));
  bool applies = false, matters = false;
  const auto space = detail::space_of(e, without);
  out.decided += detail::walk(e, without, space, [&](const detail::shape_class& p) {
    if (p.before.level != p.after.level) matters = true;
    // A deny is named whenever it selects; a permit also when a deny then hid the record.
    if (named(p.before.applied_rules, rule.id) && (rule.deny || p.before.level > level::none)) {
      applies = true;
    }
  });
  const int line = rule.position.line;
  if (rule.deny && !matters) {
    out.findings.push_back(
        {"redundant", rule.id, line,
         "deny '" + rule.id + "' changes nothing: no permit would show what it hides"});
  } else if (!rule.deny && !applies) {
    out.findings.push_back(
        {"never_applies", rule.id, line,
         "permit '" + rule.id +
             "' never applies: wherever it selects a record, a deny hides it or its basis "
             "cannot hold"});
  } else if (!rule.deny && !matters) {
    out.findings.push_back({"redundant", rule.id, line,
                            "permit '" + rule.id +
                                "' is redundant: wherever it applies, other rules grant at least "
                                "as much"});
  }
}

// A permit on a basis that does not open sensitive data, whose text does not say so.
void judge_reach(const compiled_rule& rule, policy_analysis& out) {
  if (rule.deny || rule.allow_sensitive_without_consent) return;
  if (rule.basis != legal_basis::none && rule.basis != legal_basis::coordination) return;
  const std::uint32_t sensitive = (1u << static_cast<unsigned>(category::special)) |
                                  (1u << static_cast<unsigned>(category::criminal));
  const bool reaches_sensitive = rule.categories == 0 || (rule.categories & sensitive) != 0;
  const bool reaches_secrecy = !rule.source_secrecy || *rule.source_secrecy;
  if (!reaches_sensitive && !reaches_secrecy) return;
  std::string what = reaches_sensitive ? "special and criminal data" : "";
  if (reaches_secrecy) {
    what += std::string(what.empty() ? "" : " and ") + "records under professional secrecy";
  }
  out.findings.push_back(
      {"wider_than_granted", rule.id, rule.position.line,
       "permit '" + rule.id + "' selects " + what + ", but on basis '" +
           std::string(to_string(rule.basis)) + "' it grants them nothing (they need consent): " +
           "limit it with categories = [\"regular\"] and source_secrecy = false, or write "
           "allow_sensitive_without_consent = true if that is meant"});
}

// Special and criminal data shown on a coordination ground alone, grouped into cubes.
void judge_sensitive_grants(const engine& e, policy_analysis& out) {
  const auto nothing = engine_access::with_rules(e, {});
  const auto space = detail::space_of(e, nothing);
  // Grouped by level and the rules that granted it, then merged as the diff does.
  std::map<std::pair<level, std::vector<std::string>>, std::vector<cube>> groups;
  out.decided += detail::walk(e, nothing, space, [&](const detail::shape_class& p) {
    const auto& d = p.before;
    const auto category_value =
        space[axis_id::category].values[p.example[static_cast<std::size_t>(axis_id::category)]].id;
    if (d.level == level::none || d.basis != legal_basis::coordination ||
        category_value == "regular") {
      return;
    }
    cube c;
    for (std::size_t a = 0; a < axis_count; ++a) c.where[a] = *p.where[a];
    // Whoever signed what: the grant is the same whenever no consent or break-the-glass holds.
    for (const auto a :
         {axis_id::subject, axis_id::consent, axis_id::older_consent, axis_id::break_glass}) {
      c.where[static_cast<std::size_t>(a)].set();
    }
    c.old_level = c.new_level = d.level;
    c.example = p.example;
    groups[{d.level, d.applied_rules}].push_back(std::move(c));
  });
  for (auto& [key, cubes] : groups) {
    detail::merge(cubes);
    std::string rules;
    for (const auto& r : key.second) rules += (rules.empty() ? "" : ", ") + r;
    for (const auto& c : cubes) {
      out.findings.push_back(
          {"sensitive_on_coordination", "", 0,
           "special or criminal data shown at level " + std::string(to_string(key.first)) +
               " on a coordination ground alone, where no consent holds (rules " + rules +
               "): " + describe_where(space, c)});
    }
  }
}

void judge_names(const compiled_policy& pol, policy_analysis& out) {
  for (std::size_t i = 0; i < pol.organisations.size(); ++i) {
    const auto& id = pol.organisations[i];
    const bool used = std::any_of(pol.rules.begin(), pol.rules.end(), [&](const auto& r) {
      return named(r.organisations, id) || named(r.source_organisations, id);
    });
    if (!used) {
      out.findings.push_back({"unused_organisation", "", pol.organisation_positions[i].line,
                              "organisation '" + id + "' is declared but no rule names it"});
    }
  }
  const auto own_names = [&](const detail::name_table& table, std::uint64_t compiled_rule::*mask,
                             auto is_standard, const char* kind, const char* what) {
    for (std::size_t i = 0; i < table.names().size(); ++i) {
      const auto& id = table.names()[i];
      if (is_standard(id) || id == pol.break_glass.reviewer_role) continue;
      const bool used = std::any_of(pol.rules.begin(), pol.rules.end(), [&](const auto& r) {
        return (r.*mask & (std::uint64_t{1} << i)) != 0;
      });
      if (!used) {
        out.findings.push_back(
            {kind, "", 0,
             std::string(what) + " '" + id + "' is the policy's own but no rule names it"});
      }
    }
  };
  const auto standard = [](std::span<const term> terms) {
    return [terms](const std::string& id) {
      return std::any_of(terms.begin(), terms.end(), [&](const term& t) { return t.id == id; });
    };
  };
  own_names(pol.domains, &compiled_rule::domains, standard(standard_domains()), "unused_domain",
            "domain");
  own_names(pol.roles, &compiled_rule::roles, standard(standard_roles()), "unused_role", "role");
  own_names(pol.purposes, &compiled_rule::purposes, standard(standard_purposes()), "unused_purpose",
            "purpose");
}

}  // namespace

policy_analysis analyse(const engine& e) {
  policy_analysis out;
  out.version = e.version();
  const auto& pol = engine_access::compiled(e);
  for (std::size_t i = 0; i < pol.rules.size(); ++i) {
    judge_rule(e, i, out);
    judge_reach(pol.rules[i], out);
  }
  judge_names(pol, out);
  std::stable_sort(out.findings.begin(), out.findings.end(),
                   [](const finding& a, const finding& b) {
                     return (a.line == 0 ? 1 << 30 : a.line) < (b.line == 0 ? 1 << 30 : b.line);
                   });
  judge_sensitive_grants(e, out);
  return out;
}

std::string analysis_text(const policy_analysis& a, const std::string& file_name) {
  std::string out;
  for (const auto& f : a.findings) {
    out += file_name + (f.line > 0 ? ":" + std::to_string(f.line) : std::string()) + ": " + f.kind +
           ": " + f.message + "\n";
  }
  if (out.empty()) out = file_name + ": no findings\n";
  return out;
}

boost::json::object analysis_json(const policy_analysis& a) {
  boost::json::array findings;
  for (const auto& f : a.findings) {
    findings.push_back(
        {{"kind", f.kind},
         {"rule", f.rule_id.empty() ? boost::json::value(nullptr) : boost::json::value(f.rule_id)},
         {"line", f.line == 0 ? boost::json::value(nullptr) : boost::json::value(f.line)},
         {"message", f.message}});
  }
  return {{"version", a.version}, {"decided", a.decided}, {"findings", std::move(findings)}};
}

}  // namespace sluis::policy
