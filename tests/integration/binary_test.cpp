// build/sluis as a process: init, serve, a real TLS request, SIGTERM; key files and passphrases;
// key rotation keeping records readable; `sluis audit verify` catching a tampered log.

#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <boost/json.hpp>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <regex>
#include <set>
#include <thread>

#include "gateway/store/connection.hpp"
#include "keys/kek.hpp"
#include "keys/key_ring.hpp"
#include "tests/support/child_process.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_pki.hpp"
#include "tests/support/tls_client.hpp"

namespace sluis::testing {
namespace {

namespace bhttp = boost::beast::http;
using ::testing::HasSubstr;
using ::testing::Not;

// The real binary, with the test's process helpers (tests/support/child_process.hpp).
process spawn(const std::vector<std::string>& args) { return testing::spawn(SLUIS_BINARY, args); }

struct run_result {
  int exit_code;
  std::string output;
};

run_result run(const std::vector<std::string>& args) {
  process p = spawn(args);
  std::string out = read_output(p.out);
  ::close(p.out);
  return {wait_exit(p.pid), out};
}

class SluisBinary : public ::testing::Test {
 protected:
  void SetUp() override {
    pki_ = make_test_pki(dir_.path());
    data_ = (dir_ / "data").string();
    key_file_ = (dir_ / "kek.key").string();
    config_ = (dir_ / "config.toml").string();
    write_file(config_, "[tls]\ncertificate = \"" + pki_.server_certificate.string() +
                            "\"\nprivate_key = \"" + pki_.server_key.string() +
                            "\"\nclient_ca = \"" + pki_.ca_certificate.string() +
                            "\"\n[policy]\nfile = \"policy.toml\"\n[audit]\n"
                            "checkpoint_interval = 5\n[[organisation]]\nid = \"wijkteam\"\n"
                            "name = \"Wijkteam\"\nsector = \"wijkteam\"\n"
                            "certificate = { sha256 = \"" +
                            pki_.client.sha256_fingerprint + "\" }\n");
  }

  run_result init() {
    return run({"sluis", "init", "--data", data_, "--key-file", key_file_, "--create-key-file",
                "--config", config_, "--policy", SLUIS_EXAMPLE_POLICY});
  }

  // Starts `sluis serve` on a free port and waits for its "listening" line.
  void serve(const std::string& data = {}) {
    server_ = spawn({"sluis", "serve", "--data", data.empty() ? data_ : data, "--key-file",
                     key_file_, "--port", "0"});
    const std::string out = read_output(server_.out, "stop with Ctrl-C");
    const auto at = out.find("https://localhost:");
    ASSERT_NE(at, std::string::npos) << out;
    port_ = static_cast<unsigned short>(std::stoi(out.substr(at + 18)));
  }

  int stop() {
    ::kill(server_.pid, SIGTERM);
    const int code = wait_exit(server_.pid);
    ::close(server_.out);
    server_ = {};
    return code;
  }

  std::optional<http_response> request(bhttp::verb method, const std::string& target,
                                       const std::string& body = {}) {
    tls_client c(port_, {pki_.ca_certificate, &pki_.client, false, {}});
    if (c.connect()) return std::nullopt;
    http_request req{method, target, 11};
    req.set(bhttp::field::host, "localhost");
    req.body() = body;
    req.prepare_payload();
    return c.request(req);
  }

  void TearDown() override {
    if (server_.pid > 0) stop();
  }

