#include "common/error.hpp"

namespace sluis {

std::string_view to_string(errc code) noexcept {
  switch (code) {
    case errc::malformed:
      return "malformed";
    case errc::invalid_argument:
      return "invalid_argument";
    case errc::not_found:
      return "not_found";
    case errc::conflict:
      return "conflict";
    case errc::unauthenticated:
      return "unauthenticated";
    case errc::forbidden:
      return "forbidden";
    case errc::too_large:
      return "too_large";
    case errc::rate_limited:
      return "rate_limited";
    case errc::unavailable:
      return "unavailable";
    case errc::crypto:
      return "crypto";
    case errc::corrupt:
      return "corrupt";
    case errc::io:
      return "io";
    case errc::internal:
      return "internal";
  }
  return "internal";
}

std::string error::what() const { return field_.empty() ? message_ : field_ + ": " + message_; }

void throw_exception_from_error(const error& e, const boost::source_location&) {
  throw error_exception(e);
}

}  // namespace sluis
