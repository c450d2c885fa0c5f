#pragma once
// The audit_log columns that hold an entry's fields, shared by verify and search so that both
// read an entry the same way.

#include <string_view>

#include "common/error.hpp"
#include "gateway/audit/audit_entry.hpp"
#include "gateway/store/statement.hpp"

namespace sluis::audit::detail {

// Columns 0 to 15 of a SELECT that starts with this list.
inline constexpr std::string_view entry_columns =
    "seq, at, actor_org, actor_user, action, resource_type, resource_id, family_id, purpose, "
    "legal_basis, outcome, outcome_code, policy_version, request_id, break_glass, detail";

// The entry in columns 0 to 15 of the current row, without subjects (they live in
// audit_subjects). errc::corrupt when a column does not parse (outcome, break_glass, detail).
result<audit_entry> entry_from_row(const store::statement& row);

}  // namespace sluis::audit::detail
