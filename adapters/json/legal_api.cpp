#include "adapters/json/legal_api.hpp"

#include "adapters/json/object_reader.hpp"
#include "adapters/json/partner_api.hpp"
#include "policy/calendar.hpp"

namespace sluis::adapters::json {
namespace {

// A policy declares at most 64 life domains (name_table::max_size, policy/detail).
constexpr std::size_t max_domains = 64;

std::int64_t start_of(std::chrono::sys_days d) {
  return policy::start_of(d).time_since_epoch().count();
}

// The validity period, in Dutch calendar days (policy/calendar.hpp): from 00:00 on valid_from (or
// now) to 00:00 on the day after valid_until.
void read_validity(object_reader& r, std::int64_t now, std::int64_t& from, std::int64_t& until) {
  const auto valid_from = r.optional_date("valid_from");
  const auto valid_until = r.date("valid_until");
  from = valid_from ? start_of(*valid_from) : now;
  until = start_of(valid_until + std::chrono::days{1});
}

}  // namespace

result<cases::new_consent> parse_consent(std::string_view body, std::int64_t now) {
  auto object = parse_object(body);
  if (!object) return object.error();
  std::optional<error> first;
  object_reader r(*object, "", first);
  cases::new_consent c;
  c.subject_member_id = r.optional_text("subject_member_id", max_id).value_or("");
  c.granted_by = r.text_list("granted_by", max_list_items, max_id);
  c.recipient_organisations = r.text_list("recipient_organisations", max_list_items, max_id);
  c.recipient_roles = r.text_list("recipient_roles", max_list_items, 64);
  c.purposes = r.text_list("purposes", max_list_items, 64);
  for (const auto& text : r.text_list("categories", 3, 16)) {
    if (auto category = policy::parse_category(text)) {
      c.categories.push_back(*category);
    } else {
      r.fail("categories", "must hold regular, special or criminal");
    }
  }
  c.domains = r.text_list("domains", max_domains, 32);
  read_validity(r, now, c.valid_from, c.valid_until);
  if (const auto* evidence = r.object("evidence", true)) {
    object_reader e(*evidence, "evidence", first);
    c.evidence_form_reference = e.text("form_reference", max_id);
    c.evidence_signed_on = e.date("signed_on");
    e.finish();
  }
  c.note = r.optional_text("note", max_note).value_or("");
  r.finish();
  if (first) return *first;
  return c;
}

result<cases::new_ground> parse_ground(std::string_view body, std::int64_t now) {
  auto object = parse_object(body);
  if (!object) return object.error();
  std::optional<error> first;
  object_reader r(*object, "", first);
  cases::new_ground g;
  g.decided_by = r.text("decided_by", max_label);
  g.necessity = r.text("necessity", max_motivation);
  g.proportionality = r.text("proportionality", max_motivation);
  g.subsidiarity = r.text("subsidiarity", max_motivation);
  g.family_informed_on = r.optional_date("family_informed_on");
  g.not_informed_reason = r.optional_text("not_informed_reason", max_motivation).value_or("");
  if (g.family_informed_on && !g.not_informed_reason.empty())
    r.fail("not_informed_reason", "give either family_informed_on or not_informed_reason");
  read_validity(r, now, g.valid_from, g.valid_until);
  r.finish();
  if (first) return *first;
  return g;
}

result<break_glass_body> parse_break_glass(std::string_view body) {
  auto object = parse_object(body);
  if (!object) return object.error();
  std::optional<error> first;
  object_reader r(*object, "", first);
  break_glass_body out;
  // Length is the policy's rule (cases::legal_store); here only the shape.
  out.justification = r.text("justification", max_motivation);
  if (const auto* minutes = object->if_contains("minutes"); minutes && !minutes->is_null()) {
    if (!minutes->is_int64() || minutes->get_int64() < 1 ||
        minutes->get_int64() > std::int64_t{7} * 24 * 60) {
      r.fail("minutes", "must be a whole number of minutes from 1 to 10080");
    } else {
      out.minutes = std::chrono::minutes(minutes->get_int64());
    }
  }
  r.finish({"minutes"});
  if (first) return *first;
  return out;
}

result<review_body> parse_review(std::string_view body) {
  auto object = parse_object(body);
  if (!object) return object.error();
  std::optional<error> first;
  object_reader r(*object, "", first);
  review_body out;
  const std::string outcome = r.text("outcome", 16);
  if (outcome == "justified") {
    out.outcome = cases::review_state::justified;
  } else if (outcome == "unjustified") {
    out.outcome = cases::review_state::unjustified;
  } else if (!outcome.empty()) {
    r.fail("outcome", "must be justified or unjustified");
  }
  out.note = r.text("note", max_note);
  r.finish();
  if (first) return *first;
  return out;
}

}  // namespace sluis::adapters::json
