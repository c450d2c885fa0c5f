// The audit log on a real SQLCipher file: append, verify, tamper with raw SQL, search.

#include "gateway/audit/audit_log.hpp"

#include <gtest/gtest.h>
#include <sodium.h>

#include <memory>
#include <string>

#include "gateway/audit/schema.hpp"
#include "gateway/audit/search.hpp"
#include "gateway/audit/verify.hpp"
#include "gateway/store/connection.hpp"
#include "gateway/store/migrations.hpp"
#include "gateway/store/transaction.hpp"
#include "keys/secret_bytes.hpp"
#include "tests/gateway/audit/test_signer.hpp"
#include "tests/support/temp_dir.hpp"

namespace sluis::audit {
namespace {

std::string pseudonym_of(int person) {
  std::string hex(64, '0');
  const std::string tail = std::to_string(person);
  hex.replace(hex.size() - tail.size(), tail.size(), tail);
  return hex;
}

audit_entry entry_about(int person, std::string action = "plan.view") {
  audit_entry e;
  e.actor_org = person % 2 == 0 ? "wijkteam" : "ggz";
  e.actor_user = "u-" + std::to_string(person % 3);
  e.action = std::move(action);
  e.resource = {"family", "fam-" + std::to_string(person % 4)};
  e.family_id = "fam-" + std::to_string(person % 4);
  e.subjects = {pseudonym_of(person)};
  e.purpose = "coordination";
  e.legal_basis = "consent";
  e.policy_version = "p-1";
  e.request_id = "req-" + std::to_string(person);
  e.detail["shown"] = person;
  return e;
}

class AuditLog : public ::testing::Test {
 protected:
  AuditLog() : key_(keys::secret_bytes::random(32)), db_(open()) {
    EXPECT_TRUE(store::migrate(db_, schema()));
  }

  store::connection open() { return store::connection::open(dir_ / "audit.db", key_).value(); }

  audit_log log(std::int64_t interval = 10) {
    log_options options;
    options.checkpoint_interval = interval;
    options.clock = [this] { return timestamp(std::chrono::milliseconds(now_ms_ += 1000)); };
    return audit_log(signer_, std::move(options));
  }

  // Appends people first..last, one transaction each (as the writer's work items would).
  void append_people(int first, int last, std::int64_t interval = 10) {
    const audit_log l = log(interval);
    for (int person = first; person <= last; ++person) {
      auto tx = store::transaction::begin(db_).value();
      ASSERT_TRUE(l.append(db_, entry_about(person)));
      ASSERT_TRUE(tx.commit());
    }
  }

  verify_report verified() { return verify(db_, signer_.public_key()).value(); }

  // What someone holding the database key (but not the audit key) can do with the sqlcipher shell:
  // drop the append-only triggers and rewrite rows. A separate connection, as such a tool would be.
  void tamper(std::string_view sql) {
    store::connection raw = open();
    for (auto trigger : {"audit_log_no_update", "audit_log_no_delete", "audit_subjects_no_update",
                         "audit_subjects_no_delete", "audit_checkpoints_no_update",
                         "audit_checkpoints_no_delete"}) {
      ASSERT_TRUE(raw.execute("DROP TRIGGER IF EXISTS " + std::string(trigger)));
    }
    ASSERT_TRUE(raw.execute("PRAGMA foreign_keys = OFF"));
    auto done = raw.execute(sql);
    ASSERT_TRUE(done) << done.error().what();
  }

