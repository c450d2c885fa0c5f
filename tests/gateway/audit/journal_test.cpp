#include "gateway/audit/journal.hpp"

#include <gtest/gtest.h>

#include <future>
#include <string>

#include "gateway/audit/audit_log.hpp"
#include "gateway/audit/schema.hpp"
#include "gateway/audit/search.hpp"
#include "gateway/audit/verify.hpp"
#include "gateway/store/connection.hpp"
#include "gateway/store/store.hpp"
#include "tests/gateway/audit/test_signer.hpp"
#include "tests/support/temp_dir.hpp"

namespace sluis::audit {
namespace {

audit_entry entry(std::string action, std::string id) {
  audit_entry e;
  e.actor_org = "wijkteam";
  e.action = std::move(action);
  e.resource = {"contribution", std::move(id)};
  e.request_id = "req";
  return e;
}

// A data directory with a case store and its journal, reopened at will as a restart would.
class Journal : public ::testing::Test {
 protected:
  Journal() : key_(keys::secret_bytes::random(32)) { open(); }

  void open() {
    journal_.reset();
    cases_.reset();
    cases_ = store::store::open(dir_.path(), key_).value();
    auto j =
        journal::open(dir_.path(), key_, *cases_, signer_, {.log = {.checkpoint_interval = 3}});
    ASSERT_TRUE(j) << j.error().what();
    journal_ = std::move(*j);
  }

  std::int64_t count(store::reader_pool& readers, const std::string& sql) {
    return readers
        .with([&](store::connection& db) -> result<std::int64_t> {
          auto st = db.prepare(sql);
          if (!st) return st.error();
          auto row = st->step();
          if (!row) return row.error();
          return st->column_int64(0);
        })
        .value();
  }
  std::int64_t staged() { return count(cases_->reads(), "SELECT count(*) FROM audit_outbox"); }
  std::int64_t logged() { return count(journal_->reads(), "SELECT count(*) FROM audit_log"); }

  // A case write that staged its entry and then "crashed" before the append.
  void stage_only(const std::string& id) {
    ASSERT_TRUE(cases_->writes().run([&](store::connection& db) -> result<void> {
      auto staged_id = journal_->stage(db, entry("contribution.submit", id));
      if (!staged_id) return staged_id.error();
      return {};
    }));
  }

  verify_report verified() {
    return journal_->reads()
        .with([&](store::connection& db) { return verify(db, signer_.public_key()); })
        .value();
  }