  temp_dir dir_;
  test_pki pki_;
  std::string data_, key_file_, config_;
  process server_;
  unsigned short port_ = 0;
};

TEST_F(SluisBinary, InitServeHealthzAndStopOnSigterm) {
  const auto initialised = init();
  ASSERT_EQ(initialised.exit_code, 0) << initialised.output;
  EXPECT_THAT(initialised.output, HasSubstr("kek version 1: primary"));
  serve();
  tls_client anonymous(port_, {pki_.ca_certificate, nullptr, false, {}});
  ASSERT_FALSE(anonymous.connect());
  auto health = anonymous.get("/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->result_int(), 200u);
  EXPECT_EQ(stop(), 0);
  // A second init refuses to overwrite the data directory.
  EXPECT_EQ(init().exit_code, 1);
}

// SIGHUP makes a running gateway load its TLS files and its policy again: new connections get the
// replacement server certificate, the new policy is in force, and nothing restarts.
TEST_F(SluisBinary, SighupRotatesTheServerCertificateAndReloadsThePolicy) {
  ASSERT_EQ(init().exit_code, 0);
  serve();
  auto before = request(bhttp::verb::get, "/readyz");
  ASSERT_TRUE(before);
  const std::string old_version(
      boost::json::parse(before->body()).at("policy").as_string().c_str());

  temp_dir next_dir;
  const test_pki next = make_test_pki(next_dir.path());
  using std::filesystem::copy_options;
  std::filesystem::copy_file(next.server_certificate, pki_.server_certificate,
                             copy_options::overwrite_existing);
  std::filesystem::copy_file(next.server_key, pki_.server_key, copy_options::overwrite_existing);
  {
    std::ofstream policy(std::filesystem::path(data_) / "policy.toml", std::ios::app);
    policy << "\n# reviewed by the privacy officer, 2026-12-06\n";
  }
  ::kill(server_.pid, SIGHUP);
  const std::string out = read_output(server_.out, "policy.reloaded");
  EXPECT_THAT(out, HasSubstr("\"tls.reloaded\"")) << out;
  ASSERT_THAT(out, HasSubstr("policy.reloaded")) << out;

  tls_client trusting_new(port_, {next.ca_certificate, nullptr, false, {}});
  ASSERT_FALSE(trusting_new.connect());
  auto after = trusting_new.get("/readyz");
  ASSERT_TRUE(after);
  EXPECT_EQ(after->result_int(), 200u);
  EXPECT_NE(boost::json::parse(after->body()).at("policy").as_string(), old_version);
  tls_client trusting_old(port_, {pki_.ca_certificate, nullptr, false, {}});
  EXPECT_TRUE(trusting_old.connect());
  EXPECT_EQ(stop(), 0);
}

// SIGHUP puts config.toml's organisations in force without a restart: a partner added to it is
// served (and may write: its row is in the store first), one removed from it is refused on its
// next request over a connection that stays open, and a file with errors changes nothing.
TEST_F(SluisBinary, SighupTakesTheOrganisationsOfConfigWithoutARestart) {
  ASSERT_EQ(init().exit_code, 0);
  serve();
  const auto as = [&](const test_client_certificate& cert, bhttp::verb method,
                      const std::string& target, const std::string& body = {}) {
    tls_client c(port_, {pki_.ca_certificate, &cert, false, {}});
    EXPECT_FALSE(c.connect());
    http_request req{method, target, 11};
    req.set(bhttp::field::host, "localhost");
    req.body() = body;
    req.prepare_payload();
    auto r = c.request(req);
    return r ? r->result_int() : 0u;
  };
  EXPECT_EQ(as(pki_.second_client, bhttp::verb::get, "/v1/contributions"), 403u);
  tls_client kept(port_, {pki_.ca_certificate, &pki_.client, false, {}});
  ASSERT_FALSE(kept.connect());
  auto first = kept.get("/v1/contributions");
  ASSERT_TRUE(first);
  EXPECT_EQ(first->result_int(), 200u);

  const auto config_file = std::filesystem::path(data_) / "config.toml";
  const std::string original = read_file(config_file);
  std::string edited = original;
  edited.replace(edited.find(pki_.client.sha256_fingerprint), pki_.client.sha256_fingerprint.size(),
                 pki_.second_client.sha256_fingerprint);
  const std::string old_id = "id = \"wijkteam\"";
  edited.replace(edited.find(old_id), old_id.size(), "id = \"ggz\"");
  write_file(config_file, edited);
  ::kill(server_.pid, SIGHUP);
  std::string out = read_output(server_.out, "policy.reloaded");
  ASSERT_THAT(out, HasSubstr("config.reloaded")) << out;

  EXPECT_EQ(as(pki_.second_client, bhttp::verb::get, "/v1/contributions"), 200u);
  EXPECT_EQ(as(pki_.second_client, bhttp::verb::post, "/v1/contributions",
               R"({"source_ref": "ggz/1", "bsn": "111222333", "domain": "financien",
                   "kind": "goal", "category": "regular", "status": "active", "title": "t"})"),
            201u);
  auto refused = kept.get("/v1/contributions");  // the same connection, still open
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->result_int(), 403u);

