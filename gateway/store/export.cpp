#include "gateway/store/export.hpp"

#include <sqlite3.h>

#include <chrono>
#include <system_error>

namespace sluis::store {
namespace {

struct progress_context {
  const export_progress* on_progress;
  std::filesystem::path target;
  std::uintmax_t expected;
  std::chrono::steady_clock::time_point last{};  // of the last report; the first call reports
};

// Called by SQLite every few thousand steps of the copy; reports at most five times a second.
int report_progress(void* raw) {
  auto* p = static_cast<progress_context*>(raw);
  const auto now = std::chrono::steady_clock::now();
  if (now - p->last < std::chrono::milliseconds(200)) return 0;
  p->last = now;
  (*p->on_progress)(size_of(p->target), p->expected);
  return 0;  // never interrupt the copy
}

}  // namespace

std::uintmax_t size_of(const std::filesystem::path& file) {
  std::error_code ec;
  const auto n = std::filesystem::file_size(file, ec);
  return ec ? 0 : n;
}

result<std::map<std::string, std::int64_t>> row_counts(connection& db, const std::string& schema) {
  auto st = db.prepare("SELECT name FROM " + schema +
                       ".sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'");
  if (!st) return st.error();
  std::map<std::string, std::int64_t> out;
  for (auto row = st->step(); row && *row; row = st->step()) out[std::string(st->column_text(0))];
  for (auto& [table, n] : out) {
    // Table names come from the file's own schema, not from input.
    std::string sql = "SELECT count(*) FROM ";
    sql.append(schema).append(".\"").append(table).append("\"");
    auto counted = query_int(db, sql);
    if (!counted) return counted.error();
    n = *counted;
  }
  return out;
}

result<void> export_database(connection& db, const std::string& into,
                             const std::filesystem::path& into_file, std::uintmax_t expected_bytes,
                             const export_progress& on_progress) {
  auto version = query_int(db, "PRAGMA main.user_version");
  if (!version) return version.error();
  progress_context context{&on_progress, into_file, expected_bytes};
  if (on_progress) sqlite3_progress_handler(db.native_handle(), 1000, report_progress, &context);
  auto exported = db.execute("SELECT sqlcipher_export('" + into + "')");
  sqlite3_progress_handler(db.native_handle(), 0, nullptr, nullptr);
  if (!exported) return exported.error();
  return db.execute("PRAGMA " + into + ".user_version = " + std::to_string(*version));
}

}  // namespace sluis::store
