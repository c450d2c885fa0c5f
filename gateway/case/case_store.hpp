#pragma once
// Families, members and contributions in the encrypted store.
//
// Every personal field is sealed with the family's data key before it is written (labels, dates
// of birth, titles, bodies, names of professionals); look-up columns hold ids and pseudonyms only.
// A contribution about a person who is in no family yet is an unmatched signal, sealed under a key
// of that person's pseudonym, and moves into the family (re-sealed) when the person joins one.
//
// Write functions run inside a store writer work item (the caller's transaction): they either do
// everything or return an error and the work item's savepoint undoes the rest. Read functions take
// any connection. A case_store holds only a reference to the keyring: share it across threads.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/error.hpp"
#include "gateway/case/model.hpp"
#include "keys/key_ring.hpp"

namespace sluis::store {
class connection;
}

namespace sluis::cases {

using unix_seconds = std::int64_t;

struct stored_member {
  std::string id;
  keys::pseudonym pseudonym;
  policy::member_role role = policy::member_role::other;
  member_content content;
};

struct stored_family {
  std::string id;
  std::string created_by_org;
  std::string gezinsmanager_org;
  gezinsmanager_ref gezinsmanager;
  std::string label;  // sealed display label ("Gezin V."); may be empty
  unix_seconds created_at = 0;
  unix_seconds updated_at = 0;
  std::vector<stored_member> members;  // current members only

  const stored_member* member_by_pseudonym(const keys::pseudonym& p) const;
  const stored_member* member(std::string_view member_id) const;

  // Who the family's gezinsmanager is, written once. The family's own organisation is the
  // gezinsmanager's, which registered the family and its members (see may_know_family below).
  bool is_own_organisation(std::string_view org_id) const;
  // Its gezinsmanager: that organisation and that user (a person signed in, or a partner system
  // acting for that professional). Whether the role matters is the caller's to say.
  bool has_gezinsmanager(std::string_view org_id, std::string_view user_id) const;
};

struct stored_contribution {
  std::string id;
  std::string org_id;
  std::string source_ref;
  std::string family_id;                   // empty for an unmatched signal
  std::optional<keys::pseudonym> subject;  // empty when about the family as a whole
  std::string domain;
  policy::record_kind kind = policy::record_kind::note;
  policy::category category = policy::category::regular;
  std::string status;
  contribution_content content;
  unix_seconds created_at = 0;
  unix_seconds updated_at = 0;
  std::optional<unix_seconds> withdrawn_at;
};

// What an overview of a family needs, found without opening any contribution.
struct family_overview {
  std::string id;
  std::string label;  // sealed; may be empty
  std::string gezinsmanager_org;
  std::string gezinsmanager_user;
  std::vector<std::string> member_labels;  // current members, in the order they were added
  // Organisations with at least one contribution that is not withdrawn, with how many, by id.
  std::vector<std::pair<std::string, std::size_t>> organisations;
  unix_seconds created_at = 0;
  unix_seconds updated_at = 0;
};

struct registered_family {
  std::string family_id;
  std::vector<std::pair<std::string, std::string>> members;  // (member id, label), request order
  std::size_t matched_signals = 0;
};

struct added_member {
  std::string member_id;
  std::size_t matched_signals = 0;
};

// What the store did with a submission. Only contribution_id and created may be told to the
// submitter as they are; family_id only when submitter_may_know_family (see may_know_family).
struct submit_outcome {
  std::string contribution_id;
  bool created = false;
  std::string family_id;   // empty: kept as an unmatched signal
  bool ambiguous = false;  // unmatched because the person is a member of several families
  bool submitter_may_know_family = false;
};

// What a partner organisation may learn about the family a contribution of its own landed in: the
// family's id and the subject's member label only when it is the family's own organisation (the
// gezinsmanager's, which registered the family and its members). Anything more would make a
// submission a membership oracle: "is this BSN in a family, in which one, in how many".
inline bool may_know_family(std::string_view org_id, std::string_view gezinsmanager_org) {
  return !org_id.empty() && org_id == gezinsmanager_org;
}

class case_store {
 public:
  explicit case_store(const keys::keyring& keyring) : keyring_(keyring) {}

