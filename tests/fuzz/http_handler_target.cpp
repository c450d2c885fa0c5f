#include <stdlib.h>

#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/http/parser.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <future>
#include <memory>
#include <optional>

#include "common/log.hpp"
#include "gateway/api/gateway_handler.hpp"
#include "gateway/audit/journal.hpp"
#include "gateway/audit/key_ring_signer.hpp"
#include "gateway/case/case_store.hpp"
#include "gateway/store/connection.hpp"
#include "keys/kek.hpp"
#include "keys/key_ring.hpp"
#include "tests/fuzz/targets.hpp"

namespace sluis::fuzz {
namespace {

namespace bhttp = boost::beast::http;

// The identities a fuzzed request may arrive with, by the first input byte.
constexpr const char* wijkteam_fingerprint =
    "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0";
constexpr const char* ggz_oin = "00000001234567890000";

std::optional<http::peer_identity> peer_for(std::uint8_t selector) {
  switch (selector % 4) {
    case 0:
      return std::nullopt;
    case 1:
      return http::peer_identity{wijkteam_fingerprint, "", "wijkteam"};
    case 2:
      return http::peer_identity{std::string(64, 'a'), ggz_oin, "ggz"};
    default:
      return http::peer_identity{std::string(64, 'b'), "99999999999999999999", "nobody"};
  }
}

// A whole gateway without the network: keyring, SQLCipher store, audit log, example policy and the
// partner API, in a fresh directory (in memory under /dev/shm when there is one, for speed).
class gateway {
 public:
  gateway() {
    // Refusals are the common case here and each logs a warning: keep stderr for errors.
    log::set_level(log::level::error);
    std::string base = std::filesystem::exists("/dev/shm") ? "/dev/shm" : "/tmp";
    std::string pattern = base + "/sluis-fuzz-XXXXXX";
    if (::mkdtemp(pattern.data()) == nullptr) std::abort();
    dir_ = pattern;
    const std::string_view passphrase = "fuzz passphrase";
    auto source = keys::kek_source::from_passphrase(
        keys::secret_bytes::copy_of(
            {reinterpret_cast<const unsigned char*>(passphrase.data()), passphrase.size()}),
        keys::argon2_limits::minimum());
    keyring_.emplace(must(keys::keyring::create(dir_ / "keyring.toml", source)));
    std::filesystem::copy_file(SLUIS_EXAMPLE_POLICY, dir_ / "policy.toml");
    const std::string text =
        "[tls]\ncertificate = \"server.pem\"\nprivate_key = \"server.key\"\nclient_ca = "
        "\"ca.pem\"\n[policy]\nfile = \"policy.toml\"\n[audit]\ncheckpoint_interval = 10\n"
        "[[organisation]]\nid = \"wijkteam\"\nname = \"Wijkteam\"\nsector = \"wijkteam\"\n"
        "certificate = { sha256 = \"" +
        std::string(wijkteam_fingerprint) +
        "\" }\n[[organisation]]\nid = \"ggz\"\nname = \"GGZ\"\nsector = \"ggz\"\n"
        "professional_secrecy = true\ncertificate = { oin = \"" +
        ggz_oin + "\" }\n";
    config_.emplace(must(config::parse(text, "config.toml", dir_)));
    policy_ = must(api::active_policy::load(config_->policy_file));
    store_ = must(store::store::open(dir_, keyring_->reveal_database_key_for_sqlcipher()));
    signer_ = std::make_unique<audit::keyring_signer>(keyring_->audit_signer());
    audit_ = must(audit::journal::open(dir_, keyring_->reveal_database_key_for_sqlcipher(), *store_,
                                       *signer_, {.log = {.checkpoint_interval = 10}}));
    const cases::case_store cases(*keyring_);
    must(store_->writes().run([&](store::connection& db) -> result<void> {
      for (const auto& org : config_->organisations) {
        auto r =
            cases.sync_organisation(db, org.id, org.name, org.sector, org.professional_secrecy);
        if (!r) return r;
      }
      return {};
    }));
    metrics_ = std::make_unique<http::metrics_registry>();
    in_force_.emplace(*config_);
    services_ = std::make_unique<api::services>(
        api::services{*in_force_, *keyring_, *store_, *audit_, *policy_, *metrics_});
    api_ = std::make_unique<api::gateway_handler>(*services_);
  }

  ~gateway() {
    api_.reset();
    services_.reset();
    audit_.reset();
    store_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  http::response handle(http::request&& req, const http::request_context& ctx) {
    std::promise<http::response> answered;
    auto future = answered.get_future();
    auto shared = std::make_shared<std::promise<http::response>>(std::move(answered));
    api_->handle(std::move(req), ctx,
                 [shared](http::response&& res) { shared->set_value(std::move(res)); });
    return future.get();
  }

 private:
  template <class T>
  static T must(result<T>&& r) {
    if (!r) std::abort();
    return std::move(*r);
  }
  static void must(result<void>&& r) {
    if (!r) std::abort();
  }

  std::filesystem::path dir_;
  std::optional<keys::keyring> keyring_;
  std::optional<config::gateway_config> config_;
  std::optional<api::active_config> in_force_;
  std::unique_ptr<api::active_policy> policy_;
  std::unique_ptr<store::store> store_;
  std::unique_ptr<audit::keyring_signer> signer_;
  std::unique_ptr<audit::journal> audit_;
  std::unique_ptr<http::metrics_registry> metrics_;
  std::unique_ptr<api::services> services_;
  std::unique_ptr<api::gateway_handler> api_;
};

gateway& the_gateway() {
  static gateway g;
  return g;
}

}  // namespace

int http_handler(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  gateway& g = the_gateway();
  // The server's own parsing step (gateway/http/detail/session.cpp), with its default limits.
  bhttp::request_parser<bhttp::string_body> parser;
  parser.header_limit(16 * 1024);
  parser.body_limit(64 * 1024);
  parser.eager(true);
  boost::system::error_code ec;
  parser.put(boost::asio::buffer(data + 1, size - 1), ec);
  // An incomplete request is one the server would wait for, then time out: nothing to hand on.
  if (ec || !parser.is_done()) return 0;

  http::request_context ctx;
  ctx.request_id = "fuzz";
  ctx.peer = peer_for(data[0]);
  ctx.remote_address = "127.0.0.1";
  const http::response res = g.handle(parser.release(), ctx);
  // A server error is a finding: hostile input must be answered with a 4xx, never a 5xx.
  if (res.result_int() >= 500) std::abort();
  return 0;
}

}  // namespace sluis::fuzz
