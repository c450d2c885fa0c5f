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

// Every policy knows the standard roles, purposes and domains of policy/vocabulary.hpp, whether or
// not it declares them.

}  // namespace sluis::policy::detail
