// common/log: one JSON object per line, escaped, with reserved fields protected.
#include "common/log.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <regex>
#include <vector>

#include "tests/support/temp_dir.hpp"

namespace sluis::testing {
namespace {

std::vector<boost::json::object> lines_of(const std::filesystem::path& file) {
  std::vector<boost::json::object> out;
  const auto text = read_file(file);
  std::size_t start = 0;
  while (start < text.size()) {
    const auto end = text.find('\n', start);
    if (end == std::string::npos) break;
    out.push_back(boost::json::parse(text.substr(start, end - start)).as_object());
    start = end + 1;
  }
  return out;
}

class log_test : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(log::set_file_sink(file_)); }
  void TearDown() override {
    log::set_level(log::level::info);
    log::set_stderr_sink();
  }
  temp_dir dir_;
  std::filesystem::path file_ = dir_ / "log.jsonl";
};

TEST_F(log_test, WritesOneEscapedJsonObjectPerLine) {
  log::info("store_opened", {{"path", "a \"quoted\"\nvalue\\"}});
  log::warn("second", {});
  const auto lines = lines_of(file_);
  ASSERT_EQ(lines.size(), 2U);
  EXPECT_EQ(lines[0].at("event").as_string(), "store_opened");
  EXPECT_EQ(lines[0].at("level").as_string(), "info");
  EXPECT_EQ(lines[0].at("path").as_string(), "a \"quoted\"\nvalue\\");
  EXPECT_EQ(lines[1].at("level").as_string(), "warn");
  const std::regex rfc3339(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)");
  EXPECT_TRUE(std::regex_match(std::string(lines[0].at("time").as_string()), rfc3339));
}

TEST_F(log_test, JsonObjectFieldsKeepTheirTypesAndCannotForgeReservedOnes) {
  boost::json::object fields{{"count", 3}, {"event", "forged"}, {"level", "debug"}};
  log::write(log::level::error, "batch_committed", fields);
  const auto lines = lines_of(file_);
  ASSERT_EQ(lines.size(), 1U);
  EXPECT_EQ(lines[0].at("count").as_int64(), 3);
  EXPECT_EQ(lines[0].at("event").as_string(), "batch_committed");
  EXPECT_EQ(lines[0].at("level").as_string(), "error");
}

TEST_F(log_test, LinesBelowTheLevelAreDropped) {
  log::debug("noise");
  log::set_level(log::level::debug);
  log::debug("wanted");
  const auto lines = lines_of(file_);
  ASSERT_EQ(lines.size(), 1U);
  EXPECT_EQ(lines[0].at("event").as_string(), "wanted");
}

TEST_F(log_test, UnopenableFileKeepsTheCurrentSink) {
  EXPECT_FALSE(log::set_file_sink(file_ / "below-a-regular-file.log"));
  log::info("still_here");
  EXPECT_EQ(lines_of(file_).size(), 1U);
}

}  // namespace
}  // namespace sluis::testing
