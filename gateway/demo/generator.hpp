#pragma once
// `sluis demo generate`: synthetic families for load and scale tests, written at full speed.
//
// Each family has 1-2 parents and 0-5 children (synthetic BSNs with a valid elfproef, turned into
// pseudonyms at once and never kept), 3-15 organisations from the configuration (capped at how many
// are configured; the wijkteam, when configured, is always one of them and provides the
// gezinsmanager), and 1-40 contributions per organisation, skewed towards few: domains follow the
// organisation's sector (GGZ writes health data, the police criminal data now and then), kinds,
// statuses and dates are spread as in a real plan (some deadlines overdue, some soon). About half
// of the families have consents (some expired or withdrawn) and about one in six a coordination
// ground.
//
// Writes go through the use cases partner systems call (application/intake and legal_grounds), by
// the operator acting for each organisation, validated against `policy` (the policy in force), with
// one `demo.generate` audit entry per family.
// Families are grouped into writer work items of about `contributions_per_batch` contributions
// (one transaction, one fsync each), and the next batch is prepared while the writer commits the
// previous one. A failure stops the run; batches committed before it stay. The same seed gives the
// same shapes and texts (ids and keys are always fresh). Call from one thread, not the writer's.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>

#include "common/error.hpp"
#include "gateway/audit/journal.hpp"
#include "gateway/config/config.hpp"
#include "gateway/store/store.hpp"
#include "keys/key_ring.hpp"
#include "policy/engine.hpp"

namespace sluis::demo {

using unix_seconds = std::int64_t;

struct generate_progress {
  std::size_t families = 0;  // committed so far
  std::size_t families_total = 0;
  std::size_t contributions = 0;  // committed so far
  std::chrono::duration<double> elapsed{};

  double contributions_per_second() const {
    return elapsed.count() > 0 ? static_cast<double>(contributions) / elapsed.count() : 0.0;
  }
};

struct generate_options {
  std::size_t families = 0;
  std::uint64_t seed = 1;
  std::size_t contributions_per_batch = 500;
  // Called on the calling thread after batches commit (at most once per committed batch).
  std::function<void(const generate_progress&)> on_progress = {};
};

struct generate_summary {
  generate_progress progress;  // the final counts and time
  std::size_t members = 0;
  std::size_t consents = 0;
  std::size_t grounds = 0;
  std::size_t batches = 0;
};

// errc::invalid_argument (field "config") when fewer than 3 organisations are configured, (field
// "families") for 0 families.
result<generate_summary> generate(store::store& store, const keys::keyring& keyring,
                                  const config::gateway_config& config,
                                  std::shared_ptr<const policy::engine> policy,
                                  audit::journal& journal, unix_seconds now,
                                  const generate_options& options);

}  // namespace sluis::demo
