// One instant per change: a registration read the clock four times, so
// around New Year the dnr's year and registered_at could disagree.
#include <gtest/gtest.h>

#include <atomic>

#include "nacka/reference_case.h"
#include "testing/engine_world.h"

namespace kansli::testing {
namespace {

// A clock that moves one second every time it is read.
class TickingClock final : public Clock {
 public:
  explicit TickingClock(Instant start) : start_(start) {}
  Instant now() const override { return start_ + std::chrono::seconds(reads_++); }

 private:
  Instant start_;
  mutable std::atomic<long> reads_{0};
};

TEST(Registration, AtNewYearTheDnrYearAndTheInstantsAgree) {
  TempDir dir;
  // 2020-12-31 23:59:58 in Stockholm (UTC+1): two reads later it is 2021.
  TickingClock clock(Instant{std::chrono::sys_days{std::chrono::year{2020} / 12 / 31}} +
                     std::chrono::hours{22} + std::chrono::minutes{59} + std::chrono::seconds{58});
  EngineConfig ec;
  ec.data_dir = dir.path().string();
  ec.home = sourceDir();
  ec.organisation_file = sourceDir() + "/samples/nacka/organisation.xml";
  auto engine = Engine::open(ec, clock);
  ASSERT_OK(engine);
  NewCase nc;
  nc.committee = "SOCN";
  nc.kind = "politikerinitiativ";
  nc.subject = std::string(reference::kSubject);
  nc.received = "2020-12-30";
  nc.senders = reference::senders();
  auto c = (*engine)->diarium().registerCase(nc, audit::Actor::system());
  ASSERT_OK(c);
  Instant registered;
  ASSERT_TRUE(parseInstant(c->registered_at, registered));
  EXPECT_EQ(c->year, int(stockholmDate(registered).year()))
      << c->dnr << " registered at " << c->registered_at;
  auto events = (*engine)->diarium().history(c->id, Viewer::system());
  ASSERT_OK(events);
  ASSERT_EQ(events->size(), 1u);
  EXPECT_EQ(events->front().at, c->registered_at) << "the event records the same instant";
}

}  // namespace
}  // namespace kansli::testing
