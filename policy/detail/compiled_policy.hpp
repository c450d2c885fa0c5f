#pragma once
// The compiled form of a policy text: names resolved to indices, selections as bit masks, rules
// bucketed by role x purpose. Built once by the parser, then only read (safe to share).

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "policy/vocabulary.hpp"

namespace sluis::policy::detail {

// An ordered list of declared ids (roles, purposes, sectors or domains); at most 64, so that a
// selection of them fits one mask. Mask 0 in a rule means "any".
class name_table {
 public:
  static constexpr std::size_t max_size = 64;
  // Adds `name` unless present; returns its index.
  std::size_t add(const std::string& name);
  std::optional<std::size_t> find(const std::string& name) const;
  const std::vector<std::string>& names() const noexcept { return names_; }
  std::uint64_t bit(const std::string& name) const;  // 0 when unknown

 private:
  std::vector<std::string> names_;
  std::unordered_map<std::string, std::size_t> index_;
};

struct source_position {
  int line = 0;
  int column = 0;
};

struct compiled_rule {
  std::string id;
  std::string description;
  std::string explanation;  // Dutch, shown to the user when this deny hides a record; may be empty
  bool deny = false;
  legal_basis basis = legal_basis::none;
  policy::level level = policy::level::none;
  bool allow_sensitive_without_consent = false;
  // Who: all given conditions must hold; mask 0 / empty list means "any".
  std::uint64_t roles = 0;
  std::uint64_t sectors = 0;
  std::vector<std::string> organisations;
  bool own_gezinsmanager = false;
  bool own_organisation = false;
  std::uint64_t purposes = 0;
  // Which records.
  std::uint64_t domains = 0;
  std::uint32_t categories = 0;
  std::uint32_t kinds = 0;
  std::uint64_t source_sectors = 0;
  std::vector<std::string> source_organisations;
  std::optional<bool> source_secrecy;
  source_position position;
};

struct consent_settings {
  int max_validity_days = 365;
  int child_alone_from_age = 16;
  int child_with_gezag_from_age = 12;
};

// [oversight]: what the procesmanager's overview may show to tell families apart.
struct oversight_settings {
  bool label = false;          // the family's label ("Gezin V.")
  bool gezinsmanager = false;  // who coordinates: organisation and the professional's name
};

struct break_glass_settings {
  int max_duration_minutes = 240;
  int min_justification_length = 30;
  std::string reviewer_role = "privacy-officer";
};

struct compiled_policy {
  std::string version;
  std::string name;
  name_table roles;
  name_table purposes;
  name_table sectors;
  name_table domains;
  // Organisation ids the rules may name, with where each was declared. Not a name_table: a region
  // may have more than 64 partners, and rules list organisations by id, not as a mask.
  std::vector<std::string> organisations;
  std::vector<source_position> organisation_positions;
  std::string file_name;  // for diagnostics found after compiling (check_organisations)
  consent_settings consent;
  break_glass_settings break_glass;
  oversight_settings oversight;
  std::vector<compiled_rule> rules;
  // buckets[role * purposes.size() + purpose]: indices into `rules`, in file order.
  std::vector<std::vector<std::uint32_t>> buckets;
  policy::level highest_permit = policy::level::none;
};

}  // namespace sluis::policy::detail
