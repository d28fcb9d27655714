// Maps method + path to a handler, and declares who may call each route.
//
// Every route states its access rule where it is added (Access), so the
// authorization check happens once, before any handler runs: anonymous routes
// are public; the rest need a bearer token (401) and, when roles are listed,
// one of those roles (403). Object-level rules (this case, this unit) are the
// handler's and the engine's. The route table is also the source of the
// documented route x role matrix.
#pragma once

#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "http.h"

namespace kansli::api {

struct Access {
  bool anonymous = false;
  std::set<Role> roles;  // empty + !anonymous: any signed-in user

  static Access publicRoute() { return {true, {}}; }
  static Access signedIn() { return {false, {}}; }
  static Access roles_(std::initializer_list<Role> r) { return {false, std::set<Role>(r)}; }
  bool allows(const std::optional<User>& u) const {
    if (anonymous) return true;
    if (!u) return false;
    return roles.empty() || roles.count(u->role) > 0;
  }
};

using Handler = std::function<Response(Request&)>;

struct Route {
  std::string method;
  std::string pattern;  // "/api/v1/cases/{id}"
  Access access;
  Handler handler;
  std::vector<std::string> segments;
  // Takes bodies up to the server's upload limit (ServerConfig::max_upload),
  // spooled to disk, instead of the limit for JSON and XML (max_body).
  bool large_body = false;
};

struct Match {
  const Route* route = nullptr;
  bool path_matched = false;            // some route had this path
  std::vector<std::string> allowed_methods;  // for 405
};

class Router {
 public:
  void add(std::string method, std::string pattern, Access access, Handler h);
  // Marks an added route as one that takes large bodies (document uploads).
  void acceptLargeBody(const std::string& method, const std::string& pattern);
  // Finds the route for (method, path) and fills req.params. HEAD is answered
  // by the GET route of the path (RFC 9110 9.3.2), and 405's Allow lists HEAD
  // wherever GET is.
  Match match(const std::string& method, const std::string& path,
              std::map<std::string, std::string>& params) const;
  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
};

}  // namespace kansli::api
