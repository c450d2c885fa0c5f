#include "gateway/backup/backup.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <chrono>
#include <system_error>

#include "common/durable_file.hpp"
#include "gateway/audit/journal.hpp"
#include "gateway/backup/hex.hpp"
#include "gateway/backup/key_register.hpp"
#include "gateway/backup/manifest.hpp"
#include "gateway/config/config.hpp"
#include "gateway/store/export.hpp"
#include "gateway/store/store.hpp"

namespace sluis::backup {
namespace {

std::int64_t now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

result<std::vector<key_row>> key_rows(store::connection& db, const char* sql, bool owner_is_blob) {
  auto st = db.prepare(sql);
  if (!st) return st.error();
  std::vector<key_row> rows;
  for (;;) {
    auto row = st->step();
    if (!row) return row.error();
    if (!*row) return rows;
    const auto wrapped = st->column_blob(3);
    rows.push_back({owner_is_blob ? to_hex(st->column_blob(0)) : std::string(st->column_text(0)),
                    std::string(st->column_text(1)),
                    st->column_int64(2),
                    {wrapped.begin(), wrapped.end()},
                    st->column_int64(4)});
  }
}

// Everything `db` (a connection) runs inside BEGIN ... COMMIT: one snapshot for all of it.
template <class Body>
result<void> in_one_snapshot(store::connection& db, Body body) {
  if (auto r = db.execute("BEGIN"); !r) return r;
  auto done = body();
  if (!done) {
    (void)db.execute("ROLLBACK");
    return done;
  }
  return db.execute("COMMIT");
}

// The copy's progress as `on_progress` reports it, named after the file being copied.
store::export_progress for_file(const progress& on_progress, const char* name) {
  if (!on_progress) return {};
  return [&on_progress, name](std::uintmax_t written, std::uintmax_t expected) {
    on_progress(name, written, expected);
  };
}

std::uintmax_t database_bytes(const std::filesystem::path& file) {
  return store::size_of(file) + store::size_of(file.string() + "-wal");
}

// Step 1: the case data into TO/sluis.db and the keys into `reg`, from one snapshot.
result<void> copy_cases(const std::filesystem::path& data_dir, const keys::secret_bytes& key,
                        const std::filesystem::path& staging, key_register& reg, manifest& m,
                        const progress& on_progress) {
  const auto source = data_dir / store::store::file_name;
  const auto target = staging / store::store::file_name;
  auto db = store::connection::open(source, key);
  if (!db) return db.error();
  if (auto r = db->attach(target, "snapshot", key); !r) return r;
  auto copied = in_one_snapshot(*db, [&]() -> result<void> {
    // The first read fixes the snapshot; every statement below sees the same one.
    auto families = store::query_int(*db, "SELECT count(*) FROM main.families");
    if (!families) return families.error();
    m.taken_at = reg.taken_at = now_seconds();
    m.families = *families;
    auto contributions = store::query_int(*db, "SELECT count(*) FROM main.contributions");
    if (!contributions) return contributions.error();
    m.contributions = *contributions;
    auto exported = store::export_database(*db, "snapshot", target, database_bytes(source),
                                           for_file(on_progress, store::store::file_name));
    if (!exported) return exported;
    auto family_keys = key_rows(
        *db, "SELECT family_id, key_id, kek_version, wrapped, created_at FROM main.family_keys",
        false);
    if (!family_keys) return family_keys.error();
    auto subject_keys = key_rows(
        *db, "SELECT pseudonym, key_id, kek_version, wrapped, created_at FROM main.subject_keys",
        true);
    if (!subject_keys) return subject_keys.error();
    reg.family_keys = std::move(*family_keys);
    reg.subject_keys = std::move(*subject_keys);
    // The backup holds no key: with secure_delete the rows' bytes are overwritten, not freed.
    return db->execute(
        "PRAGMA snapshot.secure_delete = ON; DELETE FROM snapshot.family_keys; "
        "DELETE FROM snapshot.subject_keys;");
  });
  if (!copied) return copied;
  return db->execute("DETACH DATABASE snapshot");
}

// Step 2: the audit log into TO/audit.db, and its head into the manifest.
result<void> copy_audit_log(const std::filesystem::path& data_dir, const keys::secret_bytes& key,
                            const std::filesystem::path& staging, manifest& m,
                            const progress& on_progress) {
  const auto source = data_dir / audit::journal::file_name;
  const auto target = staging / audit::journal::file_name;
  auto db = store::connection::open(source, key);
  if (!db) return db.error();
  if (auto r = db->attach(target, "snapshot", key); !r) return r;
  auto copied = in_one_snapshot(*db, [&]() -> result<void> {
    auto head = db->prepare("SELECT seq, hash FROM main.audit_log ORDER BY seq DESC LIMIT 1");
    if (!head) return head.error();
    auto row = head->step();
    if (!row) return row.error();
    if (*row) {
      m.audit_last_seq = head->column_int64(0);
      m.audit_head_hash = to_hex(head->column_blob(1));
    }
    head->reset();
    return store::export_database(*db, "snapshot", target, database_bytes(source),
                                  for_file(on_progress, audit::journal::file_name));
  });
  if (!copied) return copied;
  return db->execute("DETACH DATABASE snapshot");
}

// The file descriptor of KEY_REGISTER.lock, closed (and so unlocked) at the end of its scope.
struct register_lock {
  int fd;
  ~register_lock() {
    if (fd >= 0) ::close(fd);
  }
};

result<void> copy_text(const std::filesystem::path& from, const std::filesystem::path& to) {
  auto text = read_whole_file(from);
  if (!text) return text.error();
  return write_file_durably(to, *text, 0600);
}

// Steps 1 to 4 into `staging`, and the key register.
result<backup_report> copy_into(const std::filesystem::path& data_dir, const keys::keyring& keyring,
                                const std::filesystem::path& staging,
                                const std::string& keyring_before,
                                const std::filesystem::path& key_register_file,
                                const progress& on_progress) {
  auto config = config::load(data_dir);
  if (!config) return config.error();
  manifest m;
  key_register reg;
  const auto key = keyring.reveal_database_key_for_sqlcipher();
  if (auto r = copy_cases(data_dir, key, staging, reg, m, on_progress); !r) return r.error();
  if (auto r = copy_audit_log(data_dir, key, staging, m, on_progress); !r) return r.error();
  if (auto r = copy_text(data_dir / config::config_file_name, staging / config::config_file_name);
      !r)
    return r.error();
  if (auto r = copy_text(config->policy_file, staging / "policy.toml"); !r) return r.error();

  // A rotation that retired a KEK version between reading the keys and now could leave the
  // register's keys wrapped under a version its keyring no longer has.
  auto keyring_after = read_whole_file(data_dir / keys::keyring::default_file_name);
  if (!keyring_after) return keyring_after.error();
  if (*keyring_after != keyring_before)
    return error::conflict("the keyring changed during the backup (a key rotation): run it again");

  backup_report report{{},
                       m.taken_at,
                       m.families,
                       m.contributions,
                       static_cast<std::int64_t>(reg.family_keys.size()),
                       static_cast<std::int64_t>(reg.subject_keys.size()),
                       m.audit_last_seq,
                       0};
  for (const auto name_view : manifest::contents) {
    const std::string name(name_view);
    ::chmod((staging / name).c_str(), 0600);
    if (auto r = sync_to_disk(staging / name); !r) return r.error();
    auto described = describe_file(staging, name);
    if (!described) return described.error();
    report.bytes += described->bytes;
    m.files.push_back(std::move(*described));
  }
  if (auto r = write_manifest(staging, m, keyring.audit_signer()); !r) return r.error();
  // The register first: a backup that is there always has a register at least as new.
  if (auto r = write_key_register(key_register_file, reg, keyring_before, keyring); !r)
    return r.error();
  return report;
}

}  // namespace

result<backup_report> take_backup(const std::filesystem::path& data_dir,
                                  const keys::keyring& keyring, const std::filesystem::path& to,
                                  const std::filesystem::path& key_register_file,
                                  const progress& on_progress) {
  std::error_code ec;
  if (std::filesystem::exists(to, ec))
    return error::conflict(to.string() + " exists: a backup goes into a new directory");
  // One backup at a time writes a key register (held until this function returns).
  const std::string lock_file = key_register_file.string() + ".lock";
  const register_lock lock{::open(lock_file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600)};
  if (lock.fd < 0) return error::io("cannot open " + lock_file);
  if (::flock(lock.fd, LOCK_EX | LOCK_NB) != 0)
    return error::conflict("another sluis backup is writing the key register " +
                           key_register_file.string());
  if (!std::filesystem::exists(data_dir / audit::journal::file_name, ec))
    return error::unavailable("no audit.db in " + data_dir.string() +
                              ": start the gateway once, which moves the log there");
  auto keyring_before = read_whole_file(data_dir / keys::keyring::default_file_name);
  if (!keyring_before) return keyring_before.error();

  const std::filesystem::path staging = to.string() + ".partial";
  std::filesystem::remove_all(staging, ec);  // left by an interrupted backup
  if (!std::filesystem::create_directories(staging, ec) || ::chmod(staging.c_str(), 0700) != 0)
    return error::io("cannot create " + staging.string());

  auto report =
      copy_into(data_dir, keyring, staging, *keyring_before, key_register_file, on_progress);
  if (!report) {
    std::filesystem::remove_all(staging, ec);  // nothing half-made is left behind
    return report.error();
  }
  report->dir = to;
  std::filesystem::rename(staging, to, ec);
  if (ec) return error::io("cannot move " + staging.string() + " to " + to.string());
  if (auto r = sync_to_disk(to.has_parent_path() ? to.parent_path() : "."); !r) return r.error();
  if (auto r = write_file_durably(
          data_dir / last_backup_file_name,
          boost::json::serialize(boost::json::object{{"taken_at", report->taken_at}}) + "\n", 0600);
      !r)
    return r.error();
  return report;
}

std::int64_t last_backup_time(const std::filesystem::path& data_dir) {
  auto text = read_whole_file(data_dir / last_backup_file_name);
  if (!text) return 0;
  boost::system::error_code ec;
  const auto doc = boost::json::parse(*text, ec);
  if (ec || !doc.is_object()) return 0;
  const auto* at = doc.as_object().if_contains("taken_at");
  return at && at->is_int64() ? at->as_int64() : 0;
}

}  // namespace sluis::backup
