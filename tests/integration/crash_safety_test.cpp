// Crash safety of build/sluis: concurrent writes over mutual TLS, `kill -9` at a random moment,
// restart, repeated for many rounds. Every write that was answered with a 2xx must be there after
// the restart, nothing half-written may be visible (every stored contribution opens with its
// family's key and has its audit entry; every withdrawal that was answered is withdrawn), and
// `sluis audit verify` must accept the log after every crash.
//
// The audit log has a file of its own (audit.db), so a write and its entry are two commits in two
// files, ordered through sluis.db's outbox (gateway/audit/journal.hpp). A write is answered once
// its case commit (with the staged entry) is durable; its append to audit.db may still be under
// way. Right after each kill the test checks the order: every stored write, and so every
// acknowledged one, has its entry in audit.db or staged in the outbox. After each restart it checks
// the recovery: every stored write has exactly one entry in audit.db.

#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <boost/json.hpp>
#include <iostream>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <thread>

#include "gateway/case/case_store.hpp"
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

constexpr int rounds = 20;
constexpr int writers = 4;

// The real binary, with the test's process helpers (tests/support/child_process.hpp).
process spawn(const std::vector<std::string>& args) { return testing::spawn(SLUIS_BINARY, args); }

// What the writers were told was done: source_ref -> contribution id, and withdrawn ids; and the
// withdrawals that were sent, of which the last one may have happened without an answer.
struct acknowledged {
  std::mutex mutex;
  std::map<std::string, std::string> contributions;
  std::set<std::string> withdrawn;
  std::set<std::string> withdrawals_sent;
};

