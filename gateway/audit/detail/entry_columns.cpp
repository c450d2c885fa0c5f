#include "gateway/audit/detail/entry_columns.hpp"

#include <boost/json/parse.hpp>
#include <string>

namespace sluis::audit::detail {

result<audit_entry> entry_from_row(const store::statement& row) {
  audit_entry e;
  e.seq = row.column_int64(0);
  const std::string at = std::to_string(e.seq);
  e.time = timestamp(std::chrono::milliseconds(row.column_int64(1)));
  e.actor_org = row.column_text(2);
  e.actor_user = row.column_text(3);
  e.action = row.column_text(4);
  e.resource = {std::string(row.column_text(5)), std::string(row.column_text(6))};
  e.family_id = row.column_text(7);
  e.purpose = row.column_text(8);
  e.legal_basis = row.column_text(9);
  auto kind = parse_outcome_kind(row.column_text(10));
  if (!kind) return error::corrupt("audit entry " + at + " has an unknown outcome");
  e.outcome = {*kind, std::string(row.column_text(11))};
  e.policy_version = row.column_text(12);
  e.request_id = row.column_text(13);
  const std::int64_t glass = row.column_int64(14);
  if (glass != 0 && glass != 1) return error::corrupt("audit entry " + at + " has a bad flag");
  e.break_glass = glass == 1;
  boost::system::error_code ec;
  auto detail = boost::json::parse(row.column_text(15), ec);
  if (ec || !detail.is_object()) return error::corrupt("audit entry " + at + " has a bad detail");
  e.detail = std::move(detail.as_object());
  return e;
}

}  // namespace sluis::audit::detail
