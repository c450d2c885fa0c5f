#include "policy/detail/parse.hpp"

#include <sodium.h>
#include <toml++/toml.h>

#include <algorithm>
#include <array>
#include <span>
#include <stdexcept>
#include <string>

#include "policy/detail/engine_access.hpp"
#include "policy/detail/suggest.hpp"

namespace sluis::policy::detail {
namespace {

using key_list = std::span<const std::string_view>;

constexpr std::string_view top_keys[] = {"policy",        "roles",   "purposes", "sectors",
                                         "organisations", "domains", "consent",  "break_glass",
                                         "oversight",     "rule"};
constexpr std::string_view policy_keys[] = {"name", "description"};
constexpr std::string_view consent_keys[] = {"max_validity_days", "child_alone_from_age",
                                             "child_with_gezag_from_age"};
constexpr std::string_view oversight_keys[] = {"identify_families_by"};
constexpr std::string_view break_glass_keys[] = {"max_duration_minutes", "min_justification_length",
                                                 "reviewer_role"};
constexpr std::string_view rule_keys[] = {"id",
                                          "description",
                                          "explanation",
                                          "effect",
                                          "roles",
                                          "organisations",
                                          "sectors",
                                          "own_gezinsmanager",
                                          "own_organisation",
                                          "purposes",
                                          "basis",
                                          "level",
                                          "domains",
                                          "categories",
                                          "kinds",
                                          "source_organisations",
                                          "source_sectors",
                                          "source_secrecy",
                                          "allow_sensitive_without_consent"};

std::vector<std::string> to_strings(key_list keys) { return {keys.begin(), keys.end()}; }

source_position position_of(const toml::source_region& region) {
  return {static_cast<int>(region.begin.line), static_cast<int>(region.begin.column)};
}

class parser {
 public:
  parser(std::string_view file_name, compiled_policy& out) : file_(file_name), out_(out) {}

  diagnostics& errors() { return errors_; }

  void error(const toml::source_region& where, std::string message, std::string hint = {}) {
    const auto pos = position_of(where);
    errors_.items.push_back({file_, pos.line, pos.column, std::move(message), std::move(hint)});
  }
  void error(source_position pos, std::string message, std::string hint = {}) {
    errors_.items.push_back({file_, pos.line, pos.column, std::move(message), std::move(hint)});
  }

  void parse(const toml::table& root) {
    check_keys(root, top_keys, "");
    if (auto* meta = table_at(root, "policy")) {
      check_keys(*meta, policy_keys, "policy.");
      out_.name = string_at(*meta, "name").value_or("");
      string_at(*meta, "description");
    }
    declare(root, "roles", standard_roles(), out_.roles);
    declare(root, "purposes", standard_purposes(), out_.purposes);
    declare(root, "sectors", {}, out_.sectors);
    declare(root, "domains", standard_domains(), out_.domains);
    declare_organisations(root);
    parse_consent(root);
    parse_break_glass(root);
    parse_oversight(root);
    parse_rules(root);
    // Shadowing is judged on resolved names; with unresolved ones it would report false alarms.
    if (errors_.items.empty()) check_rule_relations();
  }

 private:
  void check_keys(const toml::table& table, key_list allowed, std::string_view prefix) {
    const auto candidates = to_strings(allowed);
    for (const auto& [key, value] : table) {
      if (std::find(allowed.begin(), allowed.end(), key.str()) != allowed.end()) continue;
      const bool top_level =
          std::find(std::begin(top_keys), std::end(top_keys), key.str()) != std::end(top_keys);
      error(key.source(), "unknown key '" + std::string(prefix) + std::string(key.str()) + "'",
            !prefix.empty() && top_level
                ? "every line after a [section] header belongs to that section; move '" +
                      std::string(key.str()) + "' above the first [section]"
                : suggest(key.str(), candidates));
    }
  }

