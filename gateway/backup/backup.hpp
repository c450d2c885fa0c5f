#pragma once
// `sluis backup`: a consistent, signed copy of a data directory, taken while the gateway serves.
//
// What is copied, and in which order (see docs/operations.md, "Backups"):
//   1. sluis.db, inside one read transaction: sqlcipher_export of the case data into the backup,
//      and the family and subject keys into the key register (key_register.hpp) from the same
//      snapshot; the backup's copy then has no key (its key tables are emptied with secure_delete).
//      Every write acknowledged before this transaction began is in the copy.
//   2. audit.db, in a read transaction begun after step 1's: the log holds every entry of the case
//      writes in step 1's copy (an entry is appended before its write is answered, and entries a
//      crash left in the outbox are in the copy's outbox and are appended when it is first served).
//   3. config.toml and the policy file, as they are.
//   4. manifest.json with every file's digest and the audit head, signed (manifest.hpp).
// The backup is written to TO.partial and renamed to TO when complete: TO is never half there.
// The copies stay encrypted under the data directory's database key (which key rotation does not
// change); the keyring itself is in the key register, never in the backup.
//
// Reads only: it takes no lock and works beside a running gateway, whose writers go on; the WAL
// grows while the copy runs and is checkpointed afterwards.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string_view>

#include "common/error.hpp"
#include "keys/key_ring.hpp"

namespace sluis::backup {

// Which file is being copied, how many bytes of it so far, of about `expected`.
using progress =
    std::function<void(std::string_view file, std::uintmax_t written, std::uintmax_t expected)>;

struct backup_report {
  std::filesystem::path dir;
  std::int64_t taken_at = 0;
  std::int64_t families = 0, contributions = 0;
  std::int64_t family_keys = 0, subject_keys = 0;  // written to the key register
  std::int64_t audit_last_seq = 0;
  std::uintmax_t bytes = 0;  // of the backup directory
};

// The file in the data directory that records the last successful backup (its time, for the
// metric sluis_backup_last_success_timestamp_seconds).
inline constexpr const char* last_backup_file_name = "last-backup.json";

// Backs up `data_dir` (opened with `keyring`) into the new directory `to`, and replaces
// `key_register_file` with the keys of the same snapshot. errc::conflict when `to` exists;
// errc::conflict too when another backup is writing the same key register (KEY_REGISTER.lock), or
// when the keyring file changed during the backup (a key rotation: run it
// again). On success DATA_DIR/last-backup.json records the time.
result<backup_report> take_backup(const std::filesystem::path& data_dir,
                                  const keys::keyring& keyring, const std::filesystem::path& to,
                                  const std::filesystem::path& key_register_file,
                                  const progress& on_progress = {});

// The time of the last successful backup of `data_dir` (unix seconds), or 0 when there was none.
std::int64_t last_backup_time(const std::filesystem::path& data_dir);

}  // namespace sluis::backup
