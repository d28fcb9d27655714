// The user directory and the administration of users over real HTTP: the
// directory fields (name, title, e-mail, telephone) an administrator sets and
// every user sees of themself; editing users, one-time passwords at creation
// and reset, every user's own password and sessions, and the read routes the
// web client's pickers use (people, units, the OSL provisions).
#include <gtest/gtest.h>

#include <Poco/JSON/Array.h>

#include <set>

#include "testing/api_server.h"

namespace kansli::testing {
namespace {

class Users : public ::testing::Test {
 protected:
  HttpResult patch(const Client& c, const std::string& path, const std::string& body) {
    return c.request("PATCH", path, body, {{"Content-Type", "application/json"}});
  }
  Poco::JSON::Object::Ptr listed(const std::string& username) {
    auto list = admin.get("/api/v1/users");
    EXPECT_EQ(list.status, 200) << list.body;
    auto items = list.json()->getArray("items");
    for (size_t i = 0; i < items->size(); ++i) {
      auto u = items->getObject(static_cast<unsigned>(i));
      if (u->getValue<std::string>("username") == username) return u;
    }
    ADD_FAILURE() << username << " is not listed: " << list.body;
    return new Poco::JSON::Object;
  }

  TestServer server;
  Client admin = server.as("ada", Role::kAdmin);
};

TEST_F(Users, TheDirectoryFieldsAreKeptAndShownToTheAdminAndInMe) {
  auto added = admin.post(
      "/api/v1/users",
      R"({"username":"nina","name":"Nina Vallin Nielsen","title":"Kvalitetsutvecklare",)"
      R"("email":"nina.vallin.nielsen@nacka.se","phone":"+46 8-718 80 00","role":"handlaggare",)"
      R"("unit":"bfe-kvalitet","password":"korrekt-häst-batteri"})");
  ASSERT_EQ(added.status, 201) << added.body;
  EXPECT_EQ(added.json()->getValue<std::string>("title"), "Kvalitetsutvecklare");

  auto u = listed("nina");
  EXPECT_EQ(u->getValue<std::string>("name"), "Nina Vallin Nielsen");
  EXPECT_EQ(u->getValue<std::string>("title"), "Kvalitetsutvecklare");
  EXPECT_EQ(u->getValue<std::string>("email"), "nina.vallin.nielsen@nacka.se");
  EXPECT_EQ(u->getValue<std::string>("phone"), "+46 8-718 80 00");

  Client nina = server.client();
  auto s = nina.post("/api/v1/session",
                     R"({"username":"nina","password":"korrekt-häst-batteri"})");
  ASSERT_EQ(s.status, 201) << s.body;
  EXPECT_EQ(s.json()->getObject("user")->getValue<std::string>("title"), "Kvalitetsutvecklare");
  nina.setToken(s.json()->getValue<std::string>("token"));
  auto me = nina.get("/api/v1/me");
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(me.json()->getValue<std::string>("name"), "Nina Vallin Nielsen");
  EXPECT_EQ(me.json()->getValue<std::string>("email"), "nina.vallin.nielsen@nacka.se");
  EXPECT_EQ(me.json()->getValue<std::string>("phone"), "+46 8-718 80 00");

  // A user added without them has them empty, not missing.
  ASSERT_EQ(admin.post("/api/v1/users", R"({"username":"rita","role":"registrator",)"
                                        R"("password":"korrekt-häst-batteri"})")
                .status,
            201);
  auto rita = listed("rita");
  EXPECT_EQ(rita->getValue<std::string>("title"), "");
  EXPECT_EQ(rita->getValue<std::string>("email"), "");
}

TEST_F(Users, BadDirectoryFieldsAreNamedAndAddNobody) {
  auto bad = admin.post(
      "/api/v1/users",
      "{\"username\":\"nils\",\"role\":\"handlaggare\",\"password\":\"korrekt-häst-batteri\","
      "\"name\":\"Nils\\u0007\",\"email\":\"nils@nacka\",\"phone\":\"ring mig\"}");
  ASSERT_EQ(bad.status, 400) << bad.body;
  auto errors = bad.json()->getArray("errors");
  std::set<std::string> fields;
  for (size_t i = 0; i < errors->size(); ++i) {
    fields.insert(errors->getObject(static_cast<unsigned>(i))->getValue<std::string>("field"));
  }
  EXPECT_EQ(fields, (std::set<std::string>{"name", "email", "phone"})) << bad.body;
  EXPECT_NE(bad.body.find("namn@exempel.se"), std::string::npos) << bad.body;
  for (const char* email : {"a@b", "@nacka.se", "a b@nacka.se", "a@@nacka.se", "a@nacka.",
                            "<a@nacka.se>"}) {
    auto r = admin.post("/api/v1/users",
                        std::string(R"({"username":"nils","role":"handlaggare",)") +
                            R"("password":"korrekt-häst-batteri","email":")" + email + "\"}");
    EXPECT_EQ(r.status, 400) << email << ": " << r.body;
  }
  auto list = admin.get("/api/v1/users");
  EXPECT_EQ(list.body.find("\"nils\""), std::string::npos) << list.body;
}

TEST_F(Users, AnAdminEditsTheDirectoryRoleUnitAndCommitteeAndEachChangeIsAudited) {
  auto nina = server.as("nina", Role::kHandlaggare, "bfe");
  auto r = patch(admin, "/api/v1/users/nina",
                 R"({"name":"Nina Vallin Nielsen","title":"Kvalitetsutvecklare","email":"nina@nacka.se",)"
                 R"("phone":"08-718 80 00","unit":"bfe-kvalitet"})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()->getValue<std::string>("unit"), "bfe-kvalitet");
  EXPECT_EQ(r.json()->getValue<std::string>("title"), "Kvalitetsutvecklare");
  EXPECT_EQ(server.auditCount("user.update"), 1);
  // The new unit applies at once, also to a session the token cache remembers.
  auto me = nina.get("/api/v1/me");
  ASSERT_EQ(me.status, 200);
  EXPECT_EQ(me.json()->getValue<std::string>("unit"), "bfe-kvalitet");

  // A role and a committee; null clears the unit.
  r = patch(admin, "/api/v1/users/nina", R"({"role":"namndsekreterare","unit":null,"committee":"SOCN"})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_FALSE(r.json()->has("unit"));
  EXPECT_EQ(r.json()->getValue<std::string>("committee"), "SOCN");
  EXPECT_EQ(nina.get("/api/v1/me").json()->getValue<std::string>("role"), "namndsekreterare");
  EXPECT_EQ(server.auditCount("user.update"), 2);

  // Nothing changed: no event.
  r = patch(admin, "/api/v1/users/nina", R"({"title":"Kvalitetsutvecklare"})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(server.auditCount("user.update"), 2);

  // Refused, naming the fields, changing nothing.
  r = patch(admin, "/api/v1/users/nina",
            R"({"role":"kung","unit":"ingen","committee":"XN","email":"nina"})");
  ASSERT_EQ(r.status, 400) << r.body;
  for (const char* f : {"\"role\"", "\"unit\"", "\"committee\""}) {
    EXPECT_NE(r.body.find(f), std::string::npos) << f << " in " << r.body;
  }
  r = patch(admin, "/api/v1/users/nina", R"({"email":"nina"})");
  EXPECT_EQ(r.status, 400) << r.body;
  r = patch(admin, "/api/v1/users/nina", R"({"name":""})");
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(patch(admin, "/api/v1/users/ingen", R"({"title":"x"})").status, 404);
  EXPECT_EQ(patch(admin, "/api/v1/users/nina", "{}").status, 400);
  EXPECT_EQ(server.auditCount("user.update"), 2);
  // An admin keeps their own role.
  EXPECT_EQ(patch(admin, "/api/v1/users/ada", R"({"role":"registrator"})").status, 409);
  // Only admins.
  EXPECT_EQ(patch(nina, "/api/v1/users/nina", R"({"role":"admin"})").status, 403);
}

TEST_F(Users, AddedWithoutAPasswordAUserGetsAOneTimePasswordToReplaceAtFirstSignIn) {
  auto added = admin.post("/api/v1/users",
                          R"({"username":"hanna","name":"Hanna Hedlund","role":"handlaggare","unit":"bfe"})");
  ASSERT_EQ(added.status, 201) << added.body;
  EXPECT_EQ(added.header("cache-control"), "no-store");
  EXPECT_TRUE(added.json()->getValue<bool>("must_change_password"));
  std::string otp = added.json()->getValue<std::string>("one_time_password");
  EXPECT_EQ(otp.size(), 19u) << otp;
  Client c = server.client();
  auto first = c.post("/api/v1/session", R"({"username":"hanna","password":")" + otp + R"("})");
  ASSERT_EQ(first.status, 403) << first.body;
  EXPECT_NE(first.body.find("\"new_password\""), std::string::npos) << first.body;
  EXPECT_EQ(first.body.find("token"), std::string::npos) << "no session without a new password";
  auto weak = c.post("/api/v1/session", R"({"username":"hanna","password":")" + otp +
                                            R"(","new_password":"lösenord1234"})");
  EXPECT_EQ(weak.status, 400) << weak.body;
  auto same = c.post("/api/v1/session", R"({"username":"hanna","password":")" + otp +
                                            R"(","new_password":")" + otp + R"("})");
  EXPECT_EQ(same.status, 400) << same.body;
  auto ok = c.post("/api/v1/session", R"({"username":"hanna","password":")" + otp +
                                          R"(","new_password":"vinterns-första-snö"})");
  ASSERT_EQ(ok.status, 201) << ok.body;
  EXPECT_EQ(server.auditCount("user.password_change"), 1);
  EXPECT_EQ(c.post("/api/v1/session", R"({"username":"hanna","password":")" + otp + R"("})").status, 401);
  EXPECT_EQ(c.post("/api/v1/session", R"({"username":"hanna","password":"vinterns-första-snö"})").status,
            201);
}

