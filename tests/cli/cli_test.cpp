// The program as users and operators meet it: exit codes, one clear line per
// problem, signals.
#include <Poco/Net/StreamSocket.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <filesystem>
#include <thread>

#include "testing/api_server.h"
#include "testing/database.h"
#include "testing/process.h"

namespace kansli::testing {
namespace {

const std::string kOrg = sourceDir() + "/samples/nacka/organisation.xml";

bool oneLine(const std::string& s) {
  return !s.empty() && s.find('\n') == s.size() - 1;
}

TEST(Cli, UsageWithoutCommand) {
  auto r = runKansli({});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("Användning"), std::string::npos);
}

TEST(Cli, UnknownFlagIsOneLine) {
  auto r = runKansli({"serve", "--data-dir", "/tmp/x", "--bogus"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(oneLine(r.err)) << r.err;
  EXPECT_NE(r.err.find("--bogus"), std::string::npos);
}

TEST(Cli, UnwritableDataDirIsOneLine) {
  TempDir dir;
  writeFile(dir.file("fil"), "x");
  auto r = runKansli({"serve", "--data-dir", dir.file("fil") + "/data"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(oneLine(r.err)) << r.err;
  EXPECT_NE(r.err.find("datakatalogen"), std::string::npos) << r.err;
}

TEST(Cli, MissingOrganisationIsOneLine) {
  TempDir dir;
  auto r = runKansli({"serve", "--data-dir", dir.path().string(), "--port", "0"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(oneLine(r.err)) << r.err;
  EXPECT_NE(r.err.find("organisation.xml"), std::string::npos) << r.err;
}

TEST(Cli, BrokenOrganisationNamesFileAndLine) {
  TempDir dir;
  writeFile(dir.file("org.xml"), "<organisation>\n<name>X</name>\n<committees>\n</organisation>\n");
  auto r = runKansli({"serve", "--data-dir", dir.file("d"), "--port", "0", "--org", dir.file("org.xml")});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("org.xml:"), std::string::npos) << r.err;
}

TEST(Cli, DatabaseFromANewerVersionIsOneLine) {
  TempDir dir;
  if (onPostgres()) {
    ASSERT_EQ(runKansli({"user", "add", "--data-dir", dir.path().string(), "--username", "rita",
                         "--role", "registrator"},
                        "ett-långt-lösenord\n")
                  .exit_code,
              0);
    execStore(dir.path().string(), "UPDATE kansli_schema SET version = 999");
  } else {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(dir.file("kansli.db").c_str(), &db), SQLITE_OK);
    sqlite3_exec(db, "PRAGMA user_version=999", nullptr, nullptr, nullptr);
    sqlite3_close(db);
  }
  auto r = runKansli({"serve", "--data-dir", dir.path().string(), "--port", "0", "--org", kOrg});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(oneLine(r.err)) << r.err;
  EXPECT_NE(r.err.find("999"), std::string::npos) << r.err;
}

TEST(Cli, PortInUseIsOneLine) {
  TempDir dir;
  ServerProcess first({"serve", "--data-dir", dir.file("a"), "--port", "0", "--quiet", "--org", kOrg});
  auto r = runKansli(
      {"serve", "--data-dir", dir.file("b"), "--port", std::to_string(first.port()), "--org", kOrg});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(oneLine(r.err)) << r.err;
  EXPECT_NE(r.err.find(std::to_string(first.port())), std::string::npos) << r.err;
}

TEST(Cli, UserAddReadsThePasswordFromStdin) {
  TempDir dir;
  auto r = runKansli({"user", "add", "--data-dir", dir.path().string(), "--username", "rita",
                      "--role", "registrator"},
                     "ett-långt-lösenord\n");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ServerProcess server({"serve", "--data-dir", dir.path().string(), "--port", "0", "--quiet", "--org", kOrg});
  Client c(server.port());
  auto s = c.post("/api/v1/session", R"({"username":"rita","password":"ett-långt-lösenord"})");
  EXPECT_EQ(s.status, 201) << s.body;
}

TEST(Cli, UserAddTakesTheDirectoryFieldsThatSignInShows) {
  TempDir dir;
  auto r = runKansli({"user", "add", "--data-dir", dir.path().string(), "--username", "nina",
                      "--role", "handlaggare", "--unit", "bfe-kvalitet", "--name",
                      "Nina Vallin Nielsen", "--title", "Kvalitetsutvecklare", "--email",
                      "nina.vallin.nielsen@nacka.se", "--phone", "08-718 80 00"},
                     "ett-långt-lösenord\n");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto bad = runKansli({"user", "add", "--data-dir", dir.path().string(), "--username", "nils",
                        "--role", "handlaggare", "--email", "inte en adress"},
                       "ett-långt-lösenord\n");
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.err.find("email"), std::string::npos) << bad.err;
  ServerProcess server({"serve", "--data-dir", dir.path().string(), "--port", "0", "--quiet", "--org", kOrg});
  Client c(server.port());
  auto s = c.post("/api/v1/session", R"({"username":"nina","password":"ett-långt-lösenord"})");
  ASSERT_EQ(s.status, 201) << s.body;
  auto user = s.json()->getObject("user");
  EXPECT_EQ(user->getValue<std::string>("name"), "Nina Vallin Nielsen");
  EXPECT_EQ(user->getValue<std::string>("title"), "Kvalitetsutvecklare");
  EXPECT_EQ(user->getValue<std::string>("email"), "nina.vallin.nielsen@nacka.se");
  EXPECT_EQ(user->getValue<std::string>("phone"), "08-718 80 00");
  EXPECT_EQ(c.post("/api/v1/session", R"({"username":"nils","password":"ett-långt-lösenord"})").status,
            401) << "a refused user add adds nobody";
}

TEST(Cli, UserAddRefusesAShortPasswordAndAnUnknownRole) {
  TempDir dir;
  auto shortpw = runKansli({"user", "add", "--data-dir", dir.path().string(), "--username", "r",
                            "--role", "registrator"},
                           "kort\n");
  EXPECT_EQ(shortpw.exit_code, 1);
  EXPECT_NE(shortpw.err.find("12 tecken"), std::string::npos) << shortpw.err;
  auto role = runKansli({"user", "add", "--data-dir", dir.path().string(), "--username", "r",
                         "--role", "kung"},
                        "ett-långt-lösenord\n");
  EXPECT_EQ(role.exit_code, 1);
  EXPECT_NE(role.err.find("kung"), std::string::npos);
}

TEST(Cli, DemoPrintsUrlAndLogins) {
  TempDir dir;
  ServerProcess server({"serve", "--data-dir", dir.path().string(), "--port", "0", "--demo",
                        "--quiet"});
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_NE(server.output().find("Demoinloggningar"), std::string::npos) << server.output();
  EXPECT_TRUE(std::filesystem::exists(dir.file("demo-logins.txt")));
  struct stat st {};
  ASSERT_EQ(::stat(dir.file("demo-logins.txt").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u) << "demo passwords are not world-readable";
  // The reference case has lived its whole 2020 life in the demo.
  Client c(server.port());
  auto diarium = c.get("/api/v1/public/diarium?dnr=SOCN%202020/262");
  ASSERT_EQ(diarium.status, 200) << diarium.body;
  auto items = diarium.json()->getArray("items");
  ASSERT_EQ(items->size(), 1u) << diarium.body;
  EXPECT_EQ(items->getObject(0)->getValue<std::string>("state"), "avslutad");
  auto decisions = c.get("/api/v1/public/decisions?q=m%C3%A4nniskohandelssektionen");
  ASSERT_EQ(decisions.status, 200);
  EXPECT_NE(decisions.body.find("\"meeting_date\":\"2020-10-27\""), std::string::npos) << decisions.body;
  EXPECT_NE(decisions.body.find("\"appeal_until\":\"2020-11-20\""), std::string::npos) << decisions.body;
}

TEST(Cli, SigtermLetsARequestInFlightFinish) {
  TempDir dir;
  ServerProcess server({"serve", "--data-dir", dir.path().string(), "--port", "0", "--quiet", "--org", kOrg});
  // A request whose body is still arriving when the signal comes.
  Poco::Net::StreamSocket sock(
      Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(server.port())));
  std::string body = R"({"username":"ingen","password":"fel-lösenord"})";
  std::string head = "POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n";
  sock.sendBytes(head.data(), static_cast<int>(head.size()));
  sock.sendBytes(body.data(), 5);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  int code = -1;
  std::thread stopper([&] { code = server.terminate(); });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  sock.sendBytes(body.data() + 5, static_cast<int>(body.size() - 5));
  char buf[4096];
  int n = sock.receiveBytes(buf, sizeof buf);
  std::string answer(buf, static_cast<size_t>(std::max(n, 0)));
  stopper.join();
  EXPECT_EQ(answer.rfind("HTTP/1.1 401", 0), 0u) << "the request in flight got its answer: "
                                                  << answer;
  EXPECT_EQ(code, 0);
  // The database was closed cleanly: the WAL is checkpointed away.
  EXPECT_FALSE(std::filesystem::exists(dir.file("kansli.db-wal")) &&
               std::filesystem::file_size(dir.file("kansli.db-wal")) > 0);
}

TEST(Cli, BackupAndAuditVerify) {
  TempDir dir;
  ASSERT_EQ(runKansli({"user", "add", "--data-dir", dir.file("d"), "--username", "rita", "--role",
                       "registrator"},
                      "ett-långt-lösenord\n")
                .exit_code,
            0);
  auto v = runKansli({"audit", "verify", "--data-dir", dir.file("d")});
  EXPECT_EQ(v.exit_code, 0) << v.err << v.out;
  auto b = runKansli({"backup", "--data-dir", dir.file("d"), "--to", dir.file("kopia.db")});
  ASSERT_EQ(b.exit_code, 0) << b.err;
  std::filesystem::create_directories(dir.file("e"));
  if (onPostgres()) {
    // The copy is pg_dump's: restored with pg_restore into e's own database.
    std::string restore = "pg_restore --no-owner --exit-on-error --dbname='" +
                          databaseUrlFor(dir.file("e")) + "' '" + dir.file("kopia.db") + "'";
    ASSERT_EQ(std::system(restore.c_str()), 0) << restore;
  } else {
    std::filesystem::copy_file(dir.file("kopia.db"), dir.file("e/kansli.db"));
  }
  auto v2 = runKansli({"audit", "verify", "--data-dir", dir.file("e")});
  EXPECT_EQ(v2.exit_code, 0) << v2.err << v2.out;
}

}  // namespace
}  // namespace kansli::testing
