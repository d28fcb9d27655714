// API tests talk HTTP to a real server on loopback with a real SQLite file.
// TestServer runs an Engine with the Service and HttpServer over it
// in-process on a free port with a clock the test sets; Client is a small
// Poco HTTP client.
#pragma once

#include <Poco/JSON/Object.h>

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "kansli/clock.h"
#include "kansli/engine.h"
#include "mail_worker.h"
#include "server.h"
#include "service.h"
#include "smtp.h"
#include "testing/testing.h"

namespace kansli::testing {

struct HttpResult {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-cased names
  std::string body;
  Poco::JSON::Object::Ptr json() const;  // throws when the body is not an object
  std::string header(const std::string& n) const {
    auto it = headers.find(n);
    return it == headers.end() ? "" : it->second;
  }
};

class Client {
 public:
  explicit Client(int port) : port_(port) {}
  HttpResult request(const std::string& method, const std::string& path,
                     const std::string& body = "",
                     std::map<std::string, std::string> headers = {}) const;
  HttpResult get(const std::string& path) const { return request("GET", path); }
  HttpResult post(const std::string& path, const std::string& json) const {
    return request("POST", path, json, {{"Content-Type", "application/json"}});
  }
  void setToken(std::string t) { token_ = std::move(t); }
  const std::string& token() const { return token_; }
  int port() const { return port_; }

 private:
  int port_;
  std::string token_;
};

// For a server that is not the Nacka demo: another organisation file, or
// files put in the data dir (templates/) before the engine opens it.
struct TestServerOptions {
  Instant start = Instant{std::chrono::seconds{1601884800}};
  std::string organisation_file;  // empty: samples/nacka/organisation.xml
  std::function<void(const std::string& data_dir)> prepare = {};
  // Template files copied into the data dir's templates/ (the
  // municipality's own, overriding the shipped ones).
  std::vector<std::string> templates = {};
};

class TestServer {
 public:
  // 2020-10-05 08:00 UTC unless told otherwise.
  explicit TestServer(Instant start = Instant{std::chrono::seconds{1601884800}});
  explicit TestServer(const TestServerOptions& options);
  ~TestServer();
  int port() const { return server_->port(); }
  Client client() const { return Client(port()); }
  FixedClock& clock() { return clock_; }
  api::Service& service() { return *service_; }
  Engine& engine() { return *engine_; }
  std::string dataDir() const { return dir_.path().string(); }
  // Adds a user (fast password hashing) and returns a client signed in as them.
  Client as(const std::string& username, Role role, std::optional<std::string> unit = {},
            std::optional<std::string> committee = {});
  // How many audit events with `action` the store holds (read from the file).
  int auditCount(const std::string& action) const;
  // E-mail through `smtp`, as `kansli serve --smtp-host` has it; the delivery
  // loop is not started: tests run its rounds with mail().runOnce().
  api::MailWorker& enableMail(const api::SmtpConfig& smtp);
  api::MailWorker& mail() { return *mail_; }

 private:
  TempDir dir_;
  FixedClock clock_;
  std::unique_ptr<Engine> engine_;
  std::unique_ptr<api::Service> service_;
  std::unique_ptr<api::MailWorker> mail_;
  std::unique_ptr<api::HttpServer> server_;
};

}  // namespace kansli::testing