  testing::temp_dir dir_;
  keys::secret_bytes key_;
  store::connection db_;
  test_signer signer_;
  std::int64_t now_ms_ = 1'700'000'000'000;
};

TEST_F(AuditLog, AppendAssignsSequenceNumbersAndVerifies) {
  const audit_log l = log();
  for (std::int64_t expected = 1; expected <= 25; ++expected) {
    auto tx = store::transaction::begin(db_).value();
    EXPECT_EQ(l.append(db_, entry_about(static_cast<int>(expected))).value(), expected);
    ASSERT_TRUE(tx.commit());
  }
  const auto report = verified();
  EXPECT_TRUE(report.ok()) << report.reason;
  EXPECT_EQ(report.entries_checked, 25);
  EXPECT_EQ(report.checkpoints_checked, 2);  // at 10 and 20
  ASSERT_TRUE(report.last_checkpoint);
  EXPECT_EQ(report.last_checkpoint->seq, 20);
  EXPECT_EQ(report.unsigned_entries, 5);
}

TEST_F(AuditLog, EmptyLogVerifies) {
  const auto report = verified();
  EXPECT_TRUE(report.ok());
  EXPECT_EQ(report.entries_checked, 0);
}

TEST_F(AuditLog, CheckpointOnDemandSignsTheHeadOnce) {
  append_people(1, 13);
  const audit_log l = log();
  auto tx = store::transaction::begin(db_).value();
  EXPECT_EQ(l.checkpoint_now(db_).value(), 13);
  EXPECT_EQ(l.checkpoint_now(db_).value(), 13);
  ASSERT_TRUE(tx.commit());
  const auto report = verified();
  EXPECT_TRUE(report.ok()) << report.reason;
  EXPECT_EQ(report.checkpoints_checked, 2);
  EXPECT_EQ(report.unsigned_entries, 0);
}

TEST_F(AuditLog, InvalidEntryIsRefusedAndNothingIsWritten) {
  append_people(1, 3);
  const audit_log l = log();
  audit_entry bad = entry_about(4);
  bad.subjects.push_back("123456782");  // a BSN where a pseudonym belongs
  auto tx = store::transaction::begin(db_).value();
  const auto appended = l.append(db_, bad);
  ASSERT_FALSE(appended);
  EXPECT_EQ(appended.error().field(), "subjects/1");
  ASSERT_TRUE(tx.commit());
  EXPECT_EQ(verified().entries_checked, 3);
}

TEST_F(AuditLog, RolledBackAppendLeavesNoEntryAndTheChainStillVerifies) {
  append_people(1, 5);
  const audit_log l = log();
  {
    auto tx = store::transaction::begin(db_).value();
    EXPECT_EQ(l.append(db_, entry_about(6)).value(), 6);
    EXPECT_EQ(l.append(db_, entry_about(7)).value(), 7);
  }  // rolled back
  {
    // And inside a savepoint that rolls back while its transaction commits, as in the writer.
    auto tx = store::transaction::begin(db_).value();
    {
      auto sp = store::savepoint::begin(db_).value();
      EXPECT_EQ(l.append(db_, entry_about(8)).value(), 6);
    }
    EXPECT_EQ(l.append(db_, entry_about(9)).value(), 6);
    ASSERT_TRUE(tx.commit());
  }
  const auto report = verified();
  EXPECT_TRUE(report.ok()) << report.reason;
  EXPECT_EQ(report.entries_checked, 6);
  search_filter by_person;
  by_person.subject = pseudonym_of(9);
  EXPECT_EQ(search(db_, by_person).value().size(), 1u);
  by_person.subject = pseudonym_of(8);
  EXPECT_TRUE(search(db_, by_person).value().empty());
}

TEST_F(AuditLog, TheStoreRefusesUpdatesAndDeletesOfTheLog) {
  append_people(1, 10);
  EXPECT_FALSE(db_.execute("UPDATE audit_log SET actor_org = 'x' WHERE seq = 2"));
  EXPECT_FALSE(db_.execute("DELETE FROM audit_log WHERE seq = 10"));
  EXPECT_FALSE(db_.execute("DELETE FROM audit_subjects WHERE seq = 2"));
  EXPECT_FALSE(db_.execute("UPDATE audit_checkpoints SET previous_seq = 3"));
  EXPECT_TRUE(verified().ok());
}

struct column_edit {
  const char* column;
  const char* value;
};

class AuditLogColumnEdit : public AuditLog, public ::testing::WithParamInterface<column_edit> {};

TEST_P(AuditLogColumnEdit, ChangedFieldIsNamed) {
  append_people(1, 30);
  tamper(std::string("UPDATE audit_log SET ") + GetParam().column + " = " + GetParam().value +
         " WHERE seq = 17");
  const auto report = verified();
  EXPECT_EQ(report.kind, problem::entry_changed);
  EXPECT_EQ(report.first_bad_seq, 17);
  EXPECT_EQ(report.reason, "hash mismatch at 17: its fields differ from what was hashed");
}

INSTANTIATE_TEST_SUITE_P(
    EveryColumn, AuditLogColumnEdit,
    ::testing::Values(column_edit{"at", "at + 1"}, column_edit{"actor_org", "'ggz-anders'"},
                      column_edit{"actor_user", "''"}, column_edit{"action", "'plan.export'"},
                      column_edit{"resource_type", "'plan'"}, column_edit{"resource_id", "'x'"},
                      column_edit{"family_id", "'fam-9'"}, column_edit{"purpose", "'inzage'"},
                      column_edit{"legal_basis", "'vital-interest'"},
                      column_edit{"outcome", "'refused'"}, column_edit{"outcome_code", "'x'"},
                      column_edit{"policy_version", "'p-2'"}, column_edit{"request_id", "'r'"},
                      column_edit{"break_glass", "1"}, column_edit{"detail", "'{\"shown\":99}'"},
                      column_edit{"detail", "'not json'"}),
    [](const auto& param_info) {
      return std::string(param_info.param.column) + "_" + std::to_string(param_info.index);
    });

TEST_F(AuditLog, ChangedSubjectIsNamed) {
  append_people(1, 12);
  tamper("UPDATE audit_subjects SET pseudonym = '" + pseudonym_of(99) + "' WHERE seq = 4");
  const auto report = verified();
  EXPECT_EQ(report.kind, problem::entry_changed);
  EXPECT_EQ(report.first_bad_seq, 4);
}

TEST_F(AuditLog, BrokenLinkIsNamed) {
  append_people(1, 12);
  // Entry 6 now claims to follow entry 3: its own hash still matches, its link does not.
  tamper(
      "UPDATE audit_log SET (prev_hash) = (SELECT hash FROM audit_log WHERE seq = 3) "
      "WHERE seq = 6");
  const auto report = verified();
  EXPECT_EQ(report.kind, problem::link_broken);
  EXPECT_EQ(report.first_bad_seq, 6);
  EXPECT_EQ(report.reason, "entry 6 does not link to entry 5");
}

TEST_F(AuditLog, ChangedHashIsNamed) {
  append_people(1, 12);
  tamper("UPDATE audit_log SET hash = zeroblob(32) WHERE seq = 12");
  const auto report = verified();
  EXPECT_EQ(report.kind, problem::hash_mismatch);
  EXPECT_EQ(report.reason, "hash mismatch at 12");
}

TEST_F(AuditLog, DeletedEntryIsNamed) {
  append_people(1, 30);
  tamper("DELETE FROM audit_subjects WHERE seq = 14; DELETE FROM audit_log WHERE seq = 14");
  const auto report = verified();
  EXPECT_EQ(report.kind, problem::entry_missing);
  EXPECT_EQ(report.first_bad_seq, 14);
  EXPECT_EQ(report.reason, "entry 14 missing");
}

TEST_F(AuditLog, TruncatedTailUpToACheckpointIsNamed) {
  append_people(1, 25);
  tamper("DELETE FROM audit_subjects WHERE seq > 18; DELETE FROM audit_log WHERE seq > 18");
  const auto report = verified();
  EXPECT_EQ(report.kind, problem::entry_missing);
  EXPECT_EQ(report.first_bad_seq, 19);
  EXPECT_EQ(report.reason, "entry 19 missing: checkpoint 20 covers it");
}

TEST_F(AuditLog, SwappedEntriesNameTheFirst) {
  append_people(1, 30);
  tamper(
      "UPDATE audit_log SET seq = -1 WHERE seq = 8;"
      "UPDATE audit_log SET seq = 8 WHERE seq = 9;"
      "UPDATE audit_log SET seq = 9 WHERE seq = -1;"
      "UPDATE audit_subjects SET seq = -1 WHERE seq = 8;"
      "UPDATE audit_subjects SET seq = 8 WHERE seq = 9;"
      "UPDATE audit_subjects SET seq = 9 WHERE seq = -1");
  const auto report = verified();
  EXPECT_EQ(report.kind, problem::entry_out_of_order);
  EXPECT_EQ(report.first_bad_seq, 8);
  EXPECT_EQ(report.reason, "entry 8 out of order: it holds entry 9");
}

TEST_F(AuditLog, ForgedCheckpointSignatureIsNamed) {
  append_people(1, 30);
  tamper("UPDATE audit_checkpoints SET signature = zeroblob(64) WHERE seq = 20");
  const auto report = verified();
  EXPECT_EQ(report.kind, problem::checkpoint_signature_invalid);
  EXPECT_EQ(report.first_bad_seq, 20);
  EXPECT_EQ(report.reason, "checkpoint 20 signature invalid");
}

TEST_F(AuditLog, CheckpointByAnotherKeyIsUntrusted) {
  append_people(1, 9);
  const test_signer intruder;
  log_options options;
  options.checkpoint_interval = 10;
  const audit_log forged(intruder, options);
  auto tx = store::transaction::begin(db_).value();
  ASSERT_TRUE(forged.append(db_, entry_about(10)));
  ASSERT_TRUE(tx.commit());
  const auto report = verified();
  EXPECT_EQ(report.kind, problem::checkpoint_untrusted_key);
  EXPECT_EQ(report.first_bad_seq, 10);
  // Every key of the keyring's history can be trusted at once.
  const public_key both[] = {signer_.public_key(), intruder.public_key()};
  EXPECT_TRUE(verify(db_, both).value().ok());
}

// Someone with the database key but not the audit key rewrites entry 13 and recomputes every
// hash after it, as our own code would (with a key of their own, never used: no checkpoint is
// due before 100).
void rewrite_from_13(store::connection& raw, bool drop_checkpoints) {
  for (auto trigger :
       {"audit_log_no_delete", "audit_subjects_no_delete", "audit_checkpoints_no_delete"}) {
    ASSERT_TRUE(raw.execute("DROP TRIGGER " + std::string(trigger)));
  }
  ASSERT_TRUE(raw.execute("PRAGMA foreign_keys = OFF"));
  auto tx = store::transaction::begin(raw).value();
  ASSERT_TRUE(raw.execute("DELETE FROM audit_subjects WHERE seq >= 13"));
  ASSERT_TRUE(raw.execute("DELETE FROM audit_log WHERE seq >= 13"));
  if (drop_checkpoints) {
    ASSERT_TRUE(raw.execute("DELETE FROM audit_checkpoints WHERE seq >= 13"));
  }
  const test_signer unused;
  log_options options;
  options.checkpoint_interval = 100;
  const audit_log rewriter(unused, options);
  for (int person = 13; person <= 30; ++person) {
    ASSERT_TRUE(rewriter.append(raw, entry_about(person == 13 ? 1000 : person)));
  }
  ASSERT_TRUE(tx.commit());
}

TEST_F(AuditLog, ConsistentRewriteIsCaughtByTheNextCheckpoint) {
  append_people(1, 30);
  store::connection raw = open();
  rewrite_from_13(raw, false);
  const auto report = verified();
  EXPECT_EQ(report.kind, problem::checkpoint_mismatch);
  EXPECT_EQ(report.first_bad_seq, 20);
  EXPECT_EQ(report.reason,
            "checkpoint 20 does not match the chain: entries 11 to 20 were rewritten");
}

TEST_F(AuditLog, RewriteThatAlsoDropsLaterCheckpointsShowsOnlyAsAnOlderHead) {
  append_people(1, 30);
  store::connection raw = open();
  rewrite_from_13(raw, true);
  // The documented limit: the chain is consistent again. What remains visible is that the newest
  // checkpoint is 10, not the 30 an operator kept elsewhere.
  const auto report = verified();
  EXPECT_TRUE(report.ok());
  ASSERT_TRUE(report.last_checkpoint);
  EXPECT_EQ(report.last_checkpoint->seq, 10);
  EXPECT_EQ(report.unsigned_entries, 20);
}

TEST_F(AuditLog, RemovedMiddleCheckpointIsNamed) {
  append_people(1, 30);
  tamper("DELETE FROM audit_checkpoints WHERE seq = 20");
  const auto report = verified();
  EXPECT_EQ(report.kind, problem::checkpoint_missing);
  EXPECT_EQ(report.first_bad_seq, 20);
  EXPECT_EQ(report.reason, "checkpoint 20 missing: checkpoint 30 follows it");
}

TEST_F(AuditLog, SearchBySubjectReturnsExactlyThatPersonsEntriesNewestFirst) {
  const audit_log l = log();
  auto tx = store::transaction::begin(db_).value();
  for (int i = 1; i <= 20; ++i) {
    audit_entry e = entry_about(i % 5);
    if (i % 7 == 0) e.subjects.push_back(pseudonym_of(3));  // some entries are about two people
    ASSERT_TRUE(l.append(db_, e));
  }
  ASSERT_TRUE(tx.commit());

  search_filter filter;
  filter.subject = pseudonym_of(3);
  const auto found = search(db_, filter).value();
  std::vector<std::int64_t> seqs;
  for (const auto& e : found) {
    seqs.push_back(e.seq);
    EXPECT_NE(std::find(e.subjects.begin(), e.subjects.end(), pseudonym_of(3)), e.subjects.end());
  }
  // Person 3 (i % 5 == 3): 3, 8, 13, 18; and the double entries 7 and 14.
  EXPECT_EQ(seqs, (std::vector<std::int64_t>{18, 14, 13, 8, 7, 3}));
}

TEST_F(AuditLog, SearchReturnsEntriesAsAppended) {
  const audit_log l = log();
  audit_entry e = entry_about(42, "break_glass.request");
  e.break_glass = true;
  e.legal_basis = "vital-interest";
  e.outcome = {outcome_kind::refused, "no_grounds"};
  e.detail["hidden"] = boost::json::object{{"no_consent", 2}, {"category", 1}};
  auto tx = store::transaction::begin(db_).value();
  ASSERT_TRUE(l.append(db_, e));
  ASSERT_TRUE(tx.commit());

  const auto found = search(db_, {}).value();
  ASSERT_EQ(found.size(), 1u);
  e.seq = 1;
  e.time = timestamp(std::chrono::milliseconds(now_ms_));
  EXPECT_EQ(found[0], e);
}

TEST_F(AuditLog, SearchFiltersCombine) {
  append_people(1, 24);  // entry n is about person n, at 1'700'000'000'000 + 1000 n
  search_filter filter;
  filter.actor_org = "wijkteam";  // even people
  filter.family_id = "fam-2";     // n % 4 == 2
  EXPECT_EQ(search(db_, filter).value().size(), 6u);
  filter.actor_user = "u-0";  // n % 3 == 0: 6, 18
  auto found = search(db_, filter).value();
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].seq, 18);

  search_filter in_time;
  in_time.from = timestamp(std::chrono::milliseconds(1'700'000'000'000 + 5'000));
  in_time.until = timestamp(std::chrono::milliseconds(1'700'000'000'000 + 9'000));
  found = search(db_, in_time).value();
  ASSERT_EQ(found.size(), 4u);  // 5, 6, 7, 8
  EXPECT_EQ(found.front().seq, 8);
  EXPECT_EQ(found.back().seq, 5);

  search_filter paged;
  paged.action = "plan.view";
  paged.limit = 5;
  paged.offset = 20;
  found = search(db_, paged).value();
  ASSERT_EQ(found.size(), 4u);
  EXPECT_EQ(found.front().seq, 4);

  paged.limit = 0;
  EXPECT_EQ(search(db_, paged).error().field(), "limit");
  paged.limit = 1;
  paged.offset = -1;
  EXPECT_EQ(search(db_, paged).error().field(), "offset");
}

}  // namespace
}  // namespace sluis::audit
