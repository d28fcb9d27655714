// The user directory and the administration of users over real HTTP: the
// directory fields (name, title, e-mail, telephone) an administrator sets and
// every user sees of themself.
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

}  // namespace
}  // namespace kansli::testing
