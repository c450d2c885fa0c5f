#pragma once
// Parsing and validating a policy text into its compiled form (see compiled_policy.hpp).

#include <boost/system/result.hpp>
#include <memory>
#include <string_view>

#include "policy/detail/compiled_policy.hpp"
#include "policy/engine.hpp"

namespace sluis::policy::detail {

boost::system::result<std::shared_ptr<const compiled_policy>, diagnostics> parse_policy(
    std::string_view text, std::string_view file_name);

// The built-in vocabulary every policy knows, whether or not it declares it.
inline constexpr std::string_view builtin_roles[] = {"gezinsmanager", "procesmanager",
                                                     "professional", "privacy-officer", "admin"};
inline constexpr std::string_view builtin_purposes[] = {"plan", "signalling", "process-oversight",
                                                        "audit"};
inline constexpr std::string_view builtin_domains[] = {
    "financien",  "wonen",      "werk-inkomen",          "opvoeding",
    "onderwijs",  "gezondheid", "psychische-gezondheid", "verslaving",
    "veiligheid", "netwerk",    "huiselijk-geweld"};

}  // namespace sluis::policy::detail
