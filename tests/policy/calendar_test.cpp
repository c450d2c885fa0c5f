// Calendar days are Dutch (policy/calendar.hpp): at the turn of the year, at both changes of
// summer time, for a birthday on 29 February, and in a scenario file's plain dates.

#include "policy/calendar.hpp"

#include <gtest/gtest.h>

#include "policy/scenario.hpp"

namespace sluis::policy {
namespace {

using namespace std::chrono;

time_point utc(sys_days d, int h, int m = 0) { return time_point{d} + hours{h} + minutes{m}; }

TEST(calendar, half_past_eleven_utc_on_new_years_eve_is_new_years_day) {
  const sys_days eve{year{2026} / December / 31};
  EXPECT_EQ(dutch_date(utc(eve, 23, 30)), sys_days{year{2027} / January / 1});
  EXPECT_EQ(dutch_date(utc(eve, 22, 59)), eve);
  EXPECT_EQ(start_of(sys_days{year{2027} / January / 1}), utc(eve, 23));
}

TEST(calendar, days_start_at_dutch_midnight_in_winter_and_summer_time) {
  // Summer time begins on Sunday 29 March 2026 at 02:00 and ends on Sunday 25 October at 03:00.
  const sys_days spring{year{2026} / March / 29}, autumn{year{2026} / October / 25};
  EXPECT_EQ(start_of(spring), utc(spring - days{1}, 23));  // still winter time at midnight
  EXPECT_EQ(start_of(spring + days{1}), utc(spring, 22));  // summer time
  EXPECT_EQ(start_of(autumn), utc(autumn - days{1}, 22));  // still summer time at midnight
  EXPECT_EQ(start_of(autumn + days{1}), utc(autumn, 23));  // winter time
  EXPECT_EQ(dutch_date(utc(spring, 0, 30)), spring);       // 01:30 in the Netherlands
  EXPECT_EQ(dutch_date(utc(spring, 22, 0)), spring + days{1});
  EXPECT_EQ(dutch_date(utc(autumn, 22, 30)), autumn);  // 23:30 winter time
}

TEST(calendar, a_day_across_a_clock_change_keeps_the_dutch_time_of_day) {
  const sys_days spring{year{2026} / March / 29}, autumn{year{2026} / October / 25};
  // 13:00 on the Saturday, 13:00 on the Sunday: 23 hours in spring, 25 in autumn.
  EXPECT_EQ(add_days(utc(spring - days{1}, 12), 1), utc(spring, 11));
  EXPECT_EQ(add_days(utc(autumn - days{1}, 11), 1), utc(autumn, 12));
  EXPECT_EQ(add_days(start_of(spring), 365), start_of(spring + days{365}));
}

TEST(calendar, born_on_29_february_turns_a_year_older_on_1_march) {
  const sys_days born{year{2008} / February / 29};
  // 28 February 2026 at 23:30 in the Netherlands: not yet 18.
  EXPECT_EQ(age_at(born, utc(sys_days{year{2026} / February / 28}, 22, 30)), 17);
  // 1 March 2026 at 00:30 in the Netherlands (23:30 UTC on 28 February): 18.
  EXPECT_EQ(age_at(born, utc(sys_days{year{2026} / February / 28}, 23, 30)), 18);
  // In a leap year on the day itself.
  EXPECT_EQ(age_at(born, utc(sys_days{year{2028} / February / 28}, 12)), 19);
  EXPECT_EQ(age_at(born, utc(sys_days{year{2028} / February / 29}, 12)), 20);
}

TEST(calendar, a_birthday_counts_from_dutch_midnight) {
  const sys_days born{year{2010} / June / 15};
  // 00:30 on 15 June 2026 in the Netherlands is 22:30 UTC on 14 June.
  EXPECT_EQ(age_at(born, utc(sys_days{year{2026} / June / 14}, 22, 30)), 16);
  EXPECT_EQ(age_at(born, utc(sys_days{year{2026} / June / 14}, 21, 30)), 15);
}

TEST(calendar, a_scenarios_plain_dates_are_dutch_days) {
  const auto s = parse_scenario(R"(now = 2026-06-15
[requester]
user_id = "u"
role = "gezinsmanager"
organisation = "o"
purpose = "plan"

[[member]]
id = "m"
label = "dochter"
role = "child"
born = 2010-06-15

[[consent]]
id = "c"
subject = "m"
granted_by = ["m"]
recipient_roles = ["gezinsmanager"]
purposes = ["plan"]
categories = ["regular"]
domains = ["wonen"]
valid_from = 2026-01-01
valid_until = 2026-12-31
)",
                                "s.toml")
                     .value();
  const sys_days june15{year{2026} / June / 15};
  EXPECT_EQ(s.now, utc(june15 - days{1}, 22)) << "00:00 summer time";
  ASSERT_EQ(s.fam.members.size(), 1u);
  EXPECT_EQ(age_at(s.fam.members[0].date_of_birth, s.now), 16)
      << "her birthday has begun in the Netherlands";
  ASSERT_EQ(s.fam.consents.size(), 1u);
  EXPECT_EQ(s.fam.consents[0].valid_from, utc(sys_days{year{2025} / December / 31}, 23));
  EXPECT_EQ(s.fam.consents[0].valid_until, utc(sys_days{year{2026} / December / 30}, 23));
}

}  // namespace
}  // namespace sluis::policy
