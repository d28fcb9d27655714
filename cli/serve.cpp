// `kansli serve`: the service on Poco::Util::ServerApplication, which turns
// SIGINT/SIGTERM into a termination request. On that request the server stops
// accepting, requests in flight finish, and the store closes cleanly (the
// writer drains its queue and checkpoints the WAL).
#include <Poco/Util/ServerApplication.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>

#include <limits>

#include "cli.h"
#include "clock_file.h"
#include "demo.h"
#include "kansli/engine.h"
#include "kansli/text.h"
#include "mail_worker.h"
#include "server.h"
#include "service.h"
#include "smtp.h"

namespace kansli::cli {
namespace {

int fail(const std::string& msg) {
  std::cerr << "kansli: " << msg << "\n";
  return 1;
}

// Checks the data dir exists (creating it) and is writable, with one clear line.
bool prepareDataDir(const std::string& dir, std::string& error) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    error = "kan inte skapa datakatalogen " + dir + ": " + ec.message();
    return false;
  }
  std::string probe = dir + "/.kansli-write-probe";
  {
    std::ofstream out(probe);
    if (!out || !(out << "x") || !out.flush()) {
      error = "datakatalogen " + dir + " är inte skrivbar";
      return false;
    }
  }
  std::filesystem::remove(probe, ec);
  return true;
}

class ServeApp final : public Poco::Util::ServerApplication {
 public:
  ServeApp(EngineConfig engine_config, api::ServiceConfig service_config,
           api::ServerConfig server_config, api::SmtpConfig smtp, bool demo,
           std::string clock_file, std::optional<api::ServerConfig> metrics_config)
      : engine_config_(std::move(engine_config)),
        service_config_(std::move(service_config)),
        server_config_(std::move(server_config)),
        smtp_(std::move(smtp)),
        demo_(demo),
        clock_file_(std::move(clock_file)),
        metrics_config_(std::move(metrics_config)) {}

 protected:
  int main(const std::vector<std::string>&) override {
    std::vector<DemoLogin> logins;
    if (demo_) {
      auto seeded = seedDemo(engine_config_);
      if (!seeded) return fail("demodata: " + seeded.error().message);
      logins = *seeded;
    }
    SystemClock system_clock;
    std::unique_ptr<FileClock> file_clock;
    if (!clock_file_.empty()) {
      auto c = FileClock::open(clock_file_);
      if (!c) return fail(c.error().message);
      file_clock = std::move(*c);
      std::cout << "Tiden läses från " << clock_file_
                << " (endast för test och demonstration): " << formatInstant(file_clock->now())
                << "\n";
    }
    const Clock& clock = file_clock ? static_cast<const Clock&>(*file_clock) : system_clock;
    auto engine = Engine::open(engine_config_, clock);
    if (!engine) return fail(engine.error().message);
    api::Service service(**engine, service_config_);
    // E-mail: only with --smtp-host; without it the service runs as before
    // and /health says "configured": false.
    std::unique_ptr<api::MailWorker> mail;
    if (smtp_.configured()) {
      mail = std::make_unique<api::MailWorker>(**engine,
                                               std::make_unique<api::SmtpTransport>(smtp_));
      service.setMailWorker(mail.get());
      mail->start();
    }
    // Printed before the main URL: whoever waits for that line has both.
    std::unique_ptr<api::HttpServer> metrics_server;
    if (metrics_config_) {
      auto m = api::HttpServer::start(service, *metrics_config_);
      if (!m) return fail(m.error().message);
      metrics_server = std::move(*m);
      std::cout << "Mätvärden (endast /metrics och /health) på http://" << metrics_config_->bind
                << ":" << metrics_server->port() << "/metrics\n";
    }
    auto server = api::HttpServer::start(service, server_config_);
    if (!server) return fail(server.error().message);
    std::cout << "Kansli lyssnar på " << (server_config_.tls() ? "https" : "http") << "://"
              << server_config_.bind << ":" << (*server)->port()
              << "/ (data i " << engine_config_.data_dir << ")\n";
    if (smtp_.configured()) {
      std::cout << "E-post skickas via " << smtp_.host << ":" << smtp_.port << " från "
                << smtp_.from << " (STARTTLS när servern erbjuder det).\n";
    } else {
      std::cout << "E-post är inte konfigurerad (--smtp-host): utdrag och påminnelser "
                   "skickas inte.\n";
    }
    if (!logins.empty()) {
      std::cout << "Demoinloggningar (användare / roll / lösenord):\n";
      for (const auto& l : logins) {
        std::cout << "  " << l.username << " / " << l.role << " / " << l.password << "\n";
      }
    }
    std::cout << "Avsluta med Ctrl+C." << std::endl;
    waitForTerminationRequest();
    std::cout << "Stänger: väntar på pågående anrop ..." << std::endl;
    if (metrics_server) metrics_server->stop();
    (*server)->stop();
    metrics_server.reset();
    server->reset();
    if (mail) mail->stop();
    std::cout << "Stängd." << std::endl;
    return EXIT_OK;
  }

