#pragma once
// The policy engine: a compiled policy text that decides, for each record, how much a requester may
// see and why. Pure and deterministic: no I/O, no clock (the caller passes `now`). A const engine
// is safe for concurrent use from many threads; copies are cheap and share the compiled policy.

#include <boost/system/result.hpp>
#include <chrono>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "policy/decision.hpp"
#include "policy/facts.hpp"

namespace sluis::policy {

namespace detail {
struct compiled_policy;
struct compiled_rule;
struct engine_access;  // the policy analysis's view of the compiled form (detail/engine_access.hpp)

// A consent of the family, judged once per request against the requester, the purpose, `now` and
// its signers; only subject, category and domain are left to check per record.
struct consent_state {
  enum class signers_problem {
    none,
    subject_missing,
    gezag_holder_missing,
    minor_needs_gezag,
    family_signers_missing,
    unknown_subject
  };
  const consent* facts = nullptr;
  bool covers_requester = false;  // recipient and purpose
  consent_status state = consent_status::valid;
  signers_problem signers = signers_problem::none;  // why, when state is signatures_missing
};
}  // namespace detail

// One problem in a policy text, at a 1-based line and column.
struct diagnostic {
  std::string file;
  int line = 0;
  int column = 0;
  std::string message;
  std::string hint;  // how to fix it; may be empty
  // "FILE:LINE:COL: error: message (hint: ...)"
  std::string to_string() const;
};

// Every problem found in a policy text, in file order: checking does not stop at the first.
struct diagnostics {
  std::vector<diagnostic> items;
};

// Found by boost::system::result through argument-dependent lookup.
[[noreturn]] void throw_exception_from_error(const diagnostics& errors,
                                             const boost::source_location& loc);

class engine;

// The per-request work done once (requester, family and `now` resolved, consents, grounds and
// break-the-glass evaluated), so each record decision is cheap. Refers to the family passed to
// prepare(): the caller keeps it alive and unchanged while deciding. Safe for concurrent decide().
class prepared_request {
 public:
  // The decision for one record of the prepared family. `wanted` is the level the caller would
  // like to show; reasons explain any shortfall from it.
  decision decide(const record& rec, level wanted = level::full) const;
  // True when a complete coordination ground of the family is in force at `now`.
  bool coordination_ground_in_force() const noexcept { return ground_ == ground_state::valid; }

 private:
  friend class engine;
  friend struct detail::engine_access;
  prepared_request() = default;
  // True when the rule's legal basis holds for `rec`; otherwise fills `failure`.
  bool basis_holds(const detail::compiled_rule& rule, const record& rec, reason& failure) const;
  bool consent_holds(const record& rec, reason& failure) const;
  void ground_failure(reason& failure) const;

  std::shared_ptr<const detail::compiled_policy> policy_;
  requester requester_;
  const family* family_ = nullptr;
  time_point now_;
  std::vector<std::uint32_t> candidates_;  // rules whose who- and purpose-conditions hold
  std::vector<detail::consent_state> consents_;
  // When no ground holds, the one closest to holding: not yet started before ended or expired
  // before incomplete. `ground_date_` is its start (not_started), end or ending (expired).
  enum class ground_state { valid, missing, incomplete, expired, not_started, ended };
  ground_state ground_ = ground_state::missing;
  time_point ground_date_{};
  enum class glass_state { active, missing, expired } glass_ = glass_state::missing;
};

class engine {
 public:
  // Parses and validates `text`; `file_name` is used in diagnostics only. On failure, returns
  // every problem found, each with line, column and a hint.
  static boost::system::result<engine, diagnostics> compile(std::string_view text,
                                                            std::string_view file_name);

  // Content hash of the policy text (BLAKE2b-256, first 16 hex digits): every decision carries it.
  const std::string& version() const noexcept;
  std::size_t rule_count() const noexcept;
  // The highest level any permit rule of this policy can grant.
  level highest_permit_level() const noexcept;
  // Limits for break-the-glass requests (see validate_break_glass_request).
  std::chrono::minutes break_glass_max_duration() const noexcept;
  std::size_t break_glass_min_justification() const noexcept;
  const std::string& break_glass_reviewer_role() const noexcept;
  // [oversight] identify_families_by: whether the procesmanager's overview names each family by
  // its label and by its gezinsmanager (organisation and name). Both off unless the policy says.
  bool oversight_shows_label() const noexcept;
  bool oversight_shows_gezinsmanager() const noexcept;

  // Consent settings ([consent]): a consent counts for at most this long after its start; from
  // `child_with_gezag_from_age` a child signs together with a gezag holder, from
  // `child_alone_from_age` the person signs alone (ages at the moment of the request).
  std::chrono::days consent_max_validity() const noexcept;
  int child_with_gezag_from_age() const noexcept;
  int child_alone_from_age() const noexcept;

  // Who must sign a consent about `member_id` (empty: the family as a whole) at `now`, by the
  // thresholds above; `unknown_member` when `member_id` is not a member of `fam`.
  enum class signers {
    gezag_holder,              // under child_with_gezag_from_age
    subject_and_gezag_holder,  // from child_with_gezag_from_age to child_alone_from_age
    subject,                   // from child_alone_from_age
    every_member_of_age,       // a family consent: each member aged child_alone_from_age or more
    unknown_member
  };
  signers required_signers(const family& fam, const std::string& member_id, time_point now) const;
  // Where consent `c` stands at `now`: the one rule, for the engine's own decisions, the plan, the
  // API and the web UI. Withdrawn from its withdrawal on; not yet valid before valid_from; expired
  // from consent_end(c); signatures missing while the signatures required_signers() asks for are
  // not all there; else valid.
  consent_status status_of(const family& fam, const consent& c, time_point now) const;
  // The end of `c`'s validity: its own valid_until, or consent_max_validity() after valid_from when
  // that comes first (the family did agree, for at least that long).
  time_point consent_end(const consent& c) const;

  // The declared names: built-in and the policy's own roles, purposes, sectors and life domains,
  // and the organisation ids its rules may name, in declaration order.
  const std::vector<std::string>& roles() const noexcept;
  const std::vector<std::string>& purposes() const noexcept;
  const std::vector<std::string>& sectors() const noexcept;
  const std::vector<std::string>& domains() const noexcept;
  const std::vector<std::string>& organisations() const noexcept;

  // Every organisation the policy declares that `configured` (the ids of the gateway
  // configuration) does not contain, each at its declaration in the policy text, with a hint.
  // Empty when all are known. `sluis policy check --config` and the server's policy loading use it.
  diagnostics check_organisations(std::span<const std::string> configured) const;

  // The returned object copies `who` but refers to `fam`: keep the family alive and unchanged
  // while it is used (a temporary family is refused at compile time).
  prepared_request prepare(const requester& who, const family& fam, time_point now) const;
  prepared_request prepare(const requester& who, family&& fam, time_point now) const = delete;

  // prepare() + decide() for a single record.
  decision decide(const requester& who, const family& fam, const record& rec, time_point now,
                  level wanted = level::full) const;

 private:
  friend struct detail::engine_access;
  explicit engine(std::shared_ptr<const detail::compiled_policy> policy)
      : policy_(std::move(policy)) {}
  std::shared_ptr<const detail::compiled_policy> policy_;
};

}  // namespace sluis::policy
