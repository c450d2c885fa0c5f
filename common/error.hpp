#pragma once
// The error value of every request path (house style: errors are values).
//
// An error has a stable code, a human message and, where there is one, the field at fault. Messages
// are shown to callers (problem+json title/detail, command-line output), so they must never contain
// personal data or internals: say "bsn: fails the elfproef check", never the BSN itself.

#include <boost/system/result.hpp>
#include <string>
#include <string_view>

namespace sluis {

enum class errc {
  malformed,         // the input cannot be parsed at all (bad JSON, bad HTTP): 400
  invalid_argument,  // the input parses but violates a rule; the caller must fix it: 422
  not_found,         // the thing asked for does not exist (or the caller may not know it exists)
  conflict,          // the request clashes with the current state
  unauthenticated,   // who is asking could not be established
  forbidden,         // the asker is known but may not do this
  too_large,         // an input exceeds a configured limit
  rate_limited,      // too many requests; try again later
  unavailable,       // a dependency (store, keys, policy) is not ready
  crypto,            // authentication of ciphertext or a signature failed, or a key is wrong
  corrupt,           // stored data fails an integrity check
  io,                // the operating system or the store failed
  internal,          // a bug: an invariant did not hold
};

std::string_view to_string(errc code) noexcept;

class error {
 public:
  // Required by boost::system::result::error() on a value; never returned deliberately.
  error() = default;
  error(errc code, std::string message, std::string field = {})
      : code_(code), message_(std::move(message)), field_(std::move(field)) {}

  static error invalid(std::string field, std::string message) {
    return {errc::invalid_argument, std::move(message), std::move(field)};
  }
  static error malformed(std::string message) { return {errc::malformed, std::move(message)}; }
  static error not_found(std::string message) { return {errc::not_found, std::move(message)}; }
  static error conflict(std::string message) { return {errc::conflict, std::move(message)}; }
  static error forbidden(std::string message) { return {errc::forbidden, std::move(message)}; }
  static error unauthenticated(std::string message) {
    return {errc::unauthenticated, std::move(message)};
  }
  static error unavailable(std::string message) { return {errc::unavailable, std::move(message)}; }
  static error crypto(std::string message) { return {errc::crypto, std::move(message)}; }
  static error corrupt(std::string message) { return {errc::corrupt, std::move(message)}; }
  static error io(std::string message) { return {errc::io, std::move(message)}; }
  static error internal(std::string message) { return {errc::internal, std::move(message)}; }

  errc code() const noexcept { return code_; }
  const std::string& message() const noexcept { return message_; }
  // The field at fault, as a JSON-pointer-like path ("members/0/bsn"), or empty.
  const std::string& field() const noexcept { return field_; }

  // "field: message" or just "message": for command-line output and logs.
  std::string what() const;

 private:
  errc code_ = errc::internal;
  std::string message_;
  std::string field_;
};

// Thrown only by result<T>::value() on an error; start-up code may let it reach main.
class error_exception : public std::exception {
 public:
  explicit error_exception(error e) : error_(std::move(e)), what_(error_.what()) {}
  const char* what() const noexcept override { return what_.c_str(); }
  const sluis::error& err() const noexcept { return error_; }

 private:
  sluis::error error_;
  std::string what_;
};

// Found by boost::system::result through argument-dependent lookup.
[[noreturn]] void throw_exception_from_error(const error& e, const boost::source_location& loc);

template <class T>
using result = boost::system::result<T, error>;

}  // namespace sluis