  const toml::table* table_at(const toml::table& parent, std::string_view key) {
    const auto* node = parent.get(key);
    if (!node) return nullptr;
    if (const auto* table = node->as_table()) return table;
    error(node->source(), "'" + std::string(key) + "' must be a table",
          "write it as a section: [" + std::string(key) + "]");
    return nullptr;
  }

  std::optional<std::string> string_at(const toml::table& table, std::string_view key) {
    const auto* node = table.get(key);
    if (!node) return std::nullopt;
    if (const auto* value = node->as_string()) return value->get();
    error(node->source(), "'" + std::string(key) + "' must be a text", "put it in double quotes");
    return std::nullopt;
  }

  std::optional<bool> bool_at(const toml::table& table, std::string_view key) {
    const auto* node = table.get(key);
    if (!node) return std::nullopt;
    if (const auto* value = node->as_boolean()) return value->get();
    error(node->source(), "'" + std::string(key) + "' must be true or false",
          "write true or false without quotes");
    return std::nullopt;
  }

  std::optional<int> int_at(const toml::table& table, std::string_view key, int min, int max) {
    const auto* node = table.get(key);
    if (!node) return std::nullopt;
    const auto* value = node->as_integer();
    if (!value) {
      error(node->source(), "'" + std::string(key) + "' must be a whole number",
            "write a number without quotes");
      return std::nullopt;
    }
    if (value->get() < min || value->get() > max) {
      error(node->source(),
            "'" + std::string(key) + "' must be between " + std::to_string(min) + " and " +
                std::to_string(max),
            {});
      return std::nullopt;
    }
    return static_cast<int>(value->get());
  }

  // A list of texts, each with its position; a single text is accepted as a list of one.
  std::vector<std::pair<std::string, toml::source_region>> strings_at(const toml::table& table,
                                                                      std::string_view key) {
    std::vector<std::pair<std::string, toml::source_region>> result;
    const auto* node = table.get(key);
    if (!node) return result;
    if (const auto* single = node->as_string()) {
      result.emplace_back(single->get(), single->source());
      return result;
    }
    const auto* array = node->as_array();
    if (!array) {
      error(node->source(), "'" + std::string(key) + "' must be a list of texts",
            "write [\"a\", \"b\"]");
      return result;
    }
    for (const auto& element : *array) {
      if (const auto* text = element.as_string()) {
        result.emplace_back(text->get(), text->source());
      } else {
        error(element.source(), "'" + std::string(key) + "' must contain texts only",
              "put each entry in double quotes");
      }
    }
    return result;
  }

  void declare(const toml::table& root, std::string_view key, std::span<const term> standard,
               name_table& table) {
    for (const auto& t : standard) table.add(std::string(t.id));
    for (const auto& [name, where] : strings_at(root, key)) {
      if (table.find(name)) continue;
      if (table.names().size() == name_table::max_size) {
        error(where, "too many " + std::string(key) + " (at most 64)");
        continue;
      }
      table.add(name);
    }
  }

  // Organisation ids are declared like sectors, so that a misspelt id in a rule is an error rather
  // than a rule that silently matches nobody. Whether the gateway knows them is checked against
  // its configuration separately (engine::check_organisations).
  void declare_organisations(const toml::table& root) {
    for (const auto& [name, where] : strings_at(root, "organisations")) {
      if (name.empty()) {
        error(where, "an organisation id cannot be empty", "remove the empty text");
        continue;
      }
      if (std::find(out_.organisations.begin(), out_.organisations.end(), name) !=
          out_.organisations.end()) {
        continue;
      }
      out_.organisations.push_back(name);
      out_.organisation_positions.push_back(position_of(where));
    }
  }

  std::vector<std::string> organisations_at(const toml::table& rule, std::string_view key) {
    std::vector<std::string> result;
    for (auto& [org, where] : strings_at(rule, key)) {
      if (std::find(out_.organisations.begin(), out_.organisations.end(), org) ==
          out_.organisations.end()) {
        std::string hint = out_.organisations.empty()
                               ? std::string("this policy declares no organisations")
                               : suggest(org, out_.organisations);
        hint +=
            "; list the organisation ids your rules name in 'organisations' at the top, "
            "spelt as in the gateway configuration";
        error(where, "undefined organisation '" + org + "'", std::move(hint));
        continue;
      }
      result.push_back(std::move(org));
    }
    return result;
  }

