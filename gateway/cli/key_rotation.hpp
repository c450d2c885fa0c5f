#pragma once
// Rotating the KEK of a data directory: one routine for `sluis keys rotate` on a stopped gateway
// and for a running gateway asked over its control socket, so both keep the same order.
//
// Order: inside one writer work item, the keyring makes a new primary KEK version and every family,
// signal and TOTP key is re-wrapped under it, with the audit entry; only after that commit are
// older versions retired (when asked). New family keys are made only inside writer work items, so
// none can be wrapped under the old primary after the re-wrap has read the table: nothing is ever
// left wrapped under a retired version. A failure before the commit leaves the old version active,
// so nothing becomes unreadable either way.

#include <cstdint>
#include <string>
#include <vector>

#include "common/error.hpp"
#include "gateway/audit/journal.hpp"
#include "gateway/store/store.hpp"
#include "keys/key_ring.hpp"

namespace sluis::cli {

struct rotation_report {
  std::uint32_t from_version = 0;
  std::uint32_t to_version = 0;
  std::size_t rewrapped = 0;
  std::vector<std::uint32_t> retired;
};

// Thread-safe against the gateway's own use of `keyring` and the stores (the keyring locks itself;
// the work runs on the case store's writer, its entry through `journal`). Blocks until done: never
// call it on a writer thread.
result<rotation_report> rotate_keys(keys::keyring& keyring, audit::journal& journal,
                                    bool retire_old);

// What `sluis keys rotate` prints.
std::string to_text(const rotation_report& report, const keys::keyring& keyring);

}  // namespace sluis::cli
