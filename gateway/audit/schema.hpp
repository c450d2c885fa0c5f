#pragma once
// The schema of the audit log's own database file (DIR/audit.db), as store migrations.
//
// Versions 1, 2, 3, ... of this list are the audit file's own, independent of the case database's.

#include <span>

#include "gateway/store/migrations.hpp"

namespace sluis::audit {

std::span<const store::migration> schema() noexcept;

}  // namespace sluis::audit
