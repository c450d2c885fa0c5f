#pragma once
// The gateway's configuration file (TOML): listener, limits, TLS files, audit and policy settings,
// and the partner organisations with the certificate that identifies each.
//
// Relative paths in the file are resolved against the data directory. Loading validates every key
// and reports errors as "FILE:LINE:COLUMN: message"; an unknown key is an error, so a typo never
// silently falls back to a default.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "common/error.hpp"

namespace sluis::config {

// A partner organisation. It is recognised by its client certificate: by the subject
// serialNumber (the OIN on PKIoverheid certificates) or by the SHA-256 fingerprint of the
// certificate; at least one of the two must be given.
struct organisation {
  std::string id;      // stable id used everywhere else (audit, store), e.g. "ggz-noord"
  std::string name;    // display name
  std::string sector;  // e.g. "wijkteam", "ggz": referred to by the policy
  bool professional_secrecy = false;
  std::string contact;  // a contact point shown to others where the policy allows involvement
  std::optional<std::string> certificate_oin;
  std::optional<std::string> certificate_sha256;  // lowercase hex, no colons
};

struct server_settings {
  std::string listen = "127.0.0.1";
  std::uint16_t port = 8443;
  unsigned threads = 0;  // 0: one per core
  std::size_t max_connections = 1024;
  std::size_t max_connections_per_address = 64;
  std::size_t header_limit_bytes = std::size_t{16} * 1024;
  std::size_t body_limit_bytes = std::size_t{1024} * 1024;
  std::chrono::seconds handshake_timeout{10};
  std::chrono::seconds header_timeout{10};
  std::chrono::seconds read_timeout{30};
  std::chrono::seconds idle_timeout{60};
  std::chrono::seconds shutdown_deadline{10};
  double rate_limit_per_second = 50;
  double rate_limit_burst = 100;
};

struct tls_settings {
  std::filesystem::path certificate;  // server certificate chain (PEM)
  std::filesystem::path private_key;  // server private key (PEM)
  std::filesystem::path client_ca;    // CA that signs partner client certificates (PEM)
};

// The web UI's sessions (see gateway/people/session_store.hpp).
struct web_settings {
  std::chrono::seconds session_idle_timeout{15 * 60};
  std::chrono::seconds session_lifetime{8 * 60 * 60};
};

struct gateway_config {
  server_settings server;
  tls_settings tls;
  web_settings web;
  std::uint64_t audit_checkpoint_interval = 100;
  std::filesystem::path policy_file;
  std::vector<organisation> organisations;

  // The organisation a verified client certificate belongs to, or nullptr. The OIN match is
  // tried first, then the fingerprint.
  const organisation* find_by_certificate(std::string_view serial_number,
                                          std::string_view sha256_fingerprint) const;
  const organisation* find(std::string_view id) const;
};

// Parses `text` (named `file_name` in messages); relative paths resolve against `data_dir`.
result<gateway_config> parse(std::string_view text, const std::string& file_name,
                             const std::filesystem::path& data_dir);

// Reads and parses DATA_DIR/config.toml.
result<gateway_config> load(const std::filesystem::path& data_dir);

inline constexpr const char* config_file_name = "config.toml";

}  // namespace sluis::config
