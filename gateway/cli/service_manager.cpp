#include "gateway/cli/service_manager.hpp"

#include <systemd/sd-daemon.h>

#include <boost/asio/post.hpp>
#include <cstdint>
#include <thread>

namespace sluis::cli {

service_manager::service_manager(boost::asio::io_context& ioc, std::function<bool()> ready)
    : ready_(std::move(ready)), timer_(ioc) {
  std::uint64_t usec = 0;
  if (sd_watchdog_enabled(0, &usec) > 0 && usec > 0)
    watchdog_ = std::chrono::microseconds{usec / 2};
}

bool service_manager::announce_ready(std::chrono::milliseconds patience) {
  const auto until = std::chrono::steady_clock::now() + patience;
  while (!ready_()) {
    if (std::chrono::steady_clock::now() >= until) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds{100});
  }
  sd_notify(0, "READY=1");
  // The watchdog's timer belongs to the io_context's thread.
  boost::asio::post(timer_.get_executor(), [this] { schedule_watchdog(); });
  return true;
}

void service_manager::reloading() { sd_notify(0, "RELOADING=1"); }
void service_manager::reloaded() { sd_notify(0, "READY=1"); }

void service_manager::stopping() {
  stopped_ = true;
  timer_.cancel();
  sd_notify(0, "STOPPING=1");
}

void service_manager::schedule_watchdog() {
  if (!watchdog_ || stopped_) return;
  timer_.expires_after(*watchdog_);
  timer_.async_wait([this](boost::system::error_code ec) {
    if (ec || stopped_) return;
    // A gateway that cannot serve stops feeding the watchdog: systemd restarts it.
    if (ready_()) sd_notify(0, "WATCHDOG=1");
    schedule_watchdog();
  });
}

}  // namespace sluis::cli
