#include "policy/calendar.hpp"

#include <date/tz.h>

namespace sluis::policy {
namespace {

// Looked up once; the zone lives as long as the process's time zone database.
const ::date::time_zone& netherlands() {
  static const ::date::time_zone* const zone = ::date::locate_zone(calendar_time_zone);
  return *zone;
}

}  // namespace

date dutch_date(time_point moment) {
  const auto local = netherlands().to_local(moment);
  return std::chrono::sys_days{std::chrono::floor<std::chrono::days>(local).time_since_epoch()};
}

time_point start_of(date day) {
  // Midnight is never skipped or repeated in the Netherlands (the clocks change at 02:00 and
  // 03:00), so `earliest` only chooses in theory.
  return std::chrono::floor<std::chrono::seconds>(
      netherlands().to_sys(::date::local_days{day.time_since_epoch()}, ::date::choose::earliest));
}

time_point add_days(time_point moment, int days) {
  const auto local = netherlands().to_local(moment) + std::chrono::days{days};
  return std::chrono::floor<std::chrono::seconds>(
      netherlands().to_sys(local, ::date::choose::earliest));
}

int age_at(date born, time_point now) {
  const std::chrono::year_month_day b{born};
  const std::chrono::year_month_day today{dutch_date(now)};
  int years = static_cast<int>(today.year()) - static_cast<int>(b.year());
  if (today.month() < b.month() || (today.month() == b.month() && today.day() < b.day())) --years;
  return years;
}

}  // namespace sluis::policy
