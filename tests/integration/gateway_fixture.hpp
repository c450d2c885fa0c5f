#pragma once
// A whole gateway in the test process: keyring, SQLCipher store, audit log, the example policy,
// the partner API and the HTTPS server on 127.0.0.1 port 0, with a throw-away PKI in a temp dir.
// Organisations: the trusted test client is "wijkteam" (no secrecy); the second trusted client is
// "ggz" (professional secrecy) unless a test leaves it out to get a certificate of no organisation.

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <memory>

#include "gateway/api/gateway_handler.hpp"
#include "gateway/audit/journal.hpp"
#include "gateway/audit/key_ring_signer.hpp"
#include "gateway/http/server.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_pki.hpp"
#include "tests/support/tls_client.hpp"

namespace sluis::testing {

// Fictional people: valid elfproef BSNs and names that must never reach disk.
inline constexpr const char* mother_bsn = "111222333";
inline constexpr const char* daughter_bsn = "123456782";
inline constexpr const char* father_bsn = "192837461";
inline constexpr const char* gezinsmanager_name = "Annemarie Quackenbosch";
inline constexpr const char* secret_title = "Behandeling Zwanenburg-depressie";

struct gateway_options {
  bool configure_second_client = true;
  double rate_limit_per_second = 1000;
  double rate_limit_burst = 1000;
  std::size_t audit_max_lag = audit::journal_options{}.max_lag;
};

class gateway_fixture : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  // Starts everything; call from a test to use non-default options.
  void start(const gateway_options& options = {});
  void stop_server();
  // Closes the store and the audit log and opens them again from disk (after stop_server()).
  void reopen_store();

  tls_client client_for(const test_client_certificate* cert);
  tls_client wijkteam() { return client_for(&pki_.client); }
  tls_client ggz() { return client_for(&pki_.second_client); }

  // One request on a fresh connection.
  http_response call(const test_client_certificate* cert, boost::beast::http::verb method,
                     std::string target, std::string body = {});
  // A POST one byte over the body limit. The limit is small (64 KiB), so the whole body fits in the
  // socket buffers and the test does not race the server's close after its 413.
  http_response call_oversized(const test_client_certificate* cert, std::string target) {
    return call(cert, boost::beast::http::verb::post, std::move(target),
                std::string(body_limit + 1, 'x'));
  }
  static constexpr std::size_t body_limit = 64 * 1024;
  static boost::json::value json(const http_response& r);

  std::string register_family();  // mother + daughter (15), wijkteam as gezinsmanager org
  // A complete coordination ground (the municipality's decision), valid until 2099: POST it to
  // /v1/families/{id}/grounds as the family's gezinsmanager.
  static constexpr const char* coordination_ground = R"({"decided_by": "teamleider wijkteam",
      "necessity": "Vijf organisaties zonder onderlinge afstemming; schulden lopen op.",
      "proportionality": "Alleen koppen van reguliere gegevens, geen zorginhoud.",
      "subsidiarity": "Toestemming is gevraagd en niet verkregen; geen lichter middel.",
      "family_informed_on": "2026-01-05", "valid_until": "2099-01-01"})";
  std::string contribution_body(const std::string& source_ref, const char* bsn,
                                const std::string& extra = "");

  // People of the web UI. add_person creates an account (password `person_password`) and returns
  // its TOTP secret in base32; login signs in with the code for `at` (a code is accepted once, so
  // a second login of the same person needs another step: pass now + 30 s).
  static constexpr const char* person_password = "correct horse battery staple";
  std::string add_person(const std::string& id, const std::string& org, const std::string& role);
  struct signed_in {
    std::string cookie;  // "sluis_session=<token>"
    std::string csrf_token;
    http_response response;
  };
  signed_in login(const std::string& id, const std::string& secret_base32,
                  std::chrono::system_clock::time_point at = std::chrono::system_clock::now());
  // A request as a signed-in person (no client certificate); state-changing methods send the
  // CSRF token.
  http_response person_call(const signed_in& who, boost::beast::http::verb method,
                            std::string target, std::string body = {});

  std::unique_ptr<temp_dir> dir_;
  test_pki pki_;
  std::filesystem::path data_;
  std::filesystem::path log_file_;
  std::optional<keys::keyring> keyring_;
  std::unique_ptr<store::store> store_;
  std::unique_ptr<audit::keyring_signer> signer_;
  std::unique_ptr<audit::journal> audit_;  // the audit log (audit.db), opened with the store
  std::size_t audit_max_lag_ = audit::journal_options{}.max_lag;
  std::optional<config::gateway_config> config_;
  std::optional<api::active_config> in_force_;  // config_, as the gateway holds it
  std::unique_ptr<api::active_policy> policy_;
  std::shared_ptr<http::metrics_registry> metrics_;
  std::unique_ptr<api::services> services_;
  std::unique_ptr<http::server> server_;
  unsigned short port_ = 0;
};

}  // namespace sluis::testing
