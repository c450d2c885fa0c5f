#pragma once
// Copying a whole SQLCipher database into an attached one with sqlcipher_export, the supported
// way to copy an encrypted file (SQLCipher 3 has no VACUUM INTO, and SQLite's backup API does not
// support encrypted databases). Used by `sluis store upgrade` and `sluis backup`.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <string>

#include "common/error.hpp"
#include "gateway/store/connection.hpp"

namespace sluis::store {

// How far a copy is: bytes of the new file so far, of about `expected` in all.
using export_progress = std::function<void(std::uintmax_t written, std::uintmax_t expected)>;

// Copies every table, index and row of `db`'s main database into the attached schema `into`
// (whose file is `into_file`), and its user_version, which sqlcipher_export leaves out.
// `on_progress`, when given, is called at most five times a second while the copy runs. Inside a
// transaction the caller began (and had read from), the copy is of that transaction's snapshot.
result<void> export_database(connection& db, const std::string& into,
                             const std::filesystem::path& into_file, std::uintmax_t expected_bytes,
                             const export_progress& on_progress = {});

// Row counts of every table of `schema` ("main" or an attached name), by table name.
result<std::map<std::string, std::int64_t>> row_counts(connection& db, const std::string& schema);

// The size of `file` in bytes, or 0 when it cannot be read.
std::uintmax_t size_of(const std::filesystem::path& file);

}  // namespace sluis::store
