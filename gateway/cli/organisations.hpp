#pragma once
// Keeps the store's organisations table equal to the configuration.

#include "common/error.hpp"
#include "gateway/case/case_store.hpp"
#include "gateway/config/config.hpp"

namespace sluis::cli {

// Inside a write transaction.
inline result<void> sync_organisations(store::connection& db, const cases::case_store& cases,
                                       const config::gateway_config& config) {
  for (const auto& org : config.organisations) {
    auto synced =
        cases.sync_organisation(db, org.id, org.name, org.sector, org.professional_secrecy);
    if (!synced) return synced;
  }
  return {};
}

}  // namespace sluis::cli
