#pragma once
// The legal grounds of a family: consents, coordination grounds and break-the-glass grants, kept
// in the encrypted store, and the policy facts they make together with the family's members.
//
// Look-up columns hold ids and unix times only; every text (signers, recipients, purposes,
// evidence, motivations, justifications, notes) is sealed with the family's data key, so
// crypto-shredding a family erases its legal grounds with it. Nothing is cached: a consent
// withdrawn or a ground ended is seen by the very next read, and every decision is made on facts
// loaded for that request.
//
// Recording validates first and changes nothing on an error, which names the field at fault and
// never repeats a value. Write functions run inside a store writer work item (the caller's
// transaction); read functions take any connection. A legal_store holds only a reference to the
// keyring: share it across threads.

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "common/error.hpp"
#include "gateway/case/case_store.hpp"
#include "policy/engine.hpp"
#include "policy/facts.hpp"

namespace sluis::store {
class connection;
}

namespace sluis::cases {

// Who records or changes a legal ground: the organisation and the user acting for it.
struct recorder {
  std::string org_id;
  std::string user_id;
};

// Motivation texts of a coordination ground need at least this many characters (without the
// surrounding white space): a word or two is no motivation a privacy officer can check.
inline constexpr std::size_t min_motivation_chars = 20;

struct new_consent {
  std::string subject_member_id;        // empty: a consent about the family as a whole
  std::vector<std::string> granted_by;  // member ids or gezag-holder ids of the signers
  std::vector<std::string> recipient_organisations;
  std::vector<std::string> recipient_roles;  // at least one recipient, organisation or role
  std::vector<std::string> purposes;
  std::vector<policy::category> categories;
  std::vector<std::string> domains;  // life domains
  unix_seconds valid_from = 0;
  unix_seconds valid_until = 0;
  std::string evidence_form_reference;
  std::optional<date> evidence_signed_on;
  std::string note;  // optional
};

struct stored_consent {
  std::string family_id;
  policy::consent consent;  // recorded_by is the recording user's id
  std::string recorded_by_org;
  unix_seconds recorded_at = 0;
  std::string withdrawn_by;  // user id; empty while not withdrawn
  std::string note;
};

struct new_ground {
  std::string decided_by;  // who took the decision (a function or body, e.g. "teamleider")
  std::string necessity;
  std::string proportionality;
  std::string subsidiarity;
  std::optional<date> family_informed_on;
  std::string not_informed_reason;  // required when family_informed_on is empty
  unix_seconds valid_from = 0;
  unix_seconds valid_until = 0;
};

struct stored_ground {
  std::string family_id;
  policy::coordination_ground ground;
  recorder recorded_by;
  unix_seconds recorded_at = 0;
  std::string ended_by;  // user id; empty while not ended
};

enum class review_state { pending, justified, unjustified };
std::string_view to_string(review_state state) noexcept;

struct stored_break_glass {
  std::string family_id;
  policy::break_glass_grant grant;
  std::string org_id;  // the requesting user's organisation
  review_state review = review_state::pending;
  std::string reviewed_by;  // user id
  std::optional<unix_seconds> reviewed_at;
  std::string review_note;
};

// Which part of the privacy officer's review queue to list.
enum class review_filter { pending, reviewed };

// A family with the policy facts of its members and legal grounds, ready for engine::prepare().
struct family_with_facts {
  stored_family family;
  policy::family facts;
};

class legal_store {
 public:
  explicit legal_store(const keys::keyring& keyring) : cases_(keyring) {}

  // Records a consent after checking it: the subject is a current member (or empty); every signer
  // is a member or a gezag holder of one; at least one recipient, purpose, category and domain,
  // organisations configured; valid_until after valid_from and, when `max_validity` is given (the
  // policy's maximum), at most that long; an evidence form reference and a signing date not after
  // `now`; a recording user. Whether the policy knows the domains is for the caller to check
  // (application/legal_grounds). errc::not_found for an unknown family.
  result<stored_consent> record_consent(store::connection& db, const std::string& family_id,
                                        const new_consent& consent, const recorder& by,
                                        unix_seconds now,
                                        std::optional<std::chrono::days> max_validity = {}) const;
  // Marks the consent withdrawn at `now`. errc::not_found when the family has no such consent;
  // errc::conflict when it was withdrawn already.
  result<stored_consent> withdraw_consent(store::connection& db, const std::string& family_id,
                                          const std::string& consent_id, const recorder& by,
                                          unix_seconds now) const;
  // Every consent of the family, withdrawn and expired ones included, oldest first.
  result<std::vector<stored_consent>> consents(store::connection& db,
                                               const std::string& family_id) const;

  // Records a coordination ground: decided_by and the three motivations (each at least
  // min_motivation_chars) are required, and either the date the family was informed (not after
  // `now`) or the reason it was not; valid_until after valid_from.
  result<stored_ground> record_ground(store::connection& db, const std::string& family_id,
                                      const new_ground& ground, const recorder& by,
                                      unix_seconds now) const;
  // Ends the ground at `now`. errc::not_found / errc::conflict as withdraw_consent.
  result<stored_ground> end_ground(store::connection& db, const std::string& family_id,
                                   const std::string& ground_id, const recorder& by,
                                   unix_seconds now) const;
  result<std::vector<stored_ground>> grounds(store::connection& db,
                                             const std::string& family_id) const;

  // Grants `by.user_id` break-the-glass access to the family from `now` for `requested`, capped at
  // the policy's maximum. The justification is checked first, by the policy's rule (field
  // "justification"); a grant needs a named user (field "user"). Every grant starts pending review.
  result<stored_break_glass> request_break_glass(store::connection& db,
                                                 const std::string& family_id, const recorder& by,
                                                 const std::string& justification,
                                                 std::chrono::minutes requested,
                                                 const policy::engine& policy,
                                                 unix_seconds now) const;
  // Every grant of the family, newest first.
  result<std::vector<stored_break_glass>> break_glass_grants(store::connection& db,
                                                             const std::string& family_id) const;
  // The review queue across families, oldest first (pending) or newest first (reviewed). Grants of
  // families whose key was destroyed are left out.
  result<std::vector<stored_break_glass>> review_queue(store::connection& db, review_filter filter,
                                                       std::size_t limit) const;
  // Records the outcome (justified or unjustified, with a note) of a pending grant, once.
  // errc::not_found for an unknown grant; errc::conflict when it was reviewed already;
  // errc::forbidden when the reviewer is the user who broke the glass.
  result<stored_break_glass> review(store::connection& db, const std::string& grant_id,
                                    review_state outcome, const recorder& reviewer,
                                    const std::string& note, unix_seconds now) const;

  // The policy facts of a family: members (labels, dates of birth, gezag) with every consent,
  // ground and break-the-glass grant, whatever their state: the engine judges validity at the
  // moment of the decision and explains what no longer holds.
  result<policy::family> family_facts(store::connection& db, const stored_family& family) const;
  // load_family + family_facts. errc::not_found for an unknown or erased family.
  result<family_with_facts> load_family_facts(store::connection& db,
                                              const std::string& family_id) const;

 private:
  case_store cases_;
};

// Unix seconds as a policy time point, and back.
policy::time_point to_time_point(unix_seconds t) noexcept;
unix_seconds to_unix_seconds(policy::time_point t) noexcept;

}  // namespace sluis::cases
