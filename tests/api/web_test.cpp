// The web client's server side: the shell and its files served from api/web
// with caching headers and the pages' CSP, nothing outside that folder, and
// the memo preview that renders without saving. Plus `kansli serve
// --clock-file`, which the browser test uses to move time.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "testing/api_server.h"
#include "testing/process.h"
#include "testing/reference_case.h"
#include "testing/testing.h"

namespace kansli::testing {
namespace {

TEST(WebClient, ServesTheShellWithItsOwnCspAndAnETag) {
  TestServer server;
  auto r = server.client().get("/");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.header("content-type"), "text/html; charset=utf-8");
  EXPECT_NE(r.body.find("<html lang=\"sv\">"), std::string::npos);
  EXPECT_NE(r.body.find("/static/app.js"), std::string::npos);
  EXPECT_EQ(r.header("cache-control"), "no-cache");
  EXPECT_FALSE(r.header("etag").empty());
  std::string csp = r.header("content-security-policy");
  EXPECT_NE(csp.find("script-src 'self'"), std::string::npos) << csp;
  EXPECT_NE(csp.find("style-src 'self'"), std::string::npos) << csp;
  EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos) << csp;
}

TEST(WebClient, ServesEachFileOfApiWebWithItsTypeAndRevalidates) {
  TestServer server;
  auto c = server.client();
  for (const auto& entry : std::filesystem::directory_iterator(sourceDir() + "/api/web")) {
    std::string name = entry.path().filename().string();
    auto r = c.get("/static/" + name);
    ASSERT_EQ(r.status, 200) << name;
    EXPECT_EQ(r.body, readFile(entry.path().string())) << name;
    std::string ext = entry.path().extension().string();
    std::string type = r.header("content-type");
    std::string expected = ext == ".js"    ? "text/javascript; charset=utf-8"
                           : ext == ".css" ? "text/css; charset=utf-8"
                           : ext == ".svg" ? "image/svg+xml"
                                           : "text/html; charset=utf-8";
    EXPECT_EQ(type, expected) << name;
    auto again = c.request("GET", "/static/" + name, "", {{"If-None-Match", r.header("etag")}});
    EXPECT_EQ(again.status, 304) << name;
    EXPECT_TRUE(again.body.empty());
  }
}

TEST(WebClient, NoPathLeavesApiWeb) {
  TestServer server;
  auto c = server.client();
  for (const char* path :
       {"/static/..%2fserve.cpp", "/static/..%2F..%2FCMakeLists.txt", "/static/%2e%2e%2fcli.cpp",
        "/static/.gitignore", "/static/APP.JS", "/static/app.js%00", "/static/", "/static/../serve.cpp",
        "/static/web", "/static/nonexistent.js", "/static/app.js/x"}) {
    auto r = c.get(path);
    EXPECT_EQ(r.status, 404) << path << ": " << r.body.substr(0, 200);
    EXPECT_EQ(r.body.find("#include"), std::string::npos) << path;
  }
}

TEST(WebClient, MemoPreviewRendersWithoutSaving) {
  TestServer server;
  auto reg = server.as("rita", Role::kRegistrator);
  auto officer = server.as("nina", Role::kHandlaggare, "bfe");
  std::string id = registerReferenceCase(reg);
  assignUnit(reg, id);  // from then on the unit's officers see it
  auto html = officer.request("POST", "/api/v1/cases/" + id + "/memo/preview?format=html",
                              referenceMemoXml(), {{"Content-Type", "application/xml"}});
  ASSERT_EQ(html.status, 200) << html.body;
  EXPECT_NE(html.body.find("Förslag till beslut"), std::string::npos);
  EXPECT_NE(html.body.find("SOCN 2020/1"), std::string::npos);
  auto pdf = officer.request("POST", "/api/v1/cases/" + id + "/memo/preview?format=pdf",
                             referenceMemoXml(), {{"Content-Type", "application/xml"}});
  ASSERT_EQ(pdf.status, 200);
  EXPECT_EQ(pdf.body.rfind("%PDF", 0), 0u);
  // Nothing was saved, and nothing logged.
  auto versions = officer.get("/api/v1/cases/" + id + "/memo/versions");
  EXPECT_EQ(versions.json()->getArray("items")->size(), 0u);
  auto history = officer.get("/api/v1/cases/" + id + "/history");
  EXPECT_EQ(history.body.find("memo."), std::string::npos) << history.body;
}

