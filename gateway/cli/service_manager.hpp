#pragma once
// Telling the service manager (systemd, Type=notify) how `sluis serve` is doing, through
// libsystemd's sd_notify: READY=1 once the gateway serves and /readyz would answer 200,
// RELOADING=1 and READY=1 around a SIGHUP reload, STOPPING=1 at shutdown, and WATCHDOG=1 every
// half watchdog interval (WatchdogSec=) while the gateway is ready, so that a gateway that hangs
// or loses its store is restarted. Without a service manager ($NOTIFY_SOCKET unset) every call
// does nothing. The watchdog runs on the io_context's thread; call stopping() once that thread
// has ended.

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <functional>
#include <optional>

namespace sluis::cli {

class service_manager {
 public:
  // `ready` says whether the gateway can serve (api::check_readiness); the watchdog runs on `ioc`.
  service_manager(boost::asio::io_context& ioc, std::function<bool()> ready);

  // Waits until `ready` holds (checking every 100 ms, for at most `patience`), then sends
  // READY=1 and starts the watchdog. False when the gateway did not become ready in time.
  bool announce_ready(std::chrono::milliseconds patience = std::chrono::seconds{30});
  void reloading();  // RELOADING=1; follow with reloaded()
  void reloaded();   // READY=1
  void stopping();   // STOPPING=1; the watchdog stops

 private:
  void schedule_watchdog();

  std::function<bool()> ready_;
  boost::asio::steady_timer timer_;
  std::optional<std::chrono::microseconds> watchdog_;  // half the interval, when enabled
  bool stopped_ = false;
};

}  // namespace sluis::cli
