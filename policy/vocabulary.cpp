#include "policy/vocabulary.hpp"

#include <array>
#include <cstddef>

namespace sluis::policy {
namespace {

constexpr term level_terms[] = {
    {"none", "Niets"},    {"involvement", "Betrokkenheid"},
    {"status", "Status"}, {"summary", "Hoofdlijnen"},
    {"full", "Alles"},
};

constexpr term basis_terms[] = {
    {"none", "Geen grondslag nodig (eigen gegevens)"},
    {"consent", "Toestemming"},
    {"coordination", "Afstemmingsbesluit"},
    {"vital-interest", "Vitaal belang (doorbraak)"},
};

constexpr term domain_terms[] = {
    {"financien", "Financiën en schulden"},
    {"wonen", "Wonen"},
    {"werk-inkomen", "Werk, inkomen en dagbesteding"},
    {"opvoeding", "Opvoeding en gezin"},
    {"onderwijs", "Onderwijs"},
    {"gezondheid", "Lichamelijke gezondheid"},
    {"psychische-gezondheid", "Psychische gezondheid"},
    {"verslaving", "Verslaving"},
    {"veiligheid", "Veiligheid en justitie"},
    {"netwerk", "Sociaal netwerk"},
    {"huiselijk-geweld", "Huiselijk geweld"},
};

constexpr term role_terms[] = {
    {"gezinsmanager", "Gezinsmanager"},
    {"procesmanager", "Procesmanager"},
    {"professional", "Professional"},
    {"privacy-officer", "Privacyfunctionaris"},
    {"admin", "Beheerder"},
};

constexpr term purpose_terms[] = {
    {"plan", "Gezinsplan"},
    {"signalling", "Signalering"},
    {"process-oversight", "Procesbewaking"},
    {"audit", "Controle"},
    {"inzage", "Inzage door de burger"},
};

constexpr term category_terms[] = {
    {"regular", "Gewone persoonsgegevens"},
    {"special", "Bijzondere persoonsgegevens"},
    {"criminal", "Strafrechtelijke gegevens"},
};

constexpr term kind_terms[] = {
    {"involvement", "Betrokkenheid"}, {"goal", "Doel"},        {"action", "Actie"},
    {"evaluation", "Evaluatie"},      {"deadline", "Termijn"}, {"note", "Notitie"},
};

constexpr term status_terms[] = {
    {"planned", "Gepland"},       {"active", "Actief"},    {"in-progress", "Bezig"},
    {"done", "Afgerond"},         {"achieved", "Bereikt"}, {"not-achieved", "Niet bereikt"},
    {"cancelled", "Geannuleerd"}, {"ended", "Beëindigd"},  {"declined", "Afgewezen"},
};

constexpr term consent_status_terms[] = {
    {"valid", "Geldig"},
    {"not-yet-valid", "Nog niet ingegaan"},
    {"expired", "Verlopen"},
    {"withdrawn", "Ingetrokken"},
    {"signatures-missing", "Niet door de juiste personen getekend"},
};

static_assert(std::size(level_terms) == 5 && std::size(basis_terms) == 4 &&
                  std::size(category_terms) == 3 && std::size(kind_terms) == 6 &&
                  std::size(consent_status_terms) == 5,
              "one term per enumerator, in enum order");

template <class Enum>
std::optional<Enum> parse_term(std::span<const term> terms, std::string_view text) {
  for (std::size_t i = 0; i < terms.size(); ++i) {
    if (text == terms[i].id) return static_cast<Enum>(i);
  }
  return std::nullopt;
}

bool contains(std::span<const term> terms, std::string_view id) noexcept {
  for (const auto& t : terms)
    if (t.id == id) return true;
  return false;
}

}  // namespace

std::span<const term> levels() noexcept { return level_terms; }
std::span<const term> legal_bases() noexcept { return basis_terms; }
std::span<const term> standard_domains() noexcept { return domain_terms; }
std::span<const term> standard_roles() noexcept { return role_terms; }
std::span<const term> standard_purposes() noexcept { return purpose_terms; }
std::span<const term> categories() noexcept { return category_terms; }
std::span<const term> record_kinds() noexcept { return kind_terms; }
std::span<const term> contribution_statuses() noexcept { return status_terms; }
std::span<const term> consent_statuses() noexcept { return consent_status_terms; }

bool is_standard_domain(std::string_view id) noexcept { return contains(domain_terms, id); }
bool is_contribution_status(std::string_view id) noexcept { return contains(status_terms, id); }

std::string_view name_of(std::span<const term> terms, std::string_view id) noexcept {
  for (const auto& t : terms)
    if (t.id == id) return t.name;
  return id;
}

std::string in_sentence(std::string_view name) {
  std::string out(name);
  // Every standard name starts with an ASCII capital; a policy's own id is left as written.
  if (!out.empty() && out[0] >= 'A' && out[0] <= 'Z')
    out[0] = static_cast<char>(out[0] - 'A' + 'a');
  return out;
}

std::string ids_of(std::span<const term> terms) {
  std::string out;
  for (const auto& t : terms) {
    if (!out.empty()) out += ", ";
    out += t.id;
  }
  return out;
}

std::string_view to_string(level value) noexcept {
  return level_terms[static_cast<std::size_t>(value)].id;
}
std::string_view to_string(legal_basis value) noexcept {
  return basis_terms[static_cast<std::size_t>(value)].id;
}
std::string_view to_string(category value) noexcept {
  return category_terms[static_cast<std::size_t>(value)].id;
}
std::string_view to_string(record_kind value) noexcept {
  return kind_terms[static_cast<std::size_t>(value)].id;
}
std::string_view to_string(consent_status value) noexcept {
  return consent_status_terms[static_cast<std::size_t>(value)].id;
}

std::optional<level> parse_level(std::string_view text) noexcept {
  return parse_term<level>(level_terms, text);
}
std::optional<legal_basis> parse_legal_basis(std::string_view text) noexcept {
  return parse_term<legal_basis>(basis_terms, text);
}
std::optional<category> parse_category(std::string_view text) noexcept {
  return parse_term<category>(category_terms, text);
}
std::optional<record_kind> parse_record_kind(std::string_view text) noexcept {
  return parse_term<record_kind>(kind_terms, text);
}

}  // namespace sluis::policy