  // Keeps the organisations table equal to the configuration (foreign keys point at it).
  result<void> sync_organisation(store::connection& db, const std::string& id,
                                 const std::string& name, const std::string& sector,
                                 bool professional_secrecy) const;

  result<registered_family> register_family(store::connection& db, const std::string& org_id,
                                            const family_registration& family,
                                            unix_seconds now) const;
  // errc::not_found for an unknown family; errc::conflict when the label is taken or the person
  // is already a member; errc::invalid_argument when a gezag holder label is unknown.
  result<added_member> add_member(store::connection& db, const std::string& family_id,
                                  const new_member& member, unix_seconds now) const;
  result<void> remove_member(store::connection& db, const std::string& family_id,
                             const std::string& member_id, unix_seconds now) const;

  // Creates the contribution, or updates the one with the same (org, source_ref). A subject
  // that is a member of exactly one family attaches it to that family; of none, it becomes an
  // unmatched signal; of several, errc::conflict unless family_id says which.
  // A family_id in `submission` names a family only for its own organisation (may_know_family);
  // any other is refused alike, existing or not. The demo loader, which registered the family it
  // fills moments before as the operator, says so with `named_by`.
  enum class family_named_by { partner, operator_loading_demo };
  result<submit_outcome> submit(store::connection& db, const std::string& org_id,
                                const contribution_submission& submission, unix_seconds now,
                                family_named_by named_by = family_named_by::partner) const;
  // Marks the organisation's own contribution withdrawn; errc::not_found otherwise.
  result<void> withdraw(store::connection& db, const std::string& org_id,
                        const std::string& contribution_id, unix_seconds now) const;

  // Crypto-shredding: deletes the family's data key. Every sealed field of the family (members,
  // contributions) is unreadable from then on, in this file and in every backup of it.
  result<void> destroy_family_key(store::connection& db, const std::string& family_id) const;
  // Re-wraps every family and signal key under the keyring's primary KEK version; returns how
  // many keys were re-wrapped.
  result<std::size_t> rewrap_keys(store::connection& db) const;

  // The family's data key, for modules that seal their own rows of the family (legal_store).
  // errc::not_found for an unknown family, and for one whose key was destroyed.
  result<keys::family_key> family_key(store::connection& db, const std::string& family_id) const;

  // errc::not_found for an unknown family, and for one whose key was destroyed.
  result<stored_family> load_family(store::connection& db, const std::string& family_id) const;
  // The families whose gezinsmanager is (org, user), oldest first. Families whose key was
  // destroyed are left out.
  result<std::vector<family_overview>> families_of_gezinsmanager(store::connection& db,
                                                                 const std::string& org,
                                                                 const std::string& user) const;
  // One page of every family, oldest first (for the procesmanager's oversight). Families whose
  // key was destroyed are left out, so a page may hold fewer than `limit`.
  result<std::vector<family_overview>> all_families(store::connection& db, std::size_t limit,
                                                    std::size_t offset) const;

  // Every contribution of the family, withdrawn ones included (callers filter). With
  // payloads::left_sealed no payload is opened and `content` stays empty: for a view that decides
  // and counts records but shows none of their content (who is involved), so that it decrypts
  // nothing it does not show.
  enum class payloads { opened, left_sealed };
  result<std::vector<stored_contribution>> family_contributions(
      store::connection& db, const std::string& family_id, payloads what = payloads::opened) const;
  // The organisation's own contribution; errc::not_found for anyone else's.
  result<stored_contribution> own_contribution(store::connection& db, const std::string& org_id,
                                               const std::string& contribution_id) const;
  // The organisation's own contributions, optionally of one family, newest first.
  result<std::vector<stored_contribution>> own_contributions(store::connection& db,
                                                             const std::string& org_id,
                                                             const std::string& family_id,
                                                             std::size_t limit) const;

 private:
  const keys::keyring& keyring_;
};

// A new random id with a readable prefix: "fam-", "mem-", "con-" + 24 hex digits.
std::string new_id(std::string_view prefix);

}  // namespace sluis::cases
