#include "tests/gateway/http/echo_handler.hpp"

#include <boost/json/serialize.hpp>
#include <chrono>

#include "gateway/http/problem.hpp"

namespace sluis::testing {
namespace bhttp = boost::beast::http;

namespace {

http::response echo(const http::request& req, const http::request_context& ctx) {
  boost::json::object body;
  if (ctx.peer) {
    body["peer"] = {{"fingerprint", ctx.peer->sha256_fingerprint},
                    {"serial_number", ctx.peer->subject_serial_number},
                    {"common_name", ctx.peer->subject_common_name}};
  } else {
    body["peer"] = nullptr;
  }
  body["request_id"] = ctx.request_id;
  body["remote_address"] = ctx.remote_address;
  http::response res{bhttp::status::ok, req.version()};
  res.set(bhttp::field::content_type, "application/json");
  res.set(http::route_header, req.target() == "/slow" ? "/slow" : "/echo");
  res.body() = boost::json::serialize(body);
  return res;
}

}  // namespace

echo_handler::echo_handler(std::shared_ptr<http::metrics_registry> metrics)
    : metrics_(std::move(metrics)) {}

echo_handler::~echo_handler() {
  for (auto& t : late_answers_) t.join();
}

void echo_handler::handle(http::request&& req, const http::request_context& ctx,
                          std::function<void(http::response&&)> done) {
  ++seen_;
  if (req.target() == "/echo") return done(echo(req, ctx));
  if (req.target() == "/metrics") {
    http::response res{bhttp::status::ok, req.version()};
    res.set(bhttp::field::content_type, http::metrics_content_type);
    res.set(http::route_header, "/metrics");
    res.body() = metrics_->render();
    return done(std::move(res));
  }
  if (req.target() == "/slow") {
    auto res = echo(req, ctx);
    std::lock_guard lock(mutex_);
    late_answers_.emplace_back([res = std::move(res), done = std::move(done)]() mutable {
      std::this_thread::sleep_for(std::chrono::milliseconds{300});
      done(std::move(res));
    });
    slow_seen_ = true;
    slow_arrived_.notify_all();
    return;
  }
  done(http::make_problem_response(http::make_problem(http::problem_type::not_found),
                                   ctx.request_id, req.version(), req.keep_alive()));
}

bool echo_handler::wait_for_slow_request() {
  std::unique_lock lock(mutex_);
  return slow_arrived_.wait_for(lock, std::chrono::seconds{5}, [&] { return slow_seen_; });
}

}  // namespace sluis::testing
