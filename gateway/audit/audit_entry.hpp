#pragma once
// One audit entry: who did what to which resource, about whom, for which purpose and on which legal
// basis, with what outcome. Entries are values; the audit log assigns `seq` and `time`.
//
// An entry never holds personal data. Subjects are pseudonyms (hex), the resource and family are
// identified by ids, and `detail` carries counts and codes only (e.g. {"shown": 4, "hidden":
// {"no_consent": 2}}). Callers must never put a name, a BSN, a date of birth or free text written
// by a professional into any field, including `detail`: the log is kept for years, is searched by
// privacy officers and is shown (in part) to citizens for inzage. validate() rejects what it can
// recognise (malformed pseudonyms, unstable JSON), but it cannot recognise a name.

#include <boost/json/object.hpp>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.hpp"

namespace sluis::audit {

using timestamp = std::chrono::sys_time<std::chrono::milliseconds>;

enum class outcome_kind { ok, refused, error };

std::string_view to_string(outcome_kind kind) noexcept;
// Parses "ok", "refused" or "error"; anything else is an invalid_argument error.
result<outcome_kind> parse_outcome_kind(std::string_view text);

// The outcome of the audited action; `code` is short and stable ("no_consent", "cert_expired",
// "store_unavailable"), empty for a plain success.
struct outcome {
  outcome_kind kind = outcome_kind::ok;
  std::string code;

  friend bool operator==(const outcome&, const outcome&) = default;
};

// What the action was about: a type ("family", "contribution", "plan", "policy", "key",
// "connection") and an id of that type. Never personal data.
struct resource {
  std::string type;
  std::string id;

  friend bool operator==(const resource&, const resource&) = default;
};

struct audit_entry {
  std::int64_t seq = 0;    // assigned by the log (1, 2, 3, ...); ignored on append
  timestamp time{};        // UTC, milliseconds; assigned by the log on append
  std::string actor_org;   // the organisation id from the configuration
  std::string actor_user;  // empty when an organisation's system acts through its certificate
  std::string action;      // stable dotted verb: "contribution.submit", "plan.view", "tls.refused"
  audit::resource resource;
  std::string family_id;              // empty when the action concerns no family
  std::vector<std::string> subjects;  // pseudonyms as lowercase hex; sorted and deduplicated
  std::string purpose;                // e.g. "coordination", "inzage"
  std::string legal_basis;            // "consent", "coordination", "vital-interest", or empty
  audit::outcome outcome;
  std::string policy_version;  // the content hash of the policy that decided, or empty
  std::string request_id;
  bool break_glass = false;
  // Counts and codes only. Integers, strings, booleans, null, arrays and objects; no floating
  // point, because its text form is not stable enough to hash.
  boost::json::object detail;

  friend bool operator==(const audit_entry&, const audit_entry&) = default;
};

// Checks an entry before it is appended: action is a dotted lowercase verb, subjects are
// lowercase hex pseudonyms of at least 128 bits, outcome codes are set on refusals and errors,
// no field holds control characters, `detail` holds no floating point and encodes to at most
// 4 KiB. The error names the field at fault and never echoes its value.
result<void> validate(const audit_entry& entry);

// The entry as it will be stored: subjects sorted and deduplicated.
void normalise(audit_entry& entry);

}  // namespace sluis::audit
