#pragma once
// The handler behind the server tests: answers with what the server told it about the request.
//
// GET /echo          200 {"peer": null | {fingerprint, serial_number, common_name}, "request_id"}
// GET /slow          like /echo, but answers 300 ms later from another thread (graceful-stop tests)
// GET /metrics       the registry's Prometheus text
// anything else      404 problem+json, no route label (so "unmatched" in metrics)
// Thread-safe; counts the requests it saw.

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "gateway/http/handler.hpp"
#include "gateway/http/metrics.hpp"

namespace sluis::testing {

class echo_handler : public http::handler {
 public:
  explicit echo_handler(std::shared_ptr<http::metrics_registry> metrics);
  ~echo_handler() override;  // joins the threads of /slow answers

  void handle(http::request&& req, const http::request_context& ctx,
              std::function<void(http::response&&)> done) override;

  int requests_seen() const { return seen_; }
  // Blocks until a /slow request has arrived (or 5 s passed); true if it did.
  bool wait_for_slow_request();

 private:
  std::shared_ptr<http::metrics_registry> metrics_;
  std::atomic<int> seen_{0};
  std::mutex mutex_;
  std::condition_variable slow_arrived_;
  bool slow_seen_ = false;
  std::vector<std::thread> late_answers_;
};

}  // namespace sluis::testing
