// The authorization matrix in docs/security.md, held to the code: the table
// lists exactly the routes the router has, each cell agrees with the route's
// declared Access rule, and every route x role x anonymous is walked over real
// HTTP. "nej" must be refused (401 anonymous, 403 signed in); "ja" must get
// past the access check (anything but 401/403, and never a 5xx), even though
// the requests carry minimal or empty input.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "testing/api_server.h"
#include "testing/reference_case.h"

namespace kansli::testing {
namespace {

// The columns of the table, in order; "anonymous" is the caller without a token.
const std::vector<std::string> kColumns = {"registrator",      "handlaggare", "enhetschef",
                                           "namndsekreterare", "ledamot",     "admin",
                                           "anonymous"};

struct MatrixRow {
  std::string method;
  std::string pattern;
  std::map<std::string, bool> allowed;  // column -> ja
};

std::string trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t`");
  size_t e = s.find_last_not_of(" \t`");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

std::vector<std::string> cells(const std::string& line) {
  std::vector<std::string> out;
  std::string cur;
  for (size_t i = 1; i < line.size(); ++i) {
    if (line[i] == '|') {
      out.push_back(trim(cur));
      cur.clear();
    } else {
      cur += line[i];
    }
  }
  return out;
}

// Parses the first Markdown table whose header starts with "route" and names
// the role columns. Failures are reported through `errors`.
std::vector<MatrixRow> parseMatrix(const std::string& markdown, std::vector<std::string>& errors) {
  std::vector<MatrixRow> rows;
  std::istringstream in(markdown);
  std::string line;
  bool in_table = false;
  std::vector<std::string> header;
  while (std::getline(in, line)) {
    if (!in_table) {
      if (line.rfind("|", 0) == 0) {
        auto c = cells(line);
        if (!c.empty() && c[0] == "route") {
          header = c;
          in_table = true;
          std::vector<std::string> want = {"route"};
          want.insert(want.end(), kColumns.begin(), kColumns.end());
          if (header != want) errors.push_back("the table's columns are not route + " +
                                               std::to_string(kColumns.size()) + " roles: " + line);
          std::getline(in, line);  // the |---| separator
        }
      }
      continue;
    }
    if (line.rfind("|", 0) != 0) break;
    auto c = cells(line);
    if (c.size() != header.size()) {
      errors.push_back("wrong number of cells: " + line);
      continue;
    }
    MatrixRow row;
    auto space = c[0].find(' ');
    if (space == std::string::npos) {
      errors.push_back("the route cell is not \"METHOD path\": " + line);
      continue;
    }
    row.method = c[0].substr(0, space);
    row.pattern = trim(c[0].substr(space + 1));
    for (size_t i = 1; i < c.size() && i < header.size(); ++i) {
      if (c[i] != "ja" && c[i] != "nej") {
        errors.push_back("a cell is neither ja nor nej: " + line);
      }
      row.allowed[header[i]] = c[i] == "ja";
    }
    rows.push_back(std::move(row));
  }
  if (!in_table) errors.push_back("no table with a \"route\" header in docs/security.md");
  return rows;
}

std::optional<Role> columnRole(const std::string& column) {
  if (column == "anonymous") return std::nullopt;
  auto r = parseRole(column);
  if (!r) throw std::runtime_error("unknown role column " + column);
  return *r;
}

bool accessAllows(const api::Access& access, const std::string& column) {
  auto role = columnRole(column);
  if (!role) return access.allows(std::nullopt);
  User u;
  u.role = *role;
  return access.allows(u);
}

// What the table should say, generated from the router: printed on a
// mismatch so the document can be brought up to date by copying.
std::string expectedTable(const api::Router& router) {
  std::string out = "| route |";
  for (const auto& c : kColumns) out += " " + c + " |";
  out += "\n|---|";
  for (size_t i = 0; i < kColumns.size(); ++i) out += "---|";
  out += "\n";
  for (const auto& r : router.routes()) {
    out += "| `" + r.method + " " + r.pattern + "` |";
    for (const auto& c : kColumns) out += accessAllows(r.access, c) ? " ja |" : " nej |";
    out += "\n";
  }
  return out;
}

class SecurityMatrix : public ::testing::Test {
 protected:
  void SetUp() override {
    std::vector<std::string> errors;
    rows = parseMatrix(readFile(sourceDir() + "/docs/security.md"), errors);
    for (const auto& e : errors) ADD_FAILURE() << e;
  }

