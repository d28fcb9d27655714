// The HTTP/1.1 server: binds the socket, reads requests, calls
// Service::handle, writes the answers with what every response carries
// (security headers, request id, Date), the access log line and the metrics.
//
// How it stays up under slow or hostile clients: one I/O thread reads every
// connection's request head and body, non-blocking, with a deadline for the
// whole head (head_timeout) and one for the body (body_timeout plus the time
// the body takes at body_min_rate); only a complete request goes to a worker
// thread (max_threads). A connection that trickles bytes holds no thread, so
// hundreds of slow connections do not stop the service (max_connections
// bounds them). A worker that has just answered waits a moment
// (keep_alive_wait) for the same client's next request, since under load it
// comes at once; a client that is slower than that is the I/O thread's again. The head is parsed strictly (wire.h): request smuggling
// (Content-Length with Transfer-Encoding), obsolete folding and duplicate
// Authorization headers are 400 and the connection is closed. Bodies above
// spool_threshold go to an unnamed temporary file, so an upload of
// max_upload bytes costs no more memory than the threshold.
//
// TLS (both tls_cert and tls_key set): OpenSSL on the same non-blocking
// sockets, TLS 1.2 and newer, the server's cipher order, no client
// certificates; every answer then says Strict-Transport-Security.
//
// start() and stop() from one thread; everything else runs on the server's
// own threads.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "kansli/error.h"
#include "service.h"

namespace kansli::api {

struct ServerConfig {
  std::string bind = "127.0.0.1";
  int port = 8080;              // 0: any free port (tests)
  // JSON and XML bodies (every route but the document upload).
  std::size_t max_body = 8 * 1024 * 1024;
  // Routes marked Router::acceptLargeBody (documents): 50 MiB unless told.
  std::uint64_t max_upload = 50ull * 1024 * 1024;
  // Bodies larger than this are spooled to an unnamed file in spool_dir
  // (empty: the system's temporary directory).
  std::size_t spool_threshold = 1024 * 1024;
  std::string spool_dir;
  int max_threads = 32;
  int max_queued = 256;         // complete requests waiting for a worker; more: 503
  int max_connections = 1024;   // open connections; more are closed at once
  // The whole request head must arrive within this of the connection being
  // ready for it (accepted, or idle after an answer: also the keep-alive
  // timeout).
  std::chrono::milliseconds head_timeout{10'000};
  // The body within body_timeout plus its length at body_min_rate bytes/s.
  std::chrono::milliseconds body_timeout{30'000};
  std::uint64_t body_min_rate = 64 * 1024;
  // Writing one answer (a client that does not read).
  std::chrono::seconds io_timeout{30};
  // After answering on a keep-alive connection, the worker waits this long
  // for the client's next request on that connection itself and answers it
  // when it arrives whole, instead of handing the connection back to the
  // I/O thread (two thread switches and a poll round per request). Only
  // while every queued request has an idle worker to take it (not merely
  // while the queue is empty: a request queued for a moment then sent every
  // busy worker's connection back, and those queued in turn); a request not
  // complete within it goes back to the I/O thread (and its deadlines) as
  // before. 0: never.
  std::chrono::microseconds keep_alive_wait{2'000};
  bool access_log = true;
  // A listener for the metrics scraper alone (kansli serve --metrics-bind):
  // it answers GET /metrics (without a sign-in) and GET /health, and 404 to
  // everything else.
  bool metrics_only = false;
  // HTTPS when both are set (PEM files): TLS 1.2 or newer, and every answer
  // says Strict-Transport-Security. Empty: plain HTTP (behind a proxy that
  // speaks TLS, or on loopback).
  std::string tls_cert;
  std::string tls_key;
  bool tls() const { return !tls_cert.empty(); }
};

class HttpServer {
 public:
  // Binds and starts serving; a port in use or an unusable certificate is an
  // error with one clear line.
  static Result<std::unique_ptr<HttpServer>> start(Service& service, const ServerConfig& config);
  ~HttpServer();
  int port() const;
  // Open connections now (the metrics' gauge).
  std::int64_t openConnections() const;
  // Stops accepting; requests in flight finish (waiting up to `grace`).
  void stop(std::chrono::seconds grace = std::chrono::seconds(30));

  struct Impl;

 private:
  HttpServer() = default;
  std::unique_ptr<Impl> impl_;
};

}  // namespace kansli::api
