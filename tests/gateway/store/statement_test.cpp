#include "gateway/store/statement.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "gateway/store/connection.hpp"
#include "tests/support/temp_dir.hpp"

namespace sluis::store {
namespace {

class StatementTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto c = connection::open(dir_ / "t.db", keys::secret_bytes::random(32));
    ASSERT_TRUE(c.has_value()) << c.error().what();
    c_ = std::make_unique<connection>(std::move(*c));
    ASSERT_TRUE(c_->execute("CREATE TABLE v (i INTEGER, d REAL, t TEXT, b BLOB);"
                            "CREATE TABLE families (id TEXT PRIMARY KEY)")
                    .has_value());
  }

  statement select_all() {
    auto s = c_->prepare("SELECT i, d, t, b FROM v");
    EXPECT_TRUE(s.has_value());
    EXPECT_TRUE(s->step().value());
    return std::move(*s);
  }

  testing::temp_dir dir_;
  std::unique_ptr<connection> c_;
};

TEST_F(StatementTest, TypedValuesRoundTrip) {
  const std::vector<unsigned char> blob{0x00, 0x01, 0x00, 0xff, 0x00};
  const std::string text("nul\0inside", 10);
  auto insert = c_->prepare("INSERT INTO v VALUES (?, ?, ?, ?)");
  ASSERT_TRUE(insert->bind(1, std::numeric_limits<std::int64_t>::min())
                  .bind(2, 0.1)
                  .bind(3, std::string_view(text))
                  .bind(4, std::span<const unsigned char>(blob))
                  .run()
                  .has_value());
  statement s = select_all();
  EXPECT_EQ(s.column_int64(0), std::numeric_limits<std::int64_t>::min());
  EXPECT_EQ(s.column_double(1), 0.1);
  EXPECT_EQ(s.column_text(2), text);
  const auto read = s.column_blob(3);
  EXPECT_EQ(std::vector<unsigned char>(read.begin(), read.end()), blob);
}

TEST_F(StatementTest, SqlLookingTextIsStoredVerbatim) {
  const std::string hostile = "'); DROP TABLE families;--";
  ASSERT_TRUE(c_->prepare("INSERT INTO v (t) VALUES (?)")->bind(1, hostile).run().has_value());
  EXPECT_EQ(select_all().column_text(2), hostile);
  EXPECT_TRUE(c_->prepare("SELECT count(*) FROM families").has_value()) << "table still exists";
}

TEST_F(StatementTest, NullAndOptionalBindAsNullOrValue) {
  const std::optional<std::int64_t> none;
  const std::optional<std::string> some = "x";
  ASSERT_TRUE(c_->prepare("INSERT INTO v VALUES (?, ?, ?, ?)")
                  ->bind(1, none)
                  .bind(2, std::nullopt)
                  .bind(3, some)
                  .bind(4, std::optional<int>(7))
                  .run()
                  .has_value());
  statement s = select_all();
  EXPECT_TRUE(s.is_null(0));
  EXPECT_EQ(s.column_optional_int64(0), std::nullopt);
  EXPECT_TRUE(s.is_null(1));
  EXPECT_EQ(s.column_text(2), "x");
  EXPECT_EQ(s.column_optional_int64(3), 7);
}

TEST_F(StatementTest, EmptyBlobIsNotNull) {
  ASSERT_TRUE(c_->prepare("INSERT INTO v (b) VALUES (?)")
                  ->bind(1, std::span<const unsigned char>())
                  .run()
                  .has_value());
  statement s = select_all();
  EXPECT_FALSE(s.is_null(3));
  EXPECT_TRUE(s.column_blob(3).empty());
}

TEST_F(StatementTest, ResetAllowsReuseWithNewBinds) {
  auto insert = c_->prepare("INSERT INTO v (i) VALUES (?)");
  for (int i = 1; i <= 3; ++i) {
    ASSERT_TRUE(insert->bind(1, i).run().has_value());
    insert->reset();
  }
  auto sum = c_->prepare("SELECT sum(i), count(*) FROM v");
  ASSERT_TRUE(sum->step().value());
  EXPECT_EQ(sum->column_int64(0), 6);
  EXPECT_EQ(sum->column_int64(1), 3);
}

TEST_F(StatementTest, BindErrorIsReportedByStepWithoutTheValue) {
  auto insert = c_->prepare("INSERT INTO v (t) VALUES (?)");
  auto r = insert->bind(2, "SECRET-VALUE").run();
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), errc::internal);
  EXPECT_NE(r.error().message().find("binding parameter 2"), std::string::npos);
  EXPECT_EQ(r.error().message().find("SECRET-VALUE"), std::string::npos);
}

TEST_F(StatementTest, ConstraintErrorNamesTheColumnNotTheValue) {
  auto insert = c_->prepare("INSERT INTO families (id) VALUES (?)");
  ASSERT_TRUE(insert->bind(1, "SECRET-ID").run().has_value());
  insert->reset();
  auto again = insert->bind(1, "SECRET-ID").run();
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().code(), errc::conflict);
  EXPECT_NE(again.error().message().find("families.id"), std::string::npos)
      << again.error().message();
  EXPECT_EQ(again.error().message().find("SECRET-ID"), std::string::npos);
}

TEST_F(StatementTest, StepWalksEveryRowThenReportsDone) {
  ASSERT_TRUE(c_->execute("INSERT INTO v (i) VALUES (1), (2)").has_value());
  auto s = c_->prepare("SELECT i FROM v ORDER BY i");
  EXPECT_TRUE(s->step().value());
  EXPECT_EQ(s->column_int64(0), 1);
  EXPECT_TRUE(s->step().value());
  EXPECT_EQ(s->column_int64(0), 2);
  EXPECT_FALSE(s->step().value());
}

}  // namespace
}  // namespace sluis::store
