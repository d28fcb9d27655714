// Failed sign-ins slow down (after two free failures: wait 2 s, then 4 s)
// and then lock the account for a while (AccountOptions: 5 failures, 15
// minutes), as audit events; common passwords are refused when a user is
// added. Time moves only by the test clock.
#include <gtest/gtest.h>

#include "testing/api_server.h"

namespace kansli::testing {
namespace {

class SecurityLockout : public ::testing::Test {
 protected:
  HttpResult signIn(const std::string& password) {
    return server.client().post("/api/v1/session",
                                R"({"username":"rita","password":")" + password + R"("})");
  }
  int auditCount(const std::string& action) { return server.auditCount(action); }
  // A failed try after any slow-down has passed (the longest is 4 s).
  HttpResult failAfterWaiting() {
    server.clock().advance(std::chrono::seconds(10));
    return signIn("fel");
  }

  TestServer server;
  Client rita = server.as("rita", Role::kRegistrator);
  const std::string right = "ett-långt-lösenord-rita";
};

TEST_F(SecurityLockout, FiveFailuresLockTheAccountEvenForTheRightPassword) {
  for (int i = 0; i < 5; ++i) EXPECT_EQ(failAfterWaiting().status, 401);
  EXPECT_EQ(auditCount("user.locked"), 1);
  auto r = signIn(right);
  EXPECT_EQ(r.status, 429) << r.body;
  EXPECT_EQ(r.header("content-type").rfind("application/problem+json", 0), 0u);
  EXPECT_NE(r.json()->getValue<std::string>("detail").find("kontot är låst"), std::string::npos) << r.body;
  EXPECT_EQ(r.header("retry-after"), "900");
  EXPECT_EQ(auditCount("session.sign_in_locked"), 1);
  // The session that was already open is not ended by the lock.
  EXPECT_EQ(rita.get("/api/v1/me").status, 200);
}

TEST_F(SecurityLockout, TheLockEndsWhenThePeriodHasPassed) {
  for (int i = 0; i < 5; ++i) ASSERT_EQ(failAfterWaiting().status, 401);
  server.clock().advance(std::chrono::minutes(14));
  EXPECT_EQ(signIn(right).status, 429);
  server.clock().advance(std::chrono::minutes(1));
  auto r = signIn(right);
  EXPECT_EQ(r.status, 201) << r.body;
}

TEST_F(SecurityLockout, AfterTheLockANewRoundOfTriesBegins) {
  for (int i = 0; i < 5; ++i) ASSERT_EQ(failAfterWaiting().status, 401);
  server.clock().advance(std::chrono::minutes(15));
  for (int i = 0; i < 4; ++i) EXPECT_EQ(failAfterWaiting().status, 401);
  server.clock().advance(std::chrono::seconds(10));
  EXPECT_EQ(signIn(right).status, 201);
  EXPECT_EQ(auditCount("user.locked"), 1);
}

TEST_F(SecurityLockout, ASuccessfulSignInResetsTheCount) {
  for (int i = 0; i < 4; ++i) ASSERT_EQ(failAfterWaiting().status, 401);
  server.clock().advance(std::chrono::seconds(10));
  ASSERT_EQ(signIn(right).status, 201);
  // The count starts again: two free failures, no wait before the next.
  ASSERT_EQ(signIn("fel").status, 401);
  ASSERT_EQ(signIn("fel").status, 401);
  EXPECT_EQ(signIn(right).status, 201);
  EXPECT_EQ(auditCount("user.locked"), 0);
}

TEST_F(SecurityLockout, RepeatedFailuresSlowDownBeforeTheLock) {
  // Two typos cost nothing.
  EXPECT_EQ(signIn("fel").status, 401);
  EXPECT_EQ(signIn("fel").status, 401);
  // The third failure makes the account wait 2 s; a try within them is 429,
  // even with the right password, and does not count as a failure.
  EXPECT_EQ(signIn("fel").status, 401);
  auto r = signIn(right);
  EXPECT_EQ(r.status, 429) << r.body;
  EXPECT_EQ(r.header("retry-after"), "2");
  EXPECT_NE(r.json()->getValue<std::string>("detail").find("vänta 2 sekunder"), std::string::npos)
      << r.body;
  EXPECT_EQ(auditCount("session.sign_in_too_soon"), 1);
  server.clock().advance(std::chrono::seconds(2));
  // The fourth failure doubles the wait.
  EXPECT_EQ(signIn("fel").status, 401);
  server.clock().advance(std::chrono::seconds(3));
  r = signIn(right);
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(r.header("retry-after"), "1");
  server.clock().advance(std::chrono::seconds(1));
  EXPECT_EQ(signIn(right).status, 201);
  EXPECT_EQ(auditCount("user.locked"), 0);
}

TEST_F(SecurityLockout, UnknownUsersAnswerAsBeforeAndLockNothing) {
  for (int i = 0; i < 8; ++i) {
    auto r = server.client().post("/api/v1/session", R"({"username":"okand","password":"x"})");
    EXPECT_EQ(r.status, 401);
  }
  EXPECT_EQ(auditCount("user.locked"), 0);
  EXPECT_EQ(signIn(right).status, 201);
}

TEST_F(SecurityLockout, CommonPasswordsAreRefused) {
  for (const char* p : {"Password1234", "lösenord1234", "QWERTYUIOP12", "aaaaaaaaaaaaaa", "123456789012"}) {
    auto u = server.service().accounts().addUser({"ny", "Ny", Role::kLedamot, {}, {}}, p, audit::Actor::system());
    ASSERT_FALSE(u) << p;
    EXPECT_EQ(u.error().code, ErrorCode::kInvalidInput) << p;
    ASSERT_FALSE(u.error().fields.empty());
    EXPECT_EQ(u.error().fields[0].field, "password");
    EXPECT_NE(u.error().fields[0].message.find("för vanligt"), std::string::npos);
  }
  EXPECT_OK(server.service().accounts().addUser({"ny", "Ny", Role::kLedamot, {}, {}},
                                                "korrekt-häst-batteri-häftstift", audit::Actor::system()));
}

}  // namespace
}  // namespace kansli::testing
