#include "gateway/store/connection.hpp"

#include <gtest/gtest.h>

#include <string>

#include "tests/support/temp_dir.hpp"

namespace sluis::store {
namespace {

using keys::secret_bytes;

std::int64_t pragma_value(connection& c, const std::string& name) {
  auto s = c.prepare("PRAGMA " + name);
  EXPECT_TRUE(s.has_value());
  EXPECT_TRUE(s->step().value());
  return s->column_int64(0);
}

TEST(Connection, DataSurvivesCloseAndReopen) {
  testing::temp_dir dir;
  const secret_bytes key = secret_bytes::random(32);
  {
    auto c = connection::open(dir / "t.db", key);
    ASSERT_TRUE(c.has_value()) << c.error().what();
    ASSERT_TRUE(c->execute("CREATE TABLE t (v TEXT)").has_value());
    ASSERT_TRUE(c->prepare("INSERT INTO t VALUES (?)")->bind(1, "kept").run().has_value());
  }
  auto c = connection::open(dir / "t.db", key);
  ASSERT_TRUE(c.has_value()) << c.error().what();
  auto s = c->prepare("SELECT v FROM t");
  ASSERT_TRUE(s->step().value());
  EXPECT_EQ(s->column_text(0), "kept");
}

TEST(Connection, WrongKeyIsACleanCryptoError) {
  testing::temp_dir dir;
  {
    auto c = connection::open(dir / "t.db", secret_bytes::random(32));
    ASSERT_TRUE(c.has_value());
    ASSERT_TRUE(c->execute("CREATE TABLE t (v TEXT)").has_value());
  }
  auto wrong = connection::open(dir / "t.db", secret_bytes::random(32));
  ASSERT_FALSE(wrong.has_value());
  EXPECT_EQ(wrong.error().code(), errc::crypto);
  EXPECT_EQ(wrong.error().message(),
            "the database key does not open " + (dir / "t.db").string() + " (wrong keyring?)");
}

TEST(Connection, KeyMustBe32Bytes) {
  testing::temp_dir dir;
  auto c = connection::open(dir / "t.db", secret_bytes::random(16));
  ASSERT_FALSE(c.has_value());
  EXPECT_EQ(c.error().code(), errc::invalid_argument);
  EXPECT_FALSE(std::filesystem::exists(dir / "t.db"));
}

TEST(Connection, AppliesDurabilityAndPrivacySettings) {
  testing::temp_dir dir;
  auto c = connection::open(dir / "t.db", secret_bytes::random(32));
  ASSERT_TRUE(c.has_value());
  auto mode = c->prepare("PRAGMA journal_mode");
  ASSERT_TRUE(mode->step().value());
  EXPECT_EQ(mode->column_text(0), "wal");
  EXPECT_EQ(pragma_value(*c, "synchronous"), 2) << "FULL";
  EXPECT_EQ(pragma_value(*c, "foreign_keys"), 1);
  EXPECT_EQ(pragma_value(*c, "secure_delete"), 1);
  EXPECT_EQ(pragma_value(*c, "temp_store"), 2) << "MEMORY";
  EXPECT_EQ(pragma_value(*c, "busy_timeout"), 5000);
  EXPECT_EQ(pragma_value(*c, "query_only"), 0);
}

TEST(Connection, ForeignKeysAreEnforced) {
  testing::temp_dir dir;
  auto c = connection::open(dir / "t.db", secret_bytes::random(32));
  ASSERT_TRUE(c.has_value());
  ASSERT_TRUE(c->execute("CREATE TABLE p (id TEXT PRIMARY KEY);"
                         "CREATE TABLE k (p TEXT REFERENCES p(id))")
                  .has_value());
  auto orphan = c->prepare("INSERT INTO k VALUES (?)")->bind(1, "missing").run();
  ASSERT_FALSE(orphan.has_value());
  EXPECT_EQ(orphan.error().code(), errc::conflict);
}

TEST(Connection, ReadOnlyConnectionRefusesWrites) {
  testing::temp_dir dir;
  const secret_bytes key = secret_bytes::random(32);
  auto writer = connection::open(dir / "t.db", key);
  ASSERT_TRUE(writer->execute("CREATE TABLE t (v INTEGER)").has_value());
  auto reader = connection::open(dir / "t.db", key, {.read_only = true});
  ASSERT_TRUE(reader.has_value()) << reader.error().what();
  EXPECT_FALSE(reader->execute("INSERT INTO t VALUES (1)").has_value());
}

TEST(Connection, CachedStatementIsPreparedOnceAndComesBackReset) {
  testing::temp_dir dir;
  auto c = connection::open(dir / "t.db", secret_bytes::random(32));
  ASSERT_TRUE(c->execute("CREATE TABLE t (v INTEGER)").has_value());
  auto first = c->cached("INSERT INTO t VALUES (?)");
  ASSERT_TRUE(first.has_value());
  ASSERT_TRUE((*first)->bind(1, 1).run().has_value());
  auto second = c->cached("INSERT INTO t VALUES (?)");
  EXPECT_EQ(*first, *second);
  // Binds were cleared: the second insert stores NULL, not a leftover 1.
  ASSERT_TRUE((*second)->run().has_value());
  auto s = c->prepare("SELECT count(*), count(v) FROM t");
  ASSERT_TRUE(s->step().value());
  EXPECT_EQ(s->column_int64(0), 2);
  EXPECT_EQ(s->column_int64(1), 1);
}

TEST(Connection, BadSqlGivesSqlitesMessage) {
  testing::temp_dir dir;
  auto c = connection::open(dir / "t.db", secret_bytes::random(32));
  auto s = c->prepare("SELECT * FROM no_such_table");
  ASSERT_FALSE(s.has_value());
  EXPECT_NE(s.error().message().find("no such table: no_such_table"), std::string::npos)
      << s.error().message();
}

}  // namespace
}  // namespace sluis::store
