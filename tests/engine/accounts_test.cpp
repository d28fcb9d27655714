// Accounts without a server: sign-in, tokens, lockout and disabling.
#include <gtest/gtest.h>

#include "testing/engine_world.h"

namespace kansli::testing {
namespace {

class AccountsEngine : public ::testing::Test {
 protected:
  Accounts& accounts() { return world.engine().accounts(); }
  const std::string password = "ett-långt-lösenord-handlaggare";
  EngineWorld world;
};

TEST_F(AccountsEngine, ASessionSignsInAndOut) {
  auto s = accounts().signIn("handlaggare", password);
  ASSERT_OK(s);
  auto u = accounts().authenticate(s->token);
  ASSERT_OK(u);
  EXPECT_EQ(u->username, "handlaggare");
  EXPECT_EQ(u->unit, "bfe-kvalitet");
  ASSERT_OK(accounts().signOut(s->token));
  auto after = accounts().authenticate(s->token);
  ASSERT_FALSE(after);
  EXPECT_EQ(after.error().code, ErrorCode::kUnauthenticated);
  EXPECT_EQ(world.auditCount("session.sign_out", "handlaggare"), 1);
}

TEST_F(AccountsEngine, AWrongPasswordSaysNothingAboutTheName) {
  auto wrong = accounts().signIn("handlaggare", "fel-lösenord-123");
  auto unknown = accounts().signIn("ingen", "fel-lösenord-123");
  ASSERT_FALSE(wrong);
  ASSERT_FALSE(unknown);
  EXPECT_EQ(wrong.error().message, unknown.error().message);
}

TEST_F(AccountsEngine, RepeatedFailuresLockTheAccountEvenForTheRightPassword) {
  for (int i = 0; i < 5; ++i) {
    (void)accounts().signIn("handlaggare", "fel-lösenord-123");
    world.clock().advance(std::chrono::minutes(1));  // past each slow-down
  }
  auto locked = accounts().signIn("handlaggare", password);
  ASSERT_FALSE(locked);
  EXPECT_EQ(locked.error().code, ErrorCode::kTooManyRequests);
  EXPECT_EQ(world.auditCount("user.locked", "handlaggare"), 1);
  world.clock().advance(std::chrono::minutes(16));
  EXPECT_OK(accounts().signIn("handlaggare", password));
}

TEST_F(AccountsEngine, DisablingEndsEverySessionAtOnce) {
  auto s = accounts().signIn("handlaggare", password);
  ASSERT_OK(s);
  ASSERT_OK(accounts().authenticate(s->token));  // cached from here on
  ASSERT_OK(accounts().setDisabled("handlaggare", true, world.admin.actor()));
  EXPECT_FALSE(accounts().authenticate(s->token));
  EXPECT_FALSE(accounts().signIn("handlaggare", password));
  auto self = accounts().setDisabled("admin", true, world.admin.actor());
  ASSERT_FALSE(self);
  EXPECT_EQ(self.error().code, ErrorCode::kConflict);
}

TEST_F(AccountsEngine, WeakPasswordsAreRefused) {
  for (const char* weak : {"kort", "aaaaaaaaaaaaaa", "lösenord1234"}) {
    auto u = accounts().addUser({"ny", "Ny", Role::kLedamot, {}, {}}, weak, world.admin.actor());
    ASSERT_FALSE(u) << weak;
    EXPECT_EQ(u.error().code, ErrorCode::kInvalidInput) << weak;
  }
}

}  // namespace
}  // namespace kansli::testing
