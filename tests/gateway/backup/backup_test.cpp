// sluis backup and restore on a real data directory (keyring, SQLCipher files, the demo loaded
// through intake): the copy is one snapshot, holds no key, keeps erased families erased, and
// nothing changed or forged is restored.

#include "gateway/backup/backup.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>

#include "gateway/audit/journal.hpp"
#include "gateway/audit/key_ring_signer.hpp"
#include "gateway/backup/manifest.hpp"
#include "gateway/backup/restore.hpp"
#include "gateway/case/case_store.hpp"
#include "gateway/config/config.hpp"
#include "gateway/demo/loader.hpp"
#include "gateway/store/connection.hpp"
#include "gateway/store/store.hpp"
#include "keys/key_ring.hpp"
#include "policy/engine.hpp"
#include "tests/keys/test_keys.hpp"
#include "tests/support/temp_dir.hpp"

namespace sluis::backup {
namespace {

constexpr std::string_view passphrase_text = "backup test passphrase";

class backup_test : public ::testing::Test {
 protected:
  void SetUp() override {
    std::filesystem::create_directories(data_);
    auto kr = keys::keyring::create(data_ / "keyring.toml", passphrase());
    ASSERT_TRUE(kr) << kr.error().what();
    keyring_.emplace(std::move(*kr));
    testing::write_file(data_ / "config.toml", testing::read_file(SLUIS_EXAMPLE_CONFIG));
    testing::write_file(data_ / "policy.toml", testing::read_file(SLUIS_EXAMPLE_POLICY));
    auto st = store::store::open(data_, keyring_->reveal_database_key_for_sqlcipher());
    ASSERT_TRUE(st) << st.error().what();
    store_ = std::move(*st);
    signer_.emplace(keyring_->audit_signer());
    auto journal = audit::journal::open(data_, keyring_->reveal_database_key_for_sqlcipher(),
                                        *store_, *signer_);
    ASSERT_TRUE(journal) << journal.error().what();
    log_ = std::move(*journal);
    auto cfg = config::load(data_);
    ASSERT_TRUE(cfg) << cfg.error().what();
    auto policy = policy::engine::compile(testing::read_file(SLUIS_EXAMPLE_POLICY), "policy.toml");
    ASSERT_TRUE(policy);
    demo::load_options options;
    options.users.password_limits = keys::argon2_limits::minimum();
    const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    auto loaded =
        demo::load(*store_, *keyring_, *cfg,
                   std::make_shared<const policy::engine>(std::move(*policy)), *log_, now, options);
    ASSERT_TRUE(loaded) << loaded.error().what();
    for (const auto& f : loaded->loaded) families_.push_back(f.family_id);
    ASSERT_GE(families_.size(), 2u);
  }

  static keys::kek_source passphrase() { return sluis::testing::passphrase(passphrase_text); }

  result<backup_report> backup(const std::string& name, const progress& on_progress = {}) {
    return take_backup(data_, *keyring_, dir_ / name, register_, on_progress);
  }
  result<restore_report> restore(const std::string& from, const std::string& into) {
    return restore_backup(dir_ / from, register_, passphrase(), dir_ / into);
  }

  // A number from an SQL query on a copy of one of the files (opening a file sets its journal
  // mode, which would change a backup's bytes).
  std::int64_t count(const std::filesystem::path& file, const std::string& sql) {
    const auto copy = dir_ / "inspected.db";
    for (const char* suffix : {"", "-wal"}) {
      std::filesystem::remove(copy.string() + suffix);
      if (std::filesystem::exists(file.string() + suffix))
        std::filesystem::copy_file(file.string() + suffix, copy.string() + suffix);
    }
    auto db = store::connection::open(copy, keyring_->reveal_database_key_for_sqlcipher());
    EXPECT_TRUE(db) << db.error().what();
    if (!db) return -1;
    auto st = db->prepare(sql);
    EXPECT_TRUE(st) << st.error().what();
    if (!st) return -1;
    auto row = st->step();
    EXPECT_TRUE(row && *row);
    return st->column_int64(0);
  }

