#include "log.h"

#include <iostream>
#include <mutex>
#include <sstream>

namespace kansli::api {
void logLine(const Poco::JSON::Object& o, bool error) {
  static std::mutex mu;
  std::ostringstream ss;
  o.stringify(ss);
  ss << '\n';
  std::lock_guard lock(mu);
  auto& out = error ? std::cerr : std::cout;
  out << ss.str();
  out.flush();
}
}  // namespace kansli::api
