#pragma once
// The configuration in force: swapped whole when SIGHUP brings new [[organisation]] entries.
//
// Requests take a snapshot (current()) when they start and keep it until they are answered, so an
// organisation a request was authenticated as stays valid for that request even when a reload
// removes it, and one response never mixes two configurations. Only the organisations (their ids,
// names, sectors, secrecy and certificate pins) change on a reload (reload_organisations()); the
// listener, limits, TLS file paths, web and audit settings keep their start-up values until a
// restart. Thread-safe.

#include <atomic>
#include <memory>

#include "gateway/config/config.hpp"

namespace sluis::api {

class active_config {
 public:
  explicit active_config(config::gateway_config initial)
      : state_(std::make_shared<const config::gateway_config>(std::move(initial))) {}

  std::shared_ptr<const config::gateway_config> current() const { return state_.load(); }

  // The configuration in force with the organisations of `fresh`: what a reload puts in force.
  std::shared_ptr<const config::gateway_config> with_organisations_of(
      const config::gateway_config& fresh) const {
    auto next = std::make_shared<config::gateway_config>(*current());
    next->organisations = fresh.organisations;
    return next;
  }

  // Puts `next` in force for every request that starts from now on.
  void adopt(std::shared_ptr<const config::gateway_config> next) { state_.store(std::move(next)); }

 private:
  std::atomic<std::shared_ptr<const config::gateway_config>> state_;
};

}  // namespace sluis::api
