#include "testing/api_server.h"

#include "testing/database.h"

#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>

#include <filesystem>
#include <sstream>

namespace kansli::testing {

Poco::JSON::Object::Ptr HttpResult::json() const {
  Poco::JSON::Parser p;
  return p.parse(body).extract<Poco::JSON::Object::Ptr>();
}

HttpResult Client::request(const std::string& method, const std::string& path,
                           const std::string& body,
                           std::map<std::string, std::string> headers) const {
  Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port_));
  session.setTimeout(Poco::Timespan(60, 0));
  Poco::Net::HTTPRequest req(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
  if (!token_.empty() && !headers.count("Authorization")) {
    req.set("Authorization", "Bearer " + token_);
  }
  for (const auto& [k, v] : headers) req.set(k, v);
  if (!body.empty() || method == "POST" || method == "PUT") {
    req.setContentLength64(static_cast<Poco::Int64>(body.size()));
  }
  std::ostream& out = session.sendRequest(req);
  out << body;
  Poco::Net::HTTPResponse res;
  std::istream& in = session.receiveResponse(res);
  HttpResult r;
  r.status = res.getStatus();
  for (const auto& [k, v] : res) {
    std::string lk = k;
    for (auto& c : lk) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    r.headers[lk] = v;
  }
  std::ostringstream ss;
  Poco::StreamCopier::copyStream(in, ss);
  r.body = ss.str();
  return r;
}

TestServer::TestServer(Instant start) : TestServer(TestServerOptions{.start = start}) {}

TestServer::TestServer(const TestServerOptions& options) : clock_(options.start) {
  if (options.prepare) options.prepare(dir_.path().string());
  EngineConfig ec;
  ec.data_dir = dir_.path().string();
  ec.database_url = databaseUrlFor(ec.data_dir);
  ec.home = sourceDir();
  ec.accounts.pbkdf2_iterations = 1000;  // fast tests; the format records the count
  ec.organisation_file = options.organisation_file.empty()
                             ? sourceDir() + "/samples/nacka/organisation.xml"
                             : options.organisation_file;
  if (!options.templates.empty()) {
    std::filesystem::create_directories(dir_.path() / "templates");
    for (const auto& t : options.templates) {
      std::filesystem::copy_file(t, dir_.path() / "templates" / std::filesystem::path(t).filename());
    }
  }
  auto e = Engine::open(ec, clock_);
  if (!e) throw std::runtime_error("engine: " + e.error().message);
  engine_ = std::move(*e);
  service_ = std::make_unique<api::Service>(*engine_, api::ServiceConfig{.home = sourceDir()});
  api::ServerConfig cfg;
  cfg.port = 0;
  cfg.access_log = false;
  cfg.max_body = 1024 * 1024;
  auto srv = api::HttpServer::start(*service_, cfg);
  if (!srv) throw std::runtime_error("server: " + srv.error().message);
  server_ = std::move(*srv);
}

TestServer::~TestServer() {
  server_->stop();
  server_.reset();
  if (mail_) mail_->stop();
  mail_.reset();
  service_.reset();
  engine_.reset();
}

Client TestServer::as(const std::string& username, Role role, std::optional<std::string> unit,
                      std::optional<std::string> committee) {
  const std::string password = "ett-långt-lösenord-" + username;
  auto u = service_->accounts().addUser({username, username, role, unit, committee}, password,
                                        audit::Actor::system());
  if (!u && u.error().code != ErrorCode::kConflict) {
    throw std::runtime_error("addUser: " + u.error().message);
  }
  Client c = client();
  auto r = c.post("/api/v1/session",
                  "{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}");
  if (r.status != 201) throw std::runtime_error("sign-in failed: " + r.body);
  c.setToken(r.json()->getValue<std::string>("token"));
  return c;
}

api::MailWorker& TestServer::enableMail(const api::SmtpConfig& smtp) {
  mail_ = std::make_unique<api::MailWorker>(*engine_, std::make_unique<api::SmtpTransport>(smtp));
  service_->setMailWorker(mail_.get());
  return *mail_;
}

int TestServer::auditCount(const std::string& action) const {
  // Read from the database itself, not through the engine. Actions are
  // identifiers chosen by the tests: quoting them is enough.
  auto rows = queryStore(dataDir(), "SELECT count(*) FROM audit_events WHERE action = '" +
                                        action + "'");
  return rows.empty() ? -1 : std::stoi(rows[0][0]);
}

}  // namespace kansli::testing
