#include "server.h"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SSLException.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/URI.h>

#include <atomic>
#include <chrono>
#include <random>
#include <thread>

#include "log.h"

namespace kansli::api {
namespace {

std::string newRequestId() {
  static std::atomic<std::uint64_t> counter{0};
  static const std::uint32_t prefix = std::random_device{}();
  char buf[32];
  std::snprintf(buf, sizeof buf, "%08x-%llu", prefix,
                static_cast<unsigned long long>(++counter));
  return buf;
}

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

class Handler final : public Poco::Net::HTTPRequestHandler {
 public:
  Handler(Service& s, const ServerConfig& c) : service_(s), config_(c) {}

  void handleRequest(Poco::Net::HTTPServerRequest& in,
                     Poco::Net::HTTPServerResponse& out) override {
    auto started = std::chrono::steady_clock::now();
    Request req;
    req.request_id = newRequestId();
    req.from_loopback = in.clientAddress().host().isLoopback();
    Response res;
    try {
      res = build(in, req);
    } catch (const std::exception&) {
      // A Content-Length that is not a number, a broken chunk: Poco throws
      // while the body is read. Without this the connection was dropped
      // with no answer.
      res = Response::problem(400, "innehållets längd eller kodning är ogiltig");
    }
    if (res.status == 0) {
      res = service_.handle(req);
    }
    write(res, req, out);
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    const std::string& route = req.route;
    service_.metrics().record(req.method, route.empty() ? "unmatched" : route, res.status,
                              seconds);
    if (config_.access_log) {
      auto line = obj();
      line.set("ts", formatInstant(service_.clock().now()));
      line.set("request_id", req.request_id);
      line.set("method", req.method);
      line.set("path", req.path);  // never the query: it may hold search terms
      line.set("route", route);
      line.set("status", res.status);
      line.set("ms", seconds * 1000.0);
      line.set("bytes", static_cast<std::uint64_t>(res.body.size()));
      line.set("user", req.user ? req.user->username : "");
      logLine(line);
    }
  }

 private:
  // Fills req from the Poco request. Returns a response with status != 0 when
  // the request is refused before routing (bad URI, body too large).
  Response build(Poco::Net::HTTPServerRequest& in, Request& req) {
    req.method = in.getMethod();
    try {
      Poco::URI uri(in.getURI());
      req.path = uri.getPath();
      for (const auto& [k, v] : uri.getQueryParameters()) req.query[k] = v;
    } catch (const Poco::Exception&) {
      req.path = "";
      return Response::problem(400, "ogiltig adress (URI)");
    }
    for (const auto& [k, v] : in) req.headers[lower(k)] = v;
    if (in.hasContentLength()) {
      auto len = in.getContentLength64();
      if (len < 0 || static_cast<std::uint64_t>(len) > config_.max_body) {
        return Response::problem(413, "innehållet är större än " +
                                          std::to_string(config_.max_body) + " byte");
      }
      req.body.resize(static_cast<size_t>(len));
      in.stream().read(req.body.data(), len);
      req.body.resize(static_cast<size_t>(in.stream().gcount()));
    } else if (in.getChunkedTransferEncoding()) {
      std::string chunk(64 * 1024, '\0');
      while (in.stream().read(chunk.data(), static_cast<std::streamsize>(chunk.size())) ||
             in.stream().gcount() > 0) {
        req.body.append(chunk.data(), static_cast<size_t>(in.stream().gcount()));
        if (req.body.size() > config_.max_body) {
          return Response::problem(413, "innehållet är större än " +
                                            std::to_string(config_.max_body) + " byte");
        }
      }
    }
    Response none;
    none.status = 0;
    return none;
  }

