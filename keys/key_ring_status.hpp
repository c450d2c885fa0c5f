#pragma once
// The loggable view of a keyring: ids, versions, states and creation times, never key material.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "keys/kek.hpp"

namespace sluis::keys {

// Rotation is a change of state, as in Tink: a new KEK version becomes primary (it wraps everything
// new), the previous one stays active (it still unwraps what it wrapped) until it is retired (its
// key material is gone for good).
enum class key_status { primary, active, retired };
std::string_view to_string(key_status status) noexcept;

struct kek_version_info {
  std::uint32_t version = 0;
  key_status status = key_status::active;
  std::string created;  // RFC 3339, UTC
};

struct system_key_info {
  std::string id;  // "database", "pseudonym" or "audit-signing"
  std::uint32_t version = 0;
  key_status status = key_status::active;
  std::uint32_t kek_version = 0;  // the KEK version that wraps it
  std::string created;
};

// A snapshot; holds no secrets, so it may be logged, printed and copied freely.
struct keyring_status {
  kek_kind source = kek_kind::passphrase;
  std::optional<argon2_limits> limits;  // for a passphrase source only
  std::vector<kek_version_info> kek_versions;
  std::vector<system_key_info> system_keys;

  // Human-readable, one item per line, for `sluis keys status`.
  std::string to_text() const;
};

}  // namespace sluis::keys
