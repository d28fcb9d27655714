// The Swedish legal calendar: public holidays, working days and the last day
// of appeal, computed for any year (nothing is listed per year).
//
// Public holidays are those of lagen (1989:253) om allmänna helgdagar, except
// that ordinary Sundays are not reported as holidays (every Sunday is, by that
// law; isNonWorkingDay covers them). Easter follows the Gregorian computus.
// Deadlines follow lagen (1930:173) om beräkning av lagstadgad tid: a deadline
// that ends on a Saturday, Sunday, public holiday, midsommarafton, julafton or
// nyårsafton moves to the next working day.
//
// Pure functions of their arguments; any thread may call them. Dates must be
// valid (d.ok()); an invalid date is never a holiday and is returned unchanged
// by the functions that return dates.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace kansli {

// Easter Sunday (påskdagen) of a Gregorian year.
std::chrono::year_month_day easterSunday(std::chrono::year y);

// The holiday's Swedish name ("långfredagen", "midsommardagen", ...) or nullopt.
// Pingstdagen and påskdagen are named although they always fall on Sundays.
std::optional<std::string_view> swedishPublicHolidayName(std::chrono::year_month_day d);

// nyårsdagen, trettondedag jul, långfredagen, påskdagen, annandag påsk, första
// maj, Kristi himmelsfärdsdag, pingstdagen, nationaldagen, midsommardagen, alla
// helgons dag, juldagen, annandag jul.
bool isSwedishPublicHoliday(std::chrono::year_month_day d);

// Saturday, Sunday, a public holiday, midsommarafton, julafton or nyårsafton.
bool isNonWorkingDay(std::chrono::year_month_day d);

// d itself when it is a working day, else the first working day after it.
std::chrono::year_month_day nextWorkingDay(std::chrono::year_month_day d);

// The last day to appeal a decision whose minutes were posted on `posted`
// (laglighetsprövning, kommunallagen 13 kap. 5 §): three weeks after the
// posting day, which is not counted (posted + 21 days), moved to the next
// working day when that is not one.
std::chrono::year_month_day lastDayOfAppeal(std::chrono::year_month_day posted);

// "25 augusti 2020", as dates are written in Swedish prose.
std::string swedishLongDate(std::chrono::year_month_day d);

}  // namespace kansli