  testing::temp_dir dir_;
  keys::secret_bytes key_;
  test_signer signer_;
  std::unique_ptr<store::store> cases_;
  std::unique_ptr<journal> journal_;
};

TEST_F(Journal, TheLogIsAFileOfItsOwn) {
  EXPECT_TRUE(std::filesystem::exists(dir_.path() / "audit.db"));
  ASSERT_TRUE(journal_->append_now(entry("plan.view", "x")));
  EXPECT_EQ(logged(), 1);
  // The case database has no audit tables: an append never changes its file.
  EXPECT_EQ(
      count(cases_->reads(), "SELECT count(*) FROM sqlite_master WHERE name LIKE 'audit_log%'"), 0);
}

TEST_F(Journal, AWriteAndItsEntryBothBecomeDurableAndTheOutboxEmpties) {
  auto seq = journal_->write_now(
      [](store::connection& db, audit_entry& e) -> result<void> {
        e.detail["changed"] = true;  // the change completes its entry
        return db.execute("UPDATE organisations SET name = name");
      },
      entry("contribution.submit", "c-1"));
  ASSERT_TRUE(seq) << seq.error().what();
  EXPECT_EQ(*seq, 1);
  EXPECT_EQ(count(journal_->reads(),
                  "SELECT count(*) FROM audit_log WHERE outbox_id IS NOT NULL "
                  "AND detail = '{\"changed\":true}'"),
            1);
  EXPECT_EQ(staged(), 1) << "deleted by the next case write, not by an extra commit";
  ASSERT_TRUE(
      journal_->write_now([](store::connection&, audit_entry&) -> result<void> { return {}; },
                          entry("contribution.submit", "c-2")));
  EXPECT_EQ(staged(), 1) << "the first row went with the second write";
}

// A write is answered once its case commit is durable, before its entry is in audit.db; every
// reader of the log must then wait for that append, so a search made after the answer finds it.
TEST_F(Journal, AReaderOfTheLogWaitsForTheAppendsHandedOverBeforeIt) {
  std::int64_t outbox_id = 0;
  ASSERT_TRUE(cases_->writes().run([&](store::connection& db) -> result<void> {
    auto id = journal_->stage(db, entry("contribution.submit", "c-1"));
    if (!id) return id.error();
    outbox_id = *id;
    return {};
  }));
  std::promise<void> release;
  auto held = release.get_future().share();
  journal_->writer().submit(
      [held](store::connection&) -> result<void> {
        held.wait();
        return {};
      },
      [](result<void>) {});
  // Nothing handed over yet: a reader does not wait for the held writer.
  EXPECT_EQ(logged(), 0);
  journal_->append_staged(outbox_id, entry("contribution.submit", "c-1"),
                          [](result<std::int64_t>) {});
  auto count = std::async(std::launch::async, [this] { return logged(); });
  EXPECT_EQ(count.wait_for(std::chrono::milliseconds(300)), std::future_status::timeout)
      << "the reader did not wait for the append";
  release.set_value();
  EXPECT_EQ(count.get(), 1);
}

TEST_F(Journal, AFailedChangeStagesNothing) {
  auto seq = journal_->write_now(
      [](store::connection&, audit_entry&) -> result<void> { return error::conflict("no"); },
      entry("contribution.submit", "c-1"));
  EXPECT_FALSE(seq);
  EXPECT_EQ(staged(), 0);
  EXPECT_EQ(logged(), 0);
}

TEST_F(Journal, AnInvalidEntryFailsTheCaseWriteToo) {
  auto bad = entry("Not A Verb", "c-1");
  auto seq = journal_->write_now(
      [](store::connection& db, audit_entry&) -> result<void> {
        return db.execute("INSERT INTO keyring_events (at, event, detail) VALUES (1, 'x', 'y')");
      },
      bad);
  EXPECT_FALSE(seq);
  EXPECT_EQ(count(cases_->reads(), "SELECT count(*) FROM keyring_events"), 0);
}

TEST_F(Journal, AStartUpAppendsWhatACrashLeftStagedExactlyOnce) {
  ASSERT_TRUE(journal_->append_now(entry("plan.view", "before")));
  stage_only("c-crashed");
  EXPECT_EQ(logged(), 1);
  open();  // the restart
  EXPECT_EQ(journal_->started().recovered, 1u);
  EXPECT_EQ(logged(), 2);
  EXPECT_EQ(staged(), 0);
  search_filter f;
  f.action = "contribution.submit";
  const auto found =
      journal_->reads().with([&](store::connection& db) { return search(db, f); }).value();
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].resource.id, "c-crashed");
  EXPECT_EQ(found[0].detail.at("recovered"), true);
  open();  // and again: nothing more
  EXPECT_EQ(journal_->started().recovered, 0u);
  EXPECT_EQ(logged(), 2);
  EXPECT_TRUE(verified().ok());
}

TEST_F(Journal, AnEntryAppendedBeforeTheCrashIsNotAppendedAgain) {
  // Appended, but the crash came before a later write deleted its outbox row.
  ASSERT_TRUE(
      journal_->write_now([](store::connection&, audit_entry&) -> result<void> { return {}; },
                          entry("contribution.submit", "c-1")));
  EXPECT_EQ(staged(), 1);
  open();
  EXPECT_EQ(journal_->started().recovered, 0u);
  EXPECT_EQ(logged(), 1);
  EXPECT_EQ(staged(), 0);
}

