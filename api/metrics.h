// Prometheus metrics of the HTTP service: requests by method, route pattern
// and status, a latency histogram, and gauges supplied at scrape time
// (database size, open connections). Thread-safe.
//
// The label values come from fixed sets, never from what a client sent: the
// method is one of the standard ones or "other", the route a pattern of the
// route table or "unmatched", the status a number 100-599. So a client can
// neither inject text into the exposition nor grow the number of series
// without bound; values are escaped all the same (text format 0.0.4).
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <tuple>

#include "kansli/mutex.h"

namespace kansli::api {

class Metrics {
 public:
  void record(std::string_view method, std::string_view route, int status, double seconds);
  // The text exposition format (version 0.0.4).
  std::string render(std::int64_t db_bytes) const;
  // Connections open now (kept by the HTTP server).
  void setOpenConnections(std::int64_t n) { open_connections_.store(n); }

  // "GET" ... or "other"; the label value of a method.
  static std::string_view methodLabel(std::string_view method);
  // A label value escaped for the text format: \\ \" \n.
  static std::string escapeLabel(std::string_view value);

 private:
  static constexpr std::array<double, 12> kBuckets = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                      0.1,   0.25,   0.5,   1.0,  2.5,   5.0};
  mutable Mutex mu_;
  std::map<std::tuple<std::string, std::string, int>, std::uint64_t> requests_
      KANSLI_GUARDED_BY(mu_);
  std::array<std::uint64_t, kBuckets.size()> bucket_counts_ KANSLI_GUARDED_BY(mu_){};
  std::uint64_t count_ KANSLI_GUARDED_BY(mu_) = 0;
  double sum_ KANSLI_GUARDED_BY(mu_) = 0;
  std::atomic<std::int64_t> open_connections_{0};
};

}  // namespace kansli::api
