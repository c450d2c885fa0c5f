#include "gateway/store/page_upgrade.hpp"

#include <sqlite3.h>

#include <chrono>
#include <map>
#include <string>
#include <system_error>

#include "gateway/store/connection.hpp"

namespace sluis::store {
namespace {

std::uintmax_t size_of(const std::filesystem::path& file) {
  std::error_code ec;
  const auto n = std::filesystem::file_size(file, ec);
  return ec ? 0 : n;
}

void remove_with_sidecars(const std::filesystem::path& file) {
  std::error_code ec;
  for (const char* suffix : {"", "-wal", "-shm", "-journal"})
    std::filesystem::remove(file.string() + suffix, ec);
}

result<std::int64_t> single_int(connection& c, const std::string& sql) {
  auto st = c.prepare(sql);
  if (!st) return st.error();
  auto row = st->step();
  if (!row) return row.error();
  return *row ? st->column_int64(0) : 0;
}

// Row counts of every table of `schema` ("main" or an attached name).
result<std::map<std::string, std::int64_t>> row_counts(connection& c, const std::string& schema) {
  auto st = c.prepare("SELECT name FROM " + schema +
                      ".sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'");
  if (!st) return st.error();
  std::map<std::string, std::int64_t> out;
  for (auto row = st->step(); row && *row; row = st->step()) out[std::string(st->column_text(0))];
  for (auto& [table, n] : out) {
    // Table names come from the file's own schema, not from input.
    auto counted = single_int(c, "SELECT count(*) FROM " + schema + ".\"" + table + "\"");
    if (!counted) return counted.error();
    n = *counted;
  }
  return out;
}

struct progress_context {
  const std::function<void(const page_upgrade_progress&)>* on_progress;
  std::filesystem::path target;
  std::uintmax_t source_bytes;
  std::chrono::steady_clock::time_point last{};  // of the last report; the first call reports
};

// Called by SQLite every few thousand steps of the copy; reports at most five times a second.
int report_progress(void* raw) {
  auto* p = static_cast<progress_context*>(raw);
  const auto now = std::chrono::steady_clock::now();
  if (now - p->last < std::chrono::milliseconds(200)) return 0;
  p->last = now;
  (*p->on_progress)({size_of(p->target), p->source_bytes});
  return 0;  // never interrupt the copy
}

}  // namespace

result<page_upgrade_report> upgrade_page_size(
    const std::filesystem::path& file, const keys::secret_bytes& key,
    const std::function<void(const page_upgrade_progress&)>& on_progress) {
  page_upgrade_report report;
  const std::filesystem::path target = file.string() + ".upgrade";
  report.kept = file.string() + ".1k-pages";
  {
    auto old = connection::open(file, key);
    if (!old) return old.error();
    if (old->cipher_page_size() == page_size) {
      report.already_upgraded = true;
      return report;
    }
    // Everything into the main file first, so that the copy and the sizes see all of it.
    if (auto r = old->execute("PRAGMA wal_checkpoint(TRUNCATE)"); !r) return r.error();
    report.bytes_before = size_of(file);
    remove_with_sidecars(target);  // left by an interrupted upgrade
    if (auto r = old->attach(target, "upgraded", key); !r) return r.error();
    auto version = single_int(*old, "PRAGMA main.user_version");
    if (!version) return version.error();

    progress_context context{&on_progress, target, report.bytes_before};
    if (on_progress)
      sqlite3_progress_handler(old->native_handle(), 1000, report_progress, &context);
    auto exported = old->execute("SELECT sqlcipher_export('upgraded')");
    sqlite3_progress_handler(old->native_handle(), 0, nullptr, nullptr);
    if (!exported) return exported.error();
    // sqlcipher_export copies schema and rows, not the schema version.
    if (auto r = old->execute("PRAGMA upgraded.user_version = " + std::to_string(*version)); !r)
      return r.error();

    auto before = row_counts(*old, "main");
    if (!before) return before.error();
    auto after = row_counts(*old, "upgraded");
    if (!after) return after.error();
    if (*before != *after)
      return error::corrupt("the copy of " + file.string() + " differs from the original");
    for (const auto& [table, n] : *before) report.rows += n;
    if (auto r = old->execute("DETACH DATABASE upgraded"); !r) return r.error();
  }
  {
    // The copy opens on its own, with 4 KiB pages, and SQLite finds nothing wrong in it.
    auto copy = connection::open(target, key);
    if (!copy) return copy.error();
    if (copy->cipher_page_size() != page_size)
      return error::internal("the copy of " + file.string() + " does not have 4 KiB pages");
    auto check = copy->prepare("PRAGMA integrity_check");
    if (!check) return check.error();
    auto row = check->step();
    if (!row) return row.error();
    if (!*row || check->column_text(0) != "ok")
      return error::corrupt("the copy of " + file.string() + " fails its integrity check");
  }
  // Keep the original under a second name, then replace it in one rename.
  std::error_code ec;
  std::filesystem::remove(report.kept, ec);
  std::filesystem::create_hard_link(file, report.kept, ec);
  if (ec)
    return error::io("cannot keep the original as " + report.kept.string() + ": " + ec.message());
  std::filesystem::rename(target, file, ec);
  if (ec)
    return error::io("cannot put the copy in place of " + file.string() + ": " + ec.message());
  report.bytes_after = size_of(file);
  return report;
}

}  // namespace sluis::store
