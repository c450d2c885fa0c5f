#pragma once
// Calendar days are Dutch. A date (of birth, of a signature, the first and last day of a consent
// or a coordination ground, a due date) is a day in Europe/Amsterdam, and "today" is the Dutch date
// at that moment: at 23:30 UTC on 31 December it is 1 January. Moments stay UTC (sys_seconds).
//
// A period "from D1 to D2" runs from 00:00 Dutch time on D1 (start_of) to 00:00 Dutch time on the
// day after D2, so a consent valid until 5 December holds all of 5 December in the Netherlands,
// in summer and in winter time. The time zone rules are the system's (tzdata, through the
// howardhinnant-date library); the functions are thread-safe. Known limit: Debian's tzdata files
// list transitions up to 2037 and the library does not extend them, so later years count as winter
// time all year (an hour off in summer).

#include <chrono>

namespace sluis::policy {

using time_point = std::chrono::sys_seconds;
using date = std::chrono::sys_days;

// The name of the time zone of every calendar day: served to the web UI (GET /v1/vocabulary).
inline constexpr const char* calendar_time_zone = "Europe/Amsterdam";

// The Dutch date at `moment`.
date dutch_date(time_point moment);
// 00:00 Dutch time on `day`, as a moment.
time_point start_of(date day);
// `days` calendar days after `moment`, at the same Dutch time of day (so a day across a change
// to or from summer time has 23 or 25 hours).
time_point add_days(time_point moment, int days);

// A person's age in whole years on the Dutch date at `now`: the one age rule, for consent
// signers, the plan's member list and the partner API alike. Someone born on 29 February has
// their birthday on 1 March in a year without 29 February (the day before does not count yet).
int age_at(date born, time_point now);

}  // namespace sluis::policy
