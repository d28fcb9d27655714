#include "kansli/calendar.h"

#include "kansli/clock.h"
#include "testing/testing.h"

namespace kansli {
namespace {

using namespace std::chrono;

year_month_day ymd(int y, unsigned m, unsigned d) { return year{y} / month{m} / day{d}; }

TEST(Calendar, EasterSundayForKnownYears) {
  EXPECT_EQ(easterSunday(year{2020}), ymd(2020, 4, 12));
  EXPECT_EQ(easterSunday(year{2021}), ymd(2021, 4, 4));
  EXPECT_EQ(easterSunday(year{2024}), ymd(2024, 3, 31));
  EXPECT_EQ(easterSunday(year{2025}), ymd(2025, 4, 20));
  EXPECT_EQ(easterSunday(year{2019}), ymd(2019, 4, 21));
  EXPECT_EQ(easterSunday(year{2008}), ymd(2008, 3, 23));  // early
  EXPECT_EQ(easterSunday(year{2038}), ymd(2038, 4, 25));  // latest possible
  EXPECT_EQ(easterSunday(year{2285}), ymd(2285, 3, 22));  // earliest possible
  EXPECT_EQ(easterSunday(year{1818}), ymd(1818, 3, 22));
  EXPECT_EQ(easterSunday(year{2000}), ymd(2000, 4, 23));
}

TEST(Calendar, EasterIsAlwaysASundayBetween22MarchAnd25April) {
  for (int y = 1600; y <= 2600; ++y) {
    auto e = easterSunday(year{y});
    ASSERT_TRUE(e.ok()) << y;
    EXPECT_EQ(weekday{sys_days{e}}, Sunday) << y;
    EXPECT_GE(e, ymd(y, 3, 22)) << y;
    EXPECT_LE(e, ymd(y, 4, 25)) << y;
  }
}

TEST(Calendar, EasterHolidays2024) {
  EXPECT_EQ(swedishPublicHolidayName(ymd(2024, 3, 29)), "långfredagen");
  EXPECT_EQ(swedishPublicHolidayName(ymd(2024, 3, 31)), "påskdagen");
  EXPECT_EQ(swedishPublicHolidayName(ymd(2024, 4, 1)), "annandag påsk");
  EXPECT_EQ(swedishPublicHolidayName(ymd(2024, 5, 9)), "Kristi himmelsfärdsdag");
  EXPECT_EQ(swedishPublicHolidayName(ymd(2024, 5, 19)), "pingstdagen");
  EXPECT_FALSE(isSwedishPublicHoliday(ymd(2024, 3, 30)));  // påskafton is not
  EXPECT_FALSE(isSwedishPublicHoliday(ymd(2024, 5, 20)));  // annandag pingst since 2005
}

TEST(Calendar, FixedHolidays) {
  for (int y : {1999, 2020, 2023, 2024, 2100}) {
    EXPECT_TRUE(isSwedishPublicHoliday(ymd(y, 1, 1))) << y;
    EXPECT_TRUE(isSwedishPublicHoliday(ymd(y, 1, 6))) << y;
    EXPECT_TRUE(isSwedishPublicHoliday(ymd(y, 5, 1))) << y;
    EXPECT_TRUE(isSwedishPublicHoliday(ymd(y, 6, 6))) << y;
    EXPECT_TRUE(isSwedishPublicHoliday(ymd(y, 12, 25))) << y;
    EXPECT_TRUE(isSwedishPublicHoliday(ymd(y, 12, 26))) << y;
    EXPECT_FALSE(isSwedishPublicHoliday(ymd(y, 12, 24))) << y;  // julafton: not a helgdag
    EXPECT_FALSE(isSwedishPublicHoliday(ymd(y, 12, 31))) << y;
    EXPECT_FALSE(isSwedishPublicHoliday(ymd(y, 1, 2))) << y;
  }
  EXPECT_EQ(swedishPublicHolidayName(ymd(2020, 6, 6)), "Sveriges nationaldag");
  EXPECT_EQ(swedishPublicHolidayName(ymd(2020, 1, 6)), "trettondedag jul");
}

TEST(Calendar, Midsommar) {
  // Midsommardagen: the Saturday 20-26 June; afton the day before.
  EXPECT_EQ(swedishPublicHolidayName(ymd(2020, 6, 20)), "midsommardagen");
  EXPECT_EQ(swedishPublicHolidayName(ymd(2021, 6, 26)), "midsommardagen");
  EXPECT_EQ(swedishPublicHolidayName(ymd(2024, 6, 22)), "midsommardagen");
  EXPECT_EQ(swedishPublicHolidayName(ymd(2025, 6, 21)), "midsommardagen");
  EXPECT_FALSE(isSwedishPublicHoliday(ymd(2021, 6, 19)));
  EXPECT_FALSE(isSwedishPublicHoliday(ymd(2024, 6, 21)));  // midsommarafton
  EXPECT_TRUE(isNonWorkingDay(ymd(2024, 6, 21)));
  EXPECT_TRUE(isNonWorkingDay(ymd(2021, 6, 25)));
  EXPECT_FALSE(isNonWorkingDay(ymd(2021, 6, 24)));
  EXPECT_FALSE(isNonWorkingDay(ymd(2020, 6, 18)));  // Thursday before afton 19 June
  EXPECT_TRUE(isNonWorkingDay(ymd(2020, 6, 19)));
  for (int y = 1950; y <= 2150; ++y) {
    int found = 0;
    for (unsigned d = 1; d <= 30; ++d) {
      if (swedishPublicHolidayName(ymd(y, 6, d)) == "midsommardagen") {
        ++found;
        EXPECT_GE(d, 20u);
        EXPECT_LE(d, 26u);
        EXPECT_EQ(weekday{sys_days{ymd(y, 6, d)}}, Saturday);
      }
    }
    EXPECT_EQ(found, 1) << y;
  }
}

TEST(Calendar, AllaHelgonsDag) {
  EXPECT_EQ(swedishPublicHolidayName(ymd(2020, 10, 31)), "alla helgons dag");
  EXPECT_EQ(swedishPublicHolidayName(ymd(2021, 11, 6)), "alla helgons dag");
  EXPECT_EQ(swedishPublicHolidayName(ymd(2024, 11, 2)), "alla helgons dag");
  EXPECT_FALSE(isSwedishPublicHoliday(ymd(2024, 11, 1)));
  EXPECT_FALSE(isSwedishPublicHoliday(ymd(2024, 10, 31)));
}

TEST(Calendar, OrdinaryDays) {
  EXPECT_FALSE(isNonWorkingDay(ymd(2020, 8, 25)));  // a Tuesday
  EXPECT_TRUE(isNonWorkingDay(ymd(2020, 8, 29)));   // Saturday
  EXPECT_TRUE(isNonWorkingDay(ymd(2020, 8, 30)));   // Sunday
  EXPECT_FALSE(isSwedishPublicHoliday(ymd(2020, 8, 30)));
  EXPECT_TRUE(isNonWorkingDay(ymd(2025, 12, 24)));  // julafton, a Wednesday
  EXPECT_TRUE(isNonWorkingDay(ymd(2025, 12, 31)));  // nyårsafton, a Wednesday
  EXPECT_FALSE(isNonWorkingDay(ymd(2025, 12, 30)));
  EXPECT_FALSE(isNonWorkingDay(ymd(2021, 2, 30)));  // not a date
}

TEST(Calendar, LastDayOfAppeal) {
  // Over julafton, juldagen, annandag jul and a weekend.
  EXPECT_EQ(lastDayOfAppeal(ymd(2020, 12, 3)), ymd(2020, 12, 28));
  // Over midsommarafton and the weekend.
  EXPECT_EQ(lastDayOfAppeal(ymd(2021, 6, 4)), ymd(2021, 6, 28));
  // Over Easter: långfredagen to annandag påsk.
  EXPECT_EQ(lastDayOfAppeal(ymd(2024, 3, 8)), ymd(2024, 4, 2));
  // An ordinary case: three weeks to the day.
  EXPECT_EQ(lastDayOfAppeal(ymd(2020, 10, 5)), ymd(2020, 10, 26));
  // Landing on a Saturday moves to Monday.
  EXPECT_EQ(lastDayOfAppeal(ymd(2020, 10, 10)), ymd(2020, 11, 2));
  // Across the year end: 2024-12-10 + 21 = nyårsafton, then nyårsdagen.
  EXPECT_EQ(lastDayOfAppeal(ymd(2024, 12, 10)), ymd(2025, 1, 2));
  // Kristi himmelsfärdsdag 2025-05-29.
  EXPECT_EQ(lastDayOfAppeal(ymd(2025, 5, 8)), ymd(2025, 5, 30));
}

TEST(Calendar, LastDayOfAppealLongestWaitIsChristmasOnAWednesday) {
  EXPECT_EQ(lastDayOfAppeal(ymd(2025, 12, 3)), ymd(2025, 12, 29));
}

TEST(Calendar, LastDayOfAppealIsAlwaysAWorkingDayAtLeastThreeWeeksOn) {
  for (sys_days d = sys_days{ymd(2019, 1, 1)}; d < sys_days{ymd(2031, 1, 1)}; d += days{1}) {
    year_month_day last = lastDayOfAppeal(year_month_day{d});
    ASSERT_FALSE(isNonWorkingDay(last)) << formatDate(year_month_day{d});
    ASSERT_GE(sys_days{last} - d, days{21});
    // At most: julafton on a Wednesday, then juldagen, annandag jul and a
    // weekend (2025: 24 December to Monday 29 December).
    ASSERT_LE(sys_days{last} - d, days{26});
  }
}

TEST(Calendar, NextWorkingDay) {
  EXPECT_EQ(nextWorkingDay(ymd(2020, 8, 25)), ymd(2020, 8, 25));
  EXPECT_EQ(nextWorkingDay(ymd(2020, 8, 29)), ymd(2020, 8, 31));
}

TEST(Calendar, SwedishLongDate) {
  EXPECT_EQ(swedishLongDate(ymd(2020, 8, 25)), "25 augusti 2020");
  EXPECT_EQ(swedishLongDate(ymd(2020, 10, 5)), "5 oktober 2020");
  EXPECT_EQ(swedishLongDate(ymd(2021, 1, 1)), "1 januari 2021");
  EXPECT_EQ(swedishLongDate(ymd(2024, 2, 29)), "29 februari 2024");
  EXPECT_EQ(swedishLongDate(ymd(2019, 12, 31)), "31 december 2019");
  EXPECT_EQ(swedishLongDate(ymd(2019, 3, 3)), "3 mars 2019");
  EXPECT_EQ(swedishLongDate(ymd(2019, 5, 3)), "3 maj 2019");
}

}  // namespace
}  // namespace kansli
