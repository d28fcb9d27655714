// Swedish writing of dates, sender lists and headings.
#include "kansli/render.h"

#include "testing/testing.h"

namespace kansli {
namespace {

TEST(Swedish, LongDate) {
  EXPECT_EQ(swedishLongDate("2020-08-25"), "25 augusti 2020");
  EXPECT_EQ(swedishLongDate("2021-01-01"), "1 januari 2021");
  EXPECT_EQ(swedishLongDate("2021-02-30"), "");
  EXPECT_EQ(swedishLongDate("25/8 2020"), "");
}

TEST(Swedish, WeekdayDate) {
  EXPECT_EQ(swedishWeekdayDate("2020-10-20"), "tisdag 20 oktober 2020");
  EXPECT_EQ(swedishWeekdayDate("2024-03-03"), "söndag 3 mars 2024");
}

TEST(Swedish, SendersOfOneParty) {
  EXPECT_EQ(joinSenders({{"Andreas Falk", "S", ""}, {"Maria Åberg", "S", ""}}),
            "Andreas Falk och Maria Åberg (S)");
}

TEST(Swedish, SendersOfSeveralPartiesAreGroupedInOrderOfFirstAppearance) {
  EXPECT_EQ(joinSenders({{"Anna A", "S", ""}, {"Cia C", "M", ""}, {"Bo B", "S", ""}}),
            "Anna A, Bo B (S) och Cia C (M)");
  EXPECT_EQ(joinSenders({{"Ett", "V", ""}}), "Ett (V)");
  EXPECT_EQ(joinSenders({{"", "", "Föreningen Grannar"}, {"Eva E", "", ""}}),
            "Föreningen Grannar och Eva E");
  EXPECT_EQ(joinSenders({}), "");
}

TEST(Swedish, UpperCaseKeepsSwedishLetters) {
  EXPECT_EQ(upperSwedish("förslag till beslut – åäö é"), "FÖRSLAG TILL BESLUT – ÅÄÖ É");
}

}  // namespace
}  // namespace kansli
