#include "adapters/json/partner_api.hpp"

#include <algorithm>
#include <set>

#include "adapters/json/object_reader.hpp"
#include "keys/bsn.hpp"

namespace sluis::adapters::json {
namespace {

// Reads "bsn", validates it and returns only its pseudonym.
std::optional<keys::pseudonym> read_bsn(object_reader& r, const keys::pseudonymiser& p,
                                        bool required) {
  if (!r.has("bsn")) {
    if (required) r.fail("bsn", "is required");
    r.text_list("bsn", 0, 0);  // marks the field as seen
    return std::nullopt;
  }
  auto text = r.optional_text("bsn", 16);
  if (!text) {
    // "bsn": null reads as absent; without this a required BSN came back as no pseudonym at all,
    // and the member was stored under the all-zero pseudonym.
    if (required) r.fail("bsn", "is required");
    return std::nullopt;
  }
  auto parsed = keys::bsn::parse(*text);
  std::fill(text->begin(), text->end(), '\0');
  if (!parsed) {
    r.fail("bsn", parsed.error().message());
    return std::nullopt;
  }
  return p.pseudonymise(*parsed);
}

bool is_reference(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == '.' || c == ':' || c == '/';
  });
}

cases::new_member read_member(const boost::json::object& o, std::string path,
                              const keys::pseudonymiser& p, std::optional<error>& first) {
  object_reader r(o, std::move(path), first);
  cases::new_member m;
  if (auto pseudonym = read_bsn(r, p, true)) m.pseudonym = *pseudonym;
  const std::string role = r.text("role", 16);
  if (auto parsed = cases::parse_member_role(role)) {
    m.role = *parsed;
  } else if (!role.empty()) {
    r.fail("role", "must be one of parent, child, other");
  }
  m.label = r.text("label", max_label);
  m.date_of_birth = r.date("date_of_birth");
  m.gezag_holder_labels = r.text_list("gezag_holders", 4, max_label);
  r.finish();
  return m;
}

// Labels are unique and every gezag holder names a member of the same request or family.
void check_labels(const std::vector<cases::new_member>& members, std::optional<error>& first) {
  std::set<std::string> labels;
  for (std::size_t i = 0; i < members.size(); ++i) {
    if (!labels.insert(members[i].label).second && !first) {
      first = error::invalid("members/" + std::to_string(i) + "/label",
                             "is used by another member of this family");
    }
  }
  for (std::size_t i = 0; i < members.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      if (members[j].pseudonym == members[i].pseudonym && !first) {
        first = error::invalid("members/" + std::to_string(i) + "/bsn",
                               "is the same person as another member of this family");
      }
    }
  }
  for (std::size_t i = 0; i < members.size(); ++i) {
    for (const auto& holder : members[i].gezag_holder_labels) {
      if ((!labels.contains(holder) || holder == members[i].label) && !first) {
        first = error::invalid("members/" + std::to_string(i) + "/gezag_holders",
                               "must name other members of this family by their label");
      }
    }
  }
}

}  // namespace

result<cases::family_registration> parse_family_registration(std::string_view body,
                                                             const keys::pseudonymiser& p) {
  auto object = parse_object(body);
  if (!object) return object.error();
  std::optional<error> first;
  object_reader r(*object, "", first);
  cases::family_registration family;
  if (const auto* gm = r.object("gezinsmanager", true)) {
    object_reader g(*gm, "gezinsmanager", first);
    family.gezinsmanager.user_id = g.text("user_id", max_id);
    family.gezinsmanager.display_name = g.text("name", max_label);
    g.finish();
  }
  family.label = r.optional_text("label", max_label).value_or("");
  if (const auto* members = r.object_list("members", max_members)) {
    for (std::size_t i = 0; i < members->size(); ++i) {
      family.members.push_back(
          read_member((*members)[i].get_object(), "members/" + std::to_string(i), p, first));
    }
  }
  r.finish();
  if (!first) check_labels(family.members, first);
  if (first) return *first;
  return family;
}

result<cases::new_member> parse_member(std::string_view body, const keys::pseudonymiser& p) {
  auto object = parse_object(body);
  if (!object) return object.error();
  std::optional<error> first;
  cases::new_member member = read_member(*object, "", p, first);
  if (first) return *first;
  return member;
}

result<cases::contribution_submission> parse_contribution(std::string_view body,
                                                          const keys::pseudonymiser& p) {
  auto object = parse_object(body);
  if (!object) return object.error();
  std::optional<error> first;
  object_reader r(*object, "", first);
  cases::contribution_submission c;
  c.source_ref = r.text("source_ref", max_id);
  if (!c.source_ref.empty() && !is_reference(c.source_ref)) {
    r.fail("source_ref", "may hold only letters, digits and - _ . : /");
  }
  c.subject = read_bsn(r, p, false);
  c.family_id = r.optional_text("family_id", max_id).value_or("");
  if (!c.subject && c.family_id.empty() && !first) {
    r.fail("bsn", "give the bsn of the member or the family_id the contribution is about");
  }
  // Which domains there are is the policy's in force: intake checks it (application/intake.hpp).
  c.domain = r.text("domain", 32);
  const std::string kind = r.text("kind", 16);
  if (auto parsed = policy::parse_record_kind(kind)) {
    c.kind = *parsed;
  } else if (!kind.empty()) {
    r.fail("kind", "must be one of " + policy::ids_of(policy::record_kinds()));
  }
  const std::string category = r.text("category", 16);
  if (auto parsed = policy::parse_category(category)) {
    c.category = *parsed;
  } else if (!category.empty()) {
    r.fail("category", "must be one of " + policy::ids_of(policy::categories()));
  }
  c.status = r.text("status", 16);
  if (!c.status.empty() && !policy::is_contribution_status(c.status)) {
    r.fail("status", "must be one of " + policy::ids_of(policy::contribution_statuses()));
  }
  c.content.title = r.text("title", max_title);
  c.content.body = r.optional_text("body", max_body).value_or("");
  c.content.owner_name = r.optional_text("owner", max_label).value_or("");
  c.content.start_date = r.optional_date("start_date");
  c.content.due_date = r.optional_date("due_date");
  c.content.end_date = r.optional_date("end_date");
  r.finish();
  if (first) return *first;
  return c;
}

}  // namespace sluis::adapters::json
