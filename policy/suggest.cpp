#include "policy/detail/suggest.hpp"

#include <algorithm>
#include <vector>

namespace sluis::policy::detail {
namespace {

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

}  // namespace

std::string suggest(std::string_view word, std::span<const std::string> candidates) {
  std::string best;
  // Within a third of the word's length: further off, a list of all names helps more.
  std::size_t best_distance = word.size() / 3 + 2;
  for (const auto& candidate : candidates) {
    const auto distance = edit_distance(word, candidate);
    if (distance < best_distance) {
      best_distance = distance;
      best = candidate;
    }
  }
  if (!best.empty()) return "did you mean '" + best + "'?";
  std::string all = "known: ";
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    all += (i ? ", " : "") + candidates[i];
  }
  return all;
}

}  // namespace sluis::policy::detail
