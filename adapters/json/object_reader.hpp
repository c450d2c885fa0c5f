#pragma once
// Strict, path-aware reading of one JSON object from an untrusted body.
//
// Every accessor records the first problem as a sluis::error naming the field by its path
// ("members/1/date_of_birth"), and returns an empty value so parsing can go on without branching.
// `finish()` also rejects fields nobody asked for, so a misspelt field is an error, not a silent
// default. Messages never repeat the offending value (it may be personal data).

#include <boost/json.hpp>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.hpp"

namespace sluis::adapters::json {

// Parses a request body: at most 32 levels deep, valid UTF-8 only. Anything that is not a JSON
// object gives errc::malformed.
result<boost::json::object> parse_object(std::string_view body);

class object_reader {
 public:
  // `path` is the prefix for field names ("" for the body, "members/0" for a nested object).
  object_reader(const boost::json::object& object, std::string path, std::optional<error>& first)
      : object_(object), path_(std::move(path)), first_(first) {}

  // A required string, at most max_length bytes, not blank.
  std::string text(std::string_view key, std::size_t max_length);
  std::optional<std::string> optional_text(std::string_view key, std::size_t max_length);
  // A date "YYYY-MM-DD" that exists in the calendar.
  std::chrono::sys_days date(std::string_view key);
  std::optional<std::chrono::sys_days> optional_date(std::string_view key);
  // An array of strings (may be absent: then empty).
  std::vector<std::string> text_list(std::string_view key, std::size_t max_items,
                                     std::size_t max_length);
  // A nested object, or nullptr (with an error when required).
  const boost::json::object* object(std::string_view key, bool required);
  // A required array of objects, at least one and at most max_items.
  const boost::json::array* object_list(std::string_view key, std::size_t max_items);

  bool has(std::string_view key) const { return object_.contains(key); }
  std::string field(std::string_view key) const;
  void fail(std::string_view key, std::string message);

  // Rejects fields other than those read (or listed as allowed).
  void finish(std::initializer_list<std::string_view> also_allowed = {});

 private:
  const boost::json::value* find(std::string_view key);

  const boost::json::object& object_;
  std::string path_;
  std::optional<error>& first_;
  std::vector<std::string> seen_;
};

}  // namespace sluis::adapters::json