  void write(const Response& res, const Request& req, Poco::Net::HTTPServerResponse& out) {
    out.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(res.status));
    out.setContentType(res.content_type);
    out.set("X-Request-Id", req.request_id);
    out.set("X-Content-Type-Options", "nosniff");
    out.set("X-Frame-Options", "DENY");
    out.set("Referrer-Policy", "no-referrer");
    out.set("Content-Security-Policy",
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            "frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
    bool has_cache_control = false;
    for (const auto& [k, v] : res.headers) {
      out.set(k, v);
      if (lower(k) == "cache-control") has_cache_control = true;
    }
    if (!has_cache_control) out.set("Cache-Control", "no-store");
    if (config_.tls()) out.set("Strict-Transport-Security", "max-age=31536000");
    // After a refused body the rest of it may still be on the wire: close.
    if (res.status == 413 || res.status == 400) out.setKeepAlive(false);
    if (res.status == 204 || res.status == 304 || req.method == "HEAD") {
      out.setContentLength(0);
      out.send();
      return;
    }
    out.setContentLength64(static_cast<Poco::Int64>(res.body.size()));
    out.send().write(res.body.data(), static_cast<std::streamsize>(res.body.size()));
  }

  Service& service_;
  const ServerConfig& config_;
};

class Factory final : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  Factory(Service& s, ServerConfig c) : service_(s), config_(std::move(c)) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(
      const Poco::Net::HTTPServerRequest&) override {
    return new Handler(service_, config_);
  }

 private:
  Service& service_;
  ServerConfig config_;
};

}  // namespace

Result<std::unique_ptr<HttpServer>> HttpServer::start(Service& service,
                                                      const ServerConfig& config) {
  std::unique_ptr<HttpServer> s(new HttpServer());
  try {
    Poco::Net::SocketAddress address(config.bind, static_cast<Poco::UInt16>(config.port));
    Poco::Net::ServerSocket socket;
    if (config.tls()) {
      if (config.tls_key.empty()) {
        return std::unexpected(Error::invalid("TLS kräver både certifikat och nyckel"));
      }
      static std::once_flag ssl_init;
      std::call_once(ssl_init, [] { Poco::Net::initializeSSL(); });
      // Server side, no client certificates, TLS 1.2 and newer only, the
      // server's cipher order; OpenSSL's defaults for the ciphers themselves.
      Poco::Net::Context::Ptr context = new Poco::Net::Context(
          Poco::Net::Context::TLS_SERVER_USE, config.tls_key, config.tls_cert, "",
          Poco::Net::Context::VERIFY_NONE, 9, false, "HIGH:!aNULL:!MD5:!RC4:!3DES");
      context->disableProtocols(Poco::Net::Context::PROTO_SSLV2 | Poco::Net::Context::PROTO_SSLV3 |
                                Poco::Net::Context::PROTO_TLSV1 |
                                Poco::Net::Context::PROTO_TLSV1_1);
      context->preferServerCiphers();
      socket = Poco::Net::SecureServerSocket(context);
    }
    socket.bind(address, /*reuseAddress=*/true, /*reusePort=*/false);
    socket.listen(256);
    s->port_ = socket.address().port();
    auto* params = new Poco::Net::HTTPServerParams();
    params->setMaxThreads(config.max_threads);
    params->setMaxQueued(config.max_queued);
    params->setTimeout(Poco::Timespan(config.io_timeout.count(), 0));
    params->setKeepAlive(true);
    params->setKeepAliveTimeout(Poco::Timespan(10, 0));
    params->setMaxKeepAliveRequests(10000);
    params->setServerName("Kansli");
    s->server_ = std::make_unique<Poco::Net::HTTPServer>(new Factory(service, config), socket,
                                                         params);
    s->server_->start();
  } catch (const Poco::Net::SSLException& e) {
    return std::unexpected(Error::invalid("TLS: certifikatet eller nyckeln kan inte användas (" +
                                          config.tls_cert + ", " + config.tls_key +
                                          "): " + e.displayText()));
  } catch (const Poco::Exception& e) {
    return std::unexpected(Error::internal("kan inte lyssna på " + config.bind + ":" +
                                           std::to_string(config.port) + ": " + e.displayText()));
  }
  return s;
}

void HttpServer::stop(std::chrono::seconds grace) {
  if (stopped_ || !server_) return;
  stopped_ = true;
  server_->stopAll(false);  // stop accepting; let requests in flight finish
  auto deadline = std::chrono::steady_clock::now() + grace;
  while (server_->currentConnections() > 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

HttpServer::~HttpServer() { stop(); }

}  // namespace kansli::api