  TestServer server;
  std::vector<MatrixRow> rows;
};

TEST_F(SecurityMatrix, ListsExactlyTheRoutesTheRouterHas) {
  std::set<std::string> documented, registered;
  for (const auto& r : rows) {
    EXPECT_TRUE(documented.insert(r.method + " " + r.pattern).second)
        << "listed twice: " << r.method << " " << r.pattern;
  }
  for (const auto& r : server.service().router().routes()) registered.insert(r.method + " " + r.pattern);
  for (const auto& d : documented) {
    EXPECT_TRUE(registered.count(d)) << "docs/security.md lists a route the router lacks: " << d;
  }
  for (const auto& g : registered) {
    EXPECT_TRUE(documented.count(g)) << "docs/security.md lacks the route " << g;
  }
  if (documented != registered) {
    ADD_FAILURE() << "the table generated from the router:\n" << expectedTable(server.service().router());
  }
}

TEST_F(SecurityMatrix, EveryCellAgreesWithTheDeclaredAccessRule) {
  std::map<std::string, const api::Route*> byKey;
  for (const auto& r : server.service().router().routes()) byKey[r.method + " " + r.pattern] = &r;
  bool mismatch = false;
  for (const auto& row : rows) {
    auto it = byKey.find(row.method + " " + row.pattern);
    if (it == byKey.end()) continue;  // reported by ListsExactlyTheRoutesTheRouterHas
    for (const auto& c : kColumns) {
      bool code = accessAllows(it->second->access, c);
      if (row.allowed.at(c) != code) {
        mismatch = true;
        ADD_FAILURE() << row.method << " " << row.pattern << " for " << c << ": the table says "
                      << (row.allowed.at(c) ? "ja" : "nej") << ", the code says "
                      << (code ? "ja" : "nej");
      }
    }
  }
  if (mismatch) {
    ADD_FAILURE() << "the table generated from the router:\n" << expectedTable(server.service().router());
  }
}

// Every route x every role x anonymous over HTTP, with one signed-in client per
// role. Path parameters: the registered case and meeting for reads; writes to
// a meeting go to one that does not exist (999999), so the object-level rules
// of meetings (the chair and adjusters attest) do not answer 403 for a role
// the route itself allows.
TEST_F(SecurityMatrix, EveryRouteAnswersEveryRoleAsTheTableSays) {
  ASSERT_FALSE(rows.empty());
  std::map<std::string, Client> clients;
  auto signIn = [&](const std::string& column) {
    if (column == "registrator") return server.as("m_registrator", Role::kRegistrator);
    if (column == "handlaggare") return server.as("m_handlaggare", Role::kHandlaggare, "bfe");
    if (column == "enhetschef") return server.as("m_enhetschef", Role::kEnhetschef, "bfe");
    if (column == "namndsekreterare") {
      return server.as("m_namndsekreterare", Role::kNamndsekreterare, {}, "SOCN");
    }
    if (column == "ledamot") return server.as("m_ledamot", Role::kLedamot, {}, "SOCN");
    if (column == "admin") return server.as("m_admin", Role::kAdmin);
    return server.client();
  };
  for (const auto& c : kColumns) clients.emplace(c, signIn(c));

  std::string case_id = registerReferenceCase(clients.at("registrator"));
  auto m = clients.at("namndsekreterare").post("/api/v1/meetings",
                                               R"({"committee":"SOCN","date":"2020-10-20"})");
  ASSERT_EQ(m.status, 201) << m.body;
  std::string meeting_id = std::to_string(m.json()->getValue<int>("id"));

  auto fill = [&](const MatrixRow& row) {
    std::string out;
    bool meeting = row.pattern.find("/meetings/") != std::string::npos ||
                   row.pattern.find("/anslag/") != std::string::npos;
    std::string id = row.pattern.find("/workflows/") != std::string::npos ? "politikerinitiativ"
                     : row.pattern.find("/decisions/") != std::string::npos ? "999999"
                     : meeting ? (row.method == "GET" ? meeting_id : "999999")
                               : case_id;
    std::string p = row.pattern;
    for (auto [name, value] : {std::pair<std::string, std::string>{"{id}", id}, {"{n}", "1"}, {"{username}", "ingen"}, {"{file}", "app.js"}}) {
      for (size_t at = p.find(name); at != std::string::npos; at = p.find(name)) {
        p.replace(at, name.size(), value);
      }
    }
    EXPECT_EQ(p.find('{'), std::string::npos) << "a path parameter the test cannot fill: " << p;
    return p;
  };

  int walked = 0;
  for (const auto& row : rows) {
    std::string path = fill(row);
    for (const auto& column : kColumns) {
      // Signing out ends the session: use a session of its own.
      Client c = row.method == "DELETE" && row.pattern == "/api/v1/session" ? signIn(column)
                                                                            : clients.at(column);
      std::map<std::string, std::string> headers;
      std::string body;
      if (row.method == "POST" || row.method == "PUT" || row.method == "PATCH") {
        headers["Content-Type"] = row.pattern.ends_with("/memo") ? "application/xml"
                                                                 : "application/json";
        body = row.pattern.ends_with("/memo") ? "" : "{}";
      }
      auto r = c.request(row.method, path, body, headers);
      ++walked;
      std::string what = row.method + " " + path + " as " + column + " -> " +
                         std::to_string(r.status) + " " + r.body;
      EXPECT_LT(r.status, 500) << what;
      if (row.allowed.at(column)) {
        EXPECT_NE(r.status, 401) << what;
        EXPECT_NE(r.status, 403) << what;
      } else if (column == "anonymous") {
        EXPECT_EQ(r.status, 401) << what;
        EXPECT_EQ(r.header("www-authenticate"), "Bearer") << what;
      } else {
        EXPECT_EQ(r.status, 403) << what;
      }
      if (r.status >= 400) {
        EXPECT_EQ(r.header("content-type").rfind("application/problem+json", 0), 0u) << what;
      }
    }
  }
  EXPECT_EQ(walked, static_cast<int>(rows.size() * kColumns.size()));
}

}  // namespace
}  // namespace kansli::testing
