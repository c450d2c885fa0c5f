#include "gateway/audit/search.hpp"

#include "gateway/audit/detail/entry_columns.hpp"
#include "gateway/store/connection.hpp"

namespace sluis::audit {
namespace {

constexpr std::int64_t max_limit = 1000;

result<audit_entry> read_entry(store::connection& db, const store::statement& row) {
  auto e = detail::entry_from_row(row);
  if (!e) return e.error();
  auto subjects =
      db.cached("SELECT pseudonym FROM audit_subjects WHERE seq = ?1 ORDER BY pseudonym");
  if (!subjects) return subjects.error();
  (*subjects)->bind(1, e->seq);
  while (true) {
    auto more = (*subjects)->step();
    if (!more) return more.error();
    if (!*more) break;
    e->subjects.emplace_back((*subjects)->column_text(0));
  }
  (*subjects)->reset();
  return e;
}

}  // namespace

result<std::vector<audit_entry>> search(store::connection& db, const search_filter& filter) {
  if (filter.limit < 1 || filter.limit > max_limit) {
    return error::invalid("limit", "must be between 1 and 1000");
  }
  if (filter.offset < 0) return error::invalid("offset", "must not be negative");

  // The SQL is built from fixed fragments only; every value goes through a bind, in the order
  // the fragments are added.
  std::string sql = "SELECT " + std::string(detail::entry_columns) + " FROM audit_log WHERE 1";
  std::vector<std::string_view> texts;
  const std::pair<const std::optional<std::string>*, std::string_view> text_filters[] = {
      {&filter.subject, " AND seq IN (SELECT seq FROM audit_subjects WHERE pseudonym = ?)"},
      {&filter.family_id, " AND family_id = ?"},
      {&filter.actor_org, " AND actor_org = ?"},
      {&filter.actor_user, " AND actor_user = ?"},
      {&filter.action, " AND action = ?"},
  };
  for (const auto& [value, fragment] : text_filters) {
    if (!*value) continue;
    sql += fragment;
    texts.emplace_back(**value);
  }
  std::vector<std::int64_t> numbers;
  if (filter.from) {
    sql += " AND at >= ?";
    numbers.push_back(filter.from->time_since_epoch().count());
  }
  if (filter.until) {
    sql += " AND at < ?";
    numbers.push_back(filter.until->time_since_epoch().count());
  }
  if (filter.before_seq) {
    sql += " AND seq < ?";
    numbers.push_back(*filter.before_seq);
  }
  sql += " ORDER BY seq DESC LIMIT ? OFFSET ?";
  numbers.push_back(filter.limit);
  numbers.push_back(filter.offset);

  auto s = db.prepare(sql);
  if (!s) return s.error();
  int index = 1;
  for (auto text : texts) s->bind(index++, text);
  for (auto number : numbers) s->bind(index++, number);

  std::vector<audit_entry> out;
  while (true) {
    auto row = s->step();
    if (!row) return row.error();
    if (!*row) break;
    auto entry = read_entry(db, *s);
    if (!entry) return entry.error();
    out.push_back(std::move(*entry));
  }
  return out;
}

}  // namespace sluis::audit
