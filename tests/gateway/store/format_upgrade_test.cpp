#include "gateway/store/format_upgrade.hpp"

#include <gtest/gtest.h>

#include <string>

#include "gateway/store/connection.hpp"
#include "gateway/store/migrations.hpp"
#include "gateway/store/store.hpp"
#include "tests/support/temp_dir.hpp"

namespace sluis::store {
namespace {

// A store as Sluis made it on SQLCipher 3: the case schema and some rows, in one of SQLCipher 3's
// formats (HMAC-SHA1; 4 KiB pages, or 1 KiB before that), written through SQLCipher 4's own
// compatibility settings.
class FormatUpgrade : public ::testing::TestWithParam<cipher_format> {
 protected:
  FormatUpgrade() : key_(keys::secret_bytes::random(32)) {
    {
      auto scratch = connection::open(dir_.path() / "scratch.db", key_).value();
      EXPECT_TRUE(migrate(scratch));
      for (int i = 0; i < rows; ++i)
        EXPECT_TRUE(scratch.execute("INSERT INTO keyring_events (at, event, detail) VALUES (" +
                                    std::to_string(i) + ", 'event', '" + std::string(300, 'x') +
                                    "')"));
      // ATTACH takes SQLCipher's defaults: SQLCipher 3's for the moment.
      EXPECT_TRUE(scratch.execute("PRAGMA cipher_default_compatibility = 3"));
      EXPECT_TRUE(scratch.execute("PRAGMA cipher_default_page_size = " +
                                  std::to_string(GetParam().page_size)));
      const bool attached = scratch.attach(file(), "legacy", key_).has_value();
      EXPECT_TRUE(scratch.execute("PRAGMA cipher_default_compatibility = 4"));
      EXPECT_TRUE(attached);
      EXPECT_TRUE(scratch.execute("SELECT sqlcipher_export('legacy')"));
      EXPECT_TRUE(scratch.execute("PRAGMA legacy.user_version = " +
                                  std::to_string(latest_schema_version())));
      EXPECT_TRUE(scratch.execute("DETACH DATABASE legacy"));
    }
    std::filesystem::remove(dir_.path() / "scratch.db");
  }

  std::filesystem::path file() const { return dir_.path() / "sluis.db"; }
  std::int64_t events() {
    auto c = connection::open(file(), key_).value();
    auto st = c.prepare("SELECT count(*) FROM keyring_events").value();
    EXPECT_TRUE(st.step().value());
    return st.column_int64(0);
  }

  static constexpr int rows = 2000;
  testing::temp_dir dir_;
  keys::secret_bytes key_;
};

INSTANTIATE_TEST_SUITE_P(SqlCipher3, FormatUpgrade, ::testing::ValuesIn(legacy_formats),
                         [](const auto& instance) {
                           return std::to_string(instance.param.page_size / 1024) + "KibPages";
                         });

TEST_P(FormatUpgrade, ALegacyFileStillOpensAndServes) {
  auto c = connection::open(file(), key_);
  ASSERT_TRUE(c) << c.error().what();
  EXPECT_EQ(c->format(), GetParam());
  auto st = store::open(dir_.path(), key_);
  ASSERT_TRUE(st) << st.error().what();
  EXPECT_EQ((*st)->format(), GetParam());
  EXPECT_EQ(events(), rows);
}

TEST_P(FormatUpgrade, CopiesToTheCurrentFormatVerifiesAndKeepsTheOriginal) {
  int reports = 0;
  auto report = upgrade_format(file(), key_, [&](const format_upgrade_progress& p) {
    ++reports;
    EXPECT_GT(p.source_bytes, 0u);
  });
  ASSERT_TRUE(report) << report.error().what();
  EXPECT_FALSE(report->already_upgraded);
  EXPECT_EQ(report->from, GetParam());
  EXPECT_EQ(report->rows, rows);
  EXPECT_GT(reports, 0) << "progress is reported during the copy";
  auto c = connection::open(file(), key_);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->format(), current_format);
  EXPECT_EQ(events(), rows);
  auto st = store::open(dir_.path(), key_);
  ASSERT_TRUE(st) << st.error().what();
  EXPECT_EQ((*st)->format(), current_format);
  EXPECT_EQ((*st)->schema_version(), latest_schema_version()) << "the schema version came along";
  // The original is kept, and still opens as it was.
  ASSERT_TRUE(std::filesystem::exists(report->kept));
  auto kept = connection::open(report->kept, key_);
  ASSERT_TRUE(kept) << kept.error().what();
  EXPECT_EQ(kept->format(), GetParam());
  EXPECT_FALSE(std::filesystem::exists(file().string() + ".upgrade"));
}

TEST_P(FormatUpgrade, ASecondRunChangesNothing) {
  ASSERT_TRUE(upgrade_format(file(), key_));
  auto again = upgrade_format(file(), key_);
  ASSERT_TRUE(again);
  EXPECT_TRUE(again->already_upgraded);
}

TEST_P(FormatUpgrade, AWrongKeyChangesNothing) {
  const auto before = std::filesystem::file_size(file());
  auto wrong = upgrade_format(file(), keys::secret_bytes::random(32));
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().code(), errc::crypto);
  EXPECT_EQ(std::filesystem::file_size(file()), before);
  EXPECT_EQ(events(), rows);
}

TEST(CipherFormat, NewFilesAreSqlCipher4WithFourKibPages) {
  testing::temp_dir dir;
  auto c = connection::open(dir.path() / "new.db", keys::secret_bytes::random(32));
  ASSERT_TRUE(c);
  EXPECT_EQ(c->format(), current_format);
  ASSERT_TRUE(c->execute("CREATE TABLE t (x)"));
  auto st = c->prepare("PRAGMA page_size").value();
  ASSERT_TRUE(st.step().value());
  EXPECT_EQ(st.column_int64(0), current_format.page_size);
  auto version = c->prepare("PRAGMA cipher_version").value();
  ASSERT_TRUE(version.step().value());
  EXPECT_EQ(std::string(version.column_text(0)).substr(0, 2), "4.") << version.column_text(0);
}

}  // namespace
}  // namespace sluis::store
