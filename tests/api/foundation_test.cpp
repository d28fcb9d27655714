// The service's skeleton over real HTTP: health, sign-in, tokens, the shape of
// every error, limits.
#include <gtest/gtest.h>

#include <Poco/Net/StreamSocket.h>

#include "kansli/text.h"
#include "testing/api_server.h"

namespace kansli::testing {
namespace {

using namespace std::chrono_literals;

class Foundation : public ::testing::Test {
 protected:
  TestServer server;
};

void expectProblem(const HttpResult& r, int status) {
  EXPECT_EQ(r.status, status) << r.body;
  EXPECT_EQ(r.header("content-type").rfind("application/problem+json", 0), 0u) << r.body;
  auto p = r.json();
  EXPECT_EQ(p->getValue<int>("status"), status);
  EXPECT_FALSE(p->getValue<std::string>("title").empty());
  EXPECT_FALSE(p->getValue<std::string>("detail").empty());
}

TEST_F(Foundation, HealthAnswersOk) {
  auto r = server.client().get("/health");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.json()->getValue<std::string>("status"), "ok");
  EXPECT_EQ(r.header("x-content-type-options"), "nosniff");
  EXPECT_FALSE(r.header("x-request-id").empty());
}

TEST_F(Foundation, MetricsCountRequestsByRouteAndStatus) {
  auto c = server.client();
  c.get("/health");
  c.get("/api/v1/me");
  auto r = server.as("ada", Role::kAdmin).get("/metrics");
  ASSERT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("kansli_http_requests_total{method=\"GET\",route=\"/health\",status=\"200\"} 1"),
            std::string::npos) << r.body;
  EXPECT_NE(r.body.find("route=\"/api/v1/me\",status=\"401\""), std::string::npos);
  EXPECT_NE(r.body.find("kansli_http_request_duration_seconds_bucket{le=\"+Inf\"}"), std::string::npos);
  EXPECT_NE(r.body.find("kansli_db_size_bytes "), std::string::npos);
}

TEST_F(Foundation, ApiNeedsAToken) {
  auto r = server.client().get("/api/v1/me");
  expectProblem(r, 401);
  EXPECT_EQ(r.header("www-authenticate"), "Bearer");
}

TEST_F(Foundation, SignInWithTheRightPasswordGivesAWorkingToken) {
  auto c = server.as("nina", Role::kHandlaggare, "bfe");
  auto me = c.get("/api/v1/me");
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(me.json()->getValue<std::string>("username"), "nina");
  EXPECT_EQ(me.json()->getValue<std::string>("role"), "handlaggare");
  EXPECT_EQ(me.json()->getValue<std::string>("unit"), "bfe");
}

TEST_F(Foundation, SignInAnswersWithTokenAndExpiry) {
  ASSERT_OK(server.service().accounts().addUser({"rita", "Rita", Role::kRegistrator, {}, {}},
                                                "korrekt-häst-batteri", audit::Actor::system()));
  auto r = server.client().post("/api/v1/session",
                                R"({"username":"rita","password":"korrekt-häst-batteri"})");
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_GE(r.json()->getValue<std::string>("token").size(), 40u);
  EXPECT_EQ(r.json()->getValue<std::string>("expires"), "2020-10-05T16:00:00Z");
}

TEST_F(Foundation, WrongPasswordAndUnknownUserLookTheSame) {
  ASSERT_OK(server.service().accounts().addUser({"rita", "Rita", Role::kRegistrator, {}, {}},
                                                "korrekt-häst-batteri", audit::Actor::system()));
  auto wrong = server.client().post("/api/v1/session", R"({"username":"rita","password":"fel"})");
  auto unknown =
      server.client().post("/api/v1/session", R"({"username":"ingen","password":"fel"})");
  expectProblem(wrong, 401);
  expectProblem(unknown, 401);
  EXPECT_EQ(wrong.json()->getValue<std::string>("detail"),
            unknown.json()->getValue<std::string>("detail"));
}

TEST_F(Foundation, ExpiredTokenIsRefused) {
  auto c = server.as("nina", Role::kHandlaggare);
  ASSERT_EQ(c.get("/api/v1/me").status, 200);
  server.clock().advance(8h + 1s);
  expectProblem(c.get("/api/v1/me"), 401);
}

