#include "keys/key_ring_status.hpp"

#include <sstream>

namespace sluis::keys {

std::string_view to_string(key_status status) noexcept {
  switch (status) {
    case key_status::primary:
      return "primary";
    case key_status::active:
      return "active";
    case key_status::retired:
      return "retired";
  }
  return "unknown";
}

std::string keyring_status::to_text() const {
  std::ostringstream out;
  out << "kek source: " << to_string(source);
  if (limits)
    out << " (argon2id opslimit " << limits->opslimit << ", memlimit " << limits->memlimit << ")";
  out << "\n";
  for (const auto& kek : kek_versions)
    out << "kek version " << kek.version << ": " << to_string(kek.status) << ", created "
        << kek.created << "\n";
  for (const auto& key : system_keys)
    out << "system key " << key.id << " version " << key.version << ": " << to_string(key.status)
        << ", wrapped under kek version " << key.kek_version << ", created " << key.created << "\n";
  return out.str();
}

}  // namespace sluis::keys