  write_file(config_file, edited + "\n[[organisation\n");
  ::kill(server_.pid, SIGHUP);
  out = read_output(server_.out, "policy.reloaded");
  EXPECT_THAT(out, HasSubstr("config.reload_failed")) << out;
  EXPECT_EQ(as(pki_.second_client, bhttp::verb::get, "/v1/contributions"), 200u);
  EXPECT_EQ(stop(), 0);
  const auto verify = run({"sluis", "audit", "verify", "--data", data_, "--key-file", key_file_});
  EXPECT_EQ(verify.exit_code, 0) << verify.output;
}

// /metrics of the real binary, after requests of several kinds (a success, a refusal, an unknown
// route), judged by Prometheus' own promtool: the exposition format and its naming rules.
TEST_F(SluisBinary, MetricsPassPromtool) {
  ASSERT_EQ(init().exit_code, 0);
  serve();
  ASSERT_TRUE(request(bhttp::verb::get, "/healthz"));
  ASSERT_TRUE(request(bhttp::verb::get, "/v1/contributions"));
  ASSERT_TRUE(request(bhttp::verb::post, "/v1/contributions", "{not json"));
  ASSERT_TRUE(request(bhttp::verb::get, "/v1/no-such-route"));
  auto metrics = request(bhttp::verb::get, "/metrics");
  ASSERT_TRUE(metrics);
  ASSERT_EQ(metrics->result_int(), 200u);
  EXPECT_THAT(metrics->body(), HasSubstr("sluis_tls_server_certificate_expiry_timestamp_seconds"));
  const auto file = dir_ / "metrics.txt";
  std::ofstream(file) << metrics->body();
  const auto report = dir_ / "promtool.txt";
  const std::string command = std::string(SLUIS_PROMTOOL) + " check metrics < '" + file.string() +
                              "' > '" + report.string() + "' 2>&1";
  const int status = std::system(command.c_str());
  std::ifstream in(report);
  const std::string said((std::istreambuf_iterator<char>(in)), {});
  EXPECT_EQ(status, 0) << said;
  EXPECT_EQ(said, "") << said;
  // Every metric the alerting rules use is one the binary exports.
  std::ifstream rules_file(SLUIS_ALERT_RULES);
  const std::string rules((std::istreambuf_iterator<char>(rules_file)), {});
  const std::regex name(R"(sluis_[a-z_]+)");
  std::set<std::string> used;
  for (auto it = std::sregex_iterator(rules.begin(), rules.end(), name);
       it != std::sregex_iterator(); ++it)
    used.insert(it->str());
  EXPECT_GE(used.size(), 10u);
  for (const auto& metric : used) {
    EXPECT_NE(metrics->body().find("\n" + metric), std::string::npos) << metric;
  }
  EXPECT_EQ(stop(), 0);
}

// A datagram socket standing in for systemd's notification socket ($NOTIFY_SOCKET).
class notify_socket {
 public:
  explicit notify_socket(const std::filesystem::path& path) : path_(path) {
    fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::strncpy(addr.sun_path, path.c_str(), sizeof addr.sun_path - 1);
    EXPECT_EQ(::bind(fd_, reinterpret_cast<const sockaddr*>(&addr), sizeof addr), 0);
    timeval timeout{10, 0};  // a guard against a hung test, not a timing assertion
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  }
  ~notify_socket() { ::close(fd_); }
  // The messages received until one contains `wanted` (all of them, that one included); stops
  // early when nothing arrives for 10 s.
  std::vector<std::string> until(std::string_view wanted) {
    std::vector<std::string> got;
    char buffer[4096];
    for (;;) {
      const auto n = ::recv(fd_, buffer, sizeof buffer, 0);
      if (n <= 0) return got;
      got.emplace_back(buffer, static_cast<std::size_t>(n));
      if (got.back().find(wanted) != std::string::npos) return got;
    }
  }

