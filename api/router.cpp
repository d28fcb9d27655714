#include "router.h"

#include <Poco/URI.h>

#include <iterator>
#include <stdexcept>
#include <string_view>

namespace kansli::api {
namespace {
std::vector<std::string> split(const std::string& path) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '/') {
      ++i;
      continue;
    }
    size_t j = path.find('/', i);
    if (j == std::string::npos) j = path.size();
    out.push_back(path.substr(i, j - i));
    i = j;
  }
  return out;
}
}  // namespace

void Router::add(std::string method, std::string pattern, Access access, UserHandler h) {
  if (access.anonymous) throw std::logic_error("a public route takes a PublicHandler: " + pattern);
  Route r{std::move(method), pattern, std::move(access), std::move(h), {}, split(pattern)};
  routes_.push_back(std::move(r));
}

void Router::addPublic(std::string method, std::string pattern, PublicHandler h) {
  Route r{std::move(method), pattern, Access::publicRoute(), {}, std::move(h), split(pattern)};
  routes_.push_back(std::move(r));
}

void Router::acceptLargeBody(const std::string& method, const std::string& pattern) {
  for (auto& r : routes_) {
    if (r.method == method && r.pattern == pattern) r.large_body = true;
  }
}

Match Router::match(const std::string& method_asked, const std::string& path,
                    std::map<std::string, std::string>& params) const {
  // Called twice per request (the I/O thread for the body limit, then the
  // service): the path is split into views once, and a route's captures are
  // decoded only when all its literal segments match, so a request allocates
  // nothing for the routes it does not take (issue #20).
  Match m;
  const std::string_view method =
      method_asked == "HEAD" ? std::string_view("GET") : std::string_view(method_asked);
  std::string_view segs[16];
  std::size_t n = 0;
  for (std::size_t i = 0; i < path.size();) {
    if (path[i] == '/') {
      ++i;
      continue;
    }
    std::size_t j = path.find('/', i);
    if (j == std::string::npos) j = path.size();
    if (n == std::size(segs)) return m;  // deeper than any route
    segs[n++] = std::string_view(path).substr(i, j - i);
    i = j;
  }
  for (const auto& r : routes_) {
    if (r.segments.size() != n) continue;
    bool ok = true;
    for (std::size_t i = 0; i < n && ok; ++i) {
      const auto& p = r.segments[i];
      ok = (p.size() > 2 && p.front() == '{' && p.back() == '}') || p == segs[i];
    }
    if (!ok) continue;
    m.path_matched = true;
    if (r.method == method) {
      // The first route of the path and method takes the request; the
      // methods the path allows are only needed for a 405, so the search
      // stops here (each was a string copied per request).
      m.route = &r;
      m.allowed_methods.clear();
      std::map<std::string, std::string> captured;
      for (std::size_t i = 0; i < n; ++i) {
        const auto& p = r.segments[i];
        if (p.size() > 2 && p.front() == '{' && p.back() == '}') {
          std::string decoded;
          Poco::URI::decode(std::string(segs[i]), decoded);
          captured[p.substr(1, p.size() - 2)] = std::move(decoded);
        }
      }
      params = std::move(captured);
      return m;
    }
    m.allowed_methods.push_back(r.method);
    if (r.method == "GET") m.allowed_methods.push_back("HEAD");
  }
  return m;
}

}  // namespace kansli::api