  // Whether the restored data directory opens the family's sealed label and contributions.
  bool readable(const std::filesystem::path& restored, const std::string& family) {
    auto st = store::store::open(restored, keyring_->reveal_database_key_for_sqlcipher());
    EXPECT_TRUE(st);
    const cases::case_store cases(*keyring_);
    return bool((*st)->reads().with([&](store::connection& db) -> result<void> {
      auto f = cases.load_family(db, family);
      if (!f) return f.error();
      auto c = cases.family_contributions(db, family);
      if (!c) return c.error();
      return {};
    }));
  }

  void expect_refused(const std::string& from, errc code) {
    auto restored = restore(from, "refused");
    ASSERT_FALSE(restored);
    EXPECT_EQ(restored.error().code(), code) << restored.error().what();
    EXPECT_FALSE(std::filesystem::exists(dir_ / "refused"));
    EXPECT_FALSE(std::filesystem::exists(dir_ / "refused.partial"));
  }

  testing::temp_dir dir_;
  std::filesystem::path data_ = dir_ / "data";
  std::filesystem::path register_ = dir_ / "keys.register";
  std::optional<keys::keyring> keyring_;
  std::unique_ptr<store::store> store_;
  std::optional<audit::keyring_signer> signer_;
  std::unique_ptr<audit::journal> log_;
  std::vector<std::string> families_;
};

TEST_F(backup_test, the_copy_is_the_snapshot_of_its_start_and_holds_no_key) {
  bool wrote_during_copy = false;
  auto taken = backup("b1", [&](std::string_view file, std::uintmax_t, std::uintmax_t) {
    if (wrote_during_copy || file != store::store::file_name) return;
    // A write the gateway commits while the copy runs: after the snapshot, so not in it.
    wrote_during_copy = bool(store_->writes().run([](store::connection& db) {
      return store::exec(db,
                         "INSERT INTO keyring_events (at, event, detail) VALUES (1, 'during', '')");
    }));
  });
  ASSERT_TRUE(taken) << taken.error().what();
  ASSERT_TRUE(wrote_during_copy);
  EXPECT_EQ(taken->families, static_cast<std::int64_t>(families_.size()));
  EXPECT_EQ(taken->family_keys, taken->families);
  const auto copy = dir_ / "b1" / "sluis.db";
  EXPECT_EQ(count(copy, "SELECT count(*) FROM keyring_events WHERE event = 'during'"), 0);
  EXPECT_EQ(count(data_ / "sluis.db", "SELECT count(*) FROM keyring_events WHERE event = 'during'"),
            1);
  EXPECT_EQ(count(copy, "SELECT count(*) FROM family_keys"), 0);
  EXPECT_EQ(count(copy, "SELECT count(*) FROM families"), taken->families);
  EXPECT_EQ(last_backup_time(data_), taken->taken_at);

  auto restored = restore("b1", "r1");
  ASSERT_TRUE(restored) << restored.error().what();
  EXPECT_EQ(restored->keys_restored, taken->families);
  EXPECT_EQ(restored->families_without_key, 0);
  EXPECT_EQ(restored->audit_entries, taken->audit_last_seq);
  for (const auto& f : families_) EXPECT_TRUE(readable(dir_ / "r1", f)) << f;
}

// Crypto-shredding after a backup: the next backup replaces the key register, and the older
// backup restores with the family unreadable while every other family is whole.
TEST_F(backup_test, an_erasure_after_a_backup_reaches_it_through_the_key_register) {
  ASSERT_TRUE(backup("before"));
  const cases::case_store cases(*keyring_);
  const std::string erased = families_.front();
  ASSERT_TRUE(store_->writes().run(
      [&](store::connection& db) { return cases.destroy_family_key(db, erased); }));
  ASSERT_TRUE(backup("after"));

  auto restored = restore("before", "r");
  ASSERT_TRUE(restored) << restored.error().what();
  EXPECT_EQ(restored->families_without_key, 1);
  EXPECT_FALSE(readable(dir_ / "r", erased));
  for (std::size_t i = 1; i < families_.size(); ++i)
    EXPECT_TRUE(readable(dir_ / "r", families_[i]));
}

TEST_F(backup_test, a_changed_backup_or_register_is_refused_and_nothing_is_restored) {
  ASSERT_TRUE(backup("b"));
  const auto copy_of_backup = [&](const std::string& name) {
    std::filesystem::copy(dir_ / "b", dir_ / name, std::filesystem::copy_options::recursive);
    return dir_ / name;
  };
  {  // one byte of the case data
    const auto b = copy_of_backup("flipped");
    std::fstream f(b / "sluis.db", std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(6000);
    f.put('\x5a');
    f.close();
    expect_refused("flipped", errc::corrupt);
  }
  {  // a file the manifest does not list
    const auto b = copy_of_backup("extra");
    testing::write_file(b / "notes.txt", "x");
    expect_refused("extra", errc::corrupt);
  }
  {  // the manifest itself
    const auto b = copy_of_backup("edited");
    auto text = testing::read_file(b / "manifest.json");
    text.replace(text.find("\"families\":") + 11, 1, "9");
    testing::write_file(b / "manifest.json", text);
    expect_refused("edited", errc::crypto);
  }
  {  // an insider with every key rewrites an audit entry and signs a new manifest: the log's own
     // checkpoints still catch it
    const auto b = copy_of_backup("rewritten");
    {
      auto db =
          store::connection::open(b / "audit.db", keyring_->reveal_database_key_for_sqlcipher());
      ASSERT_TRUE(db);
      ASSERT_TRUE(
          db->execute("DROP TRIGGER audit_log_no_update; "
                      "UPDATE audit_log SET actor_user = 'someone-else' WHERE seq = 2"));
    }
    auto text = testing::read_file(b / "manifest.json");
    manifest m;
    auto checked = read_and_check(dir_ / "b", keyring_->audit_signer().public_key());
    ASSERT_TRUE(checked);
    m = *checked;
    for (auto& f : m.files) f = *describe_file(b, f.name);
    ASSERT_TRUE(write_manifest(b, m, keyring_->audit_signer()));
    expect_refused("rewritten", errc::corrupt);
  }
  {  // a signed manifest (an insider's) that names a file outside the backup directory
    const auto b = copy_of_backup("escaping");
    auto m = read_and_check(dir_ / "b", keyring_->audit_signer().public_key());
    ASSERT_TRUE(m);
    m->files.back().name = "../policy.toml";
    ASSERT_TRUE(write_manifest(b, *m, keyring_->audit_signer()));
    expect_refused("escaping", errc::corrupt);
  }
  {  // the key register
    auto text = testing::read_file(register_);
    const auto at = text.find("\"taken_at\":") + 11;
    text[at] = text[at] == '9' ? '8' : '9';
    testing::write_file(dir_ / "register.good", testing::read_file(register_));
    testing::write_file(register_, text);
    expect_refused("b", errc::crypto);
    std::filesystem::rename(dir_ / "register.good", register_);
  }
  {  // the wrong passphrase
    auto restored =
        restore_backup(dir_ / "b", register_, sluis::testing::passphrase("wrong"), dir_ / "w");
    ASSERT_FALSE(restored);
    EXPECT_EQ(restored.error().code(), errc::crypto);
    EXPECT_FALSE(std::filesystem::exists(dir_ / "w.partial"));
  }
  // The untouched backup still restores, and a restore never overwrites a directory.
  ASSERT_TRUE(restore("b", "good"));
  auto again = restore("b", "good");
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code(), errc::conflict);
  // Nor does a backup.
  auto twice = backup("b");
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().code(), errc::conflict);
}

TEST_F(backup_test, a_backup_that_fails_leaves_nothing_behind) {
  testing::write_file(data_ / "policy.toml.keep", testing::read_file(data_ / "policy.toml"));
  std::filesystem::remove(data_ / "policy.toml");
  auto taken = backup("b");
  ASSERT_FALSE(taken);
  EXPECT_FALSE(std::filesystem::exists(dir_ / "b"));
  EXPECT_FALSE(std::filesystem::exists(dir_ / "b.partial"));
  EXPECT_FALSE(std::filesystem::exists(register_));
  EXPECT_EQ(last_backup_time(data_), 0);
}

}  // namespace
}  // namespace sluis::backup