  void parse_consent(const toml::table& root) {
    const auto* table = table_at(root, "consent");
    if (!table) return;
    check_keys(*table, consent_keys, "consent.");
    auto& c = out_.consent;
    c.max_validity_days =
        int_at(*table, "max_validity_days", 1, 3660).value_or(c.max_validity_days);
    c.child_alone_from_age =
        int_at(*table, "child_alone_from_age", 0, 18).value_or(c.child_alone_from_age);
    c.child_with_gezag_from_age =
        int_at(*table, "child_with_gezag_from_age", 0, 18).value_or(c.child_with_gezag_from_age);
    if (c.child_with_gezag_from_age > c.child_alone_from_age) {
      error(table->source(), "child_with_gezag_from_age is above child_alone_from_age",
            "a child consents together with a gezag holder before consenting alone");
    }
  }

  // What tells the families apart in the procesmanager's oversight, besides their random id.
  void parse_oversight(const toml::table& root) {
    const auto* table = table_at(root, "oversight");
    if (!table) return;
    check_keys(*table, oversight_keys, "oversight.");
    for (const auto& [name, where] : strings_at(*table, "identify_families_by")) {
      if (name == "label") {
        out_.oversight.label = true;
      } else if (name == "gezinsmanager") {
        out_.oversight.gezinsmanager = true;
      } else {
        error(where, "unknown identifier '" + name + "' for oversight",
              "use \"label\" (the family's label, e.g. Gezin V.) or \"gezinsmanager\"");
      }
    }
  }

  void parse_break_glass(const toml::table& root) {
    const auto* table = table_at(root, "break_glass");
    if (!table) return;
    check_keys(*table, break_glass_keys, "break_glass.");
    auto& b = out_.break_glass;
    b.max_duration_minutes =
        int_at(*table, "max_duration_minutes", 1, 7 * 24 * 60).value_or(b.max_duration_minutes);
    b.min_justification_length =
        int_at(*table, "min_justification_length", 1, 10000).value_or(b.min_justification_length);
    if (auto role = string_at(*table, "reviewer_role")) {
      if (!out_.roles.find(*role)) {
        error(table->get("reviewer_role")->source(), "undefined role '" + *role + "'",
              suggest(*role, out_.roles.names()));
      } else {
        b.reviewer_role = *role;
      }
    }
  }

  std::uint64_t mask_of(const toml::table& rule, std::string_view key, const name_table& table,
                        std::string_view what) {
    std::uint64_t mask = 0;
    for (const auto& [name, where] : strings_at(rule, key)) {
      if (!table.find(name)) {
        error(where, "undefined " + std::string(what) + " '" + name + "'",
              suggest(name, table.names()) + " (declare new ones in '" + std::string(key) +
                  "' at the top)");
        continue;
      }
      mask |= table.bit(name);
    }
    return mask;
  }

  template <class Enum>
  std::uint32_t enum_mask(const toml::table& rule, std::string_view key,
                          std::optional<Enum> (*parse_value)(std::string_view) noexcept,
                          std::vector<std::string> known) {
    std::uint32_t mask = 0;
    for (const auto& [name, where] : strings_at(rule, key)) {
      if (const auto value = parse_value(name)) {
        mask |= 1u << static_cast<unsigned>(*value);
      } else {
        error(where, "unknown value '" + name + "' in '" + std::string(key) + "'",
              suggest(name, known));
      }
    }
    return mask;
  }

  void parse_rules(const toml::table& root) {
    const auto* node = root.get("rule");
    if (!node) return;
    const auto* rules = node->as_array();
    if (!rules || !rules->is_array_of_tables()) {
      error(node->source(), "'rule' must be a list of rules", "start each rule with [[rule]]");
      return;
    }
    for (const auto& element : *rules) parse_rule(*element.as_table());
  }

