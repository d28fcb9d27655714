// Browser sessions and their end: the HttpOnly cookie with its CSRF token,
// sign-out, expiry, and an administrator disabling a user (every open session
// ends at once, also one the token cache remembers). Over real HTTP.
#include <gtest/gtest.h>

#include "testing/api_server.h"

namespace kansli::testing {
namespace {

using namespace std::chrono_literals;

const std::string kCase =
    R"j({"committee":"SOCN","kind":"politikerinitiativ","subject":"Ett ärende",)j"
    R"j("received":"2020-08-25","senders":[{"name":"Andreas Falk","party":"S"}]})j";

// A browser: the session cookie it was given and the CSRF token the page holds.
struct Browser {
  Client http;
  std::string cookie;  // "kansli_session=..."
  std::string csrf;

  HttpResult send(const std::string& method, const std::string& path, const std::string& body = "",
                  bool with_csrf = true) const {
    std::map<std::string, std::string> h{{"Cookie", cookie}};
    if (!body.empty()) h["Content-Type"] = "application/json";
    if (with_csrf) h["X-CSRF-Token"] = csrf;
    return http.request(method, path, body, h);
  }
};

class Sessions : public ::testing::Test {
 protected:
  Browser signInByCookie(const std::string& username) {
    auto r = server.client().post(
        "/api/v1/session", R"({"username":")" + username + R"(","password":"ett-långt-lösenord-)" +
                               username + R"(","cookie":true})");
    EXPECT_EQ(r.status, 201) << r.body;
    std::string set_cookie = r.header("set-cookie");
    auto body = r.json();
    Browser b{server.client(), set_cookie.substr(0, set_cookie.find(';')),
              body->optValue<std::string>("csrf_token", "")};
    return b;
  }

  TestServer server;
  Client rita = server.as("rita", Role::kRegistrator);
  Client admin = server.as("ada", Role::kAdmin);
};

TEST_F(Sessions, CookieSignInGivesAnHttpOnlyStrictCookieAndNoTokenInTheBody) {
  auto r = server.client().post(
      "/api/v1/session", R"({"username":"rita","password":"ett-långt-lösenord-rita","cookie":true})");
  ASSERT_EQ(r.status, 201) << r.body;
  std::string c = r.header("set-cookie");
  EXPECT_EQ(c.rfind("kansli_session=", 0), 0u) << c;
  EXPECT_NE(c.find("; HttpOnly"), std::string::npos) << c;
  EXPECT_NE(c.find("; SameSite=Strict"), std::string::npos) << c;
  EXPECT_NE(c.find("; Path=/"), std::string::npos) << c;
  EXPECT_NE(c.find("; Max-Age=28800"), std::string::npos) << c;  // the session's 8 hours
  EXPECT_EQ(c.find("Secure"), std::string::npos) << "no TLS here: " << c;
  auto body = r.json();
  EXPECT_FALSE(body->has("token")) << "scripts must not see the session token";
  EXPECT_EQ(body->getValue<std::string>("csrf_token").size(), 64u);
  EXPECT_EQ(r.header("cache-control"), "no-store");
  // A bearer sign-in sets no cookie.
  auto bearer = server.client().post("/api/v1/session",
                                     R"({"username":"rita","password":"ett-långt-lösenord-rita"})");
  EXPECT_EQ(bearer.header("set-cookie"), "");
  EXPECT_TRUE(bearer.json()->has("token"));
  // "cookie" must be a boolean.
  auto bad = server.client().post(
      "/api/v1/session", R"({"username":"rita","password":"ett-långt-lösenord-rita","cookie":"ja"})");
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("\"cookie\""), std::string::npos) << bad.body;
}

TEST_F(Sessions, TheCookieSignsInAndAReloadedPageLearnsItsCsrfTokenAgain) {
  Browser b = signInByCookie("rita");
  auto me = b.send("GET", "/api/v1/me", "", /*with_csrf=*/false);
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(me.json()->getValue<std::string>("username"), "rita");
  EXPECT_EQ(me.json()->getValue<std::string>("csrf_token"), b.csrf);
  // Bearer callers have no CSRF token to learn.
  EXPECT_FALSE(rita.get("/api/v1/me").json()->has("csrf_token"));
}

TEST_F(Sessions, AChangeByCookieWithoutTheCsrfTokenIsRefusedAndChangesNothing) {
  Browser b = signInByCookie("rita");
  auto before = rita.get("/api/v1/cases").json()->getArray("items")->size();

  auto none = b.send("POST", "/api/v1/cases", kCase, /*with_csrf=*/false);
  EXPECT_EQ(none.status, 403) << none.body;
  EXPECT_NE(none.body.find("CSRF"), std::string::npos) << none.body;
  Browser forged = b;
  forged.csrf = std::string(64, 'a');
  EXPECT_EQ(forged.send("POST", "/api/v1/cases", kCase).status, 403);
  // Another session's CSRF token does not fit this cookie.
  Browser other = signInByCookie("rita");
  forged.csrf = other.csrf;
  EXPECT_EQ(forged.send("POST", "/api/v1/cases", kCase).status, 403);
  EXPECT_EQ(rita.get("/api/v1/cases").json()->getArray("items")->size(), before);
  EXPECT_EQ(server.auditCount("access.refused"), 3);

  auto ok = b.send("POST", "/api/v1/cases", kCase);
  EXPECT_EQ(ok.status, 201) << ok.body;
  // Bearer tokens are never sent by a browser on its own: no CSRF token needed.
  EXPECT_EQ(rita.post("/api/v1/cases", kCase).status, 201);
}

