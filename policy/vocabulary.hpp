#pragma once
// The fixed vocabulary of the policy language: visibility levels, legal bases, data categories and
// record kinds. Roles, purposes, sectors and domains are declared by each policy as strings.

#include <optional>
#include <string_view>

namespace sluis::policy {

// Ordered: a higher level shows everything a lower one does. Values are compared with <.
enum class level { none, involvement, status, summary, full };

// The ground a permit rule relies on. `none` is for data that needs no basis towards this
// requester, such as the records their own organisation submitted.
enum class legal_basis { none, consent, coordination, vital_interest };

// AVG categories: art. 9 data (health, GGZ, addiction) is `special`, art. 10 data is `criminal`.
enum class category { regular, special, criminal };

enum class record_kind { involvement, goal, action, evaluation, deadline, note };

std::string_view to_string(level value) noexcept;
std::string_view to_string(legal_basis value) noexcept;
std::string_view to_string(category value) noexcept;
std::string_view to_string(record_kind value) noexcept;

// Parse the ids used in policy and scenario files ("summary", "vital-interest", ...); nullopt when
// the text is not one of them.
std::optional<level> parse_level(std::string_view text) noexcept;
std::optional<legal_basis> parse_legal_basis(std::string_view text) noexcept;
std::optional<category> parse_category(std::string_view text) noexcept;
std::optional<record_kind> parse_record_kind(std::string_view text) noexcept;

}  // namespace sluis::policy
