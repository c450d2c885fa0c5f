#pragma once
// Searching the audit log: for the privacy officer ("who opened this family's plan last week")
// and for a citizen's inzage request ("who saw my data, when, and on what basis").
//
// Filters combine with AND; an unset filter matches everything. Results are newest first (by
// sequence number). Stateless and thread-safe; runs on the caller's connection (a reader).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/error.hpp"
#include "gateway/audit/audit_entry.hpp"

namespace sluis::store {
class connection;
}

namespace sluis::audit {

struct search_filter {
  std::optional<std::string> subject;  // a pseudonym in lowercase hex: entries about this person
  std::optional<std::string> family_id;
  std::optional<std::string> actor_org;
  std::optional<std::string> actor_user;
  std::optional<std::string> action;
  std::optional<timestamp> from;   // inclusive
  std::optional<timestamp> until;  // exclusive
  // Only entries older than this sequence number: a cursor that stays put while the log grows,
  // unlike `offset` (each search appends an entry of its own).
  std::optional<std::int64_t> before_seq;
  std::int64_t limit = 100;  // 1 to 1000
  std::int64_t offset = 0;   // at least 0
};

// The matching entries, complete with subjects and detail. A limit or offset out of range is an
// invalid_argument error naming "limit" or "offset".
result<std::vector<audit_entry>> search(store::connection& db, const search_filter& filter);

}  // namespace sluis::audit