TEST_F(Sessions, SignOutByCookieEndsTheSessionAndClearsTheCookie) {
  Browser b = signInByCookie("rita");
  ASSERT_EQ(b.send("GET", "/api/v1/me").status, 200);
  EXPECT_EQ(b.send("DELETE", "/api/v1/session", "", /*with_csrf=*/false).status, 403);
  auto out = b.send("DELETE", "/api/v1/session");
  EXPECT_EQ(out.status, 204) << out.body;
  EXPECT_NE(out.header("set-cookie").find("kansli_session=; Path=/; Max-Age=0"), std::string::npos)
      << out.header("set-cookie");
  auto after = b.send("GET", "/api/v1/me");
  EXPECT_EQ(after.status, 401);
  // The dead cookie is cleared on the browser, too.
  EXPECT_NE(after.header("set-cookie").find("Max-Age=0"), std::string::npos);
  // Public pages do not mind a stale cookie.
  EXPECT_EQ(b.send("GET", "/api/v1/public/anslag").status, 200);
}

TEST_F(Sessions, CookieSessionsExpireLikeTokens) {
  Browser b = signInByCookie("rita");
  server.clock().advance(8h - 1s);
  EXPECT_EQ(b.send("GET", "/api/v1/me").status, 200);
  server.clock().advance(1s);
  EXPECT_EQ(b.send("GET", "/api/v1/me").status, 401);
}

TEST_F(Sessions, DisablingAUserEndsEveryOpenSessionAtOnce) {
  Browser b = signInByCookie("rita");
  // Both sessions are in use (and so remembered by the token cache).
  ASSERT_EQ(rita.get("/api/v1/me").status, 200);
  ASSERT_EQ(b.send("GET", "/api/v1/me").status, 200);

  auto r = admin.request("PATCH", "/api/v1/users/rita", R"({"disabled":true})",
                         {{"Content-Type", "application/json"}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(r.json()->getValue<bool>("disabled"));
  EXPECT_EQ(rita.get("/api/v1/me").status, 401);
  EXPECT_EQ(b.send("GET", "/api/v1/me").status, 401);
  EXPECT_EQ(server.client()
                .post("/api/v1/session", R"({"username":"rita","password":"ett-långt-lösenord-rita"})")
                .status,
            401);
  EXPECT_EQ(server.auditCount("user.disable"), 1);

  // Enabled again, she signs in anew; the ended sessions stay ended.
  r = admin.request("PATCH", "/api/v1/users/rita", R"({"disabled":false})",
                    {{"Content-Type", "application/json"}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(server.auditCount("user.enable"), 1);
  EXPECT_EQ(rita.get("/api/v1/me").status, 401);
  EXPECT_EQ(server.client()
                .post("/api/v1/session", R"({"username":"rita","password":"ett-långt-lösenord-rita"})")
                .status,
            201);
}

TEST_F(Sessions, OnlyAdminsManageUsersAndNotThemselvesOutOfExistence) {
  auto refused = rita.request("PATCH", "/api/v1/users/ada", R"({"disabled":true})",
                              {{"Content-Type", "application/json"}});
  EXPECT_EQ(refused.status, 403);
  EXPECT_EQ(server.auditCount("access.refused"), 1);
  EXPECT_EQ(rita.get("/api/v1/users").status, 403);

  auto self = admin.request("PATCH", "/api/v1/users/ada", R"({"disabled":true})",
                            {{"Content-Type", "application/json"}});
  EXPECT_EQ(self.status, 409) << self.body;
  auto unknown = admin.request("PATCH", "/api/v1/users/ingen", R"({"disabled":true})",
                               {{"Content-Type", "application/json"}});
  EXPECT_EQ(unknown.status, 404);
  auto no_field = admin.request("PATCH", "/api/v1/users/rita", R"({"disabled":"ja"})",
                                {{"Content-Type", "application/json"}});
  EXPECT_EQ(no_field.status, 400);

  auto list = admin.get("/api/v1/users");
  ASSERT_EQ(list.status, 200);
  // No password or hash (the flag must_change_password says only that one is due).
  EXPECT_EQ(list.body.find("\"password\""), std::string::npos) << list.body;
  EXPECT_EQ(list.body.find("password_hash"), std::string::npos) << list.body;
  EXPECT_EQ(list.body.find("pbkdf2"), std::string::npos) << list.body;
}

TEST_F(Sessions, AnAdminAddsUsersWithCheckedRolesUnitsAndPasswords) {
  auto bad = admin.post("/api/v1/users",
                        R"({"username":"hanna","role":"chef","unit":"ingen-enhet",)"
                        R"("committee":"XN","password":"lösenord1234"})");
  ASSERT_EQ(bad.status, 400) << bad.body;
  for (const char* field : {"\"role\"", "\"unit\"", "\"committee\""}) {
    EXPECT_NE(bad.body.find(field), std::string::npos) << field << " in " << bad.body;
  }
  auto weak = admin.post("/api/v1/users",
                         R"({"username":"hanna","role":"handlaggare","password":"lösenord1234"})");
  EXPECT_EQ(weak.status, 400);
  EXPECT_NE(weak.body.find("för vanligt"), std::string::npos) << weak.body;
  auto ok = admin.post("/api/v1/users",
                       R"({"username":"hanna","name":"Hanna Handläggare","role":"handlaggare",)"
                       R"("unit":"bfe","password":"korrekt-häst-batteri"})");
  ASSERT_EQ(ok.status, 201) << ok.body;
  EXPECT_EQ(ok.header("location"), "/api/v1/users/hanna");
  EXPECT_EQ(server.client()
                .post("/api/v1/session", R"({"username":"hanna","password":"korrekt-häst-batteri"})")
                .status,
            201);
}

}  // namespace
}  // namespace kansli::testing
