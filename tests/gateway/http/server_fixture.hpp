#pragma once
// A real server on 127.0.0.1:0 with a fresh test PKI and the echo handler, for the server suites.

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "gateway/http/server.hpp"
#include "tests/gateway/http/echo_handler.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_pki.hpp"
#include "tests/support/tls_client.hpp"

namespace sluis::testing {

// Collects handshake refusals reported by the server's hook (called on io threads).
class refusal_recorder {
 public:
  void record(const http::handshake_refusal& r) {
    std::lock_guard lock(mutex_);
    refusals_.push_back(r);
    changed_.notify_all();
  }
  // The first refusal, waiting up to 5 s for it; empty reason if none came.
  http::handshake_refusal first() {
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, std::chrono::seconds{5}, [&] { return !refusals_.empty(); });
    return refusals_.empty() ? http::handshake_refusal{} : refusals_.front();
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<http::handshake_refusal> refusals_;
};

class server_fixture : public ::testing::Test {
 protected:
  server_fixture() : pki_(make_test_pki(dir_.path())) {}
  ~server_fixture() override {
    if (server_) server_->stop(std::chrono::seconds{5});
  }

  // Test defaults: two threads, generous timeouts (tests that need short ones set them).
  http::server_config config() {
    http::server_config c;
    c.threads = 2;
    c.tls = {pki_.server_certificate, pki_.server_key, pki_.ca_certificate};
    c.rate_limit_per_second = 0;
    c.on_handshake_refused = [this](const http::handshake_refusal& r) { refusals_.record(r); };
    return c;
  }

  void start(http::server_config c) {
    auto started = http::server::start(std::move(c), handler_, metrics_);
    ASSERT_TRUE(started.has_value()) << started.error().what();
    server_ = std::move(*started);
  }

  tls_client client(const test_client_certificate* cert = nullptr) {
    return tls_client(server_->local_endpoint().port(), {pki_.ca_certificate, cert, false, {}});
  }

  temp_dir dir_;
  test_pki pki_;
  std::shared_ptr<http::metrics_registry> metrics_ = std::make_shared<http::metrics_registry>();
  std::shared_ptr<echo_handler> handler_ = std::make_shared<echo_handler>(metrics_);
  refusal_recorder refusals_;
  std::unique_ptr<http::server> server_;
};

}  // namespace sluis::testing