 private:
  std::filesystem::path path_;
  int fd_ = -1;
};

// Under systemd (Type=notify) the gateway says READY=1 once it serves, feeds the watchdog while it
// is ready, brackets a SIGHUP reload with RELOADING=1 and READY=1, and says STOPPING=1 at the end.
TEST_F(SluisBinary, TellsTheServiceManagerReadyReloadingStoppingAndFeedsTheWatchdog) {
  ASSERT_EQ(init().exit_code, 0);
  notify_socket manager(dir_ / "notify.sock");
  ::setenv("NOTIFY_SOCKET", (dir_ / "notify.sock").c_str(), 1);
  ::setenv("WATCHDOG_USEC", "400000", 1);  // fed every 200 ms
  serve();
  ::unsetenv("NOTIFY_SOCKET");
  ::unsetenv("WATCHDOG_USEC");
  const auto started = manager.until("READY=1");
  ASSERT_FALSE(started.empty());
  EXPECT_THAT(started.back(), HasSubstr("READY=1"));
  // /readyz answers 200 by the time READY=1 was sent.
  auto ready = request(bhttp::verb::get, "/readyz");
  ASSERT_TRUE(ready);
  EXPECT_EQ(ready->result_int(), 200u);
  EXPECT_FALSE(manager.until("WATCHDOG=1").empty());
  EXPECT_FALSE(manager.until("WATCHDOG=1").empty());

  ::kill(server_.pid, SIGHUP);
  const auto reload = manager.until("READY=1");
  std::vector<std::string> states;
  for (const auto& m : reload)
    if (m.find("WATCHDOG=1") == std::string::npos) states.push_back(m);
  EXPECT_EQ(states, (std::vector<std::string>{"RELOADING=1", "READY=1"}));

  ::kill(server_.pid, SIGTERM);
  const auto last = manager.until("STOPPING=1");
  ASSERT_FALSE(last.empty());
  EXPECT_EQ(last.back(), "STOPPING=1");
  EXPECT_EQ(wait_exit(server_.pid), 0);
  ::close(server_.out);
  server_ = {};
}

TEST_F(SluisBinary, WrongOrExposedKeyFileIsRefusedCleanly) {
  ASSERT_EQ(init().exit_code, 0);
  const std::string other = (dir_ / "other.key").string();
  ASSERT_TRUE(keys::create_key_file(other));
  const auto wrong = run({"sluis", "keys", "status", "--data", data_, "--key-file", other});
  EXPECT_EQ(wrong.exit_code, 1);
  EXPECT_THAT(wrong.output, HasSubstr("wrong passphrase or key file"));
  ::chmod(key_file_.c_str(), 0644);
  const auto exposed = run({"sluis", "serve", "--data", data_, "--key-file", key_file_});
  EXPECT_EQ(exposed.exit_code, 1);
  EXPECT_THAT(exposed.output, HasSubstr("chmod 600"));
}

TEST_F(SluisBinary, RotationKeepsEveryRecordReadable) {
  ASSERT_EQ(init().exit_code, 0);
  serve();
  auto family = request(bhttp::verb::post, "/v1/families",
                        R"({"gezinsmanager": {"user_id": "gm", "name": "N"}, "members": [
                            {"bsn": "111222333", "role": "parent", "label": "moeder",
                             "date_of_birth": "1980-01-01"}]})");
  ASSERT_TRUE(family);
  ASSERT_EQ(family->result_int(), 201u) << family->body();
  auto contribution = request(bhttp::verb::post, "/v1/contributions",
                              R"({"source_ref": "r1", "bsn": "111222333", "domain": "wonen",
                                  "kind": "goal", "category": "regular", "status": "active",
                                  "title": "Een grotere woning"})");
  ASSERT_TRUE(contribution);
  ASSERT_EQ(contribution->result_int(), 201u);
  const std::string id(boost::json::parse(contribution->body()).at("contribution_id").as_string());
  EXPECT_EQ(stop(), 0);

  const auto rotated =
      run({"sluis", "keys", "rotate", "--retire-old", "--data", data_, "--key-file", key_file_});
  ASSERT_EQ(rotated.exit_code, 0) << rotated.output;
  EXPECT_THAT(rotated.output, HasSubstr("re-wrapped 1 data keys"));
  EXPECT_THAT(rotated.output, HasSubstr("kek version 2: primary"));
  EXPECT_THAT(rotated.output, HasSubstr("kek version 1: retired"));

  serve();
  auto read = request(bhttp::verb::get, "/v1/contributions/" + id);
  ASSERT_TRUE(read);
  EXPECT_EQ(read->result_int(), 200u) << read->body();
  EXPECT_THAT(read->body(), HasSubstr("Een grotere woning"));
  EXPECT_EQ(stop(), 0);
}

