// kansli_poco_floor: the floor for Kansli's per-request overhead (issue #20).
//
// The thinnest Poco::Net::HTTPServer that answers what `GET /health` answers
// (the same JSON fields, the time formatted per request, the same length
// give or take the version string), keep-alive on, one thread per
// connection from a pool as large as the server's worker count. Nothing
// else: no routing, no request id, no log, no metrics, no security headers.
// kansli_bench starts it on a free loopback port and loads it with the same
// client (wrk) and settings as Kansli, so the ratio is Kansli's overhead.
//
//   kansli_poco_floor [--threads N]    prints "port N" on stdout, then serves
//                                      until SIGTERM/SIGINT
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/ThreadPool.h>
#include <signal.h>

#include <cstdio>
#include <ctime>
#include <iostream>
#include <string>

namespace {

class Health : public Poco::Net::HTTPRequestHandler {
 public:
  void handleRequest(Poco::Net::HTTPServerRequest&, Poco::Net::HTTPServerResponse& res) override {
    std::time_t t = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char body[128];
    int n = std::snprintf(body, sizeof body,
                          R"({"status":"ok","version":"0.1.0","schema":7,)"
                          R"("time":"%04d-%02d-%02dT%02d:%02d:%02dZ"})",
                          tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
                          tm.tm_sec);
    res.setContentType("application/json");
    res.setContentLength(n);
    res.setKeepAlive(true);
    res.sendBuffer(body, static_cast<std::size_t>(n));
  }
};

class Factory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  Poco::Net::HTTPRequestHandler* createRequestHandler(
      const Poco::Net::HTTPServerRequest&) override {
    return new Health;
  }
};

}  // namespace

int main(int argc, char** argv) {
  int threads = 32;  // kansli serve's default worker count (api/server.h)
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::string(argv[i]) == "--threads") threads = std::stoi(argv[i + 1]);
  }
  sigset_t wanted;
  sigemptyset(&wanted);
  sigaddset(&wanted, SIGTERM);
  sigaddset(&wanted, SIGINT);
  pthread_sigmask(SIG_BLOCK, &wanted, nullptr);  // every thread inherits it

  Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
  auto* params = new Poco::Net::HTTPServerParams;
  params->setMaxThreads(threads);
  params->setMaxQueued(256);
  params->setKeepAlive(true);
  params->setMaxKeepAliveRequests(0);  // unlimited, as Kansli
  Poco::ThreadPool pool(2, threads + 2);
  Poco::Net::HTTPServer server(new Factory, pool, socket, params);
  server.start();
  std::cout << "port " << socket.address().port() << std::endl;

  int sig = 0;
  sigwait(&wanted, &sig);
  server.stopAll(true);
  return 0;
}
