#pragma once
// The walk under the policy diff and the analysis: the space of request shapes two policies are
// compared over, and every class of it that the rules of either tell apart, decided by both
// engines. diff.cpp groups the differences into cubes; analysis.cpp asks what one rule changes.

#include <array>
#include <cstdint>
#include <functional>

#include "policy/diff.hpp"

namespace sluis::policy::detail {

// The axes and values for comparing `before` with `after`.
request_space space_of(const engine& before, const engine& after);

// One class of request shapes, decided by both policies.
struct shape_class {
  // Per axis the values of the class: each a class of values no rule of either policy tells apart,
  // or the whole axis when no candidate rule looks at it (consent without consent rules).
  std::array<const value_set*, axis_count> where;
  std::array<std::size_t, axis_count> example;  // the representative that was decided
  const decision& before;
  const decision& after;
};

// Decides one representative of every class with both engines and calls `visit` with it. Skips
// requesters for whom both policies consider rules of equal content under equal settings: they
// are decided alike. Returns the number of shapes decided.
std::uint64_t walk(const engine& before, const engine& after, const request_space& space,
                   const std::function<void(const shape_class&)>& visit);

// The consent values that can describe a record of subject value `subject`: the first five for a
// member, "none", "all" and "unsigned:BAND" up to the oldest member's band for the family.
std::vector<std::size_t> consent_values_for(const request_space& space, std::size_t subject);

// Joins cubes of equal levels and reasons that differ in one axis only, until none do: the union
// of two such cubes is a cube, so every shape keeps its levels (diff.cpp).
void merge(std::vector<cube>& cubes);

}  // namespace sluis::policy::detail
