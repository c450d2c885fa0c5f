#pragma once
// `sluis restore`: a backup (backup.hpp) and the key register into a new data directory.
//
// Nothing is accepted before it is checked, in this order:
//   1. the key register's keyring opens with the passphrase or key file;
//   2. the backup's manifest is signed by that keyring's audit key, and every file has the size
//      and SHA-256 the manifest lists (and there is no file it does not list);
//   3. the register's signature verifies and its sealed keys open;
//   4. the copied audit log verifies in full (audit::verify: chain, checkpoints) and ends at the
//      entry, with the hash, that the signed manifest names, so a log cut short is refused too.
// Then the register's keys are put back for the families the backup holds. A family erased after
// the backup has no key in the register: its rows come back sealed, unreadable for everyone, as
// on the live gateway (the report counts them). The directory is assembled in DIR.partial and
// renamed to DIR when complete. The first `sluis serve` of DIR appends any audit entry still in
// the copied outbox (journal.hpp), as after a crash.

#include <cstdint>
#include <filesystem>
#include <string>

#include "common/error.hpp"
#include "gateway/backup/backup.hpp"
#include "keys/kek.hpp"

namespace sluis::backup {

struct restore_report {
  std::int64_t taken_at = 0;  // of the backup
  std::int64_t families = 0, contributions = 0;
  std::int64_t keys_restored = 0;         // family keys put back
  std::int64_t families_without_key = 0;  // erased after the backup (or newer than the register)
  std::int64_t audit_entries = 0;         // verified
  std::int64_t users_to_reset = 0;        // second factor wrapped under a retired KEK version
  std::string note;                       // for the operator, or empty
};

// errc::conflict when `data_dir` exists; errc::crypto or errc::corrupt (naming what failed) for a
// backup or register that fails a check; nothing is left behind on any error.
result<restore_report> restore_backup(const std::filesystem::path& from,
                                      const std::filesystem::path& key_register_file,
                                      const keys::kek_source& source,
                                      const std::filesystem::path& data_dir,
                                      const progress& on_progress = {});

}  // namespace sluis::backup
