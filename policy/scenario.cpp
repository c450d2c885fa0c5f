#include "policy/scenario.hpp"

#include <toml++/toml.h>

#include <algorithm>

#include "policy/detail/suggest.hpp"

namespace sluis::policy {
namespace {

using keys = std::initializer_list<std::string_view>;

// Reads scenario tables, collecting every problem instead of stopping at the first.
class reader {
 public:
  explicit reader(std::string_view file_name) : file_(file_name) {}

  diagnostics& errors() { return errors_; }

  void error(const toml::source_region& where, std::string message, std::string hint = {}) {
    errors_.items.push_back({file_, static_cast<int>(where.begin.line),
                             static_cast<int>(where.begin.column), std::move(message),
                             std::move(hint)});
  }

  void check_keys(const toml::table& table, keys allowed) {
    const std::vector<std::string> candidates(allowed.begin(), allowed.end());
    for (const auto& [key, value] : table) {
      if (std::find(allowed.begin(), allowed.end(), key.str()) != allowed.end()) continue;
      error(key.source(), "unknown key '" + std::string(key.str()) + "'",
            detail::suggest(key.str(), candidates));
    }
  }

  std::string text(const toml::table& table, std::string_view key, bool required = false) {
    const auto* node = table.get(key);
    if (!node) {
      if (required) error(table.source(), "missing '" + std::string(key) + "'");
      return {};
    }
    if (const auto* value = node->as_string()) return value->get();
    error(node->source(), "'" + std::string(key) + "' must be a text", "put it in double quotes");
    return {};
  }

  bool flag(const toml::table& table, std::string_view key) {
    const auto* node = table.get(key);
    if (!node) return false;
    if (const auto* value = node->as_boolean()) return value->get();
    error(node->source(), "'" + std::string(key) + "' must be true or false");
    return false;
  }

  std::vector<std::string> texts(const toml::table& table, std::string_view key) {
    std::vector<std::string> out;
    const auto* node = table.get(key);
    if (!node) return out;
    const auto* array = node->as_array();
    if (!array) {
      error(node->source(), "'" + std::string(key) + "' must be a list of texts",
            "write [\"a\", \"b\"]");
      return out;
    }
    for (const auto& element : *array) {
      if (const auto* value = element.as_string()) {
        out.push_back(value->get());
      } else {
        error(element.source(), "'" + std::string(key) + "' must contain texts only");
      }
    }
    return out;
  }

  // A TOML offset date-time, or a local date meaning 00:00 of that day in the Netherlands
  // (policy/calendar.hpp).
  std::optional<time_point> moment(const toml::table& table, std::string_view key,
                                   bool required = false) {
    const auto* node = table.get(key);
    if (!node) {
      if (required) error(table.source(), "missing '" + std::string(key) + "'");
      return std::nullopt;
    }
    if (const auto* d = node->as_date()) return start_of(to_days(d->get()));
    if (const auto* dt = node->as_date_time()) {
      const auto& v = dt->get();
      if (v.offset) {
        return to_days(v.date) + std::chrono::hours{v.time.hour} +
               std::chrono::minutes{v.time.minute - v.offset->minutes} +
               std::chrono::seconds{v.time.second};
      }
    }
    error(node->source(), "'" + std::string(key) + "' must be a date or a date-time with zone",
          "write 2026-11-23 or 2026-11-23T10:00:00Z, without quotes");
    return std::nullopt;
  }

  std::optional<date> day(const toml::table& table, std::string_view key, bool required = false) {
    const auto* node = table.get(key);
    if (!node) {
      if (required) error(table.source(), "missing '" + std::string(key) + "'");
      return std::nullopt;
    }
    if (const auto* d = node->as_date()) return to_days(d->get());
    error(node->source(), "'" + std::string(key) + "' must be a date", "write 2011-05-17");
    return std::nullopt;
  }

  template <class Value>
  Value choice(const toml::table& table, std::string_view key,
               std::optional<Value> (*parse)(std::string_view) noexcept, Value fallback) {
    const auto value = text(table, key);
    if (value.empty()) return fallback;
    if (auto parsed = parse(value)) return *parsed;
    error(table.get(key)->source(), "unknown value '" + value + "' for '" + std::string(key) + "'");
    return fallback;
  }

  // Each table of an array of tables ([[name]]).
  std::vector<const toml::table*> tables(const toml::table& root, std::string_view key) {
    std::vector<const toml::table*> out;
    const auto* node = root.get(key);
    if (!node) return out;
    const auto* array = node->as_array();
    if (!array || !array->is_array_of_tables()) {
      error(node->source(), "'" + std::string(key) + "' must be a list of tables",
            "start each one with [[" + std::string(key) + "]]");
      return out;
    }
    for (const auto& element : *array) out.push_back(element.as_table());
    return out;
  }

 private:
  static date to_days(const toml::date& d) {
    return std::chrono::sys_days{std::chrono::year{d.year} / std::chrono::month{d.month} /
                                 std::chrono::day{d.day}};
  }

