#include "gateway/store/migrations.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "gateway/store/connection.hpp"
#include "gateway/store/store.hpp"
#include "tests/support/temp_dir.hpp"

namespace sluis::store {
namespace {

using keys::secret_bytes;

std::vector<std::string> tables(connection& c) {
  auto s = c.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name");
  std::vector<std::string> names;
  while (s->step().value()) names.emplace_back(s->column_text(0));
  return names;
}

TEST(Migrations, VersionsAreConsecutiveFromOne) {
  int expected = 1;
  for (const migration& m : migrations()) {
    EXPECT_EQ(m.version, expected++);
    EXPECT_FALSE(m.description.empty());
  }
  EXPECT_EQ(latest_schema_version(), expected - 1);
}

TEST(Migrations, NewDatabaseGetsEveryTable) {
  testing::temp_dir dir;
  auto c = connection::open(dir / "t.db", secret_bytes::random(32));
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(schema_version(*c).value(), 0);
  EXPECT_EQ(migrate(*c).value(), latest_schema_version());
  EXPECT_EQ(schema_version(*c).value(), latest_schema_version());
  // Migration 1's tables; later migrations add theirs and test them.
  const std::vector<std::string> all = tables(*c);
  for (const char* table :
       {"contributions", "families", "family_keys", "keyring_events", "members", "organisations"}) {
    EXPECT_NE(std::find(all.begin(), all.end(), table), all.end()) << table;
  }
}

TEST(Migrations, OpeningTwiceChangesNothing) {
  testing::temp_dir dir;
  const secret_bytes key = secret_bytes::random(32);
  std::vector<std::string> tables_after_first_open;
  {
    auto s = store::open(dir.path(), key);
    ASSERT_TRUE(s.has_value()) << s.error().what();
    tables_after_first_open = (*s)->reads().with(tables);
    ASSERT_TRUE((*s)->writes()
                    .run([](connection& c) {
                      return c.prepare("INSERT INTO organisations VALUES (?, ?, ?, ?)")
                          ->bind(1, "org-1")
                          .bind(2, "Wijkteam")
                          .bind(3, "social")
                          .bind(4, 0)
                          .run();
                    })
                    .has_value());
  }
  auto again = store::open(dir.path(), key);
  ASSERT_TRUE(again.has_value()) << again.error().what();
  EXPECT_EQ((*again)->schema_version(), latest_schema_version());
  const auto count = (*again)->reads().with([](connection& c) {
    auto s = c.prepare("SELECT count(*) FROM organisations");
    EXPECT_TRUE(s->step().value());
    return s->column_int64(0);
  });
  EXPECT_EQ(count, 1);
  // Migrating an up-to-date database again is a no-op, not an error.
  auto direct = connection::open(dir / store::file_name, key);
  ASSERT_TRUE(direct.has_value());
  EXPECT_EQ(migrate(*direct).value(), latest_schema_version());
  EXPECT_EQ(tables(*direct), tables_after_first_open);
}

TEST(Migrations, NewerDatabaseIsRefusedUntouched) {
  testing::temp_dir dir;
  const secret_bytes key = secret_bytes::random(32);
  const int newer = latest_schema_version() + 1;
  {
    auto c = connection::open(dir / store::file_name, key);
    ASSERT_TRUE(c.has_value());
    ASSERT_TRUE(c->execute("PRAGMA user_version = " + std::to_string(newer)).has_value());
  }
  auto s = store::open(dir.path(), key);
  ASSERT_FALSE(s.has_value());
  EXPECT_EQ(s.error().code(), errc::conflict);
  EXPECT_NE(s.error().message().find("newer than this sluis knows"), std::string::npos);
  auto c = connection::open(dir / store::file_name, key);
  EXPECT_EQ(schema_version(*c).value(), newer);
  EXPECT_TRUE(tables(*c).empty());
}

}  // namespace
}  // namespace sluis::store