TEST_F(Users, APasswordResetGivesAOneTimePasswordAndEndsEverySession) {
  auto rita = server.as("rita", Role::kRegistrator);
  auto reset = admin.post("/api/v1/users/rita/password-reset", "{}");
  ASSERT_EQ(reset.status, 200) << reset.body;
  EXPECT_EQ(reset.header("cache-control"), "no-store");
  std::string otp = reset.json()->getValue<std::string>("one_time_password");
  EXPECT_EQ(rita.get("/api/v1/me").status, 401) << "every session of rita ended";
  EXPECT_EQ(server.auditCount("user.password_reset"), 1);
  Client c = server.client();
  EXPECT_EQ(c.post("/api/v1/session", R"({"username":"rita","password":"ett-långt-lösenord-rita"})").status,
            401);
  EXPECT_EQ(c.post("/api/v1/session", R"({"username":"rita","password":")" + otp + R"("})").status, 403);
  auto list = admin.get("/api/v1/users");
  EXPECT_NE(list.body.find("\"must_change_password\":true"), std::string::npos) << list.body;
  EXPECT_EQ(list.body.find(otp), std::string::npos) << "shown once";
  EXPECT_EQ(admin.post("/api/v1/users/ingen/password-reset", "{}").status, 404);
  EXPECT_EQ(rita.post("/api/v1/users/ada/password-reset", "{}").status, 401);
  auto other = server.as("nina", Role::kHandlaggare, "bfe");
  EXPECT_EQ(other.post("/api/v1/users/ada/password-reset", "{}").status, 403);
}

