#pragma once
// A throw-away PKI for TLS tests, generated with OpenSSL 3 into a directory as PEM files.
//
// EC P-256 keys keep generation fast (milliseconds). Throws std::runtime_error when OpenSSL fails:
// this is test set-up, not a request path.

#include <filesystem>
#include <string>

namespace sluis::testing {

struct test_client_certificate {
  std::filesystem::path certificate;  // PEM, the leaf only
  std::filesystem::path key;          // PEM, unencrypted PKCS#8
  std::string sha256_fingerprint;     // lowercase hex of the DER certificate
  std::string common_name;
  std::string serial_number;  // subject serialNumber (an OIN-like 20-digit string)
};

struct test_pki {
  std::filesystem::path ca_certificate;      // the CA that signs the server and the trusted clients
  std::filesystem::path server_certificate;  // CN and SAN localhost, SAN IP 127.0.0.1
  std::filesystem::path server_key;
  test_client_certificate client;              // trusted, valid
  test_client_certificate second_client;       // trusted, valid, another organisation
  test_client_certificate expired_client;      // trusted CA, but not valid after yesterday
  std::filesystem::path other_ca_certificate;  // an unrelated CA
  test_client_certificate foreign_client;      // valid, signed by the unrelated CA
};

// Writes all files of a fresh test PKI under `dir` (which must exist). Every certificate is valid
// from an hour ago for a day, except the server certificate, which is valid for
// `server_lifetime_seconds` (a day unless told).
test_pki make_test_pki(const std::filesystem::path& dir, long server_lifetime_seconds = 24 * 3600);

}  // namespace sluis::testing
