#include "gateway/store/format_upgrade.hpp"

#include <string>
#include <system_error>

#include "gateway/store/connection.hpp"
#include "gateway/store/export.hpp"

namespace sluis::store {
namespace {

void remove_with_sidecars(const std::filesystem::path& file) {
  std::error_code ec;
  for (const char* suffix : {"", "-wal", "-shm", "-journal"})
    std::filesystem::remove(file.string() + suffix, ec);
}

}  // namespace

result<format_upgrade_report> upgrade_format(
    const std::filesystem::path& file, const keys::secret_bytes& key,
    const std::function<void(const format_upgrade_progress&)>& on_progress) {
  format_upgrade_report report;
  const std::filesystem::path target = file.string() + ".upgrade";
  report.kept = file.string() + ".sqlcipher3";
  {
    auto old = connection::open(file, key);
    if (!old) return old.error();
    report.from = old->format();
    if (report.from == current_format) {
      report.already_upgraded = true;
      return report;
    }
    // Everything into the main file first, so that the copy and the sizes see all of it.
    if (auto r = old->execute("PRAGMA wal_checkpoint(TRUNCATE)"); !r) return r.error();
    report.bytes_before = size_of(file);
    remove_with_sidecars(target);  // left by an interrupted upgrade
    if (auto r = old->attach(target, "upgraded", key); !r) return r.error();
    auto exported = export_database(
        *old, "upgraded", target, report.bytes_before,
        on_progress ? export_progress([&](std::uintmax_t written, std::uintmax_t expected) {
          on_progress({written, expected});
        })
                    : export_progress{});
    if (!exported) return exported.error();

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
    // The copy opens on its own, in the current format, and SQLite finds nothing wrong in it.
    auto copy = connection::open(target, key);
    if (!copy) return copy.error();
    if (copy->format() != current_format)
      return error::internal("the copy of " + file.string() + " is not in the current format");
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
