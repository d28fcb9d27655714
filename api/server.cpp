#include "server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <Poco/URI.h>

#include <algorithm>
#include <charconv>
#include <atomic>
#include <cerrno>
#include <climits>
#include <condition_variable>
#include <cstring>
#include <ctime>
#include <deque>
#include <filesystem>
#include <mutex>
#include <random>
#include <thread>
#include <vector>

#include "log.h"
#include "wire.h"

namespace kansli::api {
namespace {

using Steady = std::chrono::steady_clock;

// "<8 hex digits of this process>-<count>", as "%08x-%llu" would write it.
std::string newRequestId() {
  static std::atomic<std::uint64_t> counter{0};
  static const std::uint32_t prefix = std::random_device{}();
  static const char* const kHex = "0123456789abcdef";
  char buf[32];
  for (int i = 0; i < 8; ++i) buf[i] = kHex[(prefix >> (28 - 4 * i)) & 0xF];
  buf[8] = '-';
  auto end = std::to_chars(buf + 9, buf + sizeof buf, ++counter).ptr;
  return std::string(buf, end);
}

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// IMF-fixdate (RFC 9110 5.6.7), independent of the locale; formatted once
// per second per thread.
const std::string& httpDate() {
  static const char* const kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static const char* const kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  thread_local std::time_t formatted = -1;
  thread_local std::string date;
  std::time_t t = std::time(nullptr);
  if (t == formatted) return date;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d GMT", kDays[tm.tm_wday % 7],
                tm.tm_mday, kMonths[tm.tm_mon % 12], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
                tm.tm_sec);
  date = buf;
  formatted = t;
  return date;
}

std::string opensslError() {
  unsigned long e = ERR_get_error();
  if (e == 0) return "okänt fel";
  char buf[256];
  ERR_error_string_n(e, buf, sizeof buf);
  ERR_clear_error();
  return buf;
}

struct SslCtxFree {
  void operator()(SSL_CTX* c) const { SSL_CTX_free(c); }
};
struct SslFree {
  void operator()(SSL* s) const { SSL_free(s); }
};

enum class Io { kOk, kWantRead, kWantWrite, kEof, kError };

// One client connection. Owned by the I/O thread while it reads a request,
// by one worker while that answers it; never by two threads at once.
struct Connection {
  int fd = -1;
  std::unique_ptr<SSL, SslFree> ssl;
  bool loopback = false;
  // kDiscard: a refusal was sent while the body was still coming; what
  // arrives is read and dropped for a moment, so the client sees the answer
  // instead of a reset connection (lingering close).
  enum class Phase { kHead, kBody, kDiscard } phase = Phase::kHead;
  Steady::time_point deadline;
  bool want_write = false;  // TLS must write before it can read on
  std::string in;           // received and not yet consumed
  wire::RequestHead head;
  // The target's decoded path, parsed once when the head is read (the route
  // decides the body limit); uri_ok false: the target is not a URI (400).
  std::string path;
  bool uri_ok = true;
  wire::Framing framing;
  wire::ChunkedDecoder chunked;
  std::uint64_t body_remaining = 0;
  std::uint64_t body_limit = 0;
  std::uint64_t body_size = 0;
  bool large_body = false;
  std::string body;
  std::shared_ptr<BodyFile> body_file;
  Steady::time_point linger_until;  // kDiscard: the latest close

  Connection() = default;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection() {
    ssl.reset();
    if (fd >= 0) ::close(fd);
  }

  void resetRequest() {
    head = {};
    path.clear();
    uri_ok = true;
    framing = {};
    chunked = {};
    body_remaining = body_limit = body_size = 0;
    large_body = false;
    body.clear();
    body_file.reset();
  }

  std::pair<Io, std::size_t> read(char* buf, std::size_t n) {
    if (ssl) {
      ERR_clear_error();
      int r = SSL_read(ssl.get(), buf, static_cast<int>(std::min<std::size_t>(n, INT_MAX)));
      if (r > 0) return {Io::kOk, static_cast<std::size_t>(r)};
      switch (SSL_get_error(ssl.get(), r)) {
        case SSL_ERROR_WANT_READ: return {Io::kWantRead, 0};
        case SSL_ERROR_WANT_WRITE: return {Io::kWantWrite, 0};
        case SSL_ERROR_ZERO_RETURN: return {Io::kEof, 0};
        default: ERR_clear_error(); return {Io::kError, 0};
      }
    }
    ssize_t r = ::recv(fd, buf, n, 0);
    if (r > 0) return {Io::kOk, static_cast<std::size_t>(r)};
    if (r == 0) return {Io::kEof, 0};
    if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) return {Io::kWantRead, 0};
    return {Io::kError, 0};
  }

