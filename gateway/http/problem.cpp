#include "gateway/http/problem.hpp"

#include <array>
#include <boost/beast/http/field.hpp>
#include <boost/json/serialize.hpp>
#include <cstdint>

namespace sluis::http {
namespace {

struct problem_kind {
  std::string_view type;
  std::string_view title;
  unsigned status;
};

constexpr std::array<problem_kind, 13> kinds{{
    {problem_type::bad_request, "Bad request", 400},
    {problem_type::malformed, "Malformed input", 400},
    {problem_type::unauthenticated, "Unauthenticated", 401},
    {problem_type::forbidden, "Forbidden", 403},
    {problem_type::not_found, "Not found", 404},
    {problem_type::method_not_allowed, "Method not allowed", 405},
    {problem_type::conflict, "Conflict", 409},
    {problem_type::payload_too_large, "Payload too large", 413},
    {problem_type::validation, "Validation failed", 422},
    {problem_type::rate_limited, "Too many requests", 429},
    {problem_type::headers_too_large, "Request header fields too large", 431},
    {problem_type::internal, "Internal server error", 500},
    {problem_type::unavailable, "Service unavailable", 503},
}};

const problem_kind& kind_of(std::string_view type) {
  for (const auto& k : kinds) {
    if (k.type == type) return k;
  }
  // An unknown type is a bug, and must not leak as something else: answer as internal.
  return kind_of(problem_type::internal);
}

std::string_view type_for(errc code) {
  switch (code) {
    case errc::malformed:
      return problem_type::malformed;
    case errc::invalid_argument:
      return problem_type::validation;
    case errc::not_found:
      return problem_type::not_found;
    case errc::conflict:
      return problem_type::conflict;
    case errc::unauthenticated:
      return problem_type::unauthenticated;
    case errc::forbidden:
      return problem_type::forbidden;
    case errc::too_large:
      return problem_type::payload_too_large;
    case errc::rate_limited:
      return problem_type::rate_limited;
    case errc::unavailable:
      return problem_type::unavailable;
    case errc::crypto:
    case errc::corrupt:
    case errc::io:
    case errc::internal:
      return problem_type::internal;
  }
  return problem_type::internal;
}

}  // namespace

problem make_problem(std::string_view type, std::string detail) {
  const auto& k = kind_of(type);
  return {k.type, std::string(k.title), k.status, std::move(detail), {}};
}

problem problem_from_error(const sluis::error& e) {
  const auto type = type_for(e.code());
  if (type == problem_type::internal) return make_problem(type);
  auto p = make_problem(type, e.message());
  if (!e.field().empty()) p.errors.push_back({e.field(), e.message()});
  return p;
}

boost::json::object to_json(const problem& p, std::string_view instance) {
  boost::json::object body;
  body["type"] = p.type;
  body["title"] = p.title;
  body["status"] = static_cast<std::int64_t>(p.status);
  if (!p.detail.empty()) body["detail"] = p.detail;
  body["instance"] = instance;
  if (!p.errors.empty()) {
    boost::json::array errors;
    for (const auto& e : p.errors) errors.push_back({{"field", e.field}, {"detail", e.detail}});
    body["errors"] = std::move(errors);
  }
  return body;
}

response make_problem_response(const problem& p, std::string_view request_id, unsigned version,
                               bool keep_alive) {
  response res{static_cast<boost::beast::http::status>(p.status), version};
  res.set(boost::beast::http::field::content_type, problem_content_type);
  res.body() = boost::json::serialize(to_json(p, request_id));
  res.keep_alive(keep_alive);
  res.prepare_payload();
  return res;
}

}  // namespace sluis::http
