// Prometheus metrics of the HTTP service: requests by route and status, a
// latency histogram, and gauges supplied at scrape time (database size).
// Thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <tuple>

#include "kansli/mutex.h"

namespace kansli::api {

class Metrics {
 public:
  void record(const std::string& method, const std::string& route, int status, double seconds);
  // The text exposition format (version 0.0.4).
  std::string render(std::int64_t db_bytes, std::int64_t open_connections) const;

 private:
  static constexpr std::array<double, 12> kBuckets = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                      0.1,   0.25,   0.5,   1.0,  2.5,   5.0};
  mutable Mutex mu_;
  std::map<std::tuple<std::string, std::string, int>, std::uint64_t> requests_
      KANSLI_GUARDED_BY(mu_);
  std::array<std::uint64_t, kBuckets.size()> bucket_counts_ KANSLI_GUARDED_BY(mu_){};
  std::uint64_t count_ KANSLI_GUARDED_BY(mu_) = 0;
  double sum_ KANSLI_GUARDED_BY(mu_) = 0;
};

}  // namespace kansli::api
