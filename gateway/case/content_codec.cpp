#include "gateway/case/content_codec.hpp"

#include <boost/json.hpp>
#include <charconv>
#include <cstdio>

namespace sluis::cases {
namespace {

std::vector<unsigned char> to_bytes(const boost::json::object& o) {
  const std::string text = boost::json::serialize(o);
  return {text.begin(), text.end()};
}

result<boost::json::object> from_bytes(std::span<const unsigned char> bytes) {
  boost::system::error_code ec;
  auto value = boost::json::parse(
      std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()), ec);
  if (ec || !value.is_object()) return error::corrupt("sealed content is not a JSON object");
  return std::move(value.as_object());
}

std::string text_of(const boost::json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string();
}

void put_date(boost::json::object& o, std::string_view key, const std::optional<date>& d) {
  if (d) o[key] = format_date(*d);
}

std::optional<date> date_of(const boost::json::object& o, std::string_view key) {
  auto text = text_of(o, key);
  if (text.empty()) return std::nullopt;
  auto d = parse_date(text);
  return d ? std::optional<date>(*d) : std::nullopt;
}

}  // namespace

std::string format_date(date d) {
  const std::chrono::year_month_day ymd(d);
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return buffer;
}

result<date> parse_date(std::string_view text) {
  int y = 0;
  unsigned m = 0, d = 0;
  const char* s = text.data();
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' ||
      std::from_chars(s, s + 4, y).ptr != s + 4 || std::from_chars(s + 5, s + 7, m).ptr != s + 7 ||
      std::from_chars(s + 8, s + 10, d).ptr != s + 10) {
    return error::invalid("date", "must be written as YYYY-MM-DD");
  }
  const std::chrono::year_month_day ymd{std::chrono::year(y), std::chrono::month(m),
                                        std::chrono::day(d)};
  if (!ymd.ok()) return error::invalid("date", "is not a date in the calendar");
  return date(ymd);
}

std::vector<unsigned char> encode(const member_content& content) {
  boost::json::object o;
  o["label"] = content.label;
  o["date_of_birth"] = format_date(content.date_of_birth);
  boost::json::array holders;
  for (const auto& id : content.gezag_holder_ids) holders.emplace_back(id);
  o["gezag_holders"] = std::move(holders);
  return to_bytes(o);
}

std::vector<unsigned char> encode(const contribution_content& content) {
  boost::json::object o;
  o["title"] = content.title;
  o["body"] = content.body;
  o["owner"] = content.owner_name;
  put_date(o, "start_date", content.start_date);
  put_date(o, "due_date", content.due_date);
  put_date(o, "end_date", content.end_date);
  return to_bytes(o);
}

std::vector<unsigned char> encode(const gezinsmanager_ref& gezinsmanager) {
  boost::json::object o;
  o["user_id"] = gezinsmanager.user_id;
  o["name"] = gezinsmanager.display_name;
  return to_bytes(o);
}

std::vector<unsigned char> encode(const family_content& family) {
  boost::json::object o;
  o["user_id"] = family.gezinsmanager.user_id;
  o["name"] = family.gezinsmanager.display_name;
  o["label"] = family.label;
  return to_bytes(o);
}

result<member_content> decode_member(std::span<const unsigned char> bytes) {
  auto o = from_bytes(bytes);
  if (!o) return o.error();
  member_content m;
  m.label = text_of(*o, "label");
  auto dob = date_of(*o, "date_of_birth");
  if (m.label.empty() || !dob) return error::corrupt("sealed member content is incomplete");
  m.date_of_birth = *dob;
  if (const auto* holders = o->if_contains("gezag_holders"); holders && holders->is_array()) {
    for (const auto& h : holders->get_array())
      if (h.is_string()) m.gezag_holder_ids.emplace_back(h.get_string());
  }
  return m;
}

result<contribution_content> decode_contribution(std::span<const unsigned char> bytes) {
  auto o = from_bytes(bytes);
  if (!o) return o.error();
  contribution_content c;
  c.title = text_of(*o, "title");
  c.body = text_of(*o, "body");
  c.owner_name = text_of(*o, "owner");
  c.start_date = date_of(*o, "start_date");
  c.due_date = date_of(*o, "due_date");
  c.end_date = date_of(*o, "end_date");
  return c;
}

result<gezinsmanager_ref> decode_gezinsmanager(std::span<const unsigned char> bytes) {
  auto o = from_bytes(bytes);
  if (!o) return o.error();
  return gezinsmanager_ref{text_of(*o, "user_id"), text_of(*o, "name")};
}

result<family_content> decode_family(std::span<const unsigned char> bytes) {
  auto o = from_bytes(bytes);
  if (!o) return o.error();
  return family_content{{text_of(*o, "user_id"), text_of(*o, "name")}, text_of(*o, "label")};
}

}  // namespace sluis::cases
