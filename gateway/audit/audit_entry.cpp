#include "gateway/audit/audit_entry.hpp"

#include <algorithm>

#include "gateway/audit/canonical.hpp"

namespace sluis::audit {
namespace {

// 128 bits: shorter hex strings could be a BSN (9 digits) or another identifier by mistake.
constexpr std::size_t min_pseudonym_hex = 32;
constexpr std::size_t max_pseudonym_hex = 128;
constexpr std::size_t max_detail_bytes = 4096;
constexpr std::size_t max_field_bytes = 256;

bool is_lower_word(std::string_view word) {
  return !word.empty() && std::all_of(word.begin(), word.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

// "contribution.submit", "break_glass.request": at least two lowercase words joined by dots.
bool is_dotted_verb(std::string_view action) {
  std::size_t words = 0;
  while (true) {
    const auto dot = action.find('.');
    if (!is_lower_word(action.substr(0, dot))) return false;
    ++words;
    if (dot == std::string_view::npos) return words >= 2;
    action.remove_prefix(dot + 1);
  }
}

bool is_pseudonym_hex(std::string_view text) {
  return text.size() >= min_pseudonym_hex && text.size() <= max_pseudonym_hex &&
         text.size() % 2 == 0 && std::all_of(text.begin(), text.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

bool is_plain_text(std::string_view text) {
  return text.size() <= max_field_bytes && std::none_of(text.begin(), text.end(), [](char c) {
           return static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
         });
}

bool holds_no_double(const boost::json::value& value) {
  switch (value.kind()) {
    case boost::json::kind::double_:
      return false;
    case boost::json::kind::array:
      return std::all_of(value.get_array().begin(), value.get_array().end(), holds_no_double);
    case boost::json::kind::object:
      return std::all_of(value.get_object().begin(), value.get_object().end(),
                         [](const auto& member) { return holds_no_double(member.value()); });
    default:
      return true;
  }
}

}  // namespace

std::string_view to_string(outcome_kind kind) noexcept {
  switch (kind) {
    case outcome_kind::ok:
      return "ok";
    case outcome_kind::refused:
      return "refused";
    case outcome_kind::error:
      return "error";
  }
  return "error";
}

result<outcome_kind> parse_outcome_kind(std::string_view text) {
  for (auto kind : {outcome_kind::ok, outcome_kind::refused, outcome_kind::error}) {
    if (text == to_string(kind)) return kind;
  }
  return error::invalid("outcome", "must be ok, refused or error");
}

result<void> validate(const audit_entry& entry) {
  const std::pair<std::string_view, std::string_view> texts[] = {
      {"actor_org", entry.actor_org},           {"actor_user", entry.actor_user},
      {"resource/type", entry.resource.type},   {"resource/id", entry.resource.id},
      {"family_id", entry.family_id},           {"purpose", entry.purpose},
      {"legal_basis", entry.legal_basis},       {"outcome/code", entry.outcome.code},
      {"policy_version", entry.policy_version}, {"request_id", entry.request_id},
  };
  for (const auto& [field, text] : texts) {
    if (!is_plain_text(text)) {
      return error::invalid(std::string(field),
                            "must be at most 256 bytes without control characters");
    }
  }
  if (entry.actor_org.empty()) return error::invalid("actor_org", "is required");
  if (!is_dotted_verb(entry.action)) {
    return error::invalid("action", "must be a dotted lowercase verb such as plan.view");
  }
  for (std::size_t i = 0; i < entry.subjects.size(); ++i) {
    if (!is_pseudonym_hex(entry.subjects[i])) {
      return error::invalid("subjects/" + std::to_string(i),
                            "must be a pseudonym in lowercase hex of 32 to 128 digits");
    }
  }
  if (entry.outcome.kind != outcome_kind::ok && entry.outcome.code.empty()) {
    return error::invalid("outcome/code", "is required when the outcome is not ok");
  }
  if (!holds_no_double(entry.detail)) {
    return error::invalid("detail", "must not hold floating-point numbers");
  }
  if (canonical_detail(entry.detail).size() > max_detail_bytes) {
    return error::invalid("detail", "must encode to at most 4096 bytes");
  }
  return {};
}

void normalise(audit_entry& entry) {
  std::sort(entry.subjects.begin(), entry.subjects.end());
  entry.subjects.erase(std::unique(entry.subjects.begin(), entry.subjects.end()),
                       entry.subjects.end());
}

}  // namespace sluis::audit
