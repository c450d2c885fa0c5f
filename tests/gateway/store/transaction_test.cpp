#include "gateway/store/transaction.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

#include "gateway/store/connection.hpp"
#include "tests/support/temp_dir.hpp"

namespace sluis::store {
namespace {

class TransactionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto c = connection::open(dir_ / "t.db", keys::secret_bytes::random(32));
    ASSERT_TRUE(c.has_value()) << c.error().what();
    c_ = std::make_unique<connection>(std::move(*c));
    ASSERT_TRUE(c_->execute("CREATE TABLE t (v INTEGER)").has_value());
  }

  result<void> insert(int v) { return c_->prepare("INSERT INTO t VALUES (?)")->bind(1, v).run(); }

  std::int64_t rows() {
    auto s = c_->prepare("SELECT count(*) FROM t");
    EXPECT_TRUE(s->step().value());
    return s->column_int64(0);
  }

  testing::temp_dir dir_;
  std::unique_ptr<connection> c_;
};

TEST_F(TransactionTest, CommitKeepsChanges) {
  auto tx = transaction::begin(*c_);
  ASSERT_TRUE(tx.has_value());
  ASSERT_TRUE(insert(1).has_value());
  ASSERT_TRUE(tx->commit().has_value());
  EXPECT_EQ(rows(), 1);
}

TEST_F(TransactionTest, EarlyReturnRollsBack) {
  auto write_then_give_up = [&]() -> result<void> {
    auto tx = transaction::begin(*c_);
    if (!tx) return tx.error();
    if (auto r = insert(1); !r) return r.error();
    return error::invalid("v", "changed my mind");
  };
  EXPECT_FALSE(write_then_give_up().has_value());
  EXPECT_EQ(rows(), 0);
}

TEST_F(TransactionTest, ExceptionRollsBack) {
  EXPECT_THROW(
      {
        auto tx = transaction::begin(*c_);
        ASSERT_TRUE(insert(1).has_value());
        throw std::runtime_error("boom");
      },
      std::runtime_error);
  EXPECT_EQ(rows(), 0);
  // The connection is usable again: no transaction was left open.
  auto tx = transaction::begin(*c_);
  EXPECT_TRUE(tx.has_value());
}

TEST_F(TransactionTest, SavepointRollsBackOnlyItsOwnChanges) {
  auto tx = transaction::begin(*c_);
  ASSERT_TRUE(insert(1).has_value());
  {
    auto sp = savepoint::begin(*c_);
    ASSERT_TRUE(sp.has_value());
    ASSERT_TRUE(insert(2).has_value());
  }
  {
    auto sp = savepoint::begin(*c_);
    ASSERT_TRUE(insert(3).has_value());
    ASSERT_TRUE(sp->release().has_value());
  }
  ASSERT_TRUE(tx->commit().has_value());
  auto s = c_->prepare("SELECT group_concat(v) FROM (SELECT v FROM t ORDER BY v)");
  ASSERT_TRUE(s->step().value());
  EXPECT_EQ(s->column_text(0), "1,3");
}

TEST_F(TransactionTest, TransactionsDoNotNest) {
  auto tx = transaction::begin(*c_);
  ASSERT_TRUE(tx.has_value());
  EXPECT_FALSE(transaction::begin(*c_).has_value());
}

}  // namespace
}  // namespace sluis::store
