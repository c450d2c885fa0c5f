#include "policy/simulation.hpp"

namespace sluis::policy {

std::vector<decision> simulate(const engine& e, const scenario& s) {
  const auto request = e.prepare(s.who, s.fam, s.now);
  std::vector<decision> decisions;
  decisions.reserve(s.records.size());
  for (const auto& rec : s.records) decisions.push_back(request.decide(rec));
  return decisions;
}

boost::json::object simulation_json(const engine& e, const scenario& s,
                                    const std::vector<decision>& decisions) {
  boost::json::array records;
  for (std::size_t i = 0; i < s.records.size() && i < decisions.size(); ++i) {
    const auto& d = decisions[i];
    boost::json::array rules(d.applied_rules.begin(), d.applied_rules.end());
    boost::json::array reasons;
    for (const auto& r : d.reasons) {
      reasons.push_back({{"code", r.code}, {"message", r.message}, {"rule", r.rule_id}});
    }
    records.push_back({{"record", s.records[i].id},
                       {"level", to_string(d.level)},
                       {"basis", d.level == level::none ? boost::json::value(nullptr)
                                                        : boost::json::value(to_string(d.basis))},
                       {"flagged", d.flagged},
                       {"rules", std::move(rules)},
                       {"reasons", std::move(reasons)}});
  }
  return {{"policy_version", e.version()},
          {"who",
           {{"role", s.who.role},
            {"organisation", s.who.organisation_id},
            {"sector", s.who.sector},
            {"purpose", s.who.purpose}}},
          {"records", std::move(records)}};
}

}  // namespace sluis::policy
