#include "kansli/calendar.h"

#include <array>

namespace kansli {
namespace {

using namespace std::chrono;

sys_days days(year_month_day d) { return sys_days{d}; }

year_month_day plusDays(year_month_day d, int n) { return year_month_day{days(d) + std::chrono::days{n}}; }

// The Saturday in [first, first + 6 days]: how midsommardagen and alla
// helgons dag are defined.
year_month_day saturdayFrom(year_month_day first) {
  weekday wd{days(first)};
  return year_month_day{days(first) + (Saturday - wd)};
}

bool same(year_month_day a, year_month_day b) { return a == b; }

}  // namespace

year_month_day easterSunday(year y) {
  // The anonymous Gregorian algorithm (Meeus/Jones/Butcher).
  const int Y = static_cast<int>(y);
  const int a = Y % 19;
  const int b = Y / 100;
  const int c = Y % 100;
  const int d = b / 4;
  const int e = b % 4;
  const int f = (b + 8) / 25;
  const int g = (b - f + 1) / 3;
  const int h = (19 * a + b - d - g + 15) % 30;
  const int i = c / 4;
  const int k = c % 4;
  const int l = (32 + 2 * e + 2 * i - h - k) % 7;
  const int m = (a + 11 * h + 22 * l) / 451;
  const int month_ = (h + l - 7 * m + 114) / 31;
  const int day_ = ((h + l - 7 * m + 114) % 31) + 1;
  return year_month_day{y, month{static_cast<unsigned>(month_)}, day{static_cast<unsigned>(day_)}};
}

std::optional<std::string_view> swedishPublicHolidayName(year_month_day d) {
  if (!d.ok()) return std::nullopt;
  const year y = d.year();
  const unsigned m = static_cast<unsigned>(d.month());
  const unsigned dd = static_cast<unsigned>(d.day());
  if (m == 1 && dd == 1) return "nyårsdagen";
  if (m == 1 && dd == 6) return "trettondedag jul";
  if (m == 5 && dd == 1) return "första maj";
  if (m == 6 && dd == 6) return "Sveriges nationaldag";
  if (m == 12 && dd == 25) return "juldagen";
  if (m == 12 && dd == 26) return "annandag jul";
  if (same(d, saturdayFrom(y / June / 20))) return "midsommardagen";
  if (same(d, saturdayFrom(y / October / 31))) return "alla helgons dag";
  const year_month_day easter = easterSunday(y);
  if (same(d, plusDays(easter, -2))) return "långfredagen";
  if (same(d, easter)) return "påskdagen";
  if (same(d, plusDays(easter, 1))) return "annandag påsk";
  if (same(d, plusDays(easter, 39))) return "Kristi himmelsfärdsdag";
  if (same(d, plusDays(easter, 49))) return "pingstdagen";
  return std::nullopt;
}

bool isSwedishPublicHoliday(year_month_day d) { return swedishPublicHolidayName(d).has_value(); }

bool isNonWorkingDay(year_month_day d) {
  if (!d.ok()) return false;
  weekday wd{days(d)};
  if (wd == Saturday || wd == Sunday) return true;
  if (isSwedishPublicHoliday(d)) return true;
  const unsigned m = static_cast<unsigned>(d.month());
  const unsigned dd = static_cast<unsigned>(d.day());
  if (m == 12 && (dd == 24 || dd == 31)) return true;  // julafton, nyårsafton
  // Midsommarafton: the Friday before midsommardagen.
  return same(d, plusDays(saturdayFrom(d.year() / June / 20), -1));
}

year_month_day nextWorkingDay(year_month_day d) {
  if (!d.ok()) return d;
  // At most a handful of steps (Easter: Friday to Monday is four days).
  while (isNonWorkingDay(d)) d = plusDays(d, 1);
  return d;
}

year_month_day lastDayOfAppeal(year_month_day posted) {
  if (!posted.ok()) return posted;
  return nextWorkingDay(plusDays(posted, 21));
}

std::string swedishLongDate(year_month_day d) {
  static constexpr std::array<std::string_view, 12> kMonths = {
      "januari", "februari", "mars",      "april",   "maj",      "juni",
      "juli",    "augusti",  "september", "oktober", "november", "december"};
  if (!d.ok()) return {};
  return std::to_string(static_cast<unsigned>(d.day())) + " " +
         std::string(kMonths[static_cast<unsigned>(d.month()) - 1]) + " " +
         std::to_string(static_cast<int>(d.year()));
}

}  // namespace kansli
