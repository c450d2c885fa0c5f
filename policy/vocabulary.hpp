#pragma once
// The one vocabulary of Sluis: every id that files, the API and the store use, with the one Dutch
// name users read for it. The case model, intake validation, the policy parser, the engine's
// sentences, error texts and the web UI (GET /v1/vocabulary) all take them from here.
//
// Fixed in the language: visibility levels, legal bases, data categories, record kinds and the
// statuses of a contribution. Standard, and open to additions: roles, purposes and life domains.
// Every policy knows the standard ones whether it declares them or not, and may declare more of
// its own (policy/engine.hpp: roles(), purposes(), domains()); those have no Dutch name here and
// are shown by their id. Sectors are declared by each policy alone.

#include <optional>
#include <span>
#include <string>
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

// Where a consent stands at a moment; engine::status_of decides it, once for everyone.
enum class consent_status { valid, not_yet_valid, expired, withdrawn, signatures_missing };

std::string_view to_string(level value) noexcept;
std::string_view to_string(legal_basis value) noexcept;
std::string_view to_string(category value) noexcept;
std::string_view to_string(record_kind value) noexcept;
std::string_view to_string(consent_status value) noexcept;  // "valid", "not-yet-valid", ...

// Parse the ids used in policy and scenario files ("summary", "vital-interest", ...); nullopt when
// the text is not one of them.
std::optional<level> parse_level(std::string_view text) noexcept;
std::optional<legal_basis> parse_legal_basis(std::string_view text) noexcept;
std::optional<category> parse_category(std::string_view text) noexcept;
std::optional<record_kind> parse_record_kind(std::string_view text) noexcept;

// A word of the vocabulary: its id (in files, the API and the store) and its Dutch name as users
// read it, capitalised as a label ("Financiën en schulden").
struct term {
  std::string_view id;
  std::string_view name;
};

// In display order.
std::span<const term> levels() noexcept;            // in enum order
std::span<const term> legal_bases() noexcept;       // in enum order
std::span<const term> standard_domains() noexcept;  // the leefgebieden of DOMAIN.md
std::span<const term> standard_roles() noexcept;
std::span<const term> standard_purposes() noexcept;
std::span<const term> categories() noexcept;             // in enum order
std::span<const term> record_kinds() noexcept;           // in enum order
std::span<const term> contribution_statuses() noexcept;  // for every kind
std::span<const term> consent_statuses() noexcept;       // in enum order

bool is_standard_domain(std::string_view id) noexcept;
bool is_contribution_status(std::string_view id) noexcept;

// The Dutch name of `id` among `terms`; `id` itself when it is none of them (a name a policy
// declares itself).
std::string_view name_of(std::span<const term> terms, std::string_view id) noexcept;
// A name as it reads inside a sentence: with a lower-case first letter ("financiën en schulden").
std::string in_sentence(std::string_view name);
// The ids of `terms`, joined with ", ", for an error text that lists what is allowed.
std::string ids_of(std::span<const term> terms);

}  // namespace sluis::policy