TEST_F(Journal, AnOlderDataDirectoryKeepsItsEntriesAndTheirSignatures) {
  // Build a log the old way, in sluis.db's own tables (migration 2 of the case schema), from a log
  // made in a scratch file of the same shape.
  journal_.reset();
  cases_.reset();
  testing::temp_dir scratch;
  {
    auto old = store::connection::open(scratch.path() / "old.db", key_).value();
    ASSERT_TRUE(store::migrate(old, schema()));
    const audit_log log(signer_, {.checkpoint_interval = 3});
    for (int i = 0; i < 7; ++i) {
      auto e = entry("plan.view", "p-" + std::to_string(i));
      e.subjects = {std::string(64, 'a')};
      ASSERT_TRUE(log.append(old, e));
    }
  }
  {
    // A case database as the previous release left it: migrations 1-5 with the audit tables.
    auto db = store::connection::open(dir_.path() / "sluis.db", key_).value();
    ASSERT_TRUE(store::migrate(db));
    ASSERT_TRUE(
        db.execute("CREATE TABLE IF NOT EXISTS audit_log (seq INTEGER PRIMARY KEY, at "
                   "INTEGER NOT NULL, actor_org TEXT NOT NULL, actor_user TEXT NOT NULL, "
                   "action TEXT NOT NULL, resource_type TEXT NOT NULL, resource_id TEXT "
                   "NOT NULL, family_id TEXT NOT NULL, purpose TEXT NOT NULL, legal_basis "
                   "TEXT NOT NULL, outcome TEXT NOT NULL, outcome_code TEXT NOT NULL, "
                   "policy_version TEXT NOT NULL, request_id TEXT NOT NULL, break_glass "
                   "INTEGER NOT NULL, detail TEXT NOT NULL, canonical BLOB NOT NULL, "
                   "prev_hash BLOB NOT NULL, hash BLOB NOT NULL);"
                   "CREATE TABLE IF NOT EXISTS audit_subjects (seq INTEGER NOT NULL, "
                   "pseudonym TEXT NOT NULL, PRIMARY KEY (pseudonym, seq)) WITHOUT ROWID;"
                   "CREATE TABLE IF NOT EXISTS audit_checkpoints (seq INTEGER PRIMARY KEY, "
                   "hash BLOB NOT NULL, previous_seq INTEGER NOT NULL, key_id TEXT NOT "
                   "NULL, public_key BLOB NOT NULL, signature BLOB NOT NULL, created_at "
                   "INTEGER NOT NULL);"));
    auto attached = db.attach(scratch.path() / "old.db", "old", key_);
    ASSERT_TRUE(attached) << attached.error().what();
    ASSERT_TRUE(db.execute(
        "INSERT INTO main.audit_log SELECT seq, at, actor_org, actor_user, action, resource_type, "
        "resource_id, family_id, purpose, legal_basis, outcome, outcome_code, policy_version, "
        "request_id, break_glass, detail, canonical, prev_hash, hash FROM old.audit_log;"
        "INSERT INTO main.audit_subjects SELECT * FROM old.audit_subjects;"
        "INSERT INTO main.audit_checkpoints SELECT * FROM old.audit_checkpoints;"));
    ASSERT_TRUE(db.execute("DETACH DATABASE old"));
  }
  open();
  EXPECT_EQ(journal_->started().moved, 7u);
  const auto report = verified();
  EXPECT_TRUE(report.ok()) << report.reason;
  EXPECT_EQ(report.entries_checked, 7);
  EXPECT_EQ(report.checkpoints_checked, 2);
  EXPECT_EQ(count(cases_->reads(), "SELECT count(*) FROM sqlite_master WHERE name = 'audit_log'"),
            0)
      << "the old tables are gone";
  ASSERT_TRUE(journal_->append_now(entry("plan.view", "after")));
  EXPECT_TRUE(verified().ok()) << "the chain goes on from the moved head";
  open();
  EXPECT_EQ(journal_->started().moved, 0u);
  EXPECT_EQ(logged(), 8);
}

}  // namespace
}  // namespace sluis::audit
