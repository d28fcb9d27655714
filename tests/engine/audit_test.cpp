// The audit log names only someone who is there: a user of the database or
// the program itself (#14.1: anonymous requests wrote events in another
// user's name, and garbage bytes as an actor).
#include <gtest/gtest.h>

#include "kansli/audit.h"
#include "store/store.h"
#include "store/tx.h"
#include "testing/engine_world.h"

namespace kansli::testing {
namespace {

class Audit : public ::testing::Test {
 protected:
  Result<std::int64_t> append(const audit::Actor& actor) {
    return world.engine().database().store().write([&](store::Tx& tx) {
      return audit::appendAudit(tx, world.clock().now(), {actor, "test.event", std::nullopt, "{}"});
    });
  }
  EngineWorld world;
};

TEST_F(Audit, AppendRefusesAnActorWhoIsNoUser) {
  int before = world.auditCount("test.event");
  auto r = append({"nobody", "admin"});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kInternal);
  EXPECT_EQ(world.auditCount("test.event"), before) << "nothing written";
}

TEST_F(Audit, AppendRefusesAnActorWhoseNameIsNotUtf8) {
  auto r = append({std::string("ad\xffmin"), "admin"});
  ASSERT_FALSE(r);
  auto nul = append({std::string("admin\0x", 7), "admin"});
  ASSERT_FALSE(nul) << "a NUL would show a different name than the one checked";
}

TEST_F(Audit, TheProgramAndTheUsersMayAct) {
  EXPECT_OK(append(audit::Actor::system()));
  EXPECT_OK(append(world.registrator.actor()));
  auto report = world.engine().database().verifyAudit();
  ASSERT_OK(report);
  EXPECT_FALSE(report->first_problem);
}

TEST_F(Audit, NoPersonMayBeRegisteredAsTheProgram) {
  auto u = world.engine().accounts().addUser({"system", "System", Role::kAdmin, {}, {}},
                                             "ett-långt-lösenord", audit::Actor::system());
  ASSERT_FALSE(u);
  EXPECT_EQ(u.error().code, ErrorCode::kInvalidInput);
}

TEST_F(Audit, ASignInWithANameNobodyHasIsTheProgramsEvent) {
  auto s = world.engine().accounts().signIn("okand", "fel-lösenord-igen");
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, ErrorCode::kUnauthenticated);
  EXPECT_EQ(world.auditCount("session.sign_in_failed", "system"), 1);
  EXPECT_EQ(world.auditCount("session.sign_in_failed", "okand"), 0);
}

TEST_F(Audit, EveryChangeOfOneRequestHasOneInstant) {
  std::int64_t id = world.registerReference();
  auto events = world.engine().diarium().history(id, Viewer::system());
  ASSERT_OK(events);
  ASSERT_FALSE(events->empty());
  auto c = world.engine().diarium().getCase(id);
  ASSERT_OK(c);
  EXPECT_EQ(events->front().action, "case.register");
  EXPECT_EQ(events->front().at, c->registered_at);
}

}  // namespace
}  // namespace kansli::testing
