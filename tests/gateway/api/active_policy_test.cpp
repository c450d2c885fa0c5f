#include "gateway/api/active_policy.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/support/temp_dir.hpp"

namespace sluis::api {
namespace {

using ::testing::HasSubstr;

class ActivePolicy : public ::testing::Test {
 protected:
  void SetUp() override {
    example_ = testing::read_file(SLUIS_EXAMPLE_POLICY);
    testing::write_file(file_, example_);
  }

  testing::temp_dir dir_;
  std::filesystem::path file_ = dir_ / "policy.toml";
  std::string example_;
};

TEST_F(ActivePolicy, ReloadPutsTheChangedFileInForceAndKeepsSnapshotsIntact) {
  auto policy = active_policy::load(file_);
  ASSERT_TRUE(policy) << policy.error().what();
  const auto before = (*policy)->current();
  testing::write_file(file_, example_ + "\n# reviewed again by the privacy officer\n");
  auto fresh = (*policy)->read_file();
  ASSERT_TRUE(fresh) << fresh.error().what();
  EXPECT_EQ((*policy)->current()->version(), before->version()) << "not in force before adopt()";
  const std::string version_text = (*fresh)->engine.version();
  (*policy)->adopt(*fresh);
  const std::string* version = &version_text;
  EXPECT_NE(*version, before->version());
  EXPECT_EQ((*policy)->current()->version(), *version);
  EXPECT_NE(before->version(), *version);  // a request that took the old snapshot keeps it
}

TEST_F(ActivePolicy, ABrokenFileLeavesTheOldPolicyInForce) {
  auto policy = active_policy::load(file_);
  ASSERT_TRUE(policy);
  const std::string version = (*policy)->current()->version();
  testing::write_file(file_, example_ + "\n[[rule]]\nid = \"broken\"\neffect = \"maybe\"\n");
  auto reloaded = (*policy)->read_file();
  ASSERT_FALSE(reloaded);
  EXPECT_THAT(reloaded.error().message(), HasSubstr("policy.toml:"));
  EXPECT_EQ((*policy)->current()->version(), version);
}

TEST_F(ActivePolicy, ActivationValidatesFirstAndKeepsThePreviousVersion) {
  auto policy = active_policy::load(file_);
  ASSERT_TRUE(policy);
  const std::string old_version = (*policy)->current()->version();
  EXPECT_FALSE((*policy)->activate("[[rule]]\nid = 5\n"));
  EXPECT_EQ(testing::read_file(file_), example_);
  EXPECT_EQ((*policy)->current()->version(), old_version);

  const std::string next = example_ + "\n# version for 2027\n";
  auto version = (*policy)->activate(next);
  ASSERT_TRUE(version) << version.error().what();
  EXPECT_EQ((*policy)->current()->version(), *version);
  EXPECT_EQ(testing::read_file(file_), next);
  EXPECT_EQ(testing::read_file(file_.string() + "." + old_version), example_);
  EXPECT_EQ((*policy)->snapshot()->text, next);
  EXPECT_EQ((*policy)->snapshot()->engine.version(), *version);
}

TEST_F(ActivePolicy, ActivationKeepsTheTextInForceNotAnEditedFile) {
  auto policy = active_policy::load(file_);
  ASSERT_TRUE(policy);
  const std::string old_version = (*policy)->current()->version();
  EXPECT_EQ((*policy)->snapshot()->text, example_);
  // Someone edits the file but never reloads: the example is still what decides.
  testing::write_file(file_, example_ + "\n# edited, not loaded\n");
  ASSERT_TRUE((*policy)->activate(example_ + "\n# next\n"));
  EXPECT_EQ(testing::read_file(file_.string() + "." + old_version), example_);
}

TEST_F(ActivePolicy, LoadingAnInvalidOrMissingFileFails) {
  testing::write_file(file_, "[[rule]]\nid = 5\n");
  EXPECT_FALSE(active_policy::load(file_));
  EXPECT_FALSE(active_policy::load(dir_ / "missing.toml"));
}

}  // namespace
}  // namespace sluis::api
