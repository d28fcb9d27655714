// Failed sign-ins lock the account for a while (AccountOptions: 5 failures,
// 15 minutes), as audit events; common passwords are refused when a user is
// added. Time moves only by the test clock.
#include <sqlite3.h>

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
  // Audit events with this action, read from the store's file (read-only).
  int auditCount(const std::string& action) {
    sqlite3* db = nullptr;
    std::string path = server.dataDir() + "/kansli.db";
    EXPECT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(db, "SELECT count(*) FROM audit_events WHERE action = ?", -1, &st, nullptr);
    sqlite3_bind_text(st, 1, action.c_str(), -1, SQLITE_TRANSIENT);
    int n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
  }

  TestServer server;
  Client rita = server.as("rita", Role::kRegistrator);
  const std::string right = "ett-långt-lösenord-rita";
};

TEST_F(SecurityLockout, FiveFailuresLockTheAccountEvenForTheRightPassword) {
  for (int i = 0; i < 5; ++i) EXPECT_EQ(signIn("fel-lösenord-" + std::to_string(i)).status, 401);
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
  for (int i = 0; i < 5; ++i) ASSERT_EQ(signIn("fel").status, 401);
  server.clock().advance(std::chrono::minutes(14));
  EXPECT_EQ(signIn(right).status, 429);
  server.clock().advance(std::chrono::minutes(1));
  auto r = signIn(right);
  EXPECT_EQ(r.status, 201) << r.body;
}

TEST_F(SecurityLockout, AfterTheLockANewRoundOfTriesBegins) {
  for (int i = 0; i < 5; ++i) ASSERT_EQ(signIn("fel").status, 401);
  server.clock().advance(std::chrono::minutes(15));
  for (int i = 0; i < 4; ++i) EXPECT_EQ(signIn("fel").status, 401);
  EXPECT_EQ(signIn(right).status, 201);
  EXPECT_EQ(auditCount("user.locked"), 1);
}

TEST_F(SecurityLockout, ASuccessfulSignInResetsTheCount) {
  for (int i = 0; i < 4; ++i) ASSERT_EQ(signIn("fel").status, 401);
  ASSERT_EQ(signIn(right).status, 201);
  for (int i = 0; i < 4; ++i) ASSERT_EQ(signIn("fel").status, 401);
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
    auto u = server.service().accounts().addUser({"ny", "Ny", Role::kLedamot, {}, {}}, p, {"test", "admin"});
    ASSERT_FALSE(u) << p;
    EXPECT_EQ(u.error().code, ErrorCode::kInvalidInput) << p;
    ASSERT_FALSE(u.error().fields.empty());
    EXPECT_EQ(u.error().fields[0].field, "password");
    EXPECT_NE(u.error().fields[0].message.find("för vanligt"), std::string::npos);
  }
  EXPECT_OK(server.service().accounts().addUser({"ny", "Ny", Role::kLedamot, {}, {}},
                                                "korrekt-häst-batteri-häftstift", {"test", "admin"}));
}

}  // namespace
}  // namespace kansli::testing
