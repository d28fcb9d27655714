// #21: documents up to the upload limit (50 MiB unless told), as a raw upload
// with their own Content-Type, spooled to disk by the server and streamed into
// the database in chunks; the JSON+base64 form for small ones; and a full
// disk answered 507 with /health "degraded".
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <random>

#include "kansli/digest.h"
#include "store/sqlite/sqlite.h"
#include "store/store.h"
#include "testing/api_server.h"
#include "testing/reference_case.h"

namespace kansli::testing {
namespace {

class Uploads : public ::testing::Test {
 protected:
  TestServer server;
  Client rita = server.as("rita", Role::kRegistrator);
  std::string id = registerReferenceCase(rita);

  std::string bytes(std::size_t n, unsigned seed) {
    std::mt19937 gen(seed);
    std::string out(n, '\0');
    for (auto& c : out) c = static_cast<char>(gen() & 0xFF);
    return out;
  }
  HttpResult raw(const std::string& body, const std::string& type, const std::string& title) {
    return rita.request("POST",
                        "/api/v1/cases/" + id + "/documents?direction=inkommen&date=2020-08-25&title=" + title,
                        body, {{"Content-Type", type}});
  }
};

TEST_F(Uploads, ARawUploadAboveTheSpoolThresholdIsStoredWhole) {
  const std::string content = bytes(5 * 1024 * 1024 + 17, 7);  // spooled: over 1 MiB
  auto r = raw(content, "application/pdf", "Skannat%20brev");
  ASSERT_EQ(r.status, 201) << r.body;
  auto doc = r.json();
  EXPECT_EQ(doc->getValue<std::string>("media_type"), "application/pdf");
  EXPECT_EQ(doc->getValue<std::int64_t>("size"), static_cast<std::int64_t>(content.size()));
  EXPECT_EQ(doc->getValue<std::string>("sha256"), sha256Hex(content));
  EXPECT_EQ(doc->getValue<std::string>("title"), "Skannat brev");
  auto back = rita.get(r.header("location") + "/content");
  ASSERT_EQ(back.status, 200);
  EXPECT_TRUE(back.body == content) << "the stored content differs";
  EXPECT_EQ(back.header("content-type"), "application/pdf");
  EXPECT_EQ(back.header("content-disposition"), "inline; filename=\"handling-" +
                                                    std::to_string(doc->getValue<int>("number")) + "\"");
  auto meta = rita.get(r.header("location"));
  EXPECT_EQ(meta.status, 200);
  EXPECT_EQ(meta.json()->getValue<std::string>("sha256"), sha256Hex(content));
}

TEST_F(Uploads, ASmallRawUploadAndTheJsonFormBothWork) {
  auto small = raw("hej", "text/plain; charset=utf-8", "Liten");
  ASSERT_EQ(small.status, 201) << small.body;
  auto json = rita.post("/api/v1/cases/" + id + "/documents",
                        R"({"direction":"inkommen","date":"2020-08-25","title":"J","media_type":"text/html","content_base64":"PGI+aGVqPC9iPg=="})");
  ASSERT_EQ(json.status, 201) << json.body;
  auto html = rita.get(json.header("location") + "/content");
  EXPECT_EQ(html.body, "<b>hej</b>");
  // HTML is no type to show in place: a download, sandboxed.
  EXPECT_EQ(html.header("content-disposition").rfind("attachment", 0), 0u);
  EXPECT_EQ(html.header("content-security-policy"), "sandbox; default-src 'none'");
}

TEST_F(Uploads, WhatIsWrongWithARawUploadIsNamed) {
  auto bad_type = raw("x", "pdf", "T");
  EXPECT_EQ(bad_type.status, 400);
  EXPECT_NE(bad_type.body.find("Content-Type"), std::string::npos) << bad_type.body;
  auto no_title = rita.request("POST", "/api/v1/cases/" + id + "/documents?direction=inkommen&date=2020-08-25", "x",
                               {{"Content-Type", "application/pdf"}});
  EXPECT_EQ(no_title.status, 400);
  EXPECT_NE(no_title.body.find("title"), std::string::npos) << no_title.body;
  auto ledamot = server.as("lars", Role::kLedamot, {}, "SOCN");
  auto refused = ledamot.request("POST", "/api/v1/cases/" + id + "/documents?direction=inkommen&date=2020-08-25&title=T",
                                 "x", {{"Content-Type", "application/pdf"}});
  EXPECT_EQ(refused.status, 403);
}

TEST_F(Uploads, OverTheLimitIsRefusedBeforeTheBodyIsRead) {
  // Declared larger than 50 MiB, with Expect: 100-continue as curl sends it:
  // 413 at once, before a byte of the body.
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  timeval tv{10, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(server.port()));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  std::string head = "POST /api/v1/cases/" + id + "/documents?direction=inkommen&date=2020-08-25&title=T HTTP/1.1\r\n"
                     "Host: a\r\nAuthorization: Bearer " + rita.token() + "\r\nContent-Type: application/pdf\r\n"
                     "Content-Length: " + std::to_string(51ull << 20) + "\r\nExpect: 100-continue\r\n\r\n";
  ASSERT_EQ(::send(fd, head.data(), head.size(), MSG_NOSIGNAL), static_cast<ssize_t>(head.size()));
  char buf[512] = {};
  ssize_t n = ::recv(fd, buf, sizeof buf - 1, 0);
  ::close(fd);
  ASSERT_GT(n, 12);
  EXPECT_EQ(std::string(buf, 12), "HTTP/1.1 413") << buf;
  // JSON and XML stay small (the test server's limit for them is 1 MiB).
  auto json = rita.post("/api/v1/cases/" + id + "/corrections",
                        R"({"reason":")" + std::string(2 * 1024 * 1024, 'x') + "\"}");
  EXPECT_EQ(json.status, 413);
}

// #14 item 10: a full disk answered 500 and /health stayed 200. (It fills
// the disk with a SQLite pragma: on the SQLite pass only, tests/CMakeLists.txt.)
using SqliteUploads = Uploads;
TEST_F(SqliteUploads, AFullDiskIs507AndHealthSaysDegraded) {
  auto& store = server.engine().database().store();
  auto limit = [&](const char* pragma) {
    return store.write([&](store::Tx& tx) -> Result<void> {
      return static_cast<store::SqliteTx&>(tx).exec(pragma);
    });
  };
  ASSERT_OK(limit("PRAGMA max_page_count = 1"));
  auto r = raw(bytes(2 * 1024 * 1024, 3), "application/pdf", "Stor");
  EXPECT_EQ(r.status, 507) << r.body;
  EXPECT_EQ(r.header("content-type").rfind("application/problem+json", 0), 0u);
  auto health = server.client().get("/health");
  EXPECT_EQ(health.status, 503);
  EXPECT_EQ(health.json()->getValue<std::string>("status"), "degraded");
  ASSERT_OK(limit("PRAGMA max_page_count = 1073741823"));
  EXPECT_EQ(raw("liten", "text/plain", "Liten").status, 201);
  auto again = server.client().get("/health");
  EXPECT_EQ(again.status, 200);
  EXPECT_EQ(again.json()->getValue<std::string>("status"), "ok");
}

}  // namespace
}  // namespace kansli::testing