  void parse_rule(const toml::table& table) {
    check_keys(table, rule_keys, "rule.");
    compiled_rule rule;
    rule.position = position_of(table.source());
    const auto id = string_at(table, "id");
    if (!table.get("id") || (id && id->empty())) {
      error(table.source(), "a rule needs an id", "add id = \"short-name\"");
    } else if (id) {
      rule.id = *id;
    }  // else: an id of the wrong type, already reported by string_at
    rule.description = string_at(table, "description").value_or("");
    rule.explanation = string_at(table, "explanation").value_or("");
    const auto effect = string_at(table, "effect");
    if (!table.get("effect")) {
      error(table.source(), "rule '" + rule.id + "' needs an effect",
            "add effect = \"permit\" or effect = \"deny\"");
    } else if (effect && *effect == "deny") {
      rule.deny = true;
    } else if (effect && *effect != "permit") {
      error(table.get("effect")->source(), "effect must be \"permit\" or \"deny\"",
            suggest(*effect, std::vector<std::string>{"permit", "deny"}));
    }
    rule.roles = mask_of(table, "roles", out_.roles, "role");
    rule.sectors = mask_of(table, "sectors", out_.sectors, "sector");
    rule.organisations = organisations_at(table, "organisations");
    rule.own_gezinsmanager = bool_at(table, "own_gezinsmanager").value_or(false);
    rule.own_organisation = bool_at(table, "own_organisation").value_or(false);
    rule.purposes = mask_of(table, "purposes", out_.purposes, "purpose");
    rule.domains = mask_of(table, "domains", out_.domains, "domain");
    rule.categories = enum_mask<category>(table, "categories", &parse_category,
                                          {"regular", "special", "criminal"});
    rule.kinds =
        enum_mask<record_kind>(table, "kinds", &parse_record_kind,
                               {"involvement", "goal", "action", "evaluation", "deadline", "note"});
    rule.source_sectors = mask_of(table, "source_sectors", out_.sectors, "sector");
    rule.source_organisations = organisations_at(table, "source_organisations");
    rule.source_secrecy = bool_at(table, "source_secrecy");
    rule.allow_sensitive_without_consent =
        bool_at(table, "allow_sensitive_without_consent").value_or(false);
    if (rule.deny) {
      check_deny(table);
    } else {
      check_permit(table, rule);
      check_permit_has_no_explanation(table);
    }
    out_.rules.push_back(std::move(rule));
  }

  void check_permit_has_no_explanation(const toml::table& table) {
    if (const auto* node = table.get("explanation")) {
      error(node->source(), "only a deny rule has an 'explanation'",
            "a permit shows the record, so there is nothing to explain; use 'description' for "
            "readers of the policy");
    }
  }

  void check_deny(const toml::table& table) {
    for (const auto key : {"basis", "level", "allow_sensitive_without_consent"}) {
      if (const auto* node = table.get(key)) {
        error(node->source(), "a deny rule has no '" + std::string(key) + "'",
              "a deny always hides the selected records completely; remove this line");
      }
    }
  }

  // A required choice of a fixed list ("basis", "level"): reports it missing, mistyped or unknown.
  template <class Value>
  std::optional<Value> required_choice(
      const toml::table& table, std::string_view key, const std::string& rule_id,
      std::optional<Value> (*parse_value)(std::string_view) noexcept,
      const std::vector<std::string>& choices) {
    const auto* node = table.get(key);
    if (!node) {
      std::string list;
      for (const auto& choice : choices) list += (list.empty() ? "\"" : ", \"") + choice + "\"";
      error(table.source(), "permit '" + rule_id + "' needs a " + std::string(key),
            "add " + std::string(key) + " = one of " + list);
      return std::nullopt;
    }
    const auto text = string_at(table, key);
    if (!text) return std::nullopt;
    if (auto parsed = parse_value(*text)) return parsed;
    error(node->source(), "unknown " + std::string(key) + " '" + *text + "'",
          suggest(*text, choices));
    return std::nullopt;
  }

