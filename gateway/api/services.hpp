#pragma once
// Everything a request handler needs of the running gateway, owned elsewhere (by `sluis serve` or a
// test) and outliving every request. All members are thread-safe.

#include <chrono>
#include <functional>
#include <memory>

#include "gateway/api/active_config.hpp"
#include "gateway/api/active_policy.hpp"
#include "gateway/audit/journal.hpp"
#include "gateway/case/case_store.hpp"
#include "gateway/config/config.hpp"
#include "gateway/http/metrics.hpp"
#include "gateway/store/store.hpp"
#include "keys/key_ring.hpp"

namespace sluis::api {

struct services {
  active_config& config;  // take current() once per request (call::config)
  const keys::keyring& keyring;
  store::store& store;
  audit::journal& audit;
  active_policy& policy;
  http::metrics_registry& metrics;
  // The time requests are decided and stamped at; replaceable in tests.
  std::function<std::chrono::system_clock::time_point()> clock = [] {
    return std::chrono::system_clock::now();
  };
};

// Whether the gateway can serve: its case store answers a query and a policy is in force. GET
// /readyz and the sluis_ready metric both say this.
struct readiness {
  bool store_open = false;
  std::shared_ptr<const policy::engine> policy;
  bool ready() const noexcept { return store_open && policy != nullptr; }
};
readiness check_readiness(services& s);

}  // namespace sluis::api
