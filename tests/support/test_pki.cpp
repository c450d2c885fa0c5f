#include "tests/support/test_pki.hpp"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cstdio>
#include <memory>
#include <stdexcept>

namespace sluis::testing {
namespace {

struct pkey_free {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
struct x509_free {
  void operator()(X509* x) const { X509_free(x); }
};
using pkey_ptr = std::unique_ptr<EVP_PKEY, pkey_free>;
using x509_ptr = std::unique_ptr<X509, x509_free>;

void check(bool ok, const char* what) {
  if (!ok) throw std::runtime_error(std::string("test PKI: ") + what + " failed");
}

pkey_ptr new_key() {
  pkey_ptr key(EVP_EC_gen("P-256"));
  check(key != nullptr, "EVP_EC_gen");
  return key;
}

struct validity {
  long not_before_seconds;  // relative to now
  long not_after_seconds;
};
constexpr validity valid_now{-3600, 24 * 3600};
constexpr validity expired_yesterday{-2 * 24 * 3600, -24 * 3600};

void add_name_entry(X509_NAME* name, int nid, const std::string& value) {
  if (value.empty()) return;
  check(X509_NAME_add_entry_by_NID(name, nid, MBSTRING_UTF8,
                                   reinterpret_cast<const unsigned char*>(value.data()),
                                   static_cast<int>(value.size()), -1, 0) == 1,
        "X509_NAME_add_entry_by_NID");
}

void add_extension(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  check(ext != nullptr, "X509V3_EXT_conf_nid");
  const bool ok = X509_add_ext(cert, ext, -1) == 1;
  X509_EXTENSION_free(ext);
  check(ok, "X509_add_ext");
}

enum class role { ca, server, client };

struct subject {
  std::string common_name;
  std::string serial_number;
};

// Issues a certificate for `key`; a CA signs itself when `issuer` is null.
x509_ptr issue(const subject& who, EVP_PKEY* key, role r, validity v, X509* issuer,
               EVP_PKEY* issuer_key, long serial) {
  x509_ptr cert(X509_new());
  check(cert != nullptr, "X509_new");
  check(X509_set_version(cert.get(), 2) == 1, "X509_set_version");
  check(ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), serial) == 1, "serial");
  check(X509_gmtime_adj(X509_getm_notBefore(cert.get()), v.not_before_seconds) != nullptr,
        "notBefore");
  check(X509_gmtime_adj(X509_getm_notAfter(cert.get()), v.not_after_seconds) != nullptr,
        "notAfter");
  check(X509_set_pubkey(cert.get(), key) == 1, "X509_set_pubkey");
  X509_NAME* name = X509_get_subject_name(cert.get());
  add_name_entry(name, NID_countryName, "NL");
  add_name_entry(name, NID_organizationName, "Sluis test PKI");
  add_name_entry(name, NID_serialNumber, who.serial_number);
  add_name_entry(name, NID_commonName, who.common_name);
  X509* signer = issuer != nullptr ? issuer : cert.get();
  check(X509_set_issuer_name(cert.get(), X509_get_subject_name(signer)) == 1, "issuer name");
  switch (r) {
    case role::ca:
      add_extension(cert.get(), signer, NID_basic_constraints, "critical,CA:TRUE");
      add_extension(cert.get(), signer, NID_key_usage, "critical,keyCertSign,cRLSign");
      break;
    case role::server:
      add_extension(cert.get(), signer, NID_basic_constraints, "critical,CA:FALSE");
      add_extension(cert.get(), signer, NID_ext_key_usage, "serverAuth");
      add_extension(cert.get(), signer, NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1");
      break;
    case role::client:
      add_extension(cert.get(), signer, NID_basic_constraints, "critical,CA:FALSE");
      add_extension(cert.get(), signer, NID_ext_key_usage, "clientAuth");
      break;
  }
  add_extension(cert.get(), signer, NID_subject_key_identifier, "hash");
  EVP_PKEY* signing_key = issuer_key != nullptr ? issuer_key : key;
  check(X509_sign(cert.get(), signing_key, EVP_sha256()) > 0, "X509_sign");
  return cert;
}

struct file_closer {
  void operator()(std::FILE* f) const { std::fclose(f); }
};

std::unique_ptr<std::FILE, file_closer> open_for_write(const std::filesystem::path& path) {
  std::unique_ptr<std::FILE, file_closer> f(std::fopen(path.c_str(), "wb"));
  check(f != nullptr, "fopen");
  return f;
}

void write_certificate(const std::filesystem::path& path, X509* cert) {
  auto f = open_for_write(path);
  check(PEM_write_X509(f.get(), cert) == 1, "PEM_write_X509");
}

void write_key(const std::filesystem::path& path, EVP_PKEY* key) {
  auto f = open_for_write(path);
  check(PEM_write_PrivateKey(f.get(), key, nullptr, nullptr, 0, nullptr, nullptr) == 1,
        "PEM_write_PrivateKey");
}

std::string sha256_fingerprint(X509* cert) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  check(X509_digest(cert, EVP_sha256(), digest, &length) == 1, "X509_digest");
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < length; ++i) {
    out += hex[digest[i] >> 4];
    out += hex[digest[i] & 0x0f];
  }
  return out;
}

struct authority {
  pkey_ptr key;
  x509_ptr cert;
};

authority make_ca(const std::filesystem::path& file, const std::string& name) {
  authority ca{new_key(), nullptr};
  ca.cert = issue({name, ""}, ca.key.get(), role::ca, valid_now, nullptr, nullptr, 1);
  write_certificate(file, ca.cert.get());
  return ca;
}

test_client_certificate make_client(const std::filesystem::path& dir, const std::string& stem,
                                    const authority& ca, subject who, validity v, long serial) {
  auto key = new_key();
  auto cert = issue(who, key.get(), role::client, v, ca.cert.get(), ca.key.get(), serial);
  test_client_certificate out{dir / (stem + ".crt"), dir / (stem + ".key"),
                              sha256_fingerprint(cert.get()), who.common_name, who.serial_number};
  write_certificate(out.certificate, cert.get());
  write_key(out.key, key.get());
  return out;
}

}  // namespace

test_pki make_test_pki(const std::filesystem::path& dir, long server_lifetime_seconds) {
  test_pki pki;
  pki.ca_certificate = dir / "ca.crt";
  const authority ca = make_ca(pki.ca_certificate, "Sluis Test CA");

  pki.server_certificate = dir / "server.crt";
  pki.server_key = dir / "server.key";
  auto server_key = new_key();
  auto server_cert = issue({"localhost", ""}, server_key.get(), role::server,
                           {valid_now.not_before_seconds, server_lifetime_seconds}, ca.cert.get(),
                           ca.key.get(), 2);
  write_certificate(pki.server_certificate, server_cert.get());
  write_key(pki.server_key, server_key.get());

  pki.client =
      make_client(dir, "client", ca, {"Wijkteam Test", "00000001234567890000"}, valid_now, 3);
  pki.second_client =
      make_client(dir, "second-client", ca, {"GGZ Test", "00000009876543210000"}, valid_now, 4);
  pki.expired_client = make_client(dir, "expired-client", ca,
                                   {"Verlopen Test", "00000001111111110000"}, expired_yesterday, 5);

  pki.other_ca_certificate = dir / "other-ca.crt";
  const authority other = make_ca(pki.other_ca_certificate, "Unrelated Test CA");
  pki.foreign_client = make_client(dir, "foreign-client", other,
                                   {"Vreemd Test", "00000002222222220000"}, valid_now, 6);
  return pki;
}

}  // namespace sluis::testing
