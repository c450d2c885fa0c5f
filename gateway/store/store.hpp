#pragma once
// One database of a data directory (DIR/sluis.db for case data; the audit log has DIR/audit.db),
// encrypted, migrated, with one writer and a pool of readers.
//
// open() keys the database (the key comes from keyring::reveal_database_key_for_sqlcipher()),
// applies migrations and starts the writer; a wrong key gives errc::crypto and nothing is left
// open. Writes go through writes(), reads through reads(). All members are thread-safe, except
// rekey(), which needs the store to itself.

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <span>
#include <string>

#include "common/error.hpp"
#include "gateway/store/connection.hpp"
#include "gateway/store/migrations.hpp"
#include "gateway/store/reader_pool.hpp"
#include "gateway/store/writer.hpp"
#include "keys/secret_bytes.hpp"

namespace sluis::store {

struct store_options {
  // The database's file inside the data directory, and the migrations that make its schema.
  std::string file_name = "sluis.db";
  std::span<const migration> schema = migrations();
  std::size_t readers = 4;
  std::size_t max_batch = 256;
  std::chrono::milliseconds busy_timeout{5000};
  // Called on the writer thread with each committed batch's size (for metrics).
  std::function<void(std::size_t)> on_batch = {};
};

class store {
 public:
  // The case database's file name inside the data directory.
  static constexpr const char* file_name = "sluis.db";

  // Opens DIR/<options.file_name> (sluis.db unless told otherwise), creating it when missing; DIR
  // must exist. `key` must be 32 bytes; the
  // store keeps no copy of it.
  static result<std::unique_ptr<store>> open(const std::filesystem::path& data_dir,
                                             const keys::secret_bytes& key,
                                             store_options options = {});

  store(const store&) = delete;
  store& operator=(const store&) = delete;
  // Drains the writer (queued writes are committed), then closes every connection.
  ~store();

  writer& writes() noexcept { return *writer_; }
  reader_pool& reads() noexcept { return *readers_; }
  const std::filesystem::path& file() const noexcept { return file_; }
  int schema_version() const noexcept { return schema_version_; }
  // current_format, or a legacy format of a file made on SQLCipher 3 (`sluis store upgrade`).
  cipher_format format() const noexcept { return format_; }

  // Re-encrypts the database under `new_key` (32 bytes); from then on only the new key opens it.
  // Requires exclusive access: waits for reads in flight, and the caller must not hold a lease or
  // call it from the writer thread. Writes queued meanwhile wait and then proceed. On failure the
  // database is still under its old key.
  result<void> rekey(const keys::secret_bytes& new_key);

 private:
  store(std::filesystem::path file, int version, connection_options reader_options,
        std::unique_ptr<writer> w, std::unique_ptr<reader_pool> r) noexcept;

  std::filesystem::path file_;
  int schema_version_;
  cipher_format format_ = current_format;
  connection_options reader_options_;
  // Readers before the writer: the writer is destroyed first, so queued writes commit while
  // readers could still be in use.
  std::unique_ptr<reader_pool> readers_;
  std::unique_ptr<writer> writer_;
};

}  // namespace sluis::store