TEST(WebClient, MemoPreviewRefusesWhatSavingRefuses) {
  TestServer server;
  auto reg = server.as("rita", Role::kRegistrator);
  auto officer = server.as("nina", Role::kHandlaggare, "bfe");
  std::string id = registerReferenceCase(reg);
  assignUnit(reg, id);
  auto bad = officer.request("POST", "/api/v1/cases/" + id + "/memo/preview",
                             "<memo><meta><date>2020-13-45</date></meta></memo>",
                             {{"Content-Type", "application/xml"}});
  EXPECT_GE(bad.status, 400);
  EXPECT_LT(bad.status, 500);
  EXPECT_NE(bad.header("content-type").find("problem+json"), std::string::npos);
  auto json = officer.request("POST", "/api/v1/cases/" + id + "/memo/preview", "{}",
                              {{"Content-Type", "application/json"}});
  EXPECT_EQ(json.status, 400);
  auto format = officer.request("POST", "/api/v1/cases/" + id + "/memo/preview?format=docx",
                                referenceMemoXml(), {{"Content-Type", "application/xml"}});
  EXPECT_EQ(format.status, 400);
  auto missing = officer.request("POST", "/api/v1/cases/999/memo/preview", referenceMemoXml(),
                                 {{"Content-Type", "application/xml"}});
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(reg.request("POST", "/api/v1/cases/" + id + "/memo/preview", referenceMemoXml(),
                        {{"Content-Type", "application/xml"}}).status, 403);
}

TEST(WebClient, MemoPreviewOfACaseOutOfSightIsNotFound) {
  TestServer server;
  auto reg = server.as("rita", Role::kRegistrator);
  auto other = server.as("olle", Role::kHandlaggare, "eeb");
  std::string id = registerReferenceCase(reg);
  assignUnit(reg, id, "bfe");
  ASSERT_EQ(other.get("/api/v1/cases/" + id + "/memo/versions").status, 404)
      << "the rule the preview follows";
  auto r = other.request("POST", "/api/v1/cases/" + id + "/memo/preview?format=txt",
                         referenceMemoXml(), {{"Content-Type", "application/xml"}});
  EXPECT_EQ(r.status, 404) << r.body.substr(0, 300);
  EXPECT_EQ(r.body.find("Andreas Falk"), std::string::npos);
}

TEST(ClockFile, ServeTakesItsTimeFromTheFileAndFollowsIt) {
  TempDir dir;
  std::string clock = dir.file("clock.txt");
  writeFile(clock, "2020-10-05T08:00:00Z\n");
  ServerProcess server({"serve", "--data-dir", dir.file("data"), "--port", "0", "--quiet", "--org",
                        sourceDir() + "/samples/nacka/organisation.xml", "--clock-file", clock});
  Client c(server.port());
  EXPECT_EQ(c.get("/health").json()->getValue<std::string>("time"), "2020-10-05T08:00:00Z");
  writeFile(clock, "2020-12-29T09:30:00Z\n");
  EXPECT_EQ(c.get("/health").json()->getValue<std::string>("time"), "2020-12-29T09:30:00Z");
  // A file that holds no instant keeps the last good one.
  writeFile(clock, "i morgon\n");
  EXPECT_EQ(c.get("/health").json()->getValue<std::string>("time"), "2020-12-29T09:30:00Z");
}

TEST(ClockFile, ServeRefusesAMissingOrUnreadableClockFile) {
  TempDir dir;
  auto missing = runKansli({"serve", "--data-dir", dir.file("data"), "--port", "0", "--org",
                            sourceDir() + "/samples/nacka/organisation.xml", "--clock-file",
                            dir.file("nope.txt")});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("nope.txt"), std::string::npos) << missing.err;
  writeFile(dir.file("bad.txt"), "igår");
  auto bad = runKansli({"serve", "--data-dir", dir.file("data"), "--port", "0", "--org",
                        sourceDir() + "/samples/nacka/organisation.xml", "--clock-file",
                        dir.file("bad.txt")});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.err.find("2020-10-05T08:00:00Z"), std::string::npos) << bad.err;
}

}  // namespace
}  // namespace kansli::testing
