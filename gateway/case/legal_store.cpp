#include "gateway/case/legal_store.hpp"

#include <sodium.h>

#include <algorithm>
#include <boost/json.hpp>
#include <map>
#include <set>

#include "gateway/case/content_codec.hpp"
#include "gateway/case/policy_facts.hpp"
#include "gateway/store/connection.hpp"
#include "gateway/store/statement.hpp"
#include "policy/break_glass.hpp"
#include "policy/calendar.hpp"

namespace sluis::cases {
namespace {

using bytes = std::vector<unsigned char>;

using store::bound;
using store::exec;

std::span<const unsigned char> view(const bytes& b) { return {b.data(), b.size()}; }

// ---- text checks ----

std::string_view trim(std::string_view text) {
  constexpr std::string_view space = " \t\r\n\f\v";
  const auto first = text.find_first_not_of(space);
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(space) - first + 1);
}

// UTF-8 continuation bytes do not start a character.
std::size_t code_points(std::string_view text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

bool is_blank(std::string_view text) { return trim(text).empty(); }

// Role and purpose ids as the policy language writes them: lower case letters, digits and '-'.
bool is_policy_id(std::string_view id) {
  return !id.empty() && id.size() <= 64 && std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

result<void> require_motivation(std::string_view field, std::string_view text) {
  if (code_points(trim(text)) < min_motivation_chars) {
    return error::invalid(
        std::string(field),
        "needs a motivation of at least " + std::to_string(min_motivation_chars) + " characters");
  }
  return {};
}

// ---- sealed content ----

boost::json::array json_list(const std::vector<std::string>& items) {
  boost::json::array out;
  for (const auto& item : items) out.emplace_back(item);
  return out;
}

std::vector<std::string> list_of(const boost::json::object& o, std::string_view key) {
  std::vector<std::string> out;
  if (const auto* v = o.if_contains(key); v && v->is_array()) {
    for (const auto& item : v->get_array())
      if (item.is_string()) out.emplace_back(item.get_string());
  }
  return out;
}

std::string text_of(const boost::json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string();
}

bytes to_bytes(const boost::json::object& o) {
  const std::string text = boost::json::serialize(o);
  return {text.begin(), text.end()};
}

// Opens a sealed row and parses it as a JSON object; the plaintext is wiped after parsing.
result<boost::json::object> open_object(const keys::family_key& key, const std::string& id,
                                        const std::string& family_id,
                                        std::span<const unsigned char> sealed) {
  auto plain = key.open(id, family_id, sealed);
  if (!plain) return plain.error();
  boost::system::error_code ec;
  auto value = boost::json::parse(
      std::string_view(reinterpret_cast<const char*>(plain->data()), plain->size()), ec);
  sodium_memzero(plain->data(), plain->size());
  if (ec || !value.is_object()) return error::corrupt("sealed legal ground is not a JSON object");
  return std::move(value.as_object());
}

bytes encode_consent(const policy::consent& c, const std::string& note) {
  boost::json::array categories;
  for (auto cat : c.categories) categories.emplace_back(policy::to_string(cat));
  return to_bytes({{"granted_by", json_list(c.granted_by)},
                   {"recipient_organisations", json_list(c.recipient_organisations)},
                   {"recipient_roles", json_list(c.recipient_roles)},
                   {"purposes", json_list(c.purposes)},
                   {"categories", std::move(categories)},
                   {"domains", json_list(c.domains)},
                   {"form_reference", c.evidence.form_reference},
                   {"signed_on", format_date(c.evidence.signed_on)},
                   {"note", note}});
}

bytes encode_ground(const policy::coordination_ground& g) {
  return to_bytes({{"decided_by", g.decided_by},
                   {"necessity", g.necessity},
                   {"proportionality", g.proportionality},
                   {"subsidiarity", g.subsidiarity},
                   {"family_informed_on",
                    g.family_informed_on ? boost::json::value(format_date(*g.family_informed_on))
                                         : boost::json::value(nullptr)},
                   {"not_informed_reason", g.not_informed_reason}});
}

bytes encode_break_glass(const std::string& justification, const std::string& review_note) {
  return to_bytes({{"justification", justification}, {"review_note", review_note}});
}

// ---- rows ----

constexpr std::string_view consent_columns =
    "id, family_id, subject_member_id, valid_from, valid_until, withdrawn_at, recorded_at, "
    "recorded_by_org, recorded_by_user, withdrawn_by_user, sealed";

result<stored_consent> read_consent(const store::statement& st, const keys::family_key& key) {
  stored_consent out;
  auto& c = out.consent;
  c.id = std::string(st.column_text(0));
  out.family_id = std::string(st.column_text(1));
  c.subject_member_id = std::string(st.column_text(2));
  c.valid_from = to_time_point(st.column_int64(3));
  c.valid_until = to_time_point(st.column_int64(4));
  if (auto w = st.column_optional_int64(5)) c.withdrawn_at = to_time_point(*w);
  out.recorded_at = st.column_int64(6);
  out.recorded_by_org = std::string(st.column_text(7));
  c.recorded_by = std::string(st.column_text(8));
  if (!st.is_null(9)) out.withdrawn_by = std::string(st.column_text(9));
  auto o = open_object(key, c.id, out.family_id, st.column_blob(10));
  if (!o) return o.error();
  c.granted_by = list_of(*o, "granted_by");
  c.recipient_organisations = list_of(*o, "recipient_organisations");
  c.recipient_roles = list_of(*o, "recipient_roles");
  c.purposes = list_of(*o, "purposes");
  for (const auto& text : list_of(*o, "categories")) {
    // An unreadable category is dropped: the consent then covers less, never more.
    if (auto cat = policy::parse_category(text)) c.categories.push_back(*cat);
  }
  c.domains = list_of(*o, "domains");
  c.evidence.form_reference = text_of(*o, "form_reference");
  auto signed_on = parse_date(text_of(*o, "signed_on"));
  if (!signed_on) return error::corrupt("sealed consent has no signing date");
  c.evidence.signed_on = *signed_on;
  out.note = text_of(*o, "note");
  return out;
}

constexpr std::string_view ground_columns =
    "id, family_id, valid_from, valid_until, ended_at, recorded_at, recorded_by_org, "
    "recorded_by_user, ended_by_user, sealed";

result<stored_ground> read_ground(const store::statement& st, const keys::family_key& key) {
  stored_ground out;
  auto& g = out.ground;
  g.id = std::string(st.column_text(0));
  out.family_id = std::string(st.column_text(1));
  g.valid_from = to_time_point(st.column_int64(2));
  g.valid_until = to_time_point(st.column_int64(3));
  if (auto e = st.column_optional_int64(4)) g.ended_at = to_time_point(*e);
  out.recorded_at = st.column_int64(5);
  out.recorded_by = {std::string(st.column_text(6)), std::string(st.column_text(7))};
  if (!st.is_null(8)) out.ended_by = std::string(st.column_text(8));
  auto o = open_object(key, g.id, out.family_id, st.column_blob(9));
  if (!o) return o.error();
  g.decided_by = text_of(*o, "decided_by");
  g.necessity = text_of(*o, "necessity");
  g.proportionality = text_of(*o, "proportionality");
  g.subsidiarity = text_of(*o, "subsidiarity");
  if (auto informed = parse_date(text_of(*o, "family_informed_on")))
    g.family_informed_on = *informed;
  g.not_informed_reason = text_of(*o, "not_informed_reason");
  return out;
}

constexpr std::string_view break_glass_columns =
    "id, family_id, user_id, org_id, started_at, expires_at, review_state, reviewed_by, "
    "reviewed_at, sealed";

std::optional<review_state> parse_review_state(std::string_view text) {
  if (text == "pending") return review_state::pending;
  if (text == "justified") return review_state::justified;
  if (text == "unjustified") return review_state::unjustified;
  return std::nullopt;
}

result<stored_break_glass> read_break_glass(const store::statement& st,
                                            const keys::family_key& key) {
  stored_break_glass out;
  auto& g = out.grant;
  g.id = std::string(st.column_text(0));
  out.family_id = std::string(st.column_text(1));
  g.user_id = std::string(st.column_text(2));
  out.org_id = std::string(st.column_text(3));
  g.organisation_id = out.org_id;
  g.started_at = to_time_point(st.column_int64(4));
  g.expires_at = to_time_point(st.column_int64(5));
  auto state = parse_review_state(st.column_text(6));
  if (!state) return error::corrupt("break-the-glass grant has an unknown review state");
  out.review = *state;
  if (!st.is_null(7)) out.reviewed_by = std::string(st.column_text(7));
  out.reviewed_at = st.column_optional_int64(8);
  auto o = open_object(key, g.id, out.family_id, st.column_blob(9));
  if (!o) return o.error();
  g.justification = text_of(*o, "justification");
  out.review_note = text_of(*o, "review_note");
  return out;
}

// Reads every row of a family's query with `read`, opened under the family key.
template <class T, class Read>
result<std::vector<T>> read_rows(store::connection& db, const keys::family_key& key,
                                 std::string_view sql, const std::string& family_id, Read read) {
  auto st = bound(db, sql, family_id);
  if (!st) return st.error();
  std::vector<T> out;
  for (;;) {
    auto row = (*st)->step();
    if (!row) return row.error();
    if (!*row) break;
    auto item = read(**st, key);
    if (!item) return item.error();
    out.push_back(std::move(*item));
  }
  return out;
}

template <class T, class Read>
result<T> read_one(store::connection& db, const keys::family_key& key, std::string_view sql,
                   const std::string& id, Read read) {
  auto rows = read_rows<T>(db, key, sql, id, read);
  if (!rows) return rows.error();
  if (rows->empty()) return error::not_found("no such record");
  return std::move(rows->front());
}

// ---- consent checks ----

bool is_signer_of(const stored_family& family, const std::string& id) {
  if (family.member(id) != nullptr) return true;
  return std::any_of(family.members.begin(), family.members.end(), [&](const stored_member& m) {
    const auto& holders = m.content.gezag_holder_ids;
    return std::find(holders.begin(), holders.end(), id) != holders.end();
  });
}

result<bool> organisation_exists(store::connection& db, const std::string& id) {
  auto st = bound(db, "SELECT 1 FROM organisations WHERE id = ?", id);
  if (!st) return st.error();
  return (*st)->step();
}

result<void> check_consent(store::connection& db, const stored_family& family, const new_consent& c,
                           const recorder& by, unix_seconds now,
                           std::optional<std::chrono::days> max_validity) {
  if (!c.subject_member_id.empty() && family.member(c.subject_member_id) == nullptr)
    return error::invalid("subject_member_id", "must be a current member of this family");
  if (c.granted_by.empty()) return error::invalid("granted_by", "must name who signed the consent");
  for (const auto& id : c.granted_by) {
    if (!is_signer_of(family, id))
      return error::invalid("granted_by",
                            "must name members of this family or holders of gezag over one");
  }
  if (c.recipient_organisations.empty() && c.recipient_roles.empty())
    return error::invalid("recipients", "name at least one recipient organisation or role");
  for (const auto& id : c.recipient_organisations) {
    auto known = organisation_exists(db, id);
    if (!known) return known.error();
    if (!*known)
      return error::invalid("recipient_organisations", "must name configured organisations");
  }
  for (const auto& role : c.recipient_roles) {
    if (!is_policy_id(role))
      return error::invalid("recipient_roles", "must be role ids such as gezinsmanager");
  }
  if (c.purposes.empty()) return error::invalid("purposes", "name at least one purpose");
  for (const auto& purpose : c.purposes) {
    if (!is_policy_id(purpose))
      return error::invalid("purposes", "must be purpose ids such as plan");
  }
  if (c.categories.empty()) return error::invalid("categories", "name at least one data category");
  if (c.domains.empty()) return error::invalid("domains", "name at least one life domain");
  for (const auto& domain : c.domains) {
    if (!is_policy_id(domain))
      return error::invalid("domains", "must be life domain ids such as financien");
  }
  if (c.valid_until <= c.valid_from)
    return error::invalid("valid_until", "must be after the start of the consent");
  // The maximum counts Dutch calendar days, as the engine's cap does (policy::engine::consent_end).
  if (max_validity &&
      to_time_point(c.valid_until) >
          policy::add_days(to_time_point(c.valid_from), static_cast<int>(max_validity->count()))) {
    return error::invalid("valid_until", "is beyond the policy's maximum validity of " +
                                             std::to_string(max_validity->count()) + " days");
  }
  if (is_blank(c.evidence_form_reference))
    return error::invalid("evidence/form_reference", "is required: the signed form's reference");
  if (!c.evidence_signed_on)
    return error::invalid("evidence/signed_on", "is required: the date the form was signed");
  if (*c.evidence_signed_on > policy::dutch_date(to_time_point(now)))
    return error::invalid("evidence/signed_on", "cannot be in the future");
  if (is_blank(by.user_id)) return error::invalid("recorded_by", "is required: who records it");
  return {};
}

result<void> check_ground(const new_ground& g, const recorder& by, unix_seconds now) {
  if (code_points(trim(g.decided_by)) < 2)
    return error::invalid("decided_by", "is required: who took the decision");
  if (auto r = require_motivation("necessity", g.necessity); !r) return r;
  if (auto r = require_motivation("proportionality", g.proportionality); !r) return r;
  if (auto r = require_motivation("subsidiarity", g.subsidiarity); !r) return r;
  if (g.family_informed_on) {
    if (*g.family_informed_on > policy::dutch_date(to_time_point(now)))
      return error::invalid("family_informed_on", "cannot be in the future");
  } else if (auto r = require_motivation("not_informed_reason", g.not_informed_reason); !r) {
    return error::invalid("not_informed_reason",
                          "is required when the family was not informed: say why (at least " +
                              std::to_string(min_motivation_chars) + " characters)");
  }
  if (g.valid_until <= g.valid_from)
    return error::invalid("valid_until", "must be after the start of the ground");
  if (is_blank(by.user_id)) return error::invalid("recorded_by", "is required: who records it");
  return {};
}

// After an UPDATE that changed nothing: was the row missing, or already in its final state?
result<void> explain_no_change(store::connection& db, std::string_view table, const std::string& id,
                               const std::string& family_id, std::string_view already) {
  auto st = db.prepare("SELECT 1 FROM " + std::string(table) + " WHERE id = ? AND family_id = ?");
  if (!st) return st.error();
  st->bind(1, id).bind(2, family_id);
  auto row = st->step();
  if (!row) return row.error();
  if (!*row) return error::not_found("no such record for this family");
  return error::conflict(std::string(already));
}

}  // namespace

policy::time_point to_time_point(unix_seconds t) noexcept {
  return policy::time_point{std::chrono::seconds(t)};
}

unix_seconds to_unix_seconds(policy::time_point t) noexcept { return t.time_since_epoch().count(); }

std::string_view to_string(review_state state) noexcept {
  switch (state) {
    case review_state::pending:
      return "pending";
    case review_state::justified:
      return "justified";
    case review_state::unjustified:
      return "unjustified";
  }
  return "pending";
}

// ---- consents ----

result<stored_consent> legal_store::record_consent(
    store::connection& db, const std::string& family_id, const new_consent& consent,
    const recorder& by, unix_seconds now, std::optional<std::chrono::days> max_validity) const {
  auto family = cases_.load_family(db, family_id);
  if (!family) return family.error();
  if (auto ok = check_consent(db, *family, consent, by, now, max_validity); !ok) return ok.error();
  auto key = cases_.family_key(db, family_id);
  if (!key) return key.error();

  stored_consent out;
  out.family_id = family_id;
  out.recorded_by_org = by.org_id;
  out.recorded_at = now;
  out.note = consent.note;
  auto& c = out.consent;
  c.id = new_id("cst-");
  c.subject_member_id = consent.subject_member_id;
  c.granted_by = consent.granted_by;
  c.recipient_organisations = consent.recipient_organisations;
  c.recipient_roles = consent.recipient_roles;
  c.purposes = consent.purposes;
  c.categories = consent.categories;
  c.domains = consent.domains;
  c.valid_from = to_time_point(consent.valid_from);
  c.valid_until = to_time_point(consent.valid_until);
  c.evidence = {consent.evidence_form_reference, *consent.evidence_signed_on};
  c.recorded_by = by.user_id;
  const bytes sealed = key->seal(c.id, family_id, encode_consent(c, out.note));
  auto stored = exec(db,
                     "INSERT INTO consents (id, family_id, subject_member_id, valid_from, "
                     "valid_until, recorded_at, recorded_by_org, recorded_by_user, sealed) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                     c.id, family_id, c.subject_member_id, consent.valid_from, consent.valid_until,
                     now, by.org_id, by.user_id, view(sealed));
  if (!stored) return stored.error();
  return out;
}

result<stored_consent> legal_store::withdraw_consent(store::connection& db,
                                                     const std::string& family_id,
                                                     const std::string& consent_id,
                                                     const recorder& by, unix_seconds now) const {
  auto key = cases_.family_key(db, family_id);
  if (!key) return key.error();
  auto done = exec(db,
                   "UPDATE consents SET withdrawn_at = ?, withdrawn_by_user = ? WHERE id = ? AND "
                   "family_id = ? AND withdrawn_at IS NULL",
                   now, by.user_id, consent_id, family_id);
  if (!done) return done.error();
  if (db.changes() == 0) {
    auto why = explain_no_change(db, "consents", consent_id, family_id,
                                 "the consent was withdrawn already");
    return why.error();
  }
  return read_one<stored_consent>(
      db, *key, "SELECT " + std::string(consent_columns) + " FROM consents WHERE id = ?",
      consent_id, read_consent);
}

result<std::vector<stored_consent>> legal_store::consents(store::connection& db,
                                                          const std::string& family_id) const {
  auto key = cases_.family_key(db, family_id);
  if (!key) return key.error();
  return read_rows<stored_consent>(db, *key,
                                   "SELECT " + std::string(consent_columns) +
                                       " FROM consents WHERE family_id = ? ORDER BY recorded_at, "
                                       "rowid",
                                   family_id, read_consent);
}

// ---- coordination grounds ----

result<stored_ground> legal_store::record_ground(store::connection& db,
                                                 const std::string& family_id,
                                                 const new_ground& ground, const recorder& by,
                                                 unix_seconds now) const {
  if (auto ok = check_ground(ground, by, now); !ok) return ok.error();
  auto key = cases_.family_key(db, family_id);
  if (!key) return key.error();
  stored_ground out;
  out.family_id = family_id;
  out.recorded_by = by;
  out.recorded_at = now;
  auto& g = out.ground;
  g.id = new_id("grd-");
  g.decided_by = std::string(trim(ground.decided_by));
  g.necessity = ground.necessity;
  g.proportionality = ground.proportionality;
  g.subsidiarity = ground.subsidiarity;
  g.family_informed_on = ground.family_informed_on;
  g.not_informed_reason = ground.family_informed_on ? std::string() : ground.not_informed_reason;
  g.valid_from = to_time_point(ground.valid_from);
  g.valid_until = to_time_point(ground.valid_until);
  const bytes sealed = key->seal(g.id, family_id, encode_ground(g));
  auto stored = exec(db,
                     "INSERT INTO coordination_grounds (id, family_id, valid_from, valid_until, "
                     "recorded_at, recorded_by_org, recorded_by_user, sealed) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                     g.id, family_id, ground.valid_from, ground.valid_until, now, by.org_id,
                     by.user_id, view(sealed));
  if (!stored) return stored.error();
  return out;
}

result<stored_ground> legal_store::end_ground(store::connection& db, const std::string& family_id,
                                              const std::string& ground_id, const recorder& by,
                                              unix_seconds now) const {
  auto key = cases_.family_key(db, family_id);
  if (!key) return key.error();
  auto done = exec(db,
                   "UPDATE coordination_grounds SET ended_at = ?, ended_by_user = ? WHERE id = ? "
                   "AND family_id = ? AND ended_at IS NULL",
                   now, by.user_id, ground_id, family_id);
  if (!done) return done.error();
  if (db.changes() == 0) {
    auto why = explain_no_change(db, "coordination_grounds", ground_id, family_id,
                                 "the coordination ground was ended already");
    return why.error();
  }
  return read_one<stored_ground>(
      db, *key, "SELECT " + std::string(ground_columns) + " FROM coordination_grounds WHERE id = ?",
      ground_id, read_ground);
}

result<std::vector<stored_ground>> legal_store::grounds(store::connection& db,
                                                        const std::string& family_id) const {
  auto key = cases_.family_key(db, family_id);
  if (!key) return key.error();
  return read_rows<stored_ground>(db, *key,
                                  "SELECT " + std::string(ground_columns) +
                                      " FROM coordination_grounds WHERE family_id = ? ORDER BY "
                                      "recorded_at, rowid",
                                  family_id, read_ground);
}

// ---- break-the-glass ----

result<stored_break_glass> legal_store::request_break_glass(
    store::connection& db, const std::string& family_id, const recorder& by,
    const std::string& justification, std::chrono::minutes requested, const policy::engine& policy,
    unix_seconds now) const {
  auto duration = policy::validate_break_glass_request(policy, justification, requested);
  if (!duration) return duration.error();
  if (is_blank(by.user_id))
    return error::invalid("user", "break-the-glass is granted to a named user only");
  auto key = cases_.family_key(db, family_id);
  if (!key) return key.error();
  stored_break_glass out;
  out.family_id = family_id;
  out.org_id = by.org_id;
  auto& g = out.grant;
  g.id = new_id("btg-");
  g.user_id = by.user_id;
  g.justification = std::string(trim(justification));
  g.started_at = to_time_point(now);
  g.expires_at = g.started_at + *duration;
  const bytes sealed = key->seal(g.id, family_id, encode_break_glass(g.justification, ""));
  auto stored =
      exec(db,
           "INSERT INTO break_glass (id, family_id, user_id, org_id, started_at, "
           "expires_at, sealed) VALUES (?, ?, ?, ?, ?, ?, ?)",
           g.id, family_id, g.user_id, by.org_id, now, to_unix_seconds(g.expires_at), view(sealed));
  if (!stored) return stored.error();
  return out;
}

result<std::vector<stored_break_glass>> legal_store::break_glass_grants(
    store::connection& db, const std::string& family_id) const {
  auto key = cases_.family_key(db, family_id);
  if (!key) return key.error();
  return read_rows<stored_break_glass>(db, *key,
                                       "SELECT " + std::string(break_glass_columns) +
                                           " FROM break_glass WHERE family_id = ? ORDER BY "
                                           "started_at DESC, rowid DESC",
                                       family_id, read_break_glass);
}

result<std::vector<stored_break_glass>> legal_store::review_queue(store::connection& db,
                                                                  review_filter filter,
                                                                  std::size_t limit) const {
  const std::string sql =
      "SELECT " + std::string(break_glass_columns) + " FROM break_glass WHERE " +
      (filter == review_filter::pending
           ? "review_state = 'pending' ORDER BY started_at, rowid"
           : "review_state <> 'pending' ORDER BY reviewed_at DESC, rowid DESC") +
      " LIMIT ?";
  auto st = bound(db, sql, static_cast<std::int64_t>(limit));
  if (!st) return st.error();
  // Grants of many families: one key per family, unwrapped once.
  std::map<std::string, std::optional<keys::family_key>> keys_by_family;
  std::vector<stored_break_glass> out;
  for (;;) {
    auto row = (*st)->step();
    if (!row) return row.error();
    if (!*row) break;
    const std::string family_id((*st)->column_text(1));
    auto it = keys_by_family.find(family_id);
    if (it == keys_by_family.end()) {
      auto key = cases_.family_key(db, family_id);
      if (!key && key.error().code() != errc::not_found) return key.error();
      it = keys_by_family
               .emplace(family_id, key ? std::optional<keys::family_key>(std::move(*key))
                                       : std::optional<keys::family_key>())
               .first;
    }
    if (!it->second) continue;  // crypto-shredded: gone for every caller
    auto grant = read_break_glass(**st, *it->second);
    if (!grant) return grant.error();
    out.push_back(std::move(*grant));
  }
  return out;
}

result<stored_break_glass> legal_store::review(store::connection& db, const std::string& grant_id,
                                               review_state outcome, const recorder& reviewer,
                                               const std::string& note, unix_seconds now) const {
  if (outcome == review_state::pending)
    return error::invalid("outcome", "must be justified or unjustified");
  if (is_blank(note)) return error::invalid("note", "is required: the reason for the outcome");
  if (is_blank(reviewer.user_id)) return error::invalid("reviewer", "is required");
  std::string family_id;
  {
    auto st = bound(db, "SELECT family_id FROM break_glass WHERE id = ?", grant_id);
    if (!st) return st.error();
    auto row = (*st)->step();
    if (!row) return row.error();
    if (!*row) return error::not_found("no such break-the-glass grant");
    family_id = std::string((*st)->column_text(0));
  }
  auto key = cases_.family_key(db, family_id);
  if (!key) return key.error();
  const std::string select =
      "SELECT " + std::string(break_glass_columns) + " FROM break_glass WHERE id = ?";
  auto grant = read_one<stored_break_glass>(db, *key, select, grant_id, read_break_glass);
  if (!grant) return grant.error();
  if (grant->review != review_state::pending)
    return error::conflict("this break-the-glass grant was reviewed already");
  if (grant->grant.user_id == reviewer.user_id && grant->org_id == reviewer.org_id)
    return error::forbidden("nobody reviews their own break-the-glass");
  const bytes sealed =
      key->seal(grant_id, family_id, encode_break_glass(grant->grant.justification, note));
  auto done = exec(db,
                   "UPDATE break_glass SET review_state = ?, reviewed_by = ?, reviewed_at = ?, "
                   "sealed = ? WHERE id = ? AND review_state = 'pending'",
                   std::string(to_string(outcome)), reviewer.user_id, now, view(sealed), grant_id);
  if (!done) return done.error();
  return read_one<stored_break_glass>(db, *key, select, grant_id, read_break_glass);
}

// ---- facts ----

result<policy::family> legal_store::family_facts(store::connection& db,
                                                 const stored_family& family) const {
  policy::family facts = cases::family_facts(family);
  auto consents_found = consents(db, family.id);
  if (!consents_found) return consents_found.error();
  for (auto& c : *consents_found) facts.consents.push_back(std::move(c.consent));
  auto grounds_found = grounds(db, family.id);
  if (!grounds_found) return grounds_found.error();
  for (auto& g : *grounds_found) facts.grounds.push_back(std::move(g.ground));
  auto grants = break_glass_grants(db, family.id);
  if (!grants) return grants.error();
  for (auto& g : *grants) facts.break_glass.push_back(std::move(g.grant));
  return facts;
}

result<family_with_facts> legal_store::load_family_facts(store::connection& db,
                                                         const std::string& family_id) const {
  auto family = cases_.load_family(db, family_id);
  if (!family) return family.error();
  auto facts = family_facts(db, *family);
  if (!facts) return facts.error();
  return family_with_facts{std::move(*family), std::move(*facts)};
}

}  // namespace sluis::cases
