#pragma once
// Did-you-mean hints for misspelt keys and names in policy and scenario files.

#include <span>
#include <string>
#include <string_view>

namespace sluis::policy::detail {

// "did you mean 'x'?" for the closest candidate by edit distance, else the list of candidates.
std::string suggest(std::string_view word, std::span<const std::string> candidates);

}  // namespace sluis::policy::detail
