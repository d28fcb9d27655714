// The Poco::Net adapter: binds the socket, turns Poco requests into
// api::Request, calls Service::handle, writes api::Response, and adds what
// every response carries (security headers, request id), the access log line
// and the metrics. Limits: body size, header sizes (Poco's), socket timeouts.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include "kansli/error.h"
#include "service.h"

namespace Poco::Net {
class HTTPServer;
}

namespace kansli::api {

struct ServerConfig {
  std::string bind = "127.0.0.1";
  int port = 8080;              // 0: any free port (tests)
  std::size_t max_body = 8 * 1024 * 1024;
  int max_threads = 32;
  int max_queued = 256;
  std::chrono::seconds io_timeout{30};
  bool access_log = true;
  // HTTPS when both are set (PEM files): TLS 1.2 or newer, and every answer
  // says Strict-Transport-Security. Empty: plain HTTP (behind a proxy that
  // speaks TLS, or on loopback).
  std::string tls_cert;
  std::string tls_key;
  bool tls() const { return !tls_cert.empty(); }
};

class HttpServer {
 public:
  // Binds and starts serving; a port in use is an error with one clear line.
  static Result<std::unique_ptr<HttpServer>> start(Service& service, const ServerConfig& config);
  ~HttpServer();
  int port() const { return port_; }
  // Stops accepting; requests in flight finish (waiting up to `grace`).
  void stop(std::chrono::seconds grace = std::chrono::seconds(30));

 private:
  HttpServer() = default;
  std::unique_ptr<Poco::Net::HTTPServer> server_;
  int port_ = 0;
  bool stopped_ = false;
};

}  // namespace kansli::api
