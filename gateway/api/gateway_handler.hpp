#pragma once
// The gateway's HTTP handler: the partner API v1, the JSON API for people, the operational
// endpoints and the web UI's files. Routes are registered by the route files (see routes.hpp).
//
// Every /v1/ request goes through the same steps: route -> the actor: a partner system from its
// verified client certificate (401 without one, 403 for a certificate of no configured
// organisation), or a person from their session -> parse and validate the body, pseudonymising any
// BSN at once -> the operation -> exactly one audit entry.
// A write stages its audit entry in its own transaction through the store's group-commit writer and
// is answered once the entry is in the audit log; a read's entry is durable before the response is
// sent (gateway/audit/journal.hpp). Requests run on a bounded pool of the handler's own, never on
// the server's I/O threads; nothing here blocks on a writer: the response is sent from the
// writer's completion.
//
// An organisation reads back only its own contributions; what it may learn beyond them (which
// other organisations are involved with a family) is decided by the policy engine. Thread-safe.

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "gateway/api/services.hpp"
#include "gateway/http/handler.hpp"

namespace sluis::api {

class gateway_handler final : public http::handler {
 public:
  explicit gateway_handler(services& s);
  ~gateway_handler() override;

  // Every (method, route template) this handler serves.
  std::vector<std::pair<boost::beast::http::verb, std::string>> routes() const;

  void handle(http::request&& req, const http::request_context& ctx,
              std::function<void(http::response&&)> done) override;

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace sluis::api