// Issue 10: one process changes a data directory. Beside a running gateway every command that
// writes refuses and names the gateway's pid; read-only commands work; `keys rotate` asks the
// gateway to rotate, and no family is lost (the issue's reproduction, step by step).
TEST_F(SluisBinary, CommandsThatWriteRefuseBesideARunningGateway) {
  ASSERT_EQ(init().exit_code, 0);
  serve();
  const std::string pid = "pid " + std::to_string(server_.pid);
  const std::vector<std::string> unlock = {"--data", data_, "--key-file", key_file_};
  const auto with = [&](std::vector<std::string> args) {
    args.insert(args.end(), unlock.begin(), unlock.end());
    return run(args);
  };
  const auto before = with({"sluis", "audit", "verify"});
  ASSERT_EQ(before.exit_code, 0) << before.output;
  for (const auto& command : std::vector<std::vector<std::string>>{
           {"sluis", "serve", "--port", "0"},
           {"sluis", "user", "add", "--id", "x", "--organisation", "wijkteam", "--role",
            "gezinsmanager", "--name", "X", "--password-stdin"},
           {"sluis", "user", "list"},
           {"sluis", "user", "disable", "--id", "x"},
           {"sluis", "user", "reset", "--id", "x", "--password-stdin"},
           {"sluis", "demo", "load"},
           {"sluis", "demo", "generate", "--families", "1"},
           {"sluis", "store", "upgrade"},
           {"sluis", "init", "--config", config_}}) {
    const auto refused = with(command);
    EXPECT_EQ(refused.exit_code, 1) << command[1] << " " << command[2] << ": " << refused.output;
    EXPECT_THAT(refused.output, HasSubstr(pid)) << command[1] << " " << command[2];
  }
  // Read-only commands work beside it.
  const auto status = with({"sluis", "keys", "status"});
  EXPECT_EQ(status.exit_code, 0) << status.output;
  const auto verify = with({"sluis", "audit", "verify"});
  EXPECT_EQ(verify.exit_code, 0) << verify.output;
  // No refused command left a trace in the audit log: it has as many entries as before them.
  EXPECT_EQ(verify.output, before.output);
  const auto check = run({"sluis", "policy", "check", SLUIS_EXAMPLE_POLICY});
  EXPECT_EQ(check.exit_code, 0) << check.output;
  // The gateway still serves.
  auto health = request(bhttp::verb::get, "/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->result_int(), 200u);
}

TEST_F(SluisBinary, StoreUpgradeLeavesTheCurrentFormatAlone) {
  ASSERT_EQ(init().exit_code, 0);
  const auto upgraded =
      run({"sluis", "store", "upgrade", "--data", data_, "--key-file", key_file_});
  EXPECT_EQ(upgraded.exit_code, 0) << upgraded.output;
  EXPECT_THAT(upgraded.output, HasSubstr("sluis.db: in SQLCipher 4's format already"));
  EXPECT_THAT(upgraded.output, HasSubstr("audit.db: in SQLCipher 4's format already"));
}

// tests/fixtures/store-sqlcipher3: a data directory made by `sluis init` and `sluis demo load` of
// commit 4891dc9, built against bookworm's SQLCipher 3.4.1 (4 KiB pages). It serves as it is,
// upgrades, and afterwards holds the same accounts and an intact audit log.
TEST_F(SluisBinary, ADataDirectoryOfSqlCipher3ServesAndUpgrades) {
  std::filesystem::copy(SLUIS_FIXTURES "/store-sqlcipher3", data_);
  const std::string key_file = data_ + "/kek.key";
  // Git keeps no modes: the key and the keyring are the operator's alone again.
  std::filesystem::permissions(
      key_file, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  std::filesystem::permissions(data_ + "/keyring.toml", std::filesystem::perms::owner_read |
                                                            std::filesystem::perms::owner_write);
  std::filesystem::create_directory(data_ + "/pki");
  std::filesystem::copy_file(pki_.server_certificate, data_ + "/pki/server.pem");
  std::filesystem::copy_file(pki_.server_key, data_ + "/pki/server.key");
  std::filesystem::copy_file(pki_.ca_certificate, data_ + "/pki/ca.pem");
  const std::vector<std::string> unlock{"--data", data_, "--key-file", key_file};
  const auto with = [&](std::vector<std::string> args) {
    args.insert(args.end(), unlock.begin(), unlock.end());
    return run(args);
  };

  const auto before = with({"sluis", "user", "list"});
  ASSERT_EQ(before.exit_code, 0) << before.output;
  EXPECT_THAT(before.output, HasSubstr("gm-jansen"));
  EXPECT_THAT(before.output, HasSubstr("6 users"));

  // The old format serves, and says it is old.
  server_ = spawn({"sluis", "serve", "--data", data_, "--key-file", key_file, "--port", "0"});
  const std::string served = read_output(server_.out, "stop with Ctrl-C");
  EXPECT_THAT(served, HasSubstr("store.legacy_format"));
  const auto at = served.find("https://localhost:");
  ASSERT_NE(at, std::string::npos) << served;
  port_ = static_cast<unsigned short>(std::stoi(served.substr(at + 18)));
  auto health = request(bhttp::verb::get, "/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->result_int(), 200u);
  EXPECT_EQ(stop(), 0);

  const auto upgraded = with({"sluis", "store", "upgrade"});
  ASSERT_EQ(upgraded.exit_code, 0) << upgraded.output;
  EXPECT_THAT(upgraded.output,
              HasSubstr("sluis.db: copied from SQLCipher 3 (4 KiB pages) to SQLCipher 4 and "
                        "verified"));
  EXPECT_THAT(upgraded.output,
              HasSubstr("audit.db: copied from SQLCipher 3 (4 KiB pages) to SQLCipher 4 and "
                        "verified"));
  EXPECT_TRUE(std::filesystem::exists(data_ + "/sluis.db.sqlcipher3"));
  EXPECT_TRUE(std::filesystem::exists(data_ + "/audit.db.sqlcipher3"));

  const auto verified = with({"sluis", "audit", "verify"});
  EXPECT_EQ(verified.exit_code, 0) << verified.output;
  EXPECT_THAT(verified.output, HasSubstr("audit log ok"));
  const auto after = with({"sluis", "user", "list"});
  ASSERT_EQ(after.exit_code, 0) << after.output;
  EXPECT_EQ(after.output, before.output) << "the same accounts after the upgrade";

  server_ = spawn({"sluis", "serve", "--data", data_, "--key-file", key_file, "--port", "0"});
  const std::string again = read_output(server_.out, "stop with Ctrl-C");
  EXPECT_THAT(again, Not(HasSubstr("store.legacy_format")));
  const auto again_at = again.find("https://localhost:");
  ASSERT_NE(again_at, std::string::npos) << again;
  port_ = static_cast<unsigned short>(std::stoi(again.substr(again_at + 18)));
  health = request(bhttp::verb::get, "/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->result_int(), 200u);
  EXPECT_EQ(stop(), 0);
}

TEST_F(SluisBinary, KeyRotationOfARunningGatewayLosesNoFamily) {
  ASSERT_EQ(init().exit_code, 0);
  serve();
  const auto register_family = [&](const char* bsn) {
    auto r = request(bhttp::verb::post, "/v1/families",
                     std::string(R"({"gezinsmanager": {"user_id": "gm", "name": "N"}, "members": [
                            {"bsn": ")") +
                         bsn + R"(", "role": "parent", "label": "ouder",
                             "date_of_birth": "1980-01-01"}]})");
    EXPECT_TRUE(r);
    EXPECT_EQ(r->result_int(), 201u) << r->body();
    return std::string(boost::json::parse(r->body()).at("family_id").as_string());
  };
  const auto status_of = [&](const std::string& family) {
    auto r = request(bhttp::verb::get, "/v1/families/" + family);
    return r ? r->result_int() : 0u;
  };
  const std::string f1 = register_family("111222333");
  // A caller that connects to the control socket and says nothing does not hold the gateway: it
  // is given up on, and the rotation below still gets its turn.
  const int silent = ::socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  const std::string socket_path = data_ + "/control.sock";
  std::strncpy(address.sun_path, socket_path.c_str(), sizeof address.sun_path - 1);
  ASSERT_EQ(::connect(silent, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  const auto rotated =
      run({"sluis", "keys", "rotate", "--retire-old", "--data", data_, "--key-file", key_file_});
  ASSERT_EQ(rotated.exit_code, 0) << rotated.output;
  EXPECT_THAT(rotated.output, HasSubstr("the running gateway rotated its keys"));
  EXPECT_THAT(rotated.output, HasSubstr("kek version 2: primary"));
  EXPECT_THAT(rotated.output, HasSubstr("kek version 1: retired"));
  ::close(silent);
  EXPECT_EQ(status_of(f1), 200u);  // no restart needed
  const std::string f2 = register_family("123456782");
  EXPECT_EQ(status_of(f2), 200u);
  EXPECT_EQ(stop(), 0);

  serve();  // after a restart both families are still there
  EXPECT_EQ(status_of(f1), 200u);
  EXPECT_EQ(status_of(f2), 200u);
  EXPECT_EQ(stop(), 0);
  const auto verify = run({"sluis", "audit", "verify", "--data", data_, "--key-file", key_file_});
  EXPECT_EQ(verify.exit_code, 0) << verify.output;
}

// The issue's test of backups: partners write while `sluis backup` runs; the backup restores into a
// new directory that serves every write acknowledged before the backup began and none
// acknowledged after it ended, its log verifies, and a changed backup is refused.
TEST_F(SluisBinary, BackupUnderLoadRestoresEveryAcknowledgedWrite) {
  write_file(config_, read_file(config_) +
                          "[server]\nrate_limit_per_second = 100000\nrate_limit_burst = 100000\n");
  ASSERT_EQ(init().exit_code, 0);
  serve();
  using clock = std::chrono::steady_clock;
  struct ack {
    std::string id;
    clock::time_point at;
  };
  std::mutex mutex;
  std::vector<ack> acks;
  std::atomic<bool> stop_writing{false};
  std::atomic<int> failures{0};
  const auto writer = [&](int w) {
    for (int n = 0; !stop_writing; ++n) {
      const auto body = R"({"source_ref": "load/)" + std::to_string(w) + "/" + std::to_string(n) +
                        R"(", "bsn": "111222333", "domain": "financien", "kind": "goal",
                           "category": "regular", "status": "active", "title": "t"})";
      auto r = request(bhttp::verb::post, "/v1/contributions", body);
      if (!r || r->result_int() != 201) {
        ++failures;
        continue;
      }
      const auto id = std::string(boost::json::parse(r->body()).at("contribution_id").as_string());
      const std::lock_guard lock(mutex);
      acks.push_back({id, clock::now()});
    }
  };
  const auto acknowledged = [&] {
    const std::lock_guard lock(mutex);
    return acks.size();
  };
  const auto wait_for_acks = [&](std::size_t n) {
    const auto give_up = clock::now() + std::chrono::seconds(120);
    while (acknowledged() < n && clock::now() < give_up)
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
  };
  std::thread w1(writer, 1), w2(writer, 2);
  wait_for_acks(40);
  const auto backup_began = clock::now();
  const std::string backup_dir = (dir_ / "backup").string(), keys = (dir_ / "keys").string();
  const auto backed_up = run({"sluis", "backup", "--data", data_, "--key-file", key_file_, "--to",
                              backup_dir, "--keys-to", keys});
  const auto backup_ended = clock::now();
  wait_for_acks(acknowledged() + 20);
  stop_writing = true;
  w1.join();
  w2.join();
  ASSERT_EQ(backed_up.exit_code, 0) << backed_up.output;
  EXPECT_THAT(backed_up.output, HasSubstr("the running gateway recorded as audit entry"));
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(stop(), 0);

  const std::string restored = (dir_ / "restored").string();
  const auto restore = run({"sluis", "restore", "--from", backup_dir, "--keys", keys, "--data",
                            restored, "--key-file", key_file_});
  ASSERT_EQ(restore.exit_code, 0) << restore.output;
  EXPECT_THAT(restore.output, HasSubstr("verified"));
  serve(restored);
  std::size_t before = 0, after = 0;
  for (const auto& a : acks) {
    if (a.at < backup_began) {
      ++before;
      auto r = request(bhttp::verb::get, "/v1/contributions/" + a.id);
      ASSERT_TRUE(r);
      EXPECT_EQ(r->result_int(), 200u) << "acknowledged before the backup began: " << a.id;
    } else if (a.at > backup_ended) {
      ++after;
      auto r = request(bhttp::verb::get, "/v1/contributions/" + a.id);
      ASSERT_TRUE(r);
      EXPECT_EQ(r->result_int(), 404u) << "acknowledged after the backup ended: " << a.id;
    }
  }
  EXPECT_GE(before, 40u);
  EXPECT_GE(after, 20u);
  EXPECT_EQ(stop(), 0);
  const auto verify =
      run({"sluis", "audit", "verify", "--data", restored, "--key-file", key_file_});
  EXPECT_EQ(verify.exit_code, 0) << verify.output;

  // One byte of the backup's audit log changed: refused, naming the file, and nothing restored.
  {
    std::fstream f(dir_ / "backup" / "audit.db", std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(5000);
    const char c = static_cast<char>(f.peek());
    f.put(static_cast<char>(c ^ 0x20));
  }
  const auto tampered = run({"sluis", "restore", "--from", backup_dir, "--keys", keys, "--data",
                             (dir_ / "second").string(), "--key-file", key_file_});
  EXPECT_EQ(tampered.exit_code, 1) << tampered.output;
  EXPECT_THAT(tampered.output, HasSubstr("audit.db differs from what the manifest lists"));
  EXPECT_FALSE(std::filesystem::exists(dir_ / "second"));
}

// Without a gateway, `sluis backup` appends its audit entry itself; the restored directory's log
// records the restore; both logs verify.
TEST_F(SluisBinary, BackupAndRestoreAreAuditedWithoutAGatewayToo) {
  ASSERT_EQ(init().exit_code, 0);
  const std::string backup_dir = (dir_ / "b").string(), keys = (dir_ / "keys").string();
  const auto backed_up = run({"sluis", "backup", "--data", data_, "--key-file", key_file_, "--to",
                              backup_dir, "--keys-to", keys});
  ASSERT_EQ(backed_up.exit_code, 0) << backed_up.output;
  EXPECT_THAT(backed_up.output, HasSubstr("recorded as audit entry 2"));  // after init's
  // A second backup into the same directory is refused and changes nothing.
  EXPECT_EQ(run({"sluis", "backup", "--data", data_, "--key-file", key_file_, "--to", backup_dir,
                 "--keys-to", keys})
                .exit_code,
            1);
  const std::string restored = (dir_ / "r").string();
  const auto restore = run({"sluis", "restore", "--from", backup_dir, "--keys", keys, "--data",
                            restored, "--key-file", key_file_});
  ASSERT_EQ(restore.exit_code, 0) << restore.output;
  for (const auto& dir : {data_, restored}) {
    const auto verify = run({"sluis", "audit", "verify", "--data", dir, "--key-file", key_file_});
    EXPECT_EQ(verify.exit_code, 0) << verify.output;
    EXPECT_THAT(verify.output, HasSubstr("audit log ok: 2 entries")) << dir;
  }
}

// Changes the stored log as someone with the database key could: the triggers that keep the log
// append-only for the application are dropped first.
void tamper(const std::string& data, const std::string& key_file, const std::string& sql) {
  auto source = keys::kek_source::from_key_file(key_file);
  ASSERT_TRUE(source);
  auto kr = keys::keyring::open(std::filesystem::path(data) / "keyring.toml", *source);
  ASSERT_TRUE(kr);
  auto db = store::connection::open(std::filesystem::path(data) / "audit.db",
                                    kr->reveal_database_key_for_sqlcipher());
  ASSERT_TRUE(db);
  ASSERT_TRUE(db->execute("DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;"));
  auto done = db->execute(sql);
  ASSERT_TRUE(done) << done.error().what();
}

TEST_F(SluisBinary, AuditVerifyNamesTheFirstAlteredOrRemovedEntry) {
  ASSERT_EQ(init().exit_code, 0);
  serve();
  for (int i = 0; i < 8; ++i) ASSERT_TRUE(request(bhttp::verb::get, "/v1/contributions"));
  EXPECT_EQ(stop(), 0);
  const std::vector<std::string> verify = {"sluis", "audit",      "verify", "--data",
                                           data_,   "--key-file", key_file_};
  const auto good = run(verify);
  EXPECT_EQ(good.exit_code, 0) << good.output;
  EXPECT_THAT(good.output, HasSubstr("audit log ok: 9 entries"));

  tamper(data_, key_file_, "UPDATE audit_log SET actor_org = 'someone-else' WHERE seq = 3");
  const auto altered = run(verify);
  EXPECT_EQ(altered.exit_code, 1);
  EXPECT_THAT(altered.output, HasSubstr("at entry 3"));
}

TEST_F(SluisBinary, AuditVerifyNamesARemovedEntry) {
  ASSERT_EQ(init().exit_code, 0);
  serve();
  for (int i = 0; i < 8; ++i) ASSERT_TRUE(request(bhttp::verb::get, "/v1/contributions"));
  EXPECT_EQ(stop(), 0);
  tamper(data_, key_file_,
         "DELETE FROM audit_subjects WHERE seq = 7; DELETE FROM audit_log WHERE seq = 7");
  const auto removed = run({"sluis", "audit", "verify", "--data", data_, "--key-file", key_file_});
  EXPECT_EQ(removed.exit_code, 1);
  EXPECT_THAT(removed.output, HasSubstr("at entry 7"));
}

}  // namespace
}  // namespace sluis::testing
