// The service's own view of an HTTP exchange: plain structs that handlers
// read and fill. The Poco adapter (server.cpp) converts to and from these, so
// handlers and their tests need no sockets.
#pragma once

#include <Poco/JSON/Object.h>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "kansli/accounts.h"
#include "kansli/error.h"
#include "kansli/json_text.h"

namespace kansli::api {

// A request body too large to hold in memory (a raw document upload above
// the server's spool threshold): an open temporary file with no name, so
// nothing is left behind when the process dies. Closed on destruction.
struct BodyFile {
  int fd = -1;
  std::uint64_t size = 0;
  BodyFile() = default;
  BodyFile(const BodyFile&) = delete;
  BodyFile& operator=(const BodyFile&) = delete;
  ~BodyFile();
};

struct Request {
  std::string method;
  std::string path;                            // decoded path, no query
  std::map<std::string, std::string> params;   // from the route pattern {name}
  std::string route;  // the route pattern that matched, for logs and metrics ("" when none did)
  std::map<std::string, std::string> query;    // decoded; last value wins
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;  // empty when body_file holds it
  // Only on routes that take large bodies (Router::acceptLargeBody): the
  // body when it was spooled to disk; then `body` is empty.
  std::shared_ptr<BodyFile> body_file;
  // Who called, for the access log: the signed-in username, "" for anonymous.
  // (Handlers are given the User itself: router.h.)
  std::string caller;
  // The session token the caller presented (bearer or cookie), when signed in;
  // for signing out. Never logged.
  std::string session_token;
  bool cookie_session = false;  // signed in by the browser cookie (CSRF applies)
  std::string request_id;
  bool from_loopback = false;  // the peer is 127.0.0.0/8 or ::1
  // Came in on the metrics listener (ServerConfig::metrics_only).
  bool via_metrics_listener = false;
  // True once the client has closed its connection: long work for it (a
  // memo rendered to PDF) polls this and stops (RenderOptions::cancelled).
  // Unset (no connection, handler tests): never.
  std::function<bool()> client_gone;

  std::string header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? std::string() : it->second;
  }
  std::optional<std::string> queryParam(const std::string& name) const {
    auto it = query.find(name);
    if (it == query.end()) return std::nullopt;
    return it->second;
  }
};

struct Response {
  int status = 200;
  std::string content_type = "application/json; charset=utf-8";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;

  static Response json(int status, const Poco::JSON::Object& o);
  static Response json(int status, const Poco::JSON::Array& a);
  // A JSON body already written (JsonText).
  static Response json(int status, std::string body);
  static Response problem(const Error& e, const std::string& instance = "");
  static Response problem(int status, const std::string& detail);
  Response& header(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
    return *this;
  }
};

// Parses a JSON request body: object at the top, depth and size bounded,
// UTF-8 checked. 400 problem naming what is wrong otherwise, including a
// content type that says it is not JSON (field "Content-Type").
Result<Poco::JSON::Object::Ptr> parseJsonBody(const Request& r);

// Field readers for request objects: absent -> nullopt; wrong type -> error on
// `field`. They collect into `errors` so one response names every bad field.
std::optional<std::string> stringField(const Poco::JSON::Object::Ptr& o, const std::string& field,
                                       std::vector<FieldError>& errors, bool required = false,
                                       std::size_t max_len = 4000);

std::optional<bool> boolField(const Poco::JSON::Object::Ptr& o, const std::string& field,
                              std::vector<FieldError>& errors, bool required = false);

// A numeric id from the route pattern ({id}, {n}); anything else is 404 with
// "<what> finns inte" (an id that cannot exist names nothing).
Result<std::int64_t> pathId(const Request& r, const std::string& name, const std::string& what);

// An integer query parameter in [lo, hi] (text::parseInteger): absent or
// empty gives nullopt; anything else that is not such a whole number adds
// {name, message} to `errors` and gives nullopt.
std::optional<std::int64_t> queryInteger(const Request& r, const std::string& name,
                                         std::int64_t lo, std::int64_t hi,
                                         const std::string& message,
                                         std::vector<FieldError>& errors);

Poco::JSON::Object obj();  // an object that keeps insertion order

// JSON text: jsonText for a Poco object, JsonText without one
// (kansli/json_text.h; the engine writes its audit details with them too).
using kansli::jsonText;
using kansli::JsonText;

}  // namespace kansli::api
