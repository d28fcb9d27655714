// Time, from a clock the tests can set.
//
// Kansli stores instants as ISO 8601 UTC ("2020-08-25T09:12:00Z") and dates as
// Europe/Stockholm calendar dates ("2020-08-25"). Everything that needs "now"
// takes a Clock&, so tests can fix the time (year rollover, deadlines, appeals).
// Implementations are thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <string>

namespace kansli {

using Instant = std::chrono::sys_seconds;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual Instant now() const = 0;
};

class SystemClock final : public Clock {
 public:
  Instant now() const override;
};

// A clock that stands still until set; for tests and `--clock` in test servers.
class FixedClock final : public Clock {
 public:
  explicit FixedClock(Instant t) : t_(t.time_since_epoch().count()) {}
  Instant now() const override { return Instant{std::chrono::seconds{t_.load()}}; }
  void set(Instant t) { t_.store(t.time_since_epoch().count()); }
  void advance(std::chrono::seconds d) { t_.fetch_add(d.count()); }

 private:
  std::atomic<long long> t_;
};

// "2020-08-25T09:12:00Z"
std::string formatInstant(Instant t);
// Parses the form formatInstant writes (and a trailing "Z" or "+00:00").
bool parseInstant(const std::string& s, Instant& out);

// The calendar date in Europe/Stockholm at instant t.
std::chrono::year_month_day stockholmDate(Instant t);
// "2020-08-25"
std::string formatDate(std::chrono::year_month_day d);
// Strict YYYY-MM-DD, a real calendar date.
bool parseDate(const std::string& s, std::chrono::year_month_day& out);

}  // namespace kansli