  std::string file_;
  diagnostics errors_;
};

std::optional<member_role> parse_member_role(std::string_view text) noexcept {
  if (text == "parent") return member_role::parent;
  if (text == "child") return member_role::child;
  if (text == "other") return member_role::other;
  return std::nullopt;
}

requester read_requester(reader& in, const toml::table& t) {
  in.check_keys(t,
                {"user_id", "role", "organisation", "sector", "purpose", "family_gezinsmanager"});
  return {in.text(t, "user_id", true),      in.text(t, "role", true),
          in.text(t, "organisation", true), in.text(t, "sector"),
          in.text(t, "purpose", true),      in.flag(t, "family_gezinsmanager")};
}

member read_member(reader& in, const toml::table& t) {
  in.check_keys(t, {"id", "label", "role", "born", "gezag_holders"});
  member m;
  m.id = in.text(t, "id", true);
  m.label = in.text(t, "label", true);
  m.role = in.choice(t, "role", &parse_member_role, member_role::other);
  m.date_of_birth = in.day(t, "born", true).value_or(date{});
  m.gezag_holder_ids = in.texts(t, "gezag_holders");
  return m;
}

consent read_consent(reader& in, const toml::table& t) {
  in.check_keys(t, {"id", "subject", "granted_by", "recipient_organisations", "recipient_roles",
                    "purposes", "categories", "domains", "valid_from", "valid_until",
                    "withdrawn_at", "form_reference", "signed_on", "recorded_by"});
  consent c;
  c.id = in.text(t, "id", true);
  c.subject_member_id = in.text(t, "subject");
  c.granted_by = in.texts(t, "granted_by");
  c.recipient_organisations = in.texts(t, "recipient_organisations");
  c.recipient_roles = in.texts(t, "recipient_roles");
  c.purposes = in.texts(t, "purposes");
  for (const auto& name : in.texts(t, "categories")) {
    if (auto parsed = parse_category(name)) {
      c.categories.push_back(*parsed);
    } else {
      in.error(t.get("categories")->source(), "unknown category '" + name + "'",
               "regular, special or criminal");
    }
  }
  c.domains = in.texts(t, "domains");
  c.valid_from = in.moment(t, "valid_from", true).value_or(time_point{});
  c.valid_until = in.moment(t, "valid_until", true).value_or(time_point{});
  c.withdrawn_at = in.moment(t, "withdrawn_at");
  c.evidence.form_reference = in.text(t, "form_reference");
  c.evidence.signed_on = in.day(t, "signed_on").value_or(date{});
  c.recorded_by = in.text(t, "recorded_by");
  return c;
}

coordination_ground read_ground(reader& in, const toml::table& t) {
  in.check_keys(
      t, {"id", "decided_by", "necessity", "proportionality", "subsidiarity", "family_informed_on",
          "not_informed_reason", "valid_from", "valid_until", "ended_at"});
  coordination_ground g;
  g.id = in.text(t, "id", true);
  g.decided_by = in.text(t, "decided_by");
  g.necessity = in.text(t, "necessity");
  g.proportionality = in.text(t, "proportionality");
  g.subsidiarity = in.text(t, "subsidiarity");
  g.family_informed_on = in.day(t, "family_informed_on");
  g.not_informed_reason = in.text(t, "not_informed_reason");
  g.valid_from = in.moment(t, "valid_from", true).value_or(time_point{});
  g.valid_until = in.moment(t, "valid_until", true).value_or(time_point{});
  g.ended_at = in.moment(t, "ended_at");
  return g;
}

break_glass_grant read_break_glass(reader& in, const toml::table& t) {
  in.check_keys(t, {"id", "user_id", "organisation", "justification", "started_at", "expires_at"});
  return {in.text(t, "id", true),
          in.text(t, "user_id", true),
          in.text(t, "justification"),
          in.moment(t, "started_at", true).value_or(time_point{}),
          in.moment(t, "expires_at", true).value_or(time_point{}),
          in.text(t, "organisation")};
}

record read_record(reader& in, const toml::table& t) {
  in.check_keys(t, {"id", "source_organisation", "source_sector", "source_secrecy", "subject",
                    "domain", "kind", "category"});
  record r;
  r.id = in.text(t, "id", true);
  r.source_organisation_id = in.text(t, "source_organisation", true);
  r.source_sector = in.text(t, "source_sector");
  r.source_has_professional_secrecy = in.flag(t, "source_secrecy");
  r.subject_member_id = in.text(t, "subject");
  r.domain = in.text(t, "domain", true);
  r.kind = in.choice(t, "kind", &parse_record_kind, record_kind::note);
  r.data_category = in.choice(t, "category", &parse_category, category::regular);
  return r;
}

}  // namespace

boost::system::result<scenario, diagnostics> parse_scenario(std::string_view text,
                                                            std::string_view file_name) {
  reader in(file_name);
  toml::table root;
  try {
    root = toml::parse(text, file_name);
  } catch (const toml::parse_error& e) {
    in.error(e.source(), std::string(e.description()), "check the TOML syntax on this line");
    return in.errors();
  }
  in.check_keys(
      root, {"now", "requester", "family", "member", "consent", "ground", "break_glass", "record"});
  scenario out;
  out.now = in.moment(root, "now", true).value_or(time_point{});
  if (const auto* t = root.get_as<toml::table>("requester")) {
    out.who = read_requester(in, *t);
  } else {
    in.error(root.source(), "missing [requester]", "say who is asking and for which purpose");
  }
  if (const auto* t = root.get_as<toml::table>("family")) {
    in.check_keys(*t, {"id"});
    out.fam.id = in.text(*t, "id", true);
  }
  for (const auto* t : in.tables(root, "member")) out.fam.members.push_back(read_member(in, *t));
  for (const auto* t : in.tables(root, "consent")) out.fam.consents.push_back(read_consent(in, *t));
  for (const auto* t : in.tables(root, "ground")) out.fam.grounds.push_back(read_ground(in, *t));
  for (const auto* t : in.tables(root, "break_glass")) {
    out.fam.break_glass.push_back(read_break_glass(in, *t));
  }
  for (const auto* t : in.tables(root, "record")) out.records.push_back(read_record(in, *t));
  if (!in.errors().items.empty()) return in.errors();
  return out;
}

}  // namespace sluis::policy
