#include "router.h"

#include <Poco/URI.h>

#include <stdexcept>

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
  Match m;
  const std::string method = method_asked == "HEAD" ? std::string("GET") : method_asked;
  auto segs = split(path);
  for (const auto& r : routes_) {
    if (r.segments.size() != segs.size()) continue;
    std::map<std::string, std::string> captured;
    bool ok = true;
    for (size_t i = 0; i < segs.size() && ok; ++i) {
      const auto& p = r.segments[i];
      if (p.size() > 2 && p.front() == '{' && p.back() == '}') {
        std::string decoded;
        Poco::URI::decode(segs[i], decoded);
        captured[p.substr(1, p.size() - 2)] = decoded;
      } else {
        ok = p == segs[i];
      }
    }
    if (!ok) continue;
    m.path_matched = true;
    m.allowed_methods.push_back(r.method);
    if (r.method == "GET") m.allowed_methods.push_back("HEAD");
    if (r.method == method && !m.route) {
      m.route = &r;
      params = std::move(captured);
    }
  }
  return m;
}

}  // namespace kansli::api
