#pragma once
// Copying a SQLCipher file of a legacy format (made on SQLCipher 3, with 4 KiB or 1 KiB pages)
// into one of the current format (SQLCipher 4's defaults): `sluis store upgrade`.
//
// The copy is made with sqlcipher_export into FILE.upgrade, under the same key; it is checked
// (integrity_check, and every table has as many rows as in the original) before it replaces FILE.
// The original stays beside it as FILE.sqlcipher3 until the operator removes it. The replacement is
// one rename: a crash at any moment leaves FILE either the original or the verified copy.
// Needs the file to itself (no gateway running: the caller holds the data directory's lock).

#include <cstdint>
#include <filesystem>
#include <functional>

#include "common/error.hpp"
#include "gateway/store/connection.hpp"
#include "keys/secret_bytes.hpp"

namespace sluis::store {

struct format_upgrade_progress {
  std::uintmax_t written_bytes = 0;  // of the new file so far
  std::uintmax_t source_bytes = 0;   // of the original
};

struct format_upgrade_report {
  bool already_upgraded = false;
  std::int64_t rows = 0;               // rows copied, over every table
  cipher_format from{current_format};  // the original's format
  std::filesystem::path kept;          // the original, FILE.sqlcipher3
  std::uintmax_t bytes_before = 0, bytes_after = 0;
};

// Upgrades `file` in place, calling `on_progress` now and then during the copy.
result<format_upgrade_report> upgrade_format(
    const std::filesystem::path& file, const keys::secret_bytes& key,
    const std::function<void(const format_upgrade_progress&)>& on_progress = {});

}  // namespace sluis::store