 private:
  EngineConfig engine_config_;
  api::ServiceConfig service_config_;
  api::ServerConfig server_config_;
  api::SmtpConfig smtp_;
  bool demo_;
  std::string clock_file_;
  std::optional<api::ServerConfig> metrics_config_;
};

}  // namespace

int serve(const Args& args) {
  Options o;
  std::string err;
  if (!parseOptions(args,
                    {"data-dir", "database", "port", "bind", "org", "workflows", "clock-file",
                     "tls-cert", "tls-key", "metrics-bind", "max-upload-mib", "smtp-host",
                     "smtp-port", "smtp-from", "smtp-ca"},
                    {"demo", "quiet"}, o,
                    err)) {
    return fail(err);
  }
  if (!o.has("data-dir")) return fail("--data-dir krävs");
  EngineConfig ec;
  ec.data_dir = o.get("data-dir");
  ec.database_url = o.get("database");
  ec.home = home();
  ec.organisation_file = o.get("org");
  ec.workflows_dir = o.get("workflows");
  api::ServiceConfig sc;
  sc.home = ec.home;
  api::ServerConfig server;
  server.bind = o.get("bind", "127.0.0.1");
  auto port = text::parseInteger(o.get("port", "8080"), std::numeric_limits<int>::min(),
                                 std::numeric_limits<int>::max());
  if (!port) return fail("--port måste vara ett tal");
  if (*port < 0 || *port > 65535) return fail("--port måste vara 0-65535");
  server.port = static_cast<int>(*port);
  server.access_log = !o.has("quiet");
  server.tls_cert = o.get("tls-cert");
  server.tls_key = o.get("tls-key");
  if (server.tls_cert.empty() != server.tls_key.empty()) {
    return fail("--tls-cert och --tls-key anges tillsammans");
  }
  for (const auto& f : {server.tls_cert, server.tls_key}) {
    if (!f.empty() && !std::filesystem::is_regular_file(f)) return fail("filen " + f + " finns inte");
  }
  sc.secure_cookies = server.tls();
  api::SmtpConfig smtp;
  smtp.host = o.get("smtp-host");
  auto smtp_port = text::parseInteger(o.get("smtp-port", "25"), 1, 65535);
  if (!smtp_port) return fail("--smtp-port måste vara 1-65535");
  smtp.port = static_cast<int>(*smtp_port);
  smtp.from = o.get("smtp-from", smtp.host.find('.') != std::string::npos
                                     ? "kansli@" + smtp.host
                                     : std::string("kansli@localhost.localdomain"));
  if (!plausibleEmail(smtp.from)) return fail("--smtp-from måste vara en e-postadress");
  smtp.ca_file = o.get("smtp-ca");
  if (!smtp.ca_file.empty() && !std::filesystem::is_regular_file(smtp.ca_file)) {
    return fail("filen " + smtp.ca_file + " finns inte");
  }
  if (smtp.host.empty() && (o.has("smtp-port") || o.has("smtp-from") || o.has("smtp-ca"))) {
    return fail("--smtp-port, --smtp-from och --smtp-ca kräver --smtp-host");
  }
  if (o.has("max-upload-mib")) {
    try {
      long mib = std::stol(o.get("max-upload-mib"));
      if (mib < 1 || mib > 900) throw std::out_of_range("max-upload-mib");
      server.max_upload = static_cast<std::uint64_t>(mib) * 1024 * 1024;
      ec.diarium.max_document_bytes = static_cast<std::size_t>(server.max_upload);
    } catch (...) {
      return fail("--max-upload-mib måste vara ett tal 1-900");
    }
  }
  // The scraper's own listener: HOST:PORT (port 0: any free port).
  std::optional<api::ServerConfig> metrics;
  if (o.has("metrics-bind")) {
    std::string mb = o.get("metrics-bind");
    auto colon = mb.rfind(':');
    api::ServerConfig m;
    m.metrics_only = true;
    m.access_log = false;
    m.max_threads = 2;
    m.max_body = 0;
    m.max_upload = 0;
    try {
      if (colon == std::string::npos) throw std::invalid_argument(mb);
      m.bind = mb.substr(0, colon);
      m.port = std::stoi(mb.substr(colon + 1));
      if (m.port < 0 || m.port > 65535) throw std::out_of_range(mb);
    } catch (...) {
      return fail("--metrics-bind anges som ADRESS:PORT, t.ex. 127.0.0.1:9464");
    }
    metrics = m;
  }
  if (!prepareDataDir(ec.data_dir, err)) return fail(err);
  if (o.has("demo")) {
    // The demo's organisation is Nacka's; an operator edits the copy.
    std::string org = ec.data_dir + "/organisation.xml";
    std::error_code copied;
    if (!std::filesystem::exists(org)) {
      std::filesystem::copy_file(ec.home + "/samples/nacka/organisation.xml", org, copied);
      if (copied) return fail("kan inte kopiera demoorganisationen: " + copied.message());
    }
  }
  ServeApp app(ec, sc, server, smtp, o.has("demo"), o.get("clock-file"), metrics);
  char name[] = "kansli";
  char* argv[] = {name, nullptr};
  return app.run(1, argv);
}

}  // namespace kansli::cli