class CrashSafety : public ::testing::Test {
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
                            "checkpoint_interval = 7\n[server]\nrate_limit_per_second = 100000.0\n"
                            "rate_limit_burst = 100000.0\n[[organisation]]\nid = \"wijkteam\"\n"
                            "name = \"Wijkteam\"\nsector = \"wijkteam\"\n"
                            "certificate = { sha256 = \"" +
                            pki_.client.sha256_fingerprint + "\" }\n");
    process p = spawn({"sluis", "init", "--data", data_, "--key-file", key_file_,
                       "--create-key-file", "--config", config_, "--policy", SLUIS_EXAMPLE_POLICY});
    const std::string out = read_output(p.out);
    ::close(p.out);
    ASSERT_EQ(wait_exit(p.pid), 0) << out;
  }

  void TearDown() override {
    if (server_.pid > 0) {
      ::kill(server_.pid, SIGKILL);
      wait_exit(server_.pid);
      ::close(server_.out);
    }
  }

  void serve() {
    server_ = spawn({"sluis", "serve", "--data", data_, "--key-file", key_file_, "--port", "0"});
    const std::string out = read_output(server_.out, "stop with Ctrl-C");
    const auto at = out.find("https://localhost:");
    ASSERT_NE(at, std::string::npos) << out;
    port_ = static_cast<unsigned short>(std::stoi(out.substr(at + 18)));
  }

  void kill_hard() {
    ASSERT_EQ(::kill(server_.pid, SIGKILL), 0);
    EXPECT_EQ(wait_exit(server_.pid), 128 + SIGKILL);
    ::close(server_.out);
    server_ = {};
  }

  std::optional<http_response> request(tls_client& c, bhttp::verb method, const std::string& target,
                                       const std::string& body = {}) {
    http_request req{method, target, 11};
    req.set(bhttp::field::host, "localhost");
    req.keep_alive(true);
    if (!body.empty()) req.set(bhttp::field::content_type, "application/json");
    req.body() = body;
    req.prepare_payload();
    return c.request(req);
  }

  std::string register_family() {
    tls_client c(port_, {pki_.ca_certificate, &pki_.client, false, {}});
    EXPECT_FALSE(c.connect());
    auto res = request(c, bhttp::verb::post, "/v1/families",
                       R"({"gezinsmanager": {"user_id": "gm", "name": "N"}, "members": [
                           {"bsn": "111222333", "role": "parent", "label": "moeder",
                            "date_of_birth": "1980-01-01"},
                           {"bsn": "123456782", "role": "child", "label": "dochter",
                            "date_of_birth": "2012-01-01", "gezag_holders": ["moeder"]}]})");
    EXPECT_TRUE(res);
    if (!res) return {};
    EXPECT_EQ(res->result_int(), 201u) << res->body();
    return std::string(boost::json::parse(res->body()).at("family_id").as_string());
  }

  // Submits contributions (and, for one writer, withdraws some of its own) over one keep-alive
  // connection until the server goes away; records each 2xx.
  void write_until_killed(int round, int writer, acknowledged& acks) {
    tls_client c(port_, {pki_.ca_certificate, &pki_.client, false, {}});
    if (c.connect()) return;
    std::vector<std::string> mine;
    for (int n = 0;; ++n) {
      const std::string ref =
          "r" + std::to_string(round) + "-w" + std::to_string(writer) + "-" + std::to_string(n);
      if (writer == 0 && n % 3 == 2 && !mine.empty()) {
        const std::string id = mine.back();
        mine.pop_back();
        {
          std::lock_guard lock(acks.mutex);
          acks.withdrawals_sent.insert(id);
        }
        const auto res = request(c, bhttp::verb::delete_, "/v1/contributions/" + id);
        if (!res) return;
        EXPECT_EQ(res->result_int(), 204u) << res->body();
        std::lock_guard lock(acks.mutex);
        acks.withdrawn.insert(id);
        continue;
      }
      const auto res = request(
          c, bhttp::verb::post, "/v1/contributions",
          R"({"source_ref": ")" + ref +
              R"(", "bsn": "123456782", "domain": "wonen", "kind": "goal", "category": "regular",
                  "status": "active", "title": "Titel )" +
              ref + R"(", "body": ")" +
              std::string(1 + static_cast<std::size_t>(n % 7) * 300, 'b') + "\"}");
      if (!res) return;  // killed mid-request: this write may or may not have happened
      EXPECT_EQ(res->result_int(), 201u) << res->body();
      if (res->result_int() != 201u) return;
      const std::string id(boost::json::parse(res->body()).at("contribution_id").as_string());
      mine.push_back(id);
      std::lock_guard lock(acks.mutex);
      acks.contributions.emplace(ref, id);
    }
  }

  // The keyring and sluis.db, opened directly as the restarted server would.
  struct opened_files {
    std::optional<keys::keyring> keyring;
    std::optional<store::connection> db;
  };
  void open_files(opened_files& out) {
    auto source = keys::kek_source::from_key_file(key_file_);
    ASSERT_TRUE(source);
    auto kr = keys::keyring::open(std::filesystem::path(data_) / "keyring.toml", *source);
    ASSERT_TRUE(kr) << kr.error().what();
    auto db = store::connection::open(std::filesystem::path(data_) / "sluis.db",
                                      kr->reveal_database_key_for_sqlcipher());
    ASSERT_TRUE(db) << db.error().what();
    out.keyring.emplace(std::move(*kr));
    out.db.emplace(std::move(*db));
  }

  // Checks every acknowledged write and that nothing stored is half-written.
  void check_store(const std::string& family_id, acknowledged& acks) {
    opened_files files;
    open_files(files);
    if (!files.db) return;
    auto& kr = files.keyring;
    auto& db = files.db;
    const cases::case_store cases(*kr);
    // Every stored contribution of the family opens with the family's key.
    auto stored = cases.family_contributions(*db, family_id);
    ASSERT_TRUE(stored) << stored.error().what();
    std::map<std::string, const cases::stored_contribution*> by_ref;
    for (const auto& c : *stored) by_ref.emplace(c.source_ref, &c);
    std::lock_guard lock(acks.mutex);
    for (const auto& [ref, id] : acks.contributions) {
      const auto it = by_ref.find(ref);
      ASSERT_NE(it, by_ref.end()) << "an acknowledged write is missing: " << ref;
      EXPECT_EQ(it->second->id, id);
      EXPECT_EQ(it->second->content.title, "Titel " + ref);
      if (acks.withdrawn.contains(id)) {
        EXPECT_TRUE(it->second->withdrawn_at) << ref;
      }
      if (!acks.withdrawals_sent.contains(id)) {
        EXPECT_FALSE(it->second->withdrawn_at) << ref;
      }
    }
    // The audit side, straight after the kill (before any recovery): every acknowledged write has
    // its entry durable, in audit.db or in the outbox.
    const auto audit = audited_ids(*kr);
    const auto staged = staged_ids(*db);
    for (const auto& [ref, id] : acks.contributions) {
      EXPECT_TRUE(audit.submitted.contains(id) || staged.submitted.contains(id))
          << "an acknowledged write has no durable entry: " << ref;
      if (!audit.submitted.contains(id) && staged.submitted.contains(id)) ++acknowledged_staged_;
    }
    for (const auto& id : acks.withdrawn)
      EXPECT_TRUE(audit.withdrawn.contains(id) || staged.withdrawn.contains(id))
          << "an acknowledged withdrawal has no durable entry";
    for (const auto& c : *stored) {
      EXPECT_TRUE(audit.submitted.contains(c.id) || staged.submitted.contains(c.id))
          << "a stored write has its entry neither in audit.db nor staged: " << c.source_ref;
      if (c.withdrawn_at) {
        EXPECT_TRUE(audit.withdrawn.contains(c.id) || staged.withdrawn.contains(c.id))
            << "a stored withdrawal has no entry: " << c.source_ref;
      }
    }
    staged_at_kill_ += staged.submitted.size() + staged.withdrawn.size();
  }

  // After a restart: every stored write has exactly one entry in audit.db (the start-up appended
  // what was staged, once).
  void check_recovered(const std::string& family_id) {
    opened_files files;
    open_files(files);
    if (!files.db) return;
    auto& kr = files.keyring;
    auto& db = files.db;
    auto stored = cases::case_store(*kr).family_contributions(*db, family_id);
    ASSERT_TRUE(stored) << stored.error().what();
    const auto audit = audited_ids(*kr);
    for (const auto& c : *stored) {
      EXPECT_TRUE(audit.submitted.contains(c.id)) << "no entry after recovery: " << c.source_ref;
      if (c.withdrawn_at) {
        EXPECT_TRUE(audit.withdrawn.contains(c.id)) << c.source_ref;
      }
    }
    EXPECT_EQ(audit.duplicates, 0) << "an entry was appended twice";
    recovered_ = audit.recovered;
  }

  struct ids {
    std::set<std::string> submitted, withdrawn;
    std::int64_t duplicates = 0;
    std::int64_t recovered = 0;
  };

  // Contribution ids with an ok submit or withdraw entry in audit.db.
  ids audited_ids(const keys::keyring& kr) {
    ids out;
    auto db = store::connection::open(std::filesystem::path(data_) / "audit.db",
                                      kr.reveal_database_key_for_sqlcipher());
    EXPECT_TRUE(db) << db.error().what();
    if (!db) return out;
    auto q = db->prepare(
        "SELECT action, resource_id, detail FROM audit_log WHERE outcome = 'ok' AND action IN "
        "('contribution.submit', 'contribution.withdraw')");
    EXPECT_TRUE(q);
    if (!q) return out;
    std::map<std::string, int> submits;
    for (auto row = q->step(); row && *row; row = q->step()) {
      const std::string id(q->column_text(1));
      if (q->column_text(0) == "contribution.submit") {
        out.submitted.insert(id);
        if (++submits[id] > 1) ++out.duplicates;
      } else {
        out.withdrawn.insert(id);
      }
      if (q->column_text(2).find("\"recovered\":true") != std::string_view::npos) ++out.recovered;
    }
    return out;
  }

  // The same, for entries still staged in sluis.db's outbox.
  ids staged_ids(store::connection& db) {
    ids out;
    auto q = db.prepare("SELECT entry FROM audit_outbox");
    EXPECT_TRUE(q);
    if (!q) return out;
    for (auto row = q->step(); row && *row; row = q->step()) {
      const auto e = boost::json::parse(q->column_text(0)).as_object();
      const std::string id(e.at("resource_id").as_string());
      if (e.at("action").as_string() == "contribution.submit") out.submitted.insert(id);
      if (e.at("action").as_string() == "contribution.withdraw") out.withdrawn.insert(id);
    }
    return out;
  }

  void audit_verify() {
    process p = spawn({"sluis", "audit", "verify", "--data", data_, "--key-file", key_file_});
    const std::string out = read_output(p.out);
    ::close(p.out);
    EXPECT_EQ(wait_exit(p.pid), 0) << out;
    EXPECT_NE(out.find("audit log ok"), std::string::npos) << out;
  }

  temp_dir dir_;
  test_pki pki_;
  std::string data_, key_file_, config_;
  process server_;
  unsigned short port_ = 0;
  std::size_t staged_at_kill_ = 0;       // entries found staged but not yet appended at a kill
  std::size_t acknowledged_staged_ = 0;  // of those, entries of writes already answered
  std::int64_t recovered_ = 0;           // entries in audit.db that a restart appended
};

