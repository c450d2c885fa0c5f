#pragma once
// The keyring file (TOML) as data: reading, validating and writing it atomically. Holds only
// wrapped keys; the keyring class decides what they mean.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "common/error.hpp"
#include "keys/kek.hpp"
#include "keys/key_ring_status.hpp"

namespace sluis::keys::detail {

struct kek_entry {
  std::uint32_t version = 0;
  key_status status = key_status::active;
  std::string created;
  std::vector<unsigned char> wrapped;  // empty once retired
};

struct system_key_entry {
  std::string id;
  std::uint32_t version = 0;
  key_status status = key_status::active;
  std::uint32_t kek_version = 0;
  std::string created;
  std::vector<unsigned char> wrapped;
};

struct keyring_document {
  kek_kind kind = kek_kind::passphrase;
  std::vector<unsigned char> salt;  // passphrase sources only
  argon2_limits limits;             // passphrase sources only
  std::vector<kek_entry> keks;
  std::vector<system_key_entry> system_keys;
};

// errc::not_found when the file does not exist, errc::corrupt when it is not a well-formed keyring
// (the message names the problem, never a key).
result<keyring_document> read_keyring_file(const std::filesystem::path& file);

enum class write_mode {
  create_new,  // errc::conflict if FILE exists, decided atomically by link(2)
  replace,     // FILE is replaced by rename(2)
};

// Writes FILE.tmp (mode 0600), fsyncs it, moves it to FILE and fsyncs the directory, so a crash
// leaves either the old or the new keyring, never a mix.
result<void> write_keyring_file(const std::filesystem::path& file, const keyring_document& doc,
                                write_mode mode);

// The current time as RFC 3339 UTC ("2026-11-23T09:30:00Z").
std::string now_rfc3339();

}  // namespace sluis::keys::detail
