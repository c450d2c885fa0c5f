#pragma once
// RFC 9457 problem details: the body of every error answer (Content-Type application/problem+json).
//
// Problem types are stable URIs under https://sluis.example/problems/; clients may switch on them:
//   bad-request           400  the HTTP message itself is malformed
//   malformed             400  the body cannot be parsed at all (not JSON, not CSV, ...)
//   unauthenticated       401  no (acceptable) client certificate or session
//   forbidden             403  known caller, not allowed
//   not-found             404  no such resource (or the caller may not know it exists)
//   method-not-allowed    405  the route exists, the method does not
//   conflict              409  the request clashes with the current state
//   payload-too-large     413  the body exceeds the configured limit
//   validation            422  a field is missing, has the wrong type or breaks a rule
//   rate-limited          429  too many requests; see Retry-After
//   headers-too-large     431  the request header exceeds the configured limit
//   internal              500  our fault; the detail says nothing about internals
//   unavailable           503  a dependency (store, keys, policy) is not ready
// Messages and details come from sluis::error, whose rules already forbid personal data.

#include <boost/json/object.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.hpp"
#include "gateway/http/handler.hpp"

namespace sluis::http {

namespace problem_type {
inline constexpr std::string_view bad_request = "https://sluis.example/problems/bad-request";
inline constexpr std::string_view malformed = "https://sluis.example/problems/malformed";
inline constexpr std::string_view unauthenticated =
    "https://sluis.example/problems/unauthenticated";
inline constexpr std::string_view forbidden = "https://sluis.example/problems/forbidden";
inline constexpr std::string_view not_found = "https://sluis.example/problems/not-found";
inline constexpr std::string_view method_not_allowed =
    "https://sluis.example/problems/method-not-allowed";
inline constexpr std::string_view conflict = "https://sluis.example/problems/conflict";
inline constexpr std::string_view payload_too_large =
    "https://sluis.example/problems/payload-too-large";
inline constexpr std::string_view validation = "https://sluis.example/problems/validation";
inline constexpr std::string_view rate_limited = "https://sluis.example/problems/rate-limited";
inline constexpr std::string_view headers_too_large =
    "https://sluis.example/problems/headers-too-large";
inline constexpr std::string_view internal = "https://sluis.example/problems/internal";
inline constexpr std::string_view unavailable = "https://sluis.example/problems/unavailable";
}  // namespace problem_type

inline constexpr std::string_view problem_content_type = "application/problem+json";

// One field at fault: a JSON-pointer-like path ("members/0/bsn") and what is wrong with it.
struct field_problem {
  std::string field;
  std::string detail;
};

// A problem answer before it becomes JSON. A plain value; copy and share freely.
struct problem {
  std::string_view type;  // one of problem_type
  std::string title;      // short and fixed per type
  unsigned status = 500;
  std::string detail;                 // this occurrence, for a person; may be empty
  std::vector<field_problem> errors;  // empty when no field is at fault
};

// The problem for an error: malformed -> 400, invalid_argument -> 422 (with the field), not_found
// -> 404, conflict -> 409, unauthenticated -> 401, forbidden -> 403, too_large -> 413, rate_limited
// -> 429, unavailable -> 503; crypto, corrupt, io and internal -> 500 with a generic title and
// detail, because their messages may describe internals.
problem problem_from_error(const sluis::error& e);

// A problem of the given type with its standard title and status (see the list above).
problem make_problem(std::string_view type, std::string detail = {});

// {"type","title","status","detail"?,"instance","errors"?}; `instance` is the request id.
boost::json::object to_json(const problem& p, std::string_view instance);

// A complete response: status, application/problem+json, the body, and the request's version and
// keep-alive. Content-Length is set.
response make_problem_response(const problem& p, std::string_view request_id, unsigned version,
                               bool keep_alive);

}  // namespace sluis::http
