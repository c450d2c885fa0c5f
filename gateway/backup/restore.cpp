#include "gateway/backup/restore.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <fstream>
#include <system_error>

#include "common/durable_file.hpp"
#include "gateway/audit/journal.hpp"
#include "gateway/audit/verify.hpp"
#include "gateway/backup/hex.hpp"
#include "gateway/backup/key_register.hpp"
#include "gateway/backup/manifest.hpp"
#include "gateway/config/config.hpp"
#include "gateway/store/store.hpp"
#include "keys/key_ring.hpp"

namespace sluis::backup {
namespace {

// Copies `name` from the backup with progress, then flushes it.
result<void> copy_file(const std::filesystem::path& from, const std::filesystem::path& to,
                       const std::string& name, const progress& on_progress) {
  std::ifstream in(from / name, std::ios::binary);
  std::ofstream out(to / name, std::ios::binary | std::ios::trunc);
  if (!in || !out) return error::io("cannot copy " + name + " from the backup");
  ::chmod((to / name).c_str(), 0600);
  std::error_code ec;
  const auto total = std::filesystem::file_size(from / name, ec);
  std::vector<char> buffer(1 << 20);
  std::uintmax_t written = 0;
  while (in) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    out.write(buffer.data(), in.gcount());
    written += static_cast<std::uintmax_t>(in.gcount());
    if (on_progress) on_progress(name, written, total);
  }
  out.close();
  if (in.bad() || !out) return error::io("cannot copy " + name + " from the backup");
  return sync_to_disk(to / name);
}

result<void> check_audit_log(const std::filesystem::path& file, const keys::keyring& keyring,
                             const manifest& m, restore_report& report) {
  auto db = store::connection::open(file, keyring.reveal_database_key_for_sqlcipher());
  if (!db) return db.error();
  auto verified = audit::verify(*db, keyring.audit_signer().public_key());
  if (!verified) return verified.error();
  if (!verified->ok())
    return error::corrupt("the audit log in the backup fails verification: " + verified->reason);
  auto head = db->prepare("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1");
  if (!head) return head.error();
  auto row = head->step();
  if (!row) return row.error();
  const std::int64_t last = *row ? head->column_int64(0) : 0;
  const std::string hash = *row ? to_hex(head->column_blob(1)) : std::string();
  if (last != m.audit_last_seq || hash != m.audit_head_hash)
    return error::corrupt(
        "the audit log in the backup does not end at the entry its signed "
        "manifest names (" +
        std::to_string(m.audit_last_seq) + "): it was cut short or changed");
  report.audit_entries = verified->entries_checked;
  return {};
}

// The register's keys of the families (and subjects) the backup holds.
result<void> put_keys_back(const std::filesystem::path& file, const keys::keyring& keyring,
                           const key_register& reg, restore_report& report) {
  auto db = store::connection::open(file, keyring.reveal_database_key_for_sqlcipher());
  if (!db) return db.error();
  if (auto r = db->execute("BEGIN IMMEDIATE"); !r) return r;
  for (const auto& k : reg.family_keys) {
    auto put = store::exec(*db,
                           "INSERT INTO family_keys (family_id, key_id, kek_version, wrapped, "
                           "created_at) SELECT ?, ?, ?, ?, ? WHERE EXISTS "
                           "(SELECT 1 FROM families WHERE id = ?)",
                           k.owner, k.key_id, k.kek_version,
                           std::span<const unsigned char>(k.wrapped), k.created_at, k.owner);
    if (!put) return put;
    report.keys_restored += db->changes();
  }
  for (const auto& k : reg.subject_keys) {
    bool ok = false;
    const auto pseudonym = bytes_from_hex(k.owner, ok);
    if (!ok) return error::corrupt("the key register holds a malformed pseudonym");
    auto put = store::exec(*db,
                           "INSERT OR IGNORE INTO subject_keys (pseudonym, key_id, kek_version, "
                           "wrapped, created_at) VALUES (?, ?, ?, ?, ?)",
                           std::span<const unsigned char>(pseudonym), k.key_id, k.kek_version,
                           std::span<const unsigned char>(k.wrapped), k.created_at);
    if (!put) return put;
  }
  auto families = store::query_int(*db, "SELECT count(*) FROM families");
  if (!families) return families.error();
  report.families_without_key = *families - report.keys_restored;
  std::string usable = "0";
  for (const auto& v : keyring.status().kek_versions)
    if (v.status != keys::key_status::retired) usable += ", " + std::to_string(v.version);
  auto stale = store::query_int(
      *db, "SELECT count(*) FROM users WHERE totp_kek_version NOT IN (" + usable + ")");
  if (!stale) return stale.error();
  report.users_to_reset = *stale;
  if (auto r = db->execute("COMMIT"); !r) return r;
  auto check = db->prepare("PRAGMA quick_check");
  if (!check) return check.error();
  auto row = check->step();
  if (!row) return row.error();
  if (!*row || check->column_text(0) != "ok")
    return error::corrupt("the case data in the backup fails SQLite's integrity check");
  return {};
}

// The policy goes where the restored config.toml looks for it.
result<void> place_policy(const std::filesystem::path& staging,
                          const std::filesystem::path& data_dir, restore_report& report) {
  auto text = read_whole_file(staging / config::config_file_name);
  if (!text) return text.error();
  auto cfg = config::parse(*text, config::config_file_name, data_dir);
  if (!cfg) return cfg.error();
  const auto inside = cfg->policy_file.lexically_relative(data_dir);
  if (inside.empty() || *inside.begin() == "..") {
    report.note = "config.toml names the policy file " + cfg->policy_file.string() +
                  ", outside the data directory; the backup's copy is " +
                  (data_dir / "policy.toml").string();
    return {};
  }
  if (inside == "policy.toml") return {};
  std::error_code ec;
  std::filesystem::create_directories((staging / inside).parent_path(), ec);
  std::filesystem::rename(staging / "policy.toml", staging / inside, ec);
  if (ec) return error::io("cannot put the policy at " + (data_dir / inside).string());
  return {};
}

result<restore_report> restore_into(const std::filesystem::path& from,
                                    const std::filesystem::path& key_register_file,
                                    const keys::kek_source& source,
                                    const std::filesystem::path& staging,
                                    const std::filesystem::path& data_dir,
                                    const progress& on_progress) {
  auto keyring_text = keyring_of_register(key_register_file);
  if (!keyring_text) return keyring_text.error();
  const auto keyring_file = staging / keys::keyring::default_file_name;
  if (auto r = write_file_durably(keyring_file, *keyring_text, 0600); !r) return r.error();
  auto keyring = keys::keyring::open(keyring_file, source);
  if (!keyring) return keyring.error();
  auto m = read_and_check(from, keyring->audit_signer().public_key());
  if (!m) return m.error();
  auto reg = open_key_register(key_register_file, *keyring);
  if (!reg) return reg.error();

  restore_report report;
  report.taken_at = m->taken_at;
  report.families = m->families;
  report.contributions = m->contributions;
  for (const auto& f : m->files)
    if (auto r = copy_file(from, staging, f.name, on_progress); !r) return r.error();
  if (auto r = check_audit_log(staging / audit::journal::file_name, *keyring, *m, report); !r)
    return r.error();
  if (auto r = put_keys_back(staging / store::store::file_name, *keyring, *reg, report); !r)
    return r.error();
  if (auto r = place_policy(staging, data_dir, report); !r) return r.error();
  if (reg->taken_at < m->taken_at) {
    if (!report.note.empty()) report.note += "; ";
    report.note +=
        "the key register is older than the backup: families registered between them "
        "have no key";
  }
  return report;
}

}  // namespace

result<restore_report> restore_backup(const std::filesystem::path& from,
                                      const std::filesystem::path& key_register_file,
                                      const keys::kek_source& source,
                                      const std::filesystem::path& data_dir,
                                      const progress& on_progress) {
  std::error_code ec;
  if (std::filesystem::exists(data_dir, ec))
    return error::conflict(data_dir.string() + " exists: restore into a new directory");
  const std::filesystem::path staging = data_dir.string() + ".partial";
  std::filesystem::remove_all(staging, ec);  // left by an interrupted restore
  if (!std::filesystem::create_directories(staging, ec) || ::chmod(staging.c_str(), 0700) != 0)
    return error::io("cannot create " + staging.string());
  auto report = restore_into(from, key_register_file, source, staging,
                             std::filesystem::absolute(data_dir), on_progress);
  if (!report) {
    std::filesystem::remove_all(staging, ec);
    return report.error();
  }
  std::filesystem::rename(staging, data_dir, ec);
  if (ec) return error::io("cannot move " + staging.string() + " to " + data_dir.string());
  if (auto r = sync_to_disk(std::filesystem::absolute(data_dir).parent_path()); !r)
    return r.error();
  return report;
}

}  // namespace sluis::backup