  std::pair<Io, std::size_t> write(const char* buf, std::size_t n) {
    if (ssl) {
      ERR_clear_error();
      int r = SSL_write(ssl.get(), buf, static_cast<int>(std::min<std::size_t>(n, INT_MAX)));
      if (r > 0) return {Io::kOk, static_cast<std::size_t>(r)};
      switch (SSL_get_error(ssl.get(), r)) {
        case SSL_ERROR_WANT_READ: return {Io::kWantRead, 0};
        case SSL_ERROR_WANT_WRITE: return {Io::kWantWrite, 0};
        default: ERR_clear_error(); return {Io::kError, 0};
      }
    }
    ssize_t r = ::send(fd, buf, n, MSG_NOSIGNAL);
    if (r >= 0) return {Io::kOk, static_cast<std::size_t>(r)};
    if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) return {Io::kWantWrite, 0};
    return {Io::kError, 0};
  }

  // Writes all of `data`, waiting for the socket up to `deadline`.
  bool sendAll(std::string_view data, Steady::time_point until) {
    while (!data.empty()) {
      auto [io, n] = write(data.data(), data.size());
      if (io == Io::kOk) {
        data.remove_prefix(n);
        continue;
      }
      if (io != Io::kWantRead && io != Io::kWantWrite) return false;
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - Steady::now());
      if (left.count() <= 0) return false;
      pollfd p{fd, static_cast<short>(io == Io::kWantRead ? POLLIN : POLLOUT), 0};
      int r = ::poll(&p, 1, static_cast<int>(std::min<long long>(left.count(), INT_MAX)));
      if (r < 0 && errno != EINTR) return false;
      if (r > 0 && (p.revents & (POLLERR | POLLNVAL))) return false;
    }
    return true;
  }
};

bool isLoopback(const sockaddr_storage& a) {
  if (a.ss_family == AF_INET) {
    auto* in = reinterpret_cast<const sockaddr_in*>(&a);
    return (ntohl(in->sin_addr.s_addr) >> 24) == 127;
  }
  if (a.ss_family == AF_INET6) {
    auto* in6 = reinterpret_cast<const sockaddr_in6*>(&a);
    if (IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr)) return true;
    if (IN6_IS_ADDR_V4MAPPED(&in6->sin6_addr)) return in6->sin6_addr.s6_addr[12] == 127;
  }
  return false;
}

}  // namespace

struct HttpServer::Impl {
  Service& service;
  ServerConfig config;
  int listen_fd = -1;
  int wake_fd = -1;
  int port = 0;
  std::unique_ptr<SSL_CTX, SslCtxFree> ssl_ctx;
  std::thread io_thread;
  std::vector<std::thread> workers;

  // The I/O thread's connections (reading a request).
  std::vector<std::unique_ptr<Connection>> reading;

  std::mutex jobs_mu;
  std::condition_variable jobs_cv;
  std::deque<std::unique_ptr<Connection>> jobs;
  std::atomic<int> queued{0};  // jobs.size(), read without the lock
  // Workers waiting for a job (in jobs_cv.wait). A worker keeps its client's
  // connection for the next request only while every queued request has an
  // idle worker to take it.
  std::atomic<int> idle{0};
  // Requests one worker answers on one connection before handing it back.
  static constexpr int kMaxAnsweredInARow = 1000;
  bool workers_stop = false;

  std::mutex back_mu;
  std::vector<std::unique_ptr<Connection>> returned;

  std::atomic<std::int64_t> open{0};
  std::atomic<int> busy{0};  // requests queued or being answered
  // Connections in the middle of sending a request (the I/O thread counts
  // them each round): stop() lets them finish too.
  std::atomic<int> reading_requests{0};
  std::atomic<bool> accepting{true};
  std::atomic<bool> io_stop{false};

  Impl(Service& s, ServerConfig c) : service(s), config(std::move(c)) {}
  ~Impl() {
    if (listen_fd >= 0) ::close(listen_fd);
    if (wake_fd >= 0) ::close(wake_fd);
  }

  // Keeps the count of open connections and the metrics' gauge.
  void counted(int delta) {
    std::int64_t n = open.fetch_add(delta) + delta;
    if (!config.metrics_only) service.metrics().setOpenConnections(n);
  }

