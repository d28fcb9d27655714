#include "testing/database.h"

#include <libpq-fe.h>
#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>

#include "testing/testing.h"

namespace kansli::testing {
namespace {

struct Conn {
  PGconn* c = nullptr;
  explicit Conn(const std::string& url) : c(PQconnectdb(url.c_str())) {
    if (PQstatus(c) != CONNECTION_OK) {
      std::string m = PQerrorMessage(c);
      PQfinish(c);
      throw std::runtime_error("postgres " + url + ": " + m);
    }
    PQsetNoticeProcessor(c, [](void*, const char*) {}, nullptr);
  }
  ~Conn() { PQfinish(c); }
  Conn(const Conn&) = delete;
  Conn& operator=(const Conn&) = delete;
  std::vector<std::vector<std::string>> query(const std::string& sql) {
    std::unique_ptr<PGresult, void (*)(PGresult*)> r(PQexec(c, sql.c_str()), PQclear);
    auto st = PQresultStatus(r.get());
    if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
      throw std::runtime_error("postgres: " + sql + ": " + PQresultErrorMessage(r.get()));
    }
    std::vector<std::vector<std::string>> rows;
    for (int i = 0; i < PQntuples(r.get()); ++i) {
      std::vector<std::string> row;
      for (int j = 0; j < PQnfields(r.get()); ++j) row.push_back(PQgetvalue(r.get(), i, j));
      rows.push_back(std::move(row));
    }
    return rows;
  }
};

std::mutex mu;
std::map<std::string, std::string> databases;  // path -> database name

std::string normal(const std::string& p) {
  return std::filesystem::path(p).lexically_normal().string();
}

// The URL of database `name` on the test cluster.
std::string urlOf(const std::string& name) {
  std::string admin = postgresAdminUrl();
  return admin.substr(0, admin.rfind('/') + 1) + name;
}

std::string makeDatabase() {
  static std::atomic<int> counter{0};
  std::string name = "kt_" + std::to_string(::getpid()) + "_" + std::to_string(++counter) + "_" +
                     std::to_string(std::rand() % 100000);
  Conn admin(postgresAdminUrl());
  admin.query("CREATE DATABASE " + name);
  return name;
}

}  // namespace

bool onPostgres() {
  const char* v = std::getenv("KANSLI_TEST_DATABASE");
  return v && std::string(v) == "postgresql";
}

std::string postgresAdminUrl() {
  if (const char* u = std::getenv("KANSLI_TEST_PG_URL"); u && *u) return u;
  const char* d = std::getenv("KANSLI_TEST_PG_DIR");
  if (!d || !*d) d = KANSLI_TEST_PG_DIR_DEFAULT;
  {
    std::string url = readFile(std::string(d) + "/url");
    while (!url.empty() && (url.back() == '\n' || url.back() == ' ')) url.pop_back();
    if (!url.empty()) return url;
  }
  throw std::runtime_error(
      "no PostgreSQL cluster for the tests: set KANSLI_TEST_PG_URL or KANSLI_TEST_PG_DIR "
      "(scripts/test-postgres start DIR)");
}

std::string databaseUrlFor(const std::string& data_dir) {
  if (!onPostgres()) return "";
  std::string key = normal(data_dir);
  std::lock_guard lock(mu);
  auto it = databases.find(key);
  if (it == databases.end()) it = databases.emplace(key, makeDatabase()).first;
  return urlOf(it->second);
}

std::string newDatabase(const std::string& owner) {
  std::string name = makeDatabase();
  std::lock_guard lock(mu);
  databases.emplace(normal(owner) + "/#" + name, name);
  return urlOf(name);
}

void dropDatabasesUnder(const std::string& dir) {
  std::vector<std::string> names;
  {
    std::lock_guard lock(mu);
    std::string prefix = normal(dir);
    for (auto it = databases.begin(); it != databases.end();) {
      if (it->first == prefix || it->first.starts_with(prefix + "/")) {
        names.push_back(it->second);
        it = databases.erase(it);
      } else {
        ++it;
      }
    }
  }
  if (names.empty()) return;
  try {
    Conn admin(postgresAdminUrl());
    for (const auto& n : names) admin.query("DROP DATABASE IF EXISTS " + n + " WITH (FORCE)");
  } catch (const std::exception&) {
    // The cluster is gone (the run is ending); its directory goes with it.
  }
}

std::vector<std::vector<std::string>> queryUrl(const std::string& url, const std::string& sql) {
  Conn c(url);
  return c.query(sql);
}

std::vector<std::vector<std::string>> queryStore(const std::string& data_dir,
                                                 const std::string& sql) {
  if (onPostgres()) return queryUrl(databaseUrlFor(data_dir), sql);
  sqlite3* db = nullptr;
  std::string path = data_dir + "/kansli.db";
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    sqlite3_close(db);
    throw std::runtime_error("cannot open " + path);
  }
  std::vector<std::vector<std::string>> rows;
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) {
    std::string m = sqlite3_errmsg(db);
    sqlite3_close(db);
    throw std::runtime_error("sqlite: " + sql + ": " + m);
  }
  while (sqlite3_step(st) == SQLITE_ROW) {
    std::vector<std::string> row;
    for (int i = 0; i < sqlite3_column_count(st); ++i) {
      const auto* t = sqlite3_column_text(st, i);
      row.push_back(t ? reinterpret_cast<const char*>(t) : "");
    }
    rows.push_back(std::move(row));
  }
  sqlite3_finalize(st);
  sqlite3_close(db);
  return rows;
}

void execStore(const std::string& data_dir, const std::string& sql) {
  if (onPostgres()) {
    Conn c(databaseUrlFor(data_dir));
    c.query(sql);
    return;
  }
  sqlite3* db = nullptr;
  std::string path = data_dir + "/kansli.db";
  if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) {
    sqlite3_close(db);
    throw std::runtime_error("cannot open " + path);
  }
  char* err = nullptr;
  int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
  std::string m = err ? err : "";
  sqlite3_free(err);
  sqlite3_close(db);
  if (rc != SQLITE_OK) throw std::runtime_error("sqlite: " + sql + ": " + m);
}

std::vector<std::string> withTestDatabase(std::vector<std::string> args) {
  if (!onPostgres() || args.empty()) return args;
  auto has = [&](const std::string& a) {
    for (const auto& x : args) {
      if (x == a) return true;
    }
    return false;
  };
  const std::string& cmd = args[0];
  bool takes = cmd == "serve" || cmd == "import" || cmd == "render" || cmd == "backup" ||
               (args.size() > 1 && cmd == "user" && args[1] == "add") ||
               (args.size() > 1 && cmd == "audit" && args[1] == "verify");
  if (!takes || has("--database")) return args;
  for (size_t i = 0; i + 1 < args.size(); ++i) {
    if (args[i] == "--data-dir") {
      std::string url = databaseUrlFor(args[i + 1]);
      args.push_back("--database");
      args.push_back(url);
      return args;
    }
  }
  return args;
}

}  // namespace kansli::testing