TEST_F(Users, EveryUserChangesTheirOwnPasswordWithTheCurrentOne) {
  auto rita = server.as("rita", Role::kRegistrator);
  auto elsewhere = server.as("rita", Role::kRegistrator);
  auto wrong = rita.post("/api/v1/me/password",
                         R"({"current_password":"fel-lösenord-här","new_password":"vinterns-första-snö"})");
  ASSERT_EQ(wrong.status, 400) << wrong.body;
  EXPECT_NE(wrong.body.find("\"current_password\""), std::string::npos) << wrong.body;
  EXPECT_EQ(server.auditCount("user.password_change_failed"), 1);
  auto weak = rita.post("/api/v1/me/password",
                        R"({"current_password":"ett-långt-lösenord-rita","new_password":"kort"})");
  ASSERT_EQ(weak.status, 400) << weak.body;
  EXPECT_NE(weak.body.find("\"new_password\""), std::string::npos) << weak.body;
  auto ok = rita.post("/api/v1/me/password",
                      R"({"current_password":"ett-långt-lösenord-rita","new_password":"vinterns-första-snö"})");
  ASSERT_EQ(ok.status, 204) << ok.body;
  EXPECT_EQ(server.auditCount("user.password_change"), 1);
  EXPECT_EQ(rita.get("/api/v1/me").status, 200) << "this session goes on";
  EXPECT_EQ(elsewhere.get("/api/v1/me").status, 401) << "the others end";
  Client c = server.client();
  EXPECT_EQ(c.post("/api/v1/session", R"({"username":"rita","password":"vinterns-första-snö"})").status,
            201);
  EXPECT_EQ(server.client().post("/api/v1/me/password", "{}").status, 401);
}

TEST_F(Users, WrongCurrentPasswordsAreThrottledLikeSignIns) {
  auto rita = server.as("rita", Role::kRegistrator);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(rita.post("/api/v1/me/password",
                        R"({"current_password":"fel-lösenord-här","new_password":"vinterns-första-snö"})")
                  .status,
              400);
  }
  // The third failure starts the slow-down: the next try within it is 429.
  auto slowed = rita.post("/api/v1/me/password",
                          R"({"current_password":"ett-långt-lösenord-rita","new_password":"vinterns-första-snö"})");
  EXPECT_EQ(slowed.status, 429) << slowed.body;
}