  void check_permit(const toml::table& table, compiled_rule& rule) {
    rule.basis = required_choice<legal_basis>(table, "basis", rule.id, &parse_legal_basis,
                                              {"consent", "coordination", "vital-interest", "none"})
                     .value_or(legal_basis::none);
    if (const auto chosen = required_choice<level>(table, "level", rule.id, &parse_level,
                                                   {"involvement", "status", "summary", "full"})) {
      rule.level = *chosen;
      if (rule.level == level::none) {
        error(table.get("level")->source(), "a permit with level \"none\" grants nothing",
              "use a deny rule to hide records");
      }
    }
    if (!table.get("purposes")) {
      error(table.source(), "permit '" + rule.id + "' names no purposes",
            "purpose binding: add purposes = [\"plan\"] (or the purposes it serves)");
    }
    if (!table.get("roles") && !table.get("organisations") && !table.get("sectors") &&
        !rule.own_gezinsmanager) {
      error(table.source(), "permit '" + rule.id + "' does not say for whom",
            "add roles, organisations, sectors or own_gezinsmanager = true");
    }
    check_sensitive(table, rule);
  }

  // Special and criminal data and secrecy sources need consent or vital-interest unless the rule
  // opts in explicitly; a rule that names them on another basis contradicts itself.
  void check_sensitive(const toml::table& table, const compiled_rule& rule) {
    const bool strong_basis =
        rule.basis == legal_basis::consent || rule.basis == legal_basis::vital_interest;
    const std::uint32_t sensitive = (1u << static_cast<unsigned>(category::special)) |
                                    (1u << static_cast<unsigned>(category::criminal));
    if (strong_basis && rule.allow_sensitive_without_consent) {
      error(table.get("allow_sensitive_without_consent")->source(),
            "allow_sensitive_without_consent has no effect on basis \"" +
                std::string(to_string(rule.basis)) + "\"",
            "remove it: consent and vital-interest already open sensitive data");
    }
    if (strong_basis || rule.allow_sensitive_without_consent) return;
    if (rule.categories & sensitive) {
      error(table.get("categories")->source(),
            "rule '" + rule.id + "' selects special or criminal data on basis \"" +
                std::string(to_string(rule.basis)) + "\"",
            "such data needs consent or vital-interest; use another basis, or add "
            "allow_sensitive_without_consent = true if the law really allows it");
    }
    if (rule.source_secrecy.value_or(false)) {
      error(table.get("source_secrecy")->source(),
            "rule '" + rule.id + "' selects records under professional secrecy on basis \"" +
                std::string(to_string(rule.basis)) + "\"",
            "such records need consent or vital-interest; use another basis, or add "
            "allow_sensitive_without_consent = true if the law really allows it");
    }
  }

  static bool covers(std::uint64_t outer, std::uint64_t inner) {
    return outer == 0 || (inner != 0 && (inner & ~outer) == 0);
  }
  static bool covers(const std::vector<std::string>& outer, const std::vector<std::string>& inner) {
    if (outer.empty()) return true;
    if (inner.empty()) return false;
    return std::all_of(inner.begin(), inner.end(), [&](const std::string& name) {
      return std::find(outer.begin(), outer.end(), name) != outer.end();
    });
  }

  // True when `deny` applies to every request and record that `permit` applies to.
  static bool shadows(const compiled_rule& deny, const compiled_rule& permit) {
    return covers(deny.roles, permit.roles) && covers(deny.sectors, permit.sectors) &&
           covers(deny.organisations, permit.organisations) &&
           (!deny.own_gezinsmanager || permit.own_gezinsmanager) &&
           (!deny.own_organisation || permit.own_organisation) &&
           covers(deny.purposes, permit.purposes) && covers(deny.domains, permit.domains) &&
           covers(deny.categories, permit.categories) && covers(deny.kinds, permit.kinds) &&
           covers(deny.source_sectors, permit.source_sectors) &&
           covers(deny.source_organisations, permit.source_organisations) &&
           (!deny.source_secrecy || deny.source_secrecy == permit.source_secrecy);
  }

