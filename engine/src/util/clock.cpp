#include "kansli/clock.h"

#include <cstdio>

namespace kansli {

using namespace std::chrono;

Instant SystemClock::now() const { return time_point_cast<seconds>(system_clock::now()); }

std::string formatInstant(Instant t) {
  // Requests format "now" several times each (sessions, audit, answers):
  // once per second and thread is enough.
  thread_local Instant formatted = Instant::min();
  thread_local std::string text;
  if (t == formatted) return text;
  auto dp = floor<days>(t);
  year_month_day ymd{dp};
  hh_mm_ss hms{t - dp};
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02ld:%02ld:%02ldZ", int(ymd.year()),
                unsigned(ymd.month()), unsigned(ymd.day()), long(hms.hours().count()),
                long(hms.minutes().count()), long(hms.seconds().count()));
  text = buf;
  formatted = t;
  return text;
}

bool parseInstant(const std::string& s, Instant& out) {
  int y, mo, d, h, mi, se;
  char tail[8] = {0};
  if (std::sscanf(s.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%7s", &y, &mo, &d, &h, &mi, &se, tail) < 6) {
    return false;
  }
  std::string t = tail;
  if (!t.empty() && t != "Z" && t != "+00:00") return false;
  year_month_day ymd{year{y}, month{unsigned(mo)}, day{unsigned(d)}};
  if (!ymd.ok() || h > 23 || mi > 59 || se > 60) return false;
  out = sys_days{ymd} + hours{h} + minutes{mi} + seconds{se};
  return true;
}

namespace {
// The last Sunday of `m` in year `y`, at 01:00 UTC: when EU summer time starts
// (March) and ends (October). Written out because GCC 12's libstdc++ has no
// time-zone database (std::chrono::zoned_time arrived in GCC 14), and the EU rule
// has held for Sweden since 1996, which covers every date Kansli stores.
sys_seconds lastSundayAt1Utc(year y, month m) {
  sys_days last_day = sys_days{year_month_day_last{y, month_day_last{m}}};
  weekday wd{last_day};
  sys_days sunday = last_day - (wd - Sunday);
  return sunday + hours{1};
}
}  // namespace

year_month_day stockholmDate(Instant t) {
  year y = year_month_day{floor<days>(t)}.year();
  bool summer = t >= lastSundayAt1Utc(y, March) && t < lastSundayAt1Utc(y, October);
  Instant local = t + hours{summer ? 2 : 1};
  return year_month_day{floor<days>(local)};
}

std::string formatDate(year_month_day d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", int(d.year()), unsigned(d.month()),
                unsigned(d.day()));
  return buf;
}

bool parseDate(const std::string& s, year_month_day& out) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (size_t i : {0u, 1u, 2u, 3u, 5u, 6u, 8u, 9u}) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  int y = std::stoi(s.substr(0, 4));
  unsigned m = unsigned(std::stoi(s.substr(5, 2)));
  unsigned d = unsigned(std::stoi(s.substr(8, 2)));
  year_month_day ymd{year{y}, month{m}, day{d}};
  if (!ymd.ok()) return false;
  out = ymd;
  return true;
}

}  // namespace kansli
