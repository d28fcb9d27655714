// Swedish writing of dates, names and headings.
#include <array>
#include <chrono>
#include <cstdio>

#include "kansli/clock.h"
#include "kansli/render.h"

namespace kansli {
namespace {

constexpr std::array<const char*, 12> kMonths = {
    "januari", "februari", "mars",      "april",   "maj",      "juni",
    "juli",    "augusti",  "september", "oktober", "november", "december"};

// Indexed by std::chrono::weekday::c_encoding(): 0 = Sunday.
constexpr std::array<const char*, 7> kWeekdays = {"söndag", "måndag", "tisdag", "onsdag",
                                                  "torsdag", "fredag", "lördag"};

}  // namespace

std::string swedishLongDate(std::string_view iso) {
  std::chrono::year_month_day ymd;
  if (!parseDate(std::string(iso), ymd)) return {};
  return std::to_string(unsigned(ymd.day())) + " " + kMonths[unsigned(ymd.month()) - 1] + " " +
         std::to_string(int(ymd.year()));
}

std::string swedishWeekdayDate(std::string_view iso) {
  std::chrono::year_month_day ymd;
  if (!parseDate(std::string(iso), ymd)) return {};
  std::chrono::weekday wd{std::chrono::sys_days{ymd}};
  return std::string(kWeekdays[wd.c_encoding()]) + " " + swedishLongDate(iso);
}

std::string swedishDatePart(std::string_view iso, std::string_view part) {
  std::chrono::year_month_day ymd;
  if (!parseDate(std::string(iso), ymd)) return {};
  const int year = int(ymd.year());
  const unsigned month = unsigned(ymd.month());
  char two[8];
  if (part == "year") return std::to_string(year);
  if (part == "yy") {
    std::snprintf(two, sizeof two, "%02d", ((year % 100) + 100) % 100);
    return two;
  }
  if (part == "month") {
    std::snprintf(two, sizeof two, "%02u", month);
    return two;
  }
  if (part == "month-name") return kMonths[month - 1];
  if (part == "day") return std::to_string(unsigned(ymd.day()));
  return {};
}

std::string joinSenders(const std::vector<Sender>& senders) {
  struct Group {
    std::string party;
    std::vector<std::string> names;
  };
  std::vector<Group> groups;
  for (const auto& s : senders) {
    std::string who = !s.name.empty() ? s.name : s.organisation.value_or("");
    std::string party = s.party.value_or("");
    if (who.empty()) continue;
    Group* g = nullptr;
    for (auto& existing : groups) {
      if (existing.party == party) g = &existing;
    }
    if (!g) g = &groups.emplace_back(Group{party, {}});
    g->names.push_back(std::move(who));
  }
  std::vector<std::string> items;
  for (const auto& g : groups) {
    for (size_t i = 0; i < g.names.size(); ++i) {
      std::string item = g.names[i];
      if (i + 1 == g.names.size() && !g.party.empty()) item += " (" + g.party + ")";
      items.push_back(std::move(item));
    }
  }
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += (i + 1 == items.size()) ? " och " : ", ";
    out += items[i];
  }
  return out;
}

std::string upperSwedish(std::string_view s) {
  std::string out(s);
  for (size_t i = 0; i < out.size(); ++i) {
    auto c = static_cast<unsigned char>(out[i]);
    if (c >= 'a' && c <= 'z') {
      out[i] = static_cast<char>(c - 32);
    } else if (c == 0xC3 && i + 1 < out.size()) {
      auto n = static_cast<unsigned char>(out[i + 1]);
      // U+00E0..U+00FE (à..þ) map to U+00C0..U+00DE, except U+00F7 (÷).
      if (n >= 0xA0 && n <= 0xBE && n != 0xB7) out[i + 1] = static_cast<char>(n - 0x20);
      ++i;
    }
  }
  return out;
}

}  // namespace kansli
