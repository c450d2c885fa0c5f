#include "gateway/store/page_upgrade.hpp"

#include <gtest/gtest.h>

#include <string>

#include "gateway/store/connection.hpp"
#include "gateway/store/migrations.hpp"
#include "gateway/store/store.hpp"
#include "tests/support/temp_dir.hpp"

namespace sluis::store {
namespace {

// A store as Sluis made it before 4 KiB pages: the case schema and some rows, in 1 KiB pages.
class PageUpgrade : public ::testing::Test {
 protected:
  PageUpgrade() : key_(keys::secret_bytes::random(32)) {
    {
      auto scratch = connection::open(dir_.path() / "scratch.db", key_).value();
      EXPECT_TRUE(migrate(scratch));
      for (int i = 0; i < rows; ++i)
        EXPECT_TRUE(scratch.execute("INSERT INTO keyring_events (at, event, detail) VALUES (" +
                                    std::to_string(i) + ", 'event', '" + std::string(300, 'x') +
                                    "')"));
      EXPECT_TRUE(scratch.attach(file(), "legacy", key_));
      EXPECT_TRUE(scratch.execute("PRAGMA legacy.cipher_page_size = 1024"));
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

TEST_F(PageUpgrade, AFileOfOneKibPagesStillOpensAndServes) {
  auto c = connection::open(file(), key_);
  ASSERT_TRUE(c) << c.error().what();
  EXPECT_EQ(c->cipher_page_size(), legacy_page_size);
  auto st = store::open(dir_.path(), key_);
  ASSERT_TRUE(st) << st.error().what();
  EXPECT_EQ((*st)->page_size(), legacy_page_size);
  EXPECT_EQ(events(), rows);
}

TEST_F(PageUpgrade, CopiesToFourKibPagesVerifiesAndKeepsTheOriginal) {
  int reports = 0;
  auto report = upgrade_page_size(file(), key_, [&](const page_upgrade_progress& p) {
    ++reports;
    EXPECT_GT(p.source_bytes, 0u);
  });
  ASSERT_TRUE(report) << report.error().what();
  EXPECT_FALSE(report->already_upgraded);
  EXPECT_EQ(report->rows, rows);
  EXPECT_GT(reports, 0) << "progress is reported during the copy";
  auto c = connection::open(file(), key_);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->cipher_page_size(), page_size);
  EXPECT_EQ(events(), rows);
  auto st = store::open(dir_.path(), key_);
  ASSERT_TRUE(st) << st.error().what();
  EXPECT_EQ((*st)->page_size(), page_size);
  EXPECT_EQ((*st)->schema_version(), latest_schema_version()) << "the schema version came along";
  // The original is kept, and still opens as it was.
  ASSERT_TRUE(std::filesystem::exists(report->kept));
  auto kept = connection::open(report->kept, key_);
  ASSERT_TRUE(kept) << kept.error().what();
  EXPECT_EQ(kept->cipher_page_size(), legacy_page_size);
  EXPECT_FALSE(std::filesystem::exists(file().string() + ".upgrade"));
}

TEST_F(PageUpgrade, ASecondRunChangesNothing) {
  ASSERT_TRUE(upgrade_page_size(file(), key_));
  auto again = upgrade_page_size(file(), key_);
  ASSERT_TRUE(again);
  EXPECT_TRUE(again->already_upgraded);
}

TEST_F(PageUpgrade, AWrongKeyChangesNothing) {
  const auto before = std::filesystem::file_size(file());
  auto wrong = upgrade_page_size(file(), keys::secret_bytes::random(32));
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().code(), errc::crypto);
  EXPECT_EQ(std::filesystem::file_size(file()), before);
  EXPECT_EQ(events(), rows);
}

TEST(PageSize, NewFilesHaveFourKibPages) {
  testing::temp_dir dir;
  auto c = connection::open(dir.path() / "new.db", keys::secret_bytes::random(32));
  ASSERT_TRUE(c);
  EXPECT_EQ(c->cipher_page_size(), page_size);
  ASSERT_TRUE(c->execute("CREATE TABLE t (x)"));
  auto st = c->prepare("PRAGMA page_size").value();
  ASSERT_TRUE(st.step().value());
  EXPECT_EQ(st.column_int64(0), page_size);
}

}  // namespace
}  // namespace sluis::store