TEST_F(Foundation, SignedOutTokenIsRefused) {
  auto c = server.as("nina", Role::kHandlaggare);
  ASSERT_EQ(c.request("DELETE", "/api/v1/session").status, 204);
  expectProblem(c.get("/api/v1/me"), 401);
}

TEST_F(Foundation, GarbageTokenIsRefused) {
  auto c = server.client();
  c.setToken("inte-en-riktig-token");
  expectProblem(c.get("/api/v1/me"), 401);
}

TEST_F(Foundation, MalformedJsonIs400AndServerStaysUp) {
  auto r = server.client().post("/api/v1/session", "{\"username\": ");
  expectProblem(r, 400);
  EXPECT_EQ(server.client().get("/health").status, 200);
}

TEST_F(Foundation, MissingFieldsAreNamed) {
  auto r = server.client().post("/api/v1/session", "{}");
  expectProblem(r, 400);
  auto errors = r.json()->getArray("errors");
  ASSERT_EQ(errors->size(), 2u);
  EXPECT_EQ(errors->getObject(0)->getValue<std::string>("field"), "username");
  EXPECT_EQ(errors->getObject(1)->getValue<std::string>("field"), "password");
}

TEST_F(Foundation, UnknownRouteIs404WrongMethodIs405) {
  expectProblem(server.client().get("/api/v1/finns-inte"), 404);
  auto r = server.client().request("PUT", "/health", "x");
  expectProblem(r, 405);
  EXPECT_EQ(r.header("allow"), "GET, HEAD");  // HEAD wherever GET is (RFC 9110 9.3.2)
}

TEST_F(Foundation, OversizedBodyIs413BeforeItIsRead) {
  // Only the headers are sent: the server must refuse on the declared length
  // without waiting for (or buffering) the body.
  Poco::Net::StreamSocket sock(Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(server.port())));
  std::string head =
      "POST /api/v1/session HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
      "Content-Length: 2097152\r\n\r\n";
  sock.sendBytes(head.data(), static_cast<int>(head.size()));
  char buf[4096];
  int n = sock.receiveBytes(buf, sizeof buf);
  std::string answer(buf, static_cast<size_t>(std::max(n, 0)));
  EXPECT_EQ(answer.rfind("HTTP/1.1 413", 0), 0u) << answer;
  EXPECT_NE(answer.find("application/problem+json"), std::string::npos);
  EXPECT_EQ(server.client().get("/health").status, 200);
}

TEST_F(Foundation, InvalidUtf8Is400) {
  expectProblem(server.client().post("/api/v1/session", "{\"username\":\"\xff\xfe\"}"), 400);
}

// Found by json_body_fuzz: the parser's message quoted the first byte of "å",
// and the problem+json answer was itself invalid UTF-8.
TEST_F(Foundation, MalformedJsonStartingWithAMultibyteCharacterGetsAValidUtf8Problem) {
  auto r = server.client().post("/api/v1/session", "\xC3\xA5tg\xC3\xA4rder\"}");
  expectProblem(r, 400);
  EXPECT_TRUE(text::isValidUtf8(r.body)) << r.body;
  EXPECT_NE(r.json()->getValue<std::string>("detail").find("\\xC3"), std::string::npos) << r.body;
}

TEST_F(Foundation, DeepJsonIsRefused) {
  std::string deep(200, '[');
  deep += std::string(200, ']');
  expectProblem(server.client().post("/api/v1/session", "{\"a\":" + deep + "}"), 400);
}

TEST_F(Foundation, SignInsAreAuditEvents) {
  server.as("nina", Role::kHandlaggare);
  server.client().post("/api/v1/session", R"({"username":"nina","password":"fel-lösenord"})");
  auto report = server.engine().database().verifyAudit();
  ASSERT_OK(report);
  EXPECT_EQ(report->events_checked, 3) << "user.add, session.sign_in, session.sign_in_failed";
  EXPECT_FALSE(report->first_problem);
}

}  // namespace
}  // namespace kansli::testing
