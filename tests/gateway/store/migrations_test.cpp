#include "gateway/store/migrations.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "gateway/store/connection.hpp"
#include "gateway/store/store.hpp"
#include "policy/calendar.hpp"
#include "tests/support/temp_dir.hpp"

namespace sluis::store {
namespace {

using keys::secret_bytes;

std::string format_date_for_test(std::chrono::sys_days d) {
  const std::chrono::year_month_day ymd{d};
  return std::to_string(static_cast<int>(ymd.year())) + "-" +
         std::to_string(static_cast<unsigned>(ymd.month())) + "-" +
         std::to_string(static_cast<unsigned>(ymd.day()));
}

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

// Migration 7: periods stored from UTC midnights now start at Dutch midnights, on the same date, by
// the migration's own SQL rule, checked here against the time zone database for every day from
// 1996 to 2037 (as far as the system's tzdata lists transitions); a period that started at another
// moment ("now") is left as it was.
TEST(Migrations, PeriodsMoveFromUtcToDutchMidnights) {
  testing::temp_dir dir;
  auto c = connection::open(dir / "t.db", secret_bytes::random(32)).value();
  ASSERT_EQ(migrate(c, migrations().first(6)).value(), 6);
  ASSERT_TRUE(c.execute(
      "INSERT INTO organisations VALUES ('o', 'O', 'wijkteam', 0);"
      "INSERT INTO families (id, created_by_org, gezinsmanager_org, created_at, updated_at, "
      "sealed) VALUES ('f', 'o', 'o', 0, 0, x'00')"));
  using namespace std::chrono;
  const sys_days first{year{1996} / 1 / 1}, last{year{2037} / 12 / 31};
  const auto utc = [](sys_days d) { return duration_cast<seconds>(d.time_since_epoch()).count(); };
  int n = 0;
  ASSERT_TRUE(c.execute("BEGIN"));
  for (sys_days d = first; d <= last; d += days{1}, ++n) {
    const std::string id = "c" + std::to_string(n);
    auto insert = c.prepare(
        "INSERT INTO consents (id, family_id, subject_member_id, valid_from, valid_until, "
        "recorded_at, recorded_by_org, recorded_by_user, sealed) "
        "VALUES (?, 'f', '', ?, ?, 0, 'o', 'u', x'00')");
    insert->bind(1, std::string_view(id));
    insert->bind(2, utc(d));
    insert->bind(3, utc(d + days{1}));
    ASSERT_TRUE(insert->step());
  }
  ASSERT_TRUE(c.execute("COMMIT"));
  const std::int64_t moment = utc(sys_days{year{2026} / 7 / 1}) + 12 * 3600 + 17;
  ASSERT_TRUE(c.execute(
      "INSERT INTO coordination_grounds (id, family_id, valid_from, valid_until, recorded_at, "
      "recorded_by_org, recorded_by_user, sealed) VALUES ('g', 'f', " +
      std::to_string(moment) + ", " + std::to_string(utc(sys_days{year{2026} / 12 / 24})) +
      ", 0, 'o', 'u', x'00')"));

  ASSERT_EQ(migrate(c).value(), latest_schema_version());
  auto rows = c.prepare("SELECT valid_from, valid_until FROM consents ORDER BY valid_from");
  sys_days d = first;
  int checked = 0;
  while (rows->step().value()) {
    EXPECT_EQ(rows->column_int64(0), policy::start_of(d).time_since_epoch().count())
        << format_date_for_test(d);
    EXPECT_EQ(rows->column_int64(1), policy::start_of(d + days{1}).time_since_epoch().count());
    d += days{1};
    ++checked;
  }
  EXPECT_EQ(checked, n);
  auto ground = c.prepare("SELECT valid_from, valid_until FROM coordination_grounds");
  ASSERT_TRUE(ground->step().value());
  EXPECT_EQ(ground->column_int64(0), moment) << "a moment is not a date: it stays";
  EXPECT_EQ(ground->column_int64(1),
            policy::start_of(sys_days{year{2026} / 12 / 24}).time_since_epoch().count());
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
