#include "adapters/json/object_reader.hpp"

#include <algorithm>
#include <charconv>

namespace sluis::adapters::json {

result<boost::json::object> parse_object(std::string_view body) {
  boost::json::parse_options options;
  options.max_depth = 32;
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(body, ec, {}, options);
  if (ec) return error::malformed("the body is not valid JSON (UTF-8, at most 32 levels deep)");
  if (!value.is_object()) return error::malformed("the body must be a JSON object");
  return std::move(value.as_object());
}

std::string object_reader::field(std::string_view key) const {
  return path_.empty() ? std::string(key) : path_ + "/" + std::string(key);
}

void object_reader::fail(std::string_view key, std::string message) {
  if (!first_) first_ = error::invalid(field(key), std::move(message));
}

const boost::json::value* object_reader::find(std::string_view key) {
  seen_.emplace_back(key);
  const auto it = object_.find(key);
  if (it == object_.end() || it->value().is_null()) return nullptr;
  return &it->value();
}

std::optional<std::string> object_reader::optional_text(std::string_view key,
                                                        std::size_t max_length) {
  const boost::json::value* v = find(key);
  if (v == nullptr) return std::nullopt;
  if (!v->is_string()) {
    fail(key, "must be a string");
    return std::nullopt;
  }
  const auto& s = v->get_string();
  if (s.size() > max_length) {
    fail(key, "must be at most " + std::to_string(max_length) + " bytes");
    return std::nullopt;
  }
  if (std::all_of(s.begin(), s.end(), [](char c) { return c == ' ' || c == '\t'; }) ||
      std::any_of(s.begin(), s.end(), [](char c) {
        return static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\r' && c != '\t';
      })) {
    fail(key, s.empty() ? "must not be empty" : "must not be blank or hold control characters");
    return std::nullopt;
  }
  return std::string(s);
}

std::string object_reader::text(std::string_view key, std::size_t max_length) {
  const bool present = object_.contains(key) && !object_.at(key).is_null();
  auto value = optional_text(key, max_length);
  if (!present) fail(key, "is required");
  return value.value_or(std::string());
}

std::optional<std::chrono::sys_days> object_reader::optional_date(std::string_view key) {
  auto text = optional_text(key, 10);
  if (!text) return std::nullopt;
  int y = 0;
  unsigned m = 0, d = 0;
  const char* s = text->data();
  const bool shape = text->size() == 10 && (*text)[4] == '-' && (*text)[7] == '-' &&
                     std::from_chars(s, s + 4, y).ptr == s + 4 &&
                     std::from_chars(s + 5, s + 7, m).ptr == s + 7 &&
                     std::from_chars(s + 8, s + 10, d).ptr == s + 10;
  const std::chrono::year_month_day ymd{std::chrono::year(y), std::chrono::month(m),
                                        std::chrono::day(d)};
  if (!shape || !ymd.ok() || y < 1900 || y > 2200) {
    fail(key, "must be a date written as YYYY-MM-DD");
    return std::nullopt;
  }
  return std::chrono::sys_days(ymd);
}

std::chrono::sys_days object_reader::date(std::string_view key) {
  const bool present = object_.contains(key) && !object_.at(key).is_null();
  auto value = optional_date(key);
  if (!present) fail(key, "is required");
  return value.value_or(std::chrono::sys_days());
}

std::vector<std::string> object_reader::text_list(std::string_view key, std::size_t max_items,
                                                  std::size_t max_length) {
  std::vector<std::string> out;
  const boost::json::value* v = find(key);
  if (v == nullptr) return out;
  if (!v->is_array() || v->get_array().size() > max_items) {
    fail(key, "must be an array of at most " + std::to_string(max_items) + " strings");
    return out;
  }
  for (const auto& item : v->get_array()) {
    if (!item.is_string() || item.get_string().empty() || item.get_string().size() > max_length) {
      fail(key, "must hold non-empty strings of at most " + std::to_string(max_length) + " bytes");
      return {};
    }
    out.emplace_back(item.get_string());
  }
  return out;
}

const boost::json::object* object_reader::object(std::string_view key, bool required) {
  const boost::json::value* v = find(key);
  if (v == nullptr) {
    if (required) fail(key, "is required");
    return nullptr;
  }
  if (!v->is_object()) {
    fail(key, "must be an object");
    return nullptr;
  }
  return &v->get_object();
}

const boost::json::array* object_reader::object_list(std::string_view key, std::size_t max_items) {
  const boost::json::value* v = find(key);
  if (v == nullptr) {
    fail(key, "is required");
    return nullptr;
  }
  if (!v->is_array() || v->get_array().empty() || v->get_array().size() > max_items) {
    fail(key, "must be an array of 1 to " + std::to_string(max_items) + " objects");
    return nullptr;
  }
  for (const auto& item : v->get_array()) {
    if (!item.is_object()) {
      fail(key, "must hold objects only");
      return nullptr;
    }
  }
  return &v->get_array();
}

void object_reader::finish(std::initializer_list<std::string_view> also_allowed) {
  for (const auto& [key, value] : object_) {
    const bool known =
        std::find(seen_.begin(), seen_.end(), key) != seen_.end() ||
        std::find(also_allowed.begin(), also_allowed.end(), key) != also_allowed.end();
    if (!known) {
      fail(key, "is not a known field");
      return;
    }
  }
}

}  // namespace sluis::adapters::json
