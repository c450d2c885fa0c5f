#pragma once
// Where the root of the key hierarchy comes from: a passphrase (stretched with Argon2id) or a key
// file readable by its owner only. The root key wraps the KEK versions in the keyring.

#include <cstddef>
#include <filesystem>
#include <span>
#include <string_view>

#include "common/error.hpp"
#include "keys/secret_bytes.hpp"

namespace sluis::keys {

class keyring;

enum class kek_kind { passphrase, key_file };
std::string_view to_string(kek_kind kind) noexcept;

// Argon2id cost parameters (crypto_pwhash). A keyring stores the ones it was created with and
// always opens with those, so changing the defaults never locks anyone out.
struct argon2_limits {
  unsigned long long opslimit = 0;
  std::size_t memlimit = 0;

  static argon2_limits moderate() noexcept;     // the default for real data directories
  static argon2_limits interactive() noexcept;  // faster; for development and tests
  static argon2_limits minimum() noexcept;      // libsodium's minimum; for tests only
  // Within libsodium's minimum and a ceiling (32 passes, 4 GiB) that keeps a tampered keyring
  // file from making start-up take forever.
  bool within_bounds() const noexcept;

  friend bool operator==(const argon2_limits&, const argon2_limits&) = default;
};

inline constexpr std::string_view passphrase_environment_variable = "SLUIS_PASSPHRASE";

// The secret that unlocks a keyring: a passphrase or the 32 bytes of a key file, held in secret
// memory. A key file holds 64 hexadecimal characters (optionally followed by one newline), so it
// survives copying through text tools; it must be a regular file whose mode gives group and others
// no access. Immutable after construction: safe to share between threads.
class kek_source {
 public:
  static constexpr std::size_t key_file_key_size = 32;

  // `limits` apply when a new keyring is created; an existing keyring uses its stored limits.
  // Throws std::invalid_argument for an empty passphrase or limits out of bounds.
  static kek_source from_passphrase(secret_bytes&& passphrase,
                                    argon2_limits limits = argon2_limits::moderate());
  // The passphrase from the SLUIS_PASSPHRASE environment variable; an error when unset or empty.
  static result<kek_source> passphrase_from_environment(
      argon2_limits limits = argon2_limits::moderate());
  // Asks on the controlling terminal (/dev/tty) with echo switched off; errc::unavailable when
  // there is no terminal (a service should use the environment variable or a key file).
  static result<kek_source> passphrase_from_terminal(
      std::string_view prompt, argon2_limits limits = argon2_limits::moderate());
  // Reads and checks a key file. Refuses (errc::forbidden) a file that group or others may
  // access, saying which chmod fixes it; errc::invalid_argument for a malformed file.
  static result<kek_source> from_key_file(const std::filesystem::path& file);

  kek_kind kind() const noexcept { return kind_; }
  // The limits for new keyrings; all zero for a key file, which needs no stretching.
  const argon2_limits& limits() const noexcept { return limits_; }

 private:
  friend class keyring;

  kek_source(kek_kind kind, secret_bytes&& secret, argon2_limits limits) noexcept
      : kind_(kind), secret_(std::move(secret)), limits_(limits) {}

  // The 32-byte root key: Argon2id(passphrase, salt, limits), or the key file's bytes as they are
  // (they are already uniformly random). Throws std::bad_alloc when Argon2id cannot get its memory.
  secret_bytes root_key(std::span<const unsigned char> salt, const argon2_limits& limits) const;

  kek_kind kind_;
  secret_bytes secret_;
  argon2_limits limits_;
};

// Creates a new key file with 32 random bytes, mode 0600. Refuses (errc::conflict) to overwrite an
// existing file: losing a key file loses every key under it.
result<void> create_key_file(const std::filesystem::path& file);

}  // namespace sluis::keys