TEST_F(Users, EveryUserSeesTheirSessionsAndEndsOne) {
  auto rita = server.as("rita", Role::kRegistrator);
  auto phone = server.as("rita", Role::kRegistrator);
  auto nina = server.as("nina", Role::kHandlaggare, "bfe");
  auto list = rita.get("/api/v1/me/sessions");
  ASSERT_EQ(list.status, 200) << list.body;
  auto items = list.json()->getArray("items");
  ASSERT_EQ(items->size(), 2u) << list.body;
  std::string other;
  int current = 0;
  for (size_t i = 0; i < items->size(); ++i) {
    auto s = items->getObject(static_cast<unsigned>(i));
    EXPECT_EQ(s->getValue<std::string>("id").size(), 32u);
    EXPECT_FALSE(s->has("token_hash"));
    if (s->getValue<bool>("current")) {
      ++current;
    } else {
      other = s->getValue<std::string>("id");
    }
  }
  EXPECT_EQ(current, 1);
  EXPECT_EQ(list.body.find(rita.token()), std::string::npos);
  // Another user's session is not theirs to end: 404 as if it did not exist.
  auto ninas = nina.get("/api/v1/me/sessions").json()->getArray("items")->getObject(0)->getValue<std::string>("id");
  EXPECT_EQ(rita.request("DELETE", "/api/v1/me/sessions/" + ninas).status, 404);
  EXPECT_EQ(nina.get("/api/v1/me").status, 200);
  auto ended = rita.request("DELETE", "/api/v1/me/sessions/" + other);
  ASSERT_EQ(ended.status, 204) << ended.body;
  EXPECT_EQ(phone.get("/api/v1/me").status, 401);
  EXPECT_EQ(rita.get("/api/v1/me").status, 200);
  EXPECT_EQ(server.auditCount("session.end"), 1);
  EXPECT_EQ(rita.request("DELETE", "/api/v1/me/sessions/" + other).status, 404) << "ended already";
  EXPECT_EQ(rita.get("/api/v1/me/sessions").json()->getArray("items")->size(), 1u);
}

TEST_F(Users, ThePickersReadPeopleUnitsAndProvisionsByRoleUnitAndCommittee) {
  server.as("caroline", Role::kEnhetschef, "bfe");
  server.as("nina", Role::kHandlaggare, "bfe-kvalitet");
  server.as("erik", Role::kHandlaggare, "eeb");
  server.as("ordf", Role::kLedamot, {}, "SOCN");
  server.as("kalle", Role::kLedamot, {}, "KS");
  auto rita = server.as("rita", Role::kRegistrator);
  auto usernames = [](const HttpResult& r) {
    std::set<std::string> out;
    auto items = r.json()->getArray("items");
    for (size_t i = 0; i < items->size(); ++i) {
      out.insert(items->getObject(static_cast<unsigned>(i))->getValue<std::string>("username"));
    }
    return out;
  };
  auto officers = rita.get("/api/v1/people?role=handlaggare,enhetschef&unit=bfe");
  ASSERT_EQ(officers.status, 200) << officers.body;
  EXPECT_EQ(usernames(officers), (std::set<std::string>{"caroline", "nina"}))
      << "the unit and its sub-units, not eeb";
  EXPECT_EQ(officers.body.find("email"), std::string::npos) << "no contact details";
  EXPECT_EQ(usernames(rita.get("/api/v1/people?role=ledamot&committee=SOCN")),
            (std::set<std::string>{"ordf"}));
  EXPECT_EQ(rita.get("/api/v1/people?role=kung").status, 400);
  EXPECT_EQ(rita.get("/api/v1/people?unit=ingen").status, 400);
  EXPECT_EQ(rita.get("/api/v1/people?committee=XN").status, 400);
  // Disabled people stay in the directory (history keeps their names), marked.
  ASSERT_EQ(patch(admin, "/api/v1/users/erik", R"({"disabled":true})").status, 200);
  auto all = rita.get("/api/v1/people");
  EXPECT_NE(all.body.find(R"("username":"erik")"), std::string::npos);
  EXPECT_NE(all.body.find(R"("active":false)"), std::string::npos) << all.body;

  auto units = rita.get("/api/v1/units?committee=SOCN");
  ASSERT_EQ(units.status, 200) << units.body;
  EXPECT_NE(units.body.find("Barn- och familjeenheten, kvalitet och stöd"), std::string::npos);
  EXPECT_NE(units.body.find(R"("parent":"bfe")"), std::string::npos);
  EXPECT_EQ(units.body.find("kansli"), std::string::npos) << "only SOCN's";
  EXPECT_EQ(rita.get("/api/v1/units?committee=XN").status, 400);

  auto provisions = rita.get("/api/v1/secrecy-provisions");
  ASSERT_EQ(provisions.status, 200) << provisions.body;
  EXPECT_NE(provisions.body.find(R"("provision":"OSL 26 kap. 1 §")"), std::string::npos);
  EXPECT_NE(provisions.body.find("socialtjänsten"), std::string::npos);

  for (const char* path : {"/api/v1/people", "/api/v1/units", "/api/v1/secrecy-provisions"}) {
    EXPECT_EQ(server.client().get(path).status, 401) << path;
  }
}

}  // namespace
}  // namespace kansli::testing
