// A data directory with a registrator, the real `kansli serve` on it, and a
// token that stays valid across restarts (sessions live in the database).
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <memory>
#include <random>
#include <string>

#include "testing/api_server.h"
#include "testing/process.h"
#include "testing/write_load.h"

namespace kansli::testing {

inline const std::string kPassword = "ett-långt-lösenord-för-krascher";

class DurableServer {
 public:
  explicit DurableServer(std::string data_dir) : data_dir_(std::move(data_dir)) {
    auto r = runKansli({"user", "add", "--data-dir", data_dir_, "--username", "rita", "--role",
                        "registrator"},
                       kPassword + "\n");
    if (r.exit_code != 0) throw std::runtime_error("user add: " + r.err);
    // The unit head and the officers the casework load assigns (WriteLoad's
    // addCaseworkOps), all of Barn- och familjeenheten.
    for (auto [name, role] : {std::pair{"head", "enhetschef"}, std::pair{"nina", "handlaggare"},
                              std::pair{"nils", "handlaggare"}}) {
      auto u = runKansli({"user", "add", "--data-dir", data_dir_, "--username", name, "--role",
                          role, "--unit", "bfe"},
                         kPassword + "\n");
      if (u.exit_code != 0) throw std::runtime_error("user add " + std::string(name) + ": " + u.err);
    }
    start();
    token_ = signIn("rita");
    head_token_ = signIn("head");
  }

  void start() {
    server_ = std::make_unique<ServerProcess>(std::vector<std::string>{
        "serve", "--data-dir", data_dir_, "--port", "0", "--quiet", "--org",
        sourceDir() + "/samples/nacka/organisation.xml"});
  }
  void kill9() { server_->kill9(); }
  int terminate() { return server_->terminate(); }
  int port() const { return server_->port(); }
  Client client() const {
    Client c(port());
    c.setToken(token_);
    return c;
  }
  const std::string& token() const { return token_; }
  const std::string& headToken() const { return head_token_; }
  std::string db() const { return data_dir_ + "/kansli.db"; }
  const std::string& dataDir() const { return data_dir_; }

 private:
  std::string data_dir_;
  std::string signIn(const std::string& username) {
    Client c(server_->port());
    auto s = c.post("/api/v1/session",
                    R"({"username":")" + username + R"(","password":")" + kPassword + "\"}");
    if (s.status != 201) throw std::runtime_error("sign-in " + username + ": " + s.body);
    return s.json()->getValue<std::string>("token");
  }

  std::unique_ptr<ServerProcess> server_;
  std::string token_, head_token_;
};

// A number from the environment, else `fallback`.
inline int envInt(const char* name, int fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::atoi(v) : fallback;
}

// The seed for this run: KANSLI_DURABILITY_SEED to replay one, else random.
inline std::uint64_t seedFromEnv() {
  const char* v = std::getenv("KANSLI_DURABILITY_SEED");
  if (v && *v) return std::strtoull(v, nullptr, 10);
  return std::random_device{}();
}

// Waits until `load` has acknowledged `n` writes in all (the server answers;
// a server that stops answering fails the test instead of hanging it).
inline ::testing::AssertionResult waitForAcks(const WriteLoad& load, std::size_t n) {
  for (int i = 0; i < 12000 && load.ackCount() < n; ++i) {
    if (!load.unexpected().empty()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  if (load.ackCount() >= n) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << "only " << load.ackCount() << " of " << n << " writes acknowledged; unexpected answers:"
         << joinProblems(load.unexpected());
}

}  // namespace kansli::testing