TEST_F(CrashSafety, EveryAcknowledgedWriteSurvivesKillNine) {
  serve();
  const std::string family_id = register_family();
  ASSERT_FALSE(family_id.empty());
  acknowledged acks;
  std::mt19937 random(std::random_device{}());
  for (int round = 0; round < rounds; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    if (round > 0) {
      serve();
      check_recovered(family_id);
    }
    std::vector<std::thread> threads;
    for (int w = 0; w < writers; ++w)
      threads.emplace_back([&, round, w] { write_until_killed(round, w, acks); });
    // Anywhere from during the first handshakes to well into the writes.
    std::this_thread::sleep_for(std::chrono::milliseconds(20 + random() % 600));
    kill_hard();
    for (auto& t : threads) t.join();
    check_store(family_id, acks);
    audit_verify();
    if (::testing::Test::HasFailure()) break;
  }
  // The writes really happened: a crash test that acknowledged nothing would prove nothing.
  EXPECT_GT(acks.contributions.size(), static_cast<std::size_t>(rounds));
  EXPECT_FALSE(acks.withdrawn.empty());
  // And the server starts and serves after the last crash.
  serve();
  tls_client c(port_, {pki_.ca_certificate, &pki_.client, false, {}});
  ASSERT_FALSE(c.connect());
  const auto res = request(c, bhttp::verb::get, "/v1/families/" + family_id);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->result_int(), 200u) << res->body();
  std::cout << "crash safety: " << rounds << " rounds, " << acks.contributions.size()
            << " acknowledged contributions, " << acks.withdrawn.size()
            << " acknowledged withdrawals, " << staged_at_kill_
            << " entries found staged at a kill (" << acknowledged_staged_
            << " of acknowledged writes), " << recovered_ << " appended by a restart\n";
}

}  // namespace
}  // namespace sluis::testing
