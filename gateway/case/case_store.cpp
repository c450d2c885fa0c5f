#include "gateway/case/case_store.hpp"

#include <sodium.h>

#include <algorithm>
#include <map>

#include "gateway/case/content_codec.hpp"
#include "gateway/store/connection.hpp"
#include "gateway/store/statement.hpp"

namespace sluis::cases {
namespace {

// The associated-data "family id" of a signal that belongs to no family yet.
constexpr std::string_view unmatched = "unmatched";

using bytes = std::vector<unsigned char>;
using byte_view = std::span<const unsigned char>;

byte_view view(const keys::pseudonym& p) { return {p.bytes.data(), p.bytes.size()}; }
byte_view view(const bytes& b) { return {b.data(), b.size()}; }

using store::bound;
using store::exec;

keys::pseudonym pseudonym_of(byte_view blob) {
  keys::pseudonym p;
  if (blob.size() == p.bytes.size()) std::copy(blob.begin(), blob.end(), p.bytes.begin());
  return p;
}

keys::wrapped_family_key wrapped_of(const store::statement& st, int first_column) {
  const auto wrapped = st.column_blob(first_column + 2);
  return {std::string(st.column_text(first_column)),
          static_cast<std::uint32_t>(st.column_int64(first_column + 1)),
          bytes(wrapped.begin(), wrapped.end())};
}

result<keys::family_key> family_key_of(store::connection& db, const keys::keyring& keyring,
                                       const std::string& family_id) {
  auto st = bound(db, "SELECT key_id, kek_version, wrapped FROM family_keys WHERE family_id = ?",
                  family_id);
  if (!st) return st.error();
  auto row = (*st)->step();
  if (!row) return row.error();
  // After crypto-shredding the family is gone for every caller, as if it never existed.
  if (!*row) return error::not_found("no such family (its data may have been erased)");
  return keyring.unwrap(wrapped_of(**st, 0));
}

// The key that seals a person's signals while they belong to no family; made on first use.
result<keys::family_key> subject_key_of(store::connection& db, const keys::keyring& keyring,
                                        const keys::pseudonym& subject, bool create,
                                        std::int64_t now) {
  auto st = bound(db, "SELECT key_id, kek_version, wrapped FROM subject_keys WHERE pseudonym = ?",
                  view(subject));
  if (!st) return st.error();
  auto row = (*st)->step();
  if (!row) return row.error();
  if (*row) return keyring.unwrap(wrapped_of(**st, 0));
  if (!create) return error::crypto("the signal key was destroyed");
  auto fresh = keyring.new_family_key();
  auto stored = exec(db,
                     "INSERT INTO subject_keys (pseudonym, key_id, kek_version, wrapped, "
                     "created_at) VALUES (?, ?, ?, ?, ?)",
                     view(subject), fresh.wrapped.key_id, fresh.wrapped.kek_version,
                     view(fresh.wrapped.wrapped), now);
  if (!stored) return stored.error();
  return std::move(fresh.key);
}

// Moves every unmatched signal about `subject` into the family, re-sealed with its key.
result<std::size_t> match_signals(store::connection& db, const keys::keyring& keyring,
                                  const keys::pseudonym& subject, const std::string& family_id,
                                  const keys::family_key& family_key, std::int64_t now) {
  struct signal {
    std::string id;
    bytes sealed;
  };
  std::vector<signal> signals;
  {
    auto st = bound(db,
                    "SELECT id, sealed FROM contributions WHERE family_id IS NULL AND "
                    "subject_pseudonym = ?",
                    view(subject));
    if (!st) return st.error();
    for (;;) {
      auto row = (*st)->step();
      if (!row) return row.error();
      if (!*row) break;
      const auto sealed = (*st)->column_blob(1);
      signals.push_back({std::string((*st)->column_text(0)), bytes(sealed.begin(), sealed.end())});
    }
  }
  if (signals.empty()) return std::size_t{0};
  auto subject_key = subject_key_of(db, keyring, subject, false, now);
  if (!subject_key) return subject_key.error();
  for (const auto& s : signals) {
    auto plain = subject_key->open(s.id, unmatched, view(s.sealed));
    if (!plain) return plain.error();
    const bytes resealed = family_key.seal(s.id, family_id, view(*plain));
    sodium_memzero(plain->data(), plain->size());
    auto moved = exec(db,
                      "UPDATE contributions SET family_id = ?, key_id = ?, sealed = ?, "
                      "updated_at = ? WHERE id = ?",
                      family_id, family_key.key_id(), view(resealed), now, s.id);
    if (!moved) return moved.error();
  }
  // No signal is left under the subject key: drop it.
  auto dropped = exec(db, "DELETE FROM subject_keys WHERE pseudonym = ?", view(subject));
  if (!dropped) return dropped.error();
  return signals.size();
}

result<std::string> insert_member(store::connection& db, const std::string& family_id,
                                  const keys::family_key& key, const new_member& m,
                                  std::vector<std::string> gezag_holder_ids, std::int64_t now) {
  const std::string id = new_id("mem-");
  const member_content content{m.label, m.date_of_birth, std::move(gezag_holder_ids)};
  const bytes sealed = key.seal(id, family_id, encode(content));
  auto stored =
      exec(db,
           "INSERT INTO members (id, family_id, pseudonym, role, sealed, added_at) "
           "VALUES (?, ?, ?, ?, ?, ?)",
           id, family_id, view(m.pseudonym), std::string(to_string(m.role)), view(sealed), now);
  if (!stored) return stored.error();
  return id;
}

// `key` null: the payload is left sealed and `content` empty.
result<stored_contribution> read_contribution(const store::statement& st,
                                              const keys::family_key* key) {
  // Columns: id, org_id, source_ref, family_id, subject_pseudonym, domain, kind, category,
  // status, sealed, created_at, updated_at, withdrawn_at
  stored_contribution c;
  c.id = std::string(st.column_text(0));
  c.org_id = std::string(st.column_text(1));
  c.source_ref = std::string(st.column_text(2));
  c.family_id = std::string(st.column_text(3));
  if (!st.is_null(4)) c.subject = pseudonym_of(st.column_blob(4));
  c.domain = std::string(st.column_text(5));
  c.kind = policy::parse_record_kind(st.column_text(6)).value_or(policy::record_kind::note);
  c.category = policy::parse_category(st.column_text(7)).value_or(policy::category::criminal);
  c.status = std::string(st.column_text(8));
  c.created_at = st.column_int64(10);
  c.updated_at = st.column_int64(11);
  c.withdrawn_at = st.column_optional_int64(12);
  if (key == nullptr) return c;
  auto plain = key->open(c.id, c.family_id.empty() ? unmatched : c.family_id, st.column_blob(9));
  if (!plain) return plain.error();
  auto content = decode_contribution(*plain);
  sodium_memzero(plain->data(), plain->size());
  if (!content) return content.error();
  c.content = std::move(*content);
  return c;
}

constexpr std::string_view contribution_columns =
    "id, org_id, source_ref, family_id, subject_pseudonym, domain, kind, category, status, "
    "sealed, created_at, updated_at, withdrawn_at";

// The family (or families) a person is a current member of.
result<std::vector<std::string>> families_of(store::connection& db,
                                             const keys::pseudonym& subject) {
  auto st = bound(db,
                  "SELECT DISTINCT family_id FROM members WHERE pseudonym = ? AND removed_at IS "
                  "NULL",
                  view(subject));
  if (!st) return st.error();
  std::vector<std::string> ids;
  for (;;) {
    auto row = (*st)->step();
    if (!row) return row.error();
    if (!*row) break;
    ids.emplace_back((*st)->column_text(0));
  }
  return ids;
}

result<std::optional<std::string>> gezinsmanager_org_of(store::connection& db,
                                                        const std::string& family_id) {
  auto st = bound(db, "SELECT gezinsmanager_org FROM families WHERE id = ?", family_id);
  if (!st) return st.error();
  auto row = (*st)->step();
  if (!row) return row.error();
  if (!*row) return std::optional<std::string>();
  return std::optional<std::string>((*st)->column_text(0));
}

struct resolved_family {
  std::string family_id;            // empty: kept as an unmatched signal
  bool ambiguous = false;           // the person is a member of more than one family
  bool submitter_may_know = false;  // may_know_family for the submitter and this family
};

// Matching happens here, on the server, and its outcome is not the submitter's to learn (see
// may_know_family): a family_id is accepted only from the family's own organisation, and with the
// same answer for a family of another organisation as for one that does not exist; a person in
// several families is kept as an unmatched signal rather than refused, since a refusal would tell.
result<resolved_family> resolve_family(store::connection& db, const std::string& org_id,
                                       const contribution_submission& submission,
                                       bool trusted_family_id) {
  if (!submission.family_id.empty()) {
    auto owner = gezinsmanager_org_of(db, submission.family_id);
    if (!owner) return owner.error();
    const bool known = *owner && may_know_family(org_id, **owner);
    if (!*owner || (!trusted_family_id && !known))
      return error::invalid("family_id", "is not a family of your organisation");
    if (!submission.subject) return resolved_family{submission.family_id, false, known};
    auto families = families_of(db, *submission.subject);
    if (!families) return families.error();
    if (std::find(families->begin(), families->end(), submission.family_id) == families->end())
      return error::invalid("family_id", "the person is not a member of this family");
    return resolved_family{submission.family_id, false, known};
  }
  auto families = families_of(db, *submission.subject);
  if (!families) return families.error();
  if (families->size() > 1) return resolved_family{"", true, false};
  if (families->empty()) return resolved_family{};
  auto owner = gezinsmanager_org_of(db, families->front());
  if (!owner) return owner.error();
  return resolved_family{families->front(), false, *owner && may_know_family(org_id, **owner)};
}

}  // namespace

std::string new_id(std::string_view prefix) {
  keys::ensure_sodium();
  unsigned char random[12];
  randombytes_buf(random, sizeof random);
  char hex[sizeof random * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, random, sizeof random);
  return std::string(prefix) + hex;
}

const stored_member* stored_family::member_by_pseudonym(const keys::pseudonym& p) const {
  for (const auto& m : members)
    if (m.pseudonym == p) return &m;
  return nullptr;
}

const stored_member* stored_family::member(std::string_view member_id) const {
  for (const auto& m : members)
    if (m.id == member_id) return &m;
  return nullptr;
}

bool stored_family::is_own_organisation(std::string_view org_id) const {
  return may_know_family(org_id, gezinsmanager_org);
}

bool stored_family::has_gezinsmanager(std::string_view org_id, std::string_view user_id) const {
  return is_own_organisation(org_id) && !user_id.empty() && user_id == gezinsmanager.user_id;
}

result<void> case_store::sync_organisation(store::connection& db, const std::string& id,
                                           const std::string& name, const std::string& sector,
                                           bool professional_secrecy) const {
  auto inserted = exec(db,
                       "INSERT OR IGNORE INTO organisations (id, name, sector, "
                       "professional_secrecy) VALUES (?, ?, ?, ?)",
                       id, name, sector, professional_secrecy);
  if (!inserted) return inserted;
  return exec(db,
              "UPDATE organisations SET name = ?, sector = ?, professional_secrecy = ? WHERE id "
              "= ?",
              name, sector, professional_secrecy, id);
}

result<registered_family> case_store::register_family(store::connection& db,
                                                      const std::string& org_id,
                                                      const family_registration& family,
                                                      unix_seconds now) const {
  registered_family out;
  out.family_id = new_id("fam-");
  auto key = keyring_.new_family_key();
  const bytes sealed = key.key.seal(out.family_id, out.family_id,
                                    encode(family_content{family.gezinsmanager, family.label}));
  auto stored =
      exec(db,
           "INSERT INTO families (id, created_by_org, gezinsmanager_org, "
           "gezinsmanager_user, created_at, updated_at, sealed) VALUES (?, ?, ?, ?, ?, ?, "
           "?)",
           out.family_id, org_id, org_id, family.gezinsmanager.user_id, now, now, view(sealed));
  if (!stored) return stored.error();
  stored = exec(db,
                "INSERT INTO family_keys (family_id, key_id, kek_version, wrapped, created_at) "
                "VALUES (?, ?, ?, ?, ?)",
                out.family_id, key.wrapped.key_id, key.wrapped.kek_version,
                view(key.wrapped.wrapped), now);
  if (!stored) return stored.error();

  // Member ids are made first so that gezag holders can refer to members listed after them.
  std::map<std::string, std::string> id_by_label;
  std::vector<std::string> ids;
  for (const auto& m : family.members) {
    ids.push_back(new_id("mem-"));
    id_by_label[m.label] = ids.back();
  }
  for (std::size_t i = 0; i < family.members.size(); ++i) {
    const auto& m = family.members[i];
    std::vector<std::string> holders;
    for (const auto& label : m.gezag_holder_labels) holders.push_back(id_by_label.at(label));
    const member_content content{m.label, m.date_of_birth, std::move(holders)};
    const bytes member_sealed = key.key.seal(ids[i], out.family_id, encode(content));
    auto member = exec(db,
                       "INSERT INTO members (id, family_id, pseudonym, role, sealed, added_at) "
                       "VALUES (?, ?, ?, ?, ?, ?)",
                       ids[i], out.family_id, view(m.pseudonym), std::string(to_string(m.role)),
                       view(member_sealed), now);
    if (!member) return member.error();
    out.members.emplace_back(ids[i], m.label);
    auto matched = match_signals(db, keyring_, m.pseudonym, out.family_id, key.key, now);
    if (!matched) return matched.error();
    out.matched_signals += *matched;
  }
  return out;
}

result<added_member> case_store::add_member(store::connection& db, const std::string& family_id,
                                            const new_member& member, unix_seconds now) const {
  auto family = load_family(db, family_id);
  if (!family) return family.error();
  if (family->member_by_pseudonym(member.pseudonym) != nullptr)
    return error::conflict("this person is already a member of the family");
  std::vector<std::string> holders;
  for (const auto& m : family->members) {
    if (m.content.label == member.label)
      return error{errc::conflict, "another member of the family has this label", "label"};
  }
  for (const auto& label : member.gezag_holder_labels) {
    const auto it = std::find_if(family->members.begin(), family->members.end(),
                                 [&](const stored_member& m) { return m.content.label == label; });
    if (it == family->members.end())
      return error::invalid("gezag_holders", "must name members of this family by their label");
    holders.push_back(it->id);
  }
  auto key = family_key_of(db, keyring_, family_id);
  if (!key) return key.error();
  auto id = insert_member(db, family_id, *key, member, std::move(holders), now);
  if (!id) return id.error();
  auto matched = match_signals(db, keyring_, member.pseudonym, family_id, *key, now);
  if (!matched) return matched.error();
  auto touched = exec(db, "UPDATE families SET updated_at = ? WHERE id = ?", now, family_id);
  if (!touched) return touched.error();
  return added_member{*id, *matched};
}

result<void> case_store::remove_member(store::connection& db, const std::string& family_id,
                                       const std::string& member_id, unix_seconds now) const {
  auto removed = exec(db,
                      "UPDATE members SET removed_at = ? WHERE id = ? AND family_id = ? AND "
                      "removed_at IS NULL",
                      now, member_id, family_id);
  if (!removed) return removed;
  if (db.changes() == 0) return error::not_found("no such member in this family");
  return exec(db, "UPDATE families SET updated_at = ? WHERE id = ?", now, family_id);
}

result<submit_outcome> case_store::submit(store::connection& db, const std::string& org_id,
                                          const contribution_submission& submission,
                                          unix_seconds now, family_named_by named_by) const {
  auto resolved =
      resolve_family(db, org_id, submission, named_by == family_named_by::operator_loading_demo);
  if (!resolved) return resolved.error();
  const std::string* family_id = &resolved->family_id;

  submit_outcome out;
  out.family_id = *family_id;
  out.ambiguous = resolved->ambiguous;
  out.submitter_may_know_family = resolved->submitter_may_know;
  auto existing = bound(db, "SELECT id FROM contributions WHERE org_id = ? AND source_ref = ?",
                        org_id, submission.source_ref);
  if (!existing) return existing.error();
  auto row = (*existing)->step();
  if (!row) return row.error();
  out.created = !*row;
  out.contribution_id = out.created ? new_id("con-") : std::string((*existing)->column_text(0));

  auto key = family_id->empty() ? subject_key_of(db, keyring_, *submission.subject, true, now)
                                : family_key_of(db, keyring_, *family_id);
  if (!key) return key.error();
  const bytes sealed =
      key->seal(out.contribution_id, family_id->empty() ? unmatched : std::string_view(*family_id),
                encode(submission.content));
  const std::optional<std::string> family_column =
      family_id->empty() ? std::nullopt : std::optional<std::string>(*family_id);
  const std::optional<byte_view> subject_column =
      submission.subject ? std::optional<byte_view>(view(*submission.subject)) : std::nullopt;
  const std::string kind(policy::to_string(submission.kind));
  const std::string category(policy::to_string(submission.category));

  result<void> stored =
      out.created
          ? exec(db,
                 "INSERT INTO contributions (id, org_id, source_ref, family_id, subject_pseudonym, "
                 "domain, kind, category, status, key_id, sealed, created_at, updated_at) "
                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                 out.contribution_id, org_id, submission.source_ref, family_column, subject_column,
                 submission.domain, kind, category, submission.status, key->key_id(), view(sealed),
                 now, now)
          : exec(db,
                 "UPDATE contributions SET family_id = ?, subject_pseudonym = ?, domain = ?, kind "
                 "= ?, "
                 "category = ?, status = ?, key_id = ?, sealed = ?, updated_at = ?, "
                 "withdrawn_at = NULL WHERE id = ?",
                 family_column, subject_column, submission.domain, kind, category,
                 submission.status, key->key_id(), view(sealed), now, out.contribution_id);
  if (!stored) return stored.error();
  return out;
}

result<void> case_store::withdraw(store::connection& db, const std::string& org_id,
                                  const std::string& contribution_id, unix_seconds now) const {
  auto done = exec(db,
                   "UPDATE contributions SET withdrawn_at = ?, updated_at = ? WHERE id = ? AND "
                   "org_id = ? AND withdrawn_at IS NULL",
                   now, now, contribution_id, org_id);
  if (!done) return done;
  if (db.changes() == 0) return error::not_found("no such contribution of your organisation");
  return {};
}

result<void> case_store::destroy_family_key(store::connection& db,
                                            const std::string& family_id) const {
  auto st = bound(db, "SELECT key_id FROM family_keys WHERE family_id = ?", family_id);
  if (!st) return st.error();
  auto row = (*st)->step();
  if (!row) return row.error();
  if (!*row) return error::not_found("no key for this family");
  const std::string key_id((*st)->column_text(0));
  (*st)->reset();
  auto done = exec(db, "DELETE FROM family_keys WHERE family_id = ?", family_id);
  if (!done) return done;
  // Wiped from memory too. Before the commit is safe: should the transaction roll back, the next
  // read unwraps the key again from the row that is still there.
  keyring_.forget_family_key(key_id);
  return {};
}

result<std::size_t> case_store::rewrap_keys(store::connection& db) const {
  std::size_t count = 0;
  for (std::string_view table :
       {std::string_view("family_keys"), std::string_view("subject_keys")}) {
    std::vector<keys::wrapped_family_key> keys;
    {
      auto st = db.prepare("SELECT key_id, kek_version, wrapped FROM " + std::string(table));
      if (!st) return st.error();
      for (;;) {
        auto row = st->step();
        if (!row) return row.error();
        if (!*row) break;
        keys.push_back(wrapped_of(*st, 0));
      }
    }
    for (const auto& k : keys) {
      if (k.kek_version == keyring_.primary_kek_version()) continue;
      auto rewrapped = keyring_.rewrap(k);
      if (!rewrapped) return rewrapped.error();
      auto st = db.prepare("UPDATE " + std::string(table) +
                           " SET kek_version = ?, wrapped = ? WHERE key_id = ?");
      if (!st) return st.error();
      st->bind(1, rewrapped->kek_version).bind(2, view(rewrapped->wrapped)).bind(3, k.key_id);
      auto done = st->run();
      if (!done) return done.error();
      ++count;
    }
  }
  return count;
}

result<keys::family_key> case_store::family_key(store::connection& db,
                                                const std::string& family_id) const {
  return family_key_of(db, keyring_, family_id);
}

result<stored_family> case_store::load_family(store::connection& db,
                                              const std::string& family_id) const {
  stored_family family;
  {
    auto st = bound(db,
                    "SELECT id, created_by_org, gezinsmanager_org, created_at, updated_at, sealed "
                    "FROM families WHERE id = ?",
                    family_id);
    if (!st) return st.error();
    auto row = (*st)->step();
    if (!row) return row.error();
    if (!*row) return error::not_found("no such family");
    family.id = std::string((*st)->column_text(0));
    family.created_by_org = std::string((*st)->column_text(1));
    family.gezinsmanager_org = std::string((*st)->column_text(2));
    family.created_at = (*st)->column_int64(3);
    family.updated_at = (*st)->column_int64(4);
    const auto sealed = (*st)->column_blob(5);
    const bytes sealed_copy(sealed.begin(), sealed.end());
    auto key = family_key_of(db, keyring_, family_id);
    if (!key) return key.error();
    auto plain = key->open(family.id, family.id, view(sealed_copy));
    if (!plain) return plain.error();
    auto header = decode_family(*plain);
    if (!header) return header.error();
    family.gezinsmanager = std::move(header->gezinsmanager);
    family.label = std::move(header->label);

    auto members = bound(db,
                         "SELECT id, pseudonym, role, sealed FROM members WHERE family_id = ? AND "
                         "removed_at IS NULL ORDER BY added_at, rowid",
                         family_id);
    if (!members) return members.error();
    for (;;) {
      auto next = (*members)->step();
      if (!next) return next.error();
      if (!*next) break;
      stored_member m;
      m.id = std::string((*members)->column_text(0));
      m.pseudonym = pseudonym_of((*members)->column_blob(1));
      m.role = parse_member_role((*members)->column_text(2)).value_or(policy::member_role::other);
      auto member_plain = key->open(m.id, family.id, (*members)->column_blob(3));
      if (!member_plain) return member_plain.error();
      auto content = decode_member(*member_plain);
      if (!content) return content.error();
      m.content = std::move(*content);
      family.members.push_back(std::move(m));
    }
  }
  return family;
}

namespace {

result<std::vector<std::string>> ids_of(store::statement& st) {
  std::vector<std::string> ids;
  for (;;) {
    auto row = st.step();
    if (!row) return row.error();
    if (!*row) break;
    ids.emplace_back(st.column_text(0));
  }
  return ids;
}

result<std::vector<family_overview>> overviews(store::connection& db, const case_store& cases,
                                               const std::vector<std::string>& ids) {
  std::vector<family_overview> out;
  for (const auto& id : ids) {
    auto family = cases.load_family(db, id);
    // Crypto-shredded since the ids were read: gone for every caller.
    if (!family && family.error().code() == errc::not_found) continue;
    if (!family) return family.error();
    family_overview o;
    o.id = family->id;
    o.label = family->label;
    o.gezinsmanager_org = family->gezinsmanager_org;
    o.gezinsmanager_user = family->gezinsmanager.user_id;
    o.created_at = family->created_at;
    o.updated_at = family->updated_at;
    for (const auto& m : family->members) o.member_labels.push_back(m.content.label);
    auto st = bound(db,
                    "SELECT org_id, COUNT(*) FROM contributions WHERE family_id = ? AND "
                    "withdrawn_at IS NULL GROUP BY org_id ORDER BY org_id",
                    id);
    if (!st) return st.error();
    for (;;) {
      auto row = (*st)->step();
      if (!row) return row.error();
      if (!*row) break;
      o.organisations.emplace_back(std::string((*st)->column_text(0)),
                                   static_cast<std::size_t>((*st)->column_int64(1)));
    }
    out.push_back(std::move(o));
  }
  return out;
}

}  // namespace

result<std::vector<family_overview>> case_store::families_of_gezinsmanager(
    store::connection& db, const std::string& org, const std::string& user) const {
  std::vector<std::string> ids;
  {
    auto st = bound(db,
                    "SELECT id FROM families WHERE gezinsmanager_org = ? AND gezinsmanager_user = "
                    "? ORDER BY created_at, id",
                    org, user);
    if (!st) return st.error();
    auto found = ids_of(**st);
    if (!found) return found.error();
    ids = std::move(*found);
  }
  return overviews(db, *this, ids);
}

result<std::vector<family_overview>> case_store::all_families(store::connection& db,
                                                              std::size_t limit,
                                                              std::size_t offset) const {
  std::vector<std::string> ids;
  {
    auto st = bound(db, "SELECT id FROM families ORDER BY created_at, id LIMIT ? OFFSET ?",
                    static_cast<std::int64_t>(limit), static_cast<std::int64_t>(offset));
    if (!st) return st.error();
    auto found = ids_of(**st);
    if (!found) return found.error();
    ids = std::move(*found);
  }
  return overviews(db, *this, ids);
}

result<std::vector<stored_contribution>> case_store::family_contributions(
    store::connection& db, const std::string& family_id, payloads what) const {
  std::optional<keys::family_key> key;
  if (what == payloads::opened) {
    auto unwrapped = family_key_of(db, keyring_, family_id);
    if (!unwrapped) return unwrapped.error();
    key.emplace(std::move(*unwrapped));
  }
  auto st = bound(db,
                  "SELECT " + std::string(contribution_columns) +
                      " FROM contributions WHERE family_id = ? ORDER BY created_at, rowid",
                  family_id);
  if (!st) return st.error();
  std::vector<stored_contribution> out;
  for (;;) {
    auto row = (*st)->step();
    if (!row) return row.error();
    if (!*row) break;
    auto c = read_contribution(**st, key ? &*key : nullptr);
    if (!c) return c.error();
    out.push_back(std::move(*c));
  }
  return out;
}

result<stored_contribution> case_store::own_contribution(store::connection& db,
                                                         const std::string& org_id,
                                                         const std::string& contribution_id) const {
  std::string family_id;
  std::optional<keys::pseudonym> subject;
  {
    auto st = bound(db,
                    "SELECT family_id, subject_pseudonym FROM contributions WHERE id = ? AND "
                    "org_id = ?",
                    contribution_id, org_id);
    if (!st) return st.error();
    auto row = (*st)->step();
    if (!row) return row.error();
    if (!*row) return error::not_found("no such contribution of your organisation");
    family_id = std::string((*st)->column_text(0));
    if (!(*st)->is_null(1)) subject = pseudonym_of((*st)->column_blob(1));
  }
  auto key = family_id.empty() ? subject_key_of(db, keyring_, *subject, false, 0)
                               : family_key_of(db, keyring_, family_id);
  if (!key) return key.error();
  auto st =
      bound(db, "SELECT " + std::string(contribution_columns) + " FROM contributions WHERE id = ?",
            contribution_id);
  if (!st) return st.error();
  auto row = (*st)->step();
  if (!row) return row.error();
  if (!*row) return error::not_found("no such contribution of your organisation");
  return read_contribution(**st, &*key);
}

result<std::vector<stored_contribution>> case_store::own_contributions(store::connection& db,
                                                                       const std::string& org_id,
                                                                       const std::string& family_id,
                                                                       std::size_t limit) const {
  std::vector<std::string> ids;
  {
    auto st =
        family_id.empty()
            ? bound(db,
                    "SELECT id FROM contributions WHERE org_id = ? ORDER BY updated_at DESC, "
                    "rowid DESC LIMIT ?",
                    org_id, limit)
            : bound(db,
                    "SELECT id FROM contributions WHERE org_id = ? AND family_id = ? ORDER BY "
                    "updated_at DESC, rowid DESC LIMIT ?",
                    org_id, family_id, limit);
    if (!st) return st.error();
    for (;;) {
      auto row = (*st)->step();
      if (!row) return row.error();
      if (!*row) break;
      ids.emplace_back((*st)->column_text(0));
    }
  }
  std::vector<stored_contribution> out;
  for (const auto& id : ids) {
    auto c = own_contribution(db, org_id, id);
    if (!c) return c.error();
    out.push_back(std::move(*c));
  }
  return out;
}

}  // namespace sluis::cases