  void check_rule_relations() {
    const auto& rules = out_.rules;
    for (std::size_t i = 0; i < rules.size(); ++i) {
      for (std::size_t j = 0; j < i; ++j) {
        if (!rules[i].id.empty() && rules[i].id == rules[j].id) {
          error(rules[i].position, "duplicate rule id '" + rules[i].id + "'",
                "rule ids must be unique; the first is at line " +
                    std::to_string(rules[j].position.line));
        }
      }
      if (rules[i].deny) continue;
      for (const auto& other : rules) {
        if (other.deny && shadows(other, rules[i])) {
          error(rules[i].position,
                "permit '" + rules[i].id + "' can never apply: deny '" + other.id +
                    "' covers everything it selects",
                "narrow the deny at line " + std::to_string(other.position.line) +
                    " or remove this permit");
          break;
        }
      }
    }
  }

  std::string file_;
  compiled_policy& out_;
  diagnostics errors_;
};

std::string content_hash(std::string_view text) {
  // sodium_init is idempotent and thread-safe; generichash needs no other set-up.
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
  std::array<unsigned char, crypto_generichash_BYTES> digest{};
  crypto_generichash(digest.data(), digest.size(),
                     reinterpret_cast<const unsigned char*>(text.data()), text.size(), nullptr, 0);
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < 8; ++i) {
    out += hex[digest[i] >> 4];
    out += hex[digest[i] & 0xf];
  }
  return out;
}

}  // namespace

void build_index(compiled_policy& policy) {
  const auto roles = policy.roles.names().size();
  const auto purposes = policy.purposes.names().size();
  policy.buckets.assign(roles * purposes, {});
  policy.highest_permit = policy::level::none;
  for (std::uint32_t index = 0; index < policy.rules.size(); ++index) {
    const auto& rule = policy.rules[index];
    if (!rule.deny) policy.highest_permit = std::max(policy.highest_permit, rule.level);
    for (std::size_t r = 0; r < roles; ++r) {
      if (rule.roles && !(rule.roles & (std::uint64_t{1} << r))) continue;
      for (std::size_t p = 0; p < purposes; ++p) {
        if (rule.purposes && !(rule.purposes & (std::uint64_t{1} << p))) continue;
        policy.buckets[r * purposes + p].push_back(index);
      }
    }
  }
}

std::size_t name_table::add(const std::string& name) {
  if (const auto found = find(name)) return *found;
  index_.emplace(name, names_.size());
  names_.push_back(name);
  return names_.size() - 1;
}

std::optional<std::size_t> name_table::find(const std::string& name) const {
  const auto it = index_.find(name);
  if (it == index_.end()) return std::nullopt;
  return it->second;
}

std::uint64_t name_table::bit(const std::string& name) const {
  const auto found = find(name);
  return found ? std::uint64_t{1} << *found : 0;
}

boost::system::result<std::shared_ptr<const compiled_policy>, diagnostics> parse_policy(
    std::string_view text, std::string_view file_name) {
  auto policy = std::make_shared<compiled_policy>();
  policy->file_name = std::string(file_name);
  parser p(file_name, *policy);
  toml::table root;
  try {
    root = toml::parse(text, file_name);
  } catch (const toml::parse_error& e) {
    p.error(e.source(), std::string(e.description()), "check the TOML syntax on this line");
    return p.errors();
  }
  p.parse(root);
  if (!p.errors().items.empty()) {
    auto& items = p.errors().items;
    std::stable_sort(items.begin(), items.end(), [](const diagnostic& a, const diagnostic& b) {
      return std::tie(a.line, a.column) < std::tie(b.line, b.column);
    });
    return p.errors();
  }
  policy->version = content_hash(text);
  build_index(*policy);
  return std::shared_ptr<const compiled_policy>(std::move(policy));
}

}  // namespace sluis::policy::detail
