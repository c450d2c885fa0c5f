#pragma once
// Turns what the store holds about a family into the facts the policy engine decides on.

#include <chrono>
#include <vector>

#include "gateway/case/case_store.hpp"
#include "gateway/config/config.hpp"
#include "policy/facts.hpp"

namespace sluis::cases {

// Members with labels, dates of birth and gezag holders only. For decisions use
// legal_store::load_family_facts (gateway/case/legal_store.hpp), which adds the family's consents,
// grounds and break-the-glass grants from the store.
policy::family family_facts(const stored_family& family);

// The record facts of a contribution: its source organisation's sector and professional secrecy
// come from the configuration (an organisation no longer configured counts as having secrecy,
// the stricter reading). The subject is the member with the contribution's pseudonym, if any.
policy::record record_facts(const stored_contribution& c, const stored_family& family,
                            const config::gateway_config& config);

}  // namespace sluis::cases
