#pragma once
// What the policy analysis (diff.cpp, analysis.cpp) reads of an engine beyond its public contract:
// the compiled rules, the rules a prepared request considers, and an engine built from an edited
// compiled form (the policy without one rule). Not for the gateway: it decides through engine.

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "policy/detail/compiled_policy.hpp"
#include "policy/engine.hpp"

namespace sluis::policy::detail {

// Rebuilds `policy.buckets` and `policy.highest_permit` from its rules (parse.cpp).
void build_index(compiled_policy& policy);

struct engine_access {
  static const compiled_policy& compiled(const engine& e) noexcept { return *e.policy_; }
  // Indices into compiled(e).rules of the rules whose who- and purpose-conditions hold.
  static std::span<const std::uint32_t> candidates(const prepared_request& p) noexcept {
    return p.candidates_;
  }
  // `e`'s policy with `rules` in place of its own, its index rebuilt.
  static engine with_rules(const engine& e, std::vector<compiled_rule> rules) {
    auto edited = std::make_shared<compiled_policy>(*e.policy_);
    edited->rules = std::move(rules);
    build_index(*edited);
    return engine(std::move(edited));
  }
};

}  // namespace sluis::policy::detail
