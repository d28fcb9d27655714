// api/openapi.yaml must describe every route the server has, and nothing it
// does not: the documented "METHOD /path" pairs are compared with the route
// table of a real server, both ways.
//
// The reader is deliberately small and line-based; it relies on the layout the
// file keeps: "paths:" at column 0, each path as "  /...:" (two spaces), each
// operation as "    get:" (four spaces) under it. The next top-level key ends
// the paths section.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <set>
#include <sstream>
#include <string>

#include "testing/api_server.h"

namespace kansli::testing {
namespace {

std::string openApiPath() { return sourceDir() + "/api/openapi.yaml"; }

std::string rtrim(std::string s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\r' || s.back() == '\t')) s.pop_back();
  return s;
}

std::string upper(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

// "GET /api/v1/cases/{id}" for every operation under paths:.
std::set<std::string> documentedOperations(const std::string& file) {
  static const std::set<std::string> kMethods = {"get",     "put",  "post",  "delete",
                                                 "options", "head", "patch", "trace"};
  std::ifstream in(file);
  std::set<std::string> out;
  std::string line;
  bool in_paths = false;
  std::string path;
  while (std::getline(in, line)) {
    line = rtrim(line);
    if (line.empty() || line.front() == '#') continue;
    if (line.front() != ' ') {  // a top-level key
      in_paths = line == "paths:";
      path.clear();
      continue;
    }
    if (!in_paths) continue;
    if (line.rfind("  /", 0) == 0 && line.back() == ':') {
      path = line.substr(2, line.size() - 3);
      if (path.size() >= 2 && (path.front() == '"' || path.front() == '\'')) {
        path = path.substr(1, path.size() - 2);
      }
      continue;
    }
    if (line.size() > 2 && line[2] != ' ') {  // another two-space key: not a path
      path.clear();
      continue;
    }
    if (!path.empty() && line.rfind("    ", 0) == 0 && line.size() > 5 && line[4] != ' ' &&
        line.back() == ':') {
      std::string key = line.substr(4, line.size() - 5);
      if (kMethods.count(key)) out.insert(upper(key) + " " + path);
    }
  }
  return out;
}

std::string bulleted(const std::set<std::string>& s) {
  std::string out;
  for (const auto& x : s) out += "  " + x + "\n";
  return out;
}

TEST(OpenApi, FileExistsAndDeclaresVersion) {
  std::ifstream in(openApiPath());
  ASSERT_TRUE(in) << "missing " << openApiPath();
  std::string first;
  std::getline(in, first);
  EXPECT_EQ(rtrim(first).rfind("openapi: 3.1", 0), 0u) << first;
}

TEST(OpenApi, DescribesExactlyTheServersRoutes) {
  auto documented = documentedOperations(openApiPath());
  ASSERT_FALSE(documented.empty()) << "no operations read from " << openApiPath();

  TestServer server;
  std::set<std::string> served;
  for (const auto& r : server.service().router().routes()) served.insert(r.method + " " + r.pattern);
  ASSERT_FALSE(served.empty());

  std::set<std::string> undocumented, unserved;
  std::set_difference(served.begin(), served.end(), documented.begin(), documented.end(),
                      std::inserter(undocumented, undocumented.begin()));
  std::set_difference(documented.begin(), documented.end(), served.begin(), served.end(),
                      std::inserter(unserved, unserved.begin()));
  EXPECT_TRUE(undocumented.empty()) << "routes the server has but api/openapi.yaml lacks:\n"
                                    << bulleted(undocumented);
  EXPECT_TRUE(unserved.empty()) << "operations in api/openapi.yaml the server does not have:\n"
                                << bulleted(unserved);
}

TEST(OpenApi, EveryOperationHasAnOperationId) {
  // operationIds are unique and as many as the operations.
  std::ifstream in(openApiPath());
  std::string line;
  std::set<std::string> ids;
  int count = 0;
  while (std::getline(in, line)) {
    line = rtrim(line);
    auto pos = line.find("operationId:");
    if (pos == std::string::npos || line.find_first_not_of(' ') != pos) continue;
    ++count;
    std::string id = line.substr(pos + 12);
    id.erase(0, id.find_first_not_of(' '));
    EXPECT_TRUE(ids.insert(id).second) << "duplicate operationId " << id;
  }
  EXPECT_EQ(static_cast<size_t>(count), documentedOperations(openApiPath()).size());
}

TEST(OpenApi, IsValidYamlWhenPyYamlIsAvailable) {
  if (std::system("python3 -c 'import yaml' >/dev/null 2>&1") != 0) {
    GTEST_SKIP() << "python3 with PyYAML is not installed";
  }
  std::string cmd =
      "python3 -c 'import sys, yaml; d = yaml.safe_load(open(sys.argv[1], encoding=\"utf-8\")); "
      "assert isinstance(d, dict) and str(d.get(\"openapi\", \"\")).startswith(\"3.1\") "
      "and isinstance(d.get(\"paths\"), dict)' '" +
      openApiPath() + "'";
  EXPECT_EQ(std::system(cmd.c_str()), 0) << "api/openapi.yaml does not parse as OpenAPI YAML";
}

}  // namespace
}  // namespace kansli::testing
