// Admission of break-the-glass requests: justification length and duration cap from the policy.

#include "policy/break_glass.hpp"

#include <gtest/gtest.h>

#include "tests/policy/example_policy.hpp"

namespace sluis::policy {
namespace {

using std::chrono::minutes;

TEST(break_glass_request, short_justification_is_refused_without_echoing_it) {
  const auto policy = testing::example_engine();
  const std::string justification = "crisis bij gezin Jansen, nu";  // 27 characters
  const auto result = validate_break_glass_request(policy, justification, minutes{60});
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code(), errc::invalid_argument);
  EXPECT_EQ(result.error().field(), "justification");
  EXPECT_NE(result.error().message().find("30"), std::string::npos);
  EXPECT_EQ(result.error().message().find("Jansen"), std::string::npos);
}

TEST(break_glass_request, exactly_the_minimum_is_accepted) {
  const auto policy = testing::example_engine();
  EXPECT_TRUE(validate_break_glass_request(policy, std::string(30, 'x'), minutes{60}).has_value());
  EXPECT_FALSE(validate_break_glass_request(policy, std::string(29, 'x'), minutes{60}).has_value());
}

TEST(break_glass_request, surrounding_white_space_does_not_count) {
  const auto policy = testing::example_engine();
  const auto padded = "   " + std::string(29, 'x') + "\n\t  ";
  EXPECT_FALSE(validate_break_glass_request(policy, padded, minutes{60}).has_value());
}

TEST(break_glass_request, characters_not_bytes_are_counted) {
  const auto policy = testing::example_engine();
  std::string accented;
  for (int i = 0; i < 29; ++i) accented += "\xC3\xA9";  // é: 2 bytes, 1 character
  EXPECT_FALSE(validate_break_glass_request(policy, accented, minutes{60}).has_value());
  accented += "\xC3\xA9";
  EXPECT_TRUE(validate_break_glass_request(policy, accented, minutes{60}).has_value());
}

TEST(break_glass_request, duration_is_capped_to_the_policy_maximum) {
  const auto policy = testing::example_engine();
  const std::string why = "kind meldt acuut geweld thuis, veiligheid direct in gevaar";
  EXPECT_EQ(validate_break_glass_request(policy, why, minutes{90}).value(), minutes{90});
  EXPECT_EQ(validate_break_glass_request(policy, why, minutes{24 * 60}).value(), minutes{240});
  const auto zero = validate_break_glass_request(policy, why, minutes{0});
  ASSERT_FALSE(zero.has_value());
  EXPECT_EQ(zero.error().field(), "duration");
}

TEST(break_glass_request, limits_come_from_the_policy) {
  const auto policy = engine::compile(
                          "[break_glass]\nmax_duration_minutes = 30\nmin_justification_length = "
                          "10\n",
                          "strict.toml")
                          .value();
  EXPECT_TRUE(validate_break_glass_request(policy, "0123456789", minutes{60}).has_value());
  EXPECT_EQ(validate_break_glass_request(policy, "0123456789", minutes{60}).value(), minutes{30});
  EXPECT_FALSE(validate_break_glass_request(policy, "012345678", minutes{60}).has_value());
}

}  // namespace
}  // namespace sluis::policy