  void wake() const {
    std::uint64_t one = 1;
    [[maybe_unused]] auto n = ::write(wake_fd, &one, sizeof one);
  }

  // ---- responses -------------------------------------------------------------

  // The head of `res` with every header the service adds. False when a header
  // name or value is not allowed on the wire (CR, LF, NUL...): nothing of it
  // may be sent.
  bool buildHead(const Response& res, const std::string& request_id, bool head_only,
                 bool keep_alive, int minor_version, wire::ResponseHead& h) const {
    bool ok = true;
    auto set = [&](std::string_view k, std::string_view v) { ok = h.set(k, v) && ok; };
    const bool no_body = res.status == 204 || res.status == 304;
    // The server's own fields first, on the empty head (add: no checks);
    // the handler's may replace them (set), and are checked.
    h.add("Date", httpDate());
    h.add("Server", "Kansli");
    h.add("X-Request-Id", request_id);  // newRequestId(): hex digits, '-', digits
    h.add("X-Content-Type-Options", "nosniff");
    h.add("X-Frame-Options", "DENY");
    h.add("Referrer-Policy", "no-referrer");
    h.add("Content-Security-Policy",
          "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
          "frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
    // A 304 describes the stored representation by its validators only: a
    // Content-Type of our own there would be wrong for app.js or a PDF.
    if (!no_body) set("Content-Type", res.content_type);
    for (const auto& [k, v] : res.headers) set(k, v);
    if (!h.has("Cache-Control")) set("Cache-Control", "no-store");
    if (config.tls()) set("Strict-Transport-Security", "max-age=31536000");
    if (!keep_alive) {
      set("Connection", "close");
    } else if (minor_version == 0) {
      set("Connection", "keep-alive");
    }
    if (!no_body) set("Content-Length", std::to_string(res.body.size()));
    (void)head_only;  // HEAD: the length of what GET would send, no body
    return ok;
  }

  // Writes `res`; false when the connection must close (write failed).
  bool writeResponse(Connection& c, Response& res, const std::string& request_id,
                     bool head_only, bool keep_alive) const {
    wire::ResponseHead h(res.status);
    if (!buildHead(res, request_id, head_only, keep_alive, c.head.minor_version, h)) {
      auto line = obj();
      line.set("level", "error");
      line.set("request_id", request_id);
      line.set("error", "a response header with a forbidden byte was refused");
      logLine(line, true);
      res = Response::problem(500, "ett internt fel inträffade (" + request_id + ")");
      h = wire::ResponseHead(500);
      buildHead(res, request_id, head_only, keep_alive, c.head.minor_version, h);
    }
    auto deadline = Steady::now() + config.io_timeout;
    std::string head = h.serialize();
    const bool no_body = head_only || res.status == 204 || res.status == 304;
    if (!no_body && res.body.size() <= 64 * 1024) {
      head += res.body;
      return c.sendAll(head, deadline);
    }
    if (!c.sendAll(head, deadline)) return false;
    return no_body || c.sendAll(res.body, deadline);
  }

  // An answer from the I/O thread itself (the request never reached the
  // service): one non-blocking attempt, then the connection closes.
  void refuse(Connection& c, int status, const std::string& detail) {
    Response res = Response::problem(status, detail);
    if (status == 503) res.header("Retry-After", "1");
    std::string id = newRequestId();
    wire::ResponseHead h(status);
    buildHead(res, id, false, false, 1, h);
    std::string out = h.serialize() + res.body;
    (void)c.write(out.data(), out.size());
    service.metrics().record(c.head.method, "unmatched", status, 0.0);
    if (config.access_log) {
      auto line = obj();
      line.set("ts", formatInstant(service.clock().now()));
      line.set("request_id", id);
      line.set("method", c.head.method);
      line.set("status", status);
      line.set("refused", detail);
      logLine(line);
    }
  }

  // ---- the I/O thread --------------------------------------------------------

  enum class Step { kWait, kClose, kDispatch, kLinger };

  bool spool(Connection& c, const char* data, std::size_t n) {
    if (!c.body_file && c.body.size() + n <= config.spool_threshold) {
      c.body.append(data, n);
      return true;
    }
    if (!c.body_file) {
      auto file = std::make_shared<BodyFile>();
      std::string dir = config.spool_dir.empty()
                            ? std::filesystem::temp_directory_path().string()
                            : config.spool_dir;
      file->fd = ::open(dir.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
      if (file->fd < 0) {
        std::string tmpl = dir + "/kansli-upload-XXXXXX";
        file->fd = ::mkostemp(tmpl.data(), O_CLOEXEC);
        if (file->fd >= 0) ::unlink(tmpl.c_str());
      }
      if (file->fd < 0) return false;
      c.body_file = std::move(file);
      std::string held = std::move(c.body);
      c.body.clear();
      if (!spool(c, held.data(), held.size())) return false;
    }
    while (n > 0) {
      ssize_t w = ::write(c.body_file->fd, data, n);
      if (w < 0 && errno == EINTR) continue;
      if (w <= 0) return false;
      data += w;
      n -= static_cast<std::size_t>(w);
      c.body_file->size += static_cast<std::uint64_t>(w);
    }
    return true;
  }

  Step tooLarge(Connection& c) {
    refuse(c, 413, "innehållet är större än " + std::to_string(c.body_limit) + " byte");
    return Step::kLinger;
  }

  // What the I/O thread does with a connection after a step; `c` is moved
  // out (dispatched) or reset (closed) unless it stays with the I/O thread.
  void settle(std::unique_ptr<Connection>& c, Step s) {
    switch (s) {
      case Step::kWait: break;
      case Step::kClose: closeReading(c); break;
      case Step::kDispatch: dispatch(std::move(c)); break;
      case Step::kLinger:
        // As a lingering close does: read on while the client still sends
        // (5 s after its last bytes, 30 s at most), then close.
        c->phase = Connection::Phase::kDiscard;
        c->in.clear();
        c->linger_until = Steady::now() + std::chrono::seconds(30);
        c->deadline = Steady::now() + std::chrono::seconds(5);
        break;
    }
  }

  Step process(Connection& c) {
    if (c.phase == Connection::Phase::kDiscard) {
      if (!c.in.empty()) c.deadline = std::min(c.linger_until, Steady::now() + std::chrono::seconds(5));
      c.in.clear();
      return Step::kWait;
    }
    if (c.phase == Connection::Phase::kHead) {
      while (c.in.size() >= 2 && c.in[0] == '\r' && c.in[1] == '\n') c.in.erase(0, 2);
      std::size_t end = wire::headEnd(c.in);
      if (end == std::string::npos) {
        if (c.in.size() > wire::kMaxHead) {
          refuse(c, 431, "begärans huvud är för stort");
          return Step::kClose;
        }
        return Step::kWait;
      }
      if (auto err = wire::parseHead(std::string_view(c.in).substr(0, end), c.head, c.framing)) {
        refuse(c, err->status, err->detail);
        return Step::kClose;
      }
      c.in.erase(0, end);
      try {
        c.path = Poco::URI(c.head.target).getPath();
      } catch (const Poco::Exception&) {
        c.path.clear();  // the worker answers 400 for it
        c.uri_ok = false;
      }
      std::map<std::string, std::string> params;
      Match m = service.router().match(c.head.method, c.path, params);
      c.large_body = m.route && m.route->large_body;
      c.body_limit = c.large_body ? config.max_upload : config.max_body;
      if (c.framing.kind == wire::BodyKind::kNone) return Step::kDispatch;
      if (c.framing.kind == wire::BodyKind::kLength && c.framing.length > c.body_limit) {
        return tooLarge(c);
      }
      c.phase = Connection::Phase::kBody;
      c.body_remaining = c.framing.length;
      std::uint64_t expected =
          c.framing.kind == wire::BodyKind::kLength ? c.framing.length : c.body_limit;
      c.deadline = Steady::now() + config.body_timeout +
                   std::chrono::seconds(expected / std::max<std::uint64_t>(1, config.body_min_rate));
      if (lower(c.head.header("expect")) == "100-continue" && c.in.empty()) {
        if (!c.sendAll("HTTP/1.1 100 Continue\r\n\r\n", Steady::now() + std::chrono::seconds(1))) {
          return Step::kClose;
        }
      }
    }
    // The body.
    if (c.framing.kind == wire::BodyKind::kLength) {
      std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(c.body_remaining, c.in.size()));
      if (n > 0) {
        if (!spool(c, c.in.data(), n)) {
          refuse(c, 507, "lagringsutrymmet räcker inte för innehållet");
          return Step::kClose;
        }
        c.in.erase(0, n);
        c.body_remaining -= n;
        c.body_size += n;
      }
      return c.body_remaining == 0 ? Step::kDispatch : Step::kWait;
    }
    std::string out;
    auto step = c.chunked.feed(c.in, out);
    c.in.erase(0, step.consumed);
    if (step.error) {
      refuse(c, step.error->status, step.error->detail);
      return Step::kClose;
    }
    c.body_size += out.size();
    if (c.body_size > c.body_limit) return tooLarge(c);
    if (!out.empty() && !spool(c, out.data(), out.size())) {
      refuse(c, 507, "lagringsutrymmet räcker inte för innehållet");
      return Step::kClose;
    }
    return step.done ? Step::kDispatch : Step::kWait;
  }

  // Reads what the socket has and moves the request on.
  Step onReadable(Connection& c) {
    char buf[64 * 1024];
    for (;;) {
      auto [io, n] = c.read(buf, sizeof buf);
      if (io == Io::kOk) {
        c.want_write = false;
        c.in.append(buf, n);
        Step s = process(c);
        if (s != Step::kWait) return s;
        continue;
      }
      if (io == Io::kWantRead) {
        c.want_write = false;
        return Step::kWait;
      }
      if (io == Io::kWantWrite) {
        c.want_write = true;
        return Step::kWait;
      }
      return Step::kClose;  // EOF before a whole request, or an error
    }
  }

  void dispatch(std::unique_ptr<Connection> c) {
    {
      std::lock_guard lock(jobs_mu);
      if (static_cast<int>(jobs.size()) < config.max_queued) {
        busy.fetch_add(1);
        queued.fetch_add(1);
        jobs.push_back(std::move(c));
        jobs_cv.notify_one();
        return;
      }
    }
    refuse(*c, 503, "tjänsten är överbelastad; försök igen om en stund");
    counted(-1);
  }

  void acceptAll() {
    for (;;) {
      sockaddr_storage peer{};
      socklen_t len = sizeof peer;
      int fd = ::accept4(listen_fd, reinterpret_cast<sockaddr*>(&peer), &len,
                         SOCK_NONBLOCK | SOCK_CLOEXEC);
      if (fd < 0) return;  // EAGAIN, or an error of that one connection
      if (open.load() >= config.max_connections) {
        ::close(fd);
        continue;
      }
      int one = 1;
      ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
      auto c = std::make_unique<Connection>();
      c->fd = fd;
      c->loopback = isLoopback(peer);
      if (ssl_ctx) {
        c->ssl.reset(SSL_new(ssl_ctx.get()));
        if (!c->ssl || SSL_set_fd(c->ssl.get(), fd) != 1) continue;  // closes
        SSL_set_accept_state(c->ssl.get());
      }
      c->deadline = Steady::now() + config.head_timeout;
      counted(+1);
      reading.push_back(std::move(c));
    }
  }

  void closeReading(std::unique_ptr<Connection>& c) {
    c.reset();
    counted(-1);
  }

  void takeReturned() {
    std::vector<std::unique_ptr<Connection>> back;
    {
      std::lock_guard lock(back_mu);
      back.swap(returned);
    }
    for (auto& c : back) {
      // The worker made it ready for its next request (readyForNext), and
      // may have read part of it already (awaitNext: the phase and deadline
      // are that request's). A pipelined request already read (or held by
      // TLS) goes on at once.
      Step s = Step::kWait;
      if (!c->in.empty()) s = process(*c);
      if (s == Step::kWait && c->ssl && SSL_pending(c->ssl.get()) > 0) s = onReadable(*c);
      if (s == Step::kWait && !accepting.load()) s = Step::kClose;
      settle(c, s);
      if (c) reading.push_back(std::move(c));
    }
  }

  void ioLoop() {
    std::vector<pollfd> fds;
    while (!io_stop.load()) {
      takeReturned();
      if (!accepting.load() && listen_fd >= 0) {
        ::close(listen_fd);
        listen_fd = -1;
        // Idle connections waiting for a next request are closed; those in
        // the middle of one are let finish reading.
        for (auto& c : reading) {
          if (c->phase == Connection::Phase::kHead && c->in.empty()) closeReading(c);
        }
        std::erase(reading, nullptr);
      }
      fds.clear();
      fds.push_back({wake_fd, POLLIN, 0});
      fds.push_back({listen_fd, static_cast<short>(listen_fd >= 0 ? POLLIN : 0), 0});
      auto now = Steady::now();
      auto next = now + std::chrono::seconds(1);
      for (auto& c : reading) {
        fds.push_back({c->fd, static_cast<short>(POLLIN | (c->want_write ? POLLOUT : 0)), 0});
        next = std::min(next, c->deadline);
      }
      int timeout = static_cast<int>(std::max<long long>(
          0, std::chrono::duration_cast<std::chrono::milliseconds>(next - now).count() + 1));
      int n = ::poll(fds.data(), fds.size(), timeout);
      if (n < 0 && errno != EINTR) break;
      if (fds[0].revents & POLLIN) {
        std::uint64_t v;
        [[maybe_unused]] auto r = ::read(wake_fd, &v, sizeof v);
      }
      // Connections first (their indexes match fds), then new ones.
      const std::size_t polled = reading.size();
      for (std::size_t i = 0; i < polled; ++i) {
        auto& c = reading[i];
        short rev = fds[i + 2].revents;
        if (!c || rev == 0) continue;
        settle(c, (rev & POLLNVAL) ? Step::kClose : onReadable(*c));
      }
      if (listen_fd >= 0 && (fds[1].revents & POLLIN)) acceptAll();
      // Deadlines: an idle connection just closes; a request cut short is
      // told 408.
      now = Steady::now();
      for (auto& c : reading) {
        if (!c || c->deadline > now) continue;
        bool started = c->phase == Connection::Phase::kBody ||
                       (c->phase == Connection::Phase::kHead && !c->in.empty());
        if (started) refuse(*c, 408, "begäran kom inte fram i tid");
        closeReading(c);
      }
      std::erase(reading, nullptr);
      reading_requests.store(static_cast<int>(std::count_if(reading.begin(), reading.end(), [](const auto& c) {
        return c->phase == Connection::Phase::kBody ||
               (c->phase == Connection::Phase::kHead && !c->in.empty());
      })));
    }
    for (auto& c : reading) closeReading(c);
    reading.clear();
  }

  // ---- workers ---------------------------------------------------------------

  // A connection whose answer went out: ready for its next request, with
  // the keep-alive deadline (the I/O thread's, should it get it back).
  void readyForNext(Connection& c) {
    c.resetRequest();
    c.phase = Connection::Phase::kHead;
    c.deadline = Steady::now() + config.head_timeout;
  }

  // On a worker, after an answer: waits up to keep_alive_wait for the
  // client's next request on `c` and reads it. kDispatch: a whole request is
  // there, to be answered on this thread; kWait: not (yet), the connection
  // goes back to the I/O thread with whatever arrived; kClose/kLinger as
  // process() says (a refusal was sent).
  Step awaitNext(Connection& c) {
    auto until = Steady::now() + config.keep_alive_wait;
    if (!c.in.empty()) {  // pipelined: read with the request just answered
      Step s = process(c);
      if (s != Step::kWait) return s;
    }
    char buf[16 * 1024];
    for (;;) {
      auto [io, n] = c.read(buf, sizeof buf);
      if (io == Io::kOk) {
        c.want_write = false;
        c.in.append(buf, n);
        Step s = process(c);
        if (s != Step::kWait) return s;
        continue;
      }
      if (io == Io::kWantWrite) {
        c.want_write = true;  // TLS must write first: the I/O thread polls for it
        return Step::kWait;
      }
      if (io != Io::kWantRead) return Step::kClose;
      auto left = std::chrono::duration_cast<std::chrono::microseconds>(until - Steady::now());
      if (left.count() <= 0) return Step::kWait;
      // poll's timeout is in milliseconds: ppoll takes the microseconds.
      timespec ts{0, static_cast<long>(left.count()) * 1000};
      pollfd p{c.fd, POLLIN, 0};
      int r = ::ppoll(&p, 1, &ts, nullptr);
      if (r == 0) return Step::kWait;
      if (r < 0 && errno != EINTR) return Step::kClose;
      if (r > 0 && (p.revents & (POLLERR | POLLNVAL))) return Step::kClose;
    }
  }

  void workerLoop() {
    for (;;) {
      std::unique_ptr<Connection> c;
      {
        std::unique_lock lock(jobs_mu);
        idle.fetch_add(1);
        jobs_cv.wait(lock, [&] { return workers_stop || !jobs.empty(); });
        idle.fetch_sub(1);
        if (jobs.empty()) return;
        c = std::move(jobs.front());
        jobs.pop_front();
        queued.fetch_sub(1);
      }
      bool keep = serve(*c);
      busy.fetch_sub(1);
      // While the client keeps sending and every queued request has an idle
      // worker to take it, answer its requests here (up to a bound, so one
      // connection cannot keep a worker to itself for ever).
      Step next = Step::kWait;
      for (int answered = 1; keep && !io_stop.load(); ++answered) {
        readyForNext(*c);
        next = Step::kWait;
        if (config.keep_alive_wait.count() <= 0 || answered >= kMaxAnsweredInARow ||
            queued.load() > idle.load() || !accepting.load()) {
          break;
        }
        busy.fetch_add(1);  // stop() waits for a request this thread reads
        next = awaitNext(*c);
        if (next != Step::kDispatch) {
          busy.fetch_sub(1);
          break;
        }
        keep = serve(*c);
        busy.fetch_sub(1);
      }
      if (keep && !io_stop.load() && next != Step::kClose) {
        if (next == Step::kLinger) settle(c, next);
        {
          std::lock_guard lock(back_mu);
          returned.push_back(std::move(c));
        }
        wake();
      } else {
        c.reset();
        counted(-1);
      }
    }
  }

  // Answers the request read on `c`; whether the connection stays open.
  bool serve(Connection& c) {
    auto started = Steady::now();
    Request req;
    req.request_id = newRequestId();
    req.from_loopback = c.loopback;
    req.method = c.head.method;
    req.via_metrics_listener = config.metrics_only;
    // The request is read whole before it is answered, so a socket that now
    // reads as closed (a peek finding end-of-stream, or a reset) means the
    // client has gone: long renders poll this and stop (499).
    req.client_gone = [fd = c.fd] {
      char b = 0;
      const ssize_t n = ::recv(fd, &b, 1, MSG_PEEK | MSG_DONTWAIT);
      return n == 0 || (n < 0 && (errno == ECONNRESET || errno == ENOTCONN || errno == EPIPE));
    };
    Response res;
    res.status = 0;
    if (!c.uri_ok) {
      res = Response::problem(400, "ogiltig adress (URI)");
    } else if (c.head.target.find('?') == std::string::npos) {
      req.path = std::move(c.path);  // parsed by process(), no query to read
    } else {
      try {
        Poco::URI uri(c.head.target);
        req.path = uri.getPath();
        for (const auto& [k, v] : uri.getQueryParameters()) req.query[k] = v;
      } catch (const Poco::Exception&) {
        req.path = "";
        res = Response::problem(400, "ogiltig adress (URI)");
      }
    }
    for (const auto& [k, v] : c.head.headers) {
      auto [it, inserted] = req.headers.emplace(k, v);
      if (!inserted) it->second += ", " + v;  // a list-valued field sent twice
    }
    if (c.body_file) {
      if (c.large_body) {
        req.body_file = std::move(c.body_file);
      } else {
        req.body.resize(static_cast<std::size_t>(c.body_file->size));
        ssize_t got = ::pread(c.body_file->fd, req.body.data(), req.body.size(), 0);
        if (got != static_cast<ssize_t>(req.body.size())) {
          res = Response::problem(500, "ett internt fel inträffade (" + req.request_id + ")");
        }
        c.body_file.reset();
      }
    } else {
      req.body = std::move(c.body);
    }
    if (res.status == 0 && config.metrics_only && req.path != "/metrics" && req.path != "/health") {
      res = Response::problem(404, "det finns ingen resurs på " + req.path);
    }
    if (res.status == 0) {
      try {
        res = service.handle(req);
      } catch (const std::exception& e) {
        auto line = obj();
        line.set("level", "error");
        line.set("request_id", req.request_id);
        line.set("exception", e.what());
        logLine(line, true);
        res = Response::problem(500, "ett internt fel inträffade (" + req.request_id + ")");
      }
    }
    std::string connection = lower(c.head.header("connection"));
    bool keep_alive = c.head.minor_version >= 1 ? connection.find("close") == std::string::npos
                                                 : connection.find("keep-alive") != std::string::npos;
    if (!accepting.load()) keep_alive = false;
    bool written = writeResponse(c, res, req.request_id, req.method == "HEAD", keep_alive);

    double seconds = std::chrono::duration<double>(Steady::now() - started).count();
    const std::string& route = req.route;
    service.metrics().record(req.method, route.empty() ? "unmatched" : route, res.status, seconds);
    if (config.access_log) {
      auto line = obj();
      line.set("ts", formatInstant(service.clock().now()));
      line.set("request_id", req.request_id);
      line.set("method", req.method);
      line.set("path", req.path);  // never the query: it may hold search terms
      line.set("route", route);
      line.set("status", res.status);
      line.set("ms", seconds * 1000.0);
      line.set("bytes", static_cast<std::uint64_t>(res.body.size()));
      line.set("user", req.caller);
      logLine(line);
    }
    return written && keep_alive;
  }
};

Result<std::unique_ptr<HttpServer>> HttpServer::start(Service& service, const ServerConfig& config) {
  std::unique_ptr<HttpServer> s(new HttpServer());
  s->impl_ = std::make_unique<Impl>(service, config);
  Impl& im = *s->impl_;
  if (config.tls()) {
    if (config.tls_key.empty()) {
      return std::unexpected(Error::invalid("TLS kräver både certifikat och nyckel"));
    }
    im.ssl_ctx.reset(SSL_CTX_new(TLS_server_method()));
    SSL_CTX* ctx = im.ssl_ctx.get();
    // Server side, no client certificates, TLS 1.2 and newer only, the
    // server's cipher order; OpenSSL's defaults for the ciphers themselves.
    bool ok = ctx && SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) == 1 &&
              SSL_CTX_set_cipher_list(ctx, "HIGH:!aNULL:!MD5:!RC4:!3DES") == 1 &&
              SSL_CTX_use_certificate_chain_file(ctx, config.tls_cert.c_str()) == 1 &&
              SSL_CTX_use_PrivateKey_file(ctx, config.tls_key.c_str(), SSL_FILETYPE_PEM) == 1 &&
              SSL_CTX_check_private_key(ctx) == 1;
    if (!ok) {
      return std::unexpected(Error::invalid("TLS: certifikatet eller nyckeln kan inte användas (" +
                                            config.tls_cert + ", " + config.tls_key +
                                            "): " + opensslError()));
    }
    SSL_CTX_set_options(ctx, SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_NO_RENEGOTIATION);
    SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
    SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, nullptr);
  }

  auto cannotListen = [&](const std::string& why) {
    return std::unexpected(Error::internal("kan inte lyssna på " + config.bind + ":" +
                                           std::to_string(config.port) + ": " + why));
  };
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE;
  addrinfo* found = nullptr;
  std::string port = std::to_string(config.port);
  if (int rc = ::getaddrinfo(config.bind.c_str(), port.c_str(), &hints, &found); rc != 0) {
    return cannotListen(gai_strerror(rc));
  }
  std::string why = "ingen adress";
  for (addrinfo* a = found; a && im.listen_fd < 0; a = a->ai_next) {
    int fd = ::socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) continue;
    int one = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (::bind(fd, a->ai_addr, a->ai_addrlen) == 0 && ::listen(fd, 256) == 0) {
      im.listen_fd = fd;
    } else {
      why = std::strerror(errno);
      ::close(fd);
    }
  }
  ::freeaddrinfo(found);
  if (im.listen_fd < 0) return cannotListen(why);
  sockaddr_storage bound{};
  socklen_t len = sizeof bound;
  ::getsockname(im.listen_fd, reinterpret_cast<sockaddr*>(&bound), &len);
  im.port = ntohs(bound.ss_family == AF_INET6
                      ? reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port
                      : reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
  im.wake_fd = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (im.wake_fd < 0) return cannotListen(std::strerror(errno));

  for (int i = 0; i < std::max(1, config.max_threads); ++i) {
    im.workers.emplace_back([&im] { im.workerLoop(); });
  }
  im.io_thread = std::thread([&im] { im.ioLoop(); });
  return s;
}

int HttpServer::port() const { return impl_ ? impl_->port : 0; }

std::int64_t HttpServer::openConnections() const { return impl_ ? impl_->open.load() : 0; }

void HttpServer::stop(std::chrono::seconds grace) {
  if (!impl_ || !impl_->accepting.exchange(false)) return;
  Impl& im = *impl_;
  im.wake();
  auto deadline = Steady::now() + grace;
  // Requests being read or answered finish (a body still arriving included).
  std::this_thread::sleep_for(std::chrono::milliseconds(50));  // the I/O thread counts once more
  while ((im.busy.load() > 0 || im.reading_requests.load() > 0) && Steady::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  im.io_stop = true;
  im.wake();
  if (im.io_thread.joinable()) im.io_thread.join();
  {
    std::lock_guard lock(im.jobs_mu);
    im.workers_stop = true;
  }
  im.jobs_cv.notify_all();
  for (auto& t : im.workers) {
    if (t.joinable()) t.join();
  }
}

HttpServer::~HttpServer() { stop(); }

}  // namespace kansli::api
