// Maps method + path to a handler, and declares who may call each route.
//
// Every route states its access rule where it is added (Access), so the
// authorization check happens once, before any handler runs: public routes
// are anyone's; the rest need a bearer token (401) and, when roles are
// listed, one of those roles (403). Object-level rules (this case, this unit)
// are the engine's. The route table is also the source of the documented
// route x role matrix.
//
// "No user" is a type: a handler of a signed-in route is given the User, and
// Service::handle calls it only with one; a public route's handler is given a
// Visitor, which holds no User, so nothing on a public route can act or read
// as someone (it reads as Viewer::anonymous()).
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

// What a public route may know of its caller, who may or may not be signed
// in: the role, for a page that shows an admin more (/metrics). Never a user.
struct Visitor {
  std::optional<Role> role;
};

using UserHandler = std::function<Response(Request&, const User&)>;
using PublicHandler = std::function<Response(Request&, const Visitor&)>;

struct Route {
  std::string method;
  std::string pattern;  // "/api/v1/cases/{id}"
  Access access;
  UserHandler for_user;      // set on a signed-in route
  PublicHandler for_anyone;  // set on a public route
  std::vector<std::string> segments;
  // Takes bodies up to the server's upload limit (ServerConfig::max_upload),
  // spooled to disk, instead of the limit for JSON and XML (max_body).
  bool large_body = false;
};

struct Match {
  const Route* route = nullptr;
  bool path_matched = false;            // some route had this path
  // For a 405: the methods of the routes with this path. Filled only when
  // no route takes the method (empty when `route` is set).
  std::vector<std::string> allowed_methods;
};

class Router {
 public:
  // A route for signed-in users (of the roles `access` names, if any); an
  // `access` that is public is a programming error (std::logic_error).
  void add(std::string method, std::string pattern, Access access, UserHandler h);
  // A route anyone may call.
  void addPublic(std::string method, std::string pattern, PublicHandler h);
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
