#include "metrics.h"

#include <sstream>

namespace kansli::api {

void Metrics::record(const std::string& method, const std::string& route, int status,
                     double seconds) {
  MutexLock lock(mu_);
  ++requests_[{method, route, status}];
  for (size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) ++bucket_counts_[i];
  }
  ++count_;
  sum_ += seconds;
}

std::string Metrics::render(std::int64_t db_bytes, std::int64_t open_connections) const {
  MutexLock lock(mu_);
  std::ostringstream o;
  o << "# HELP kansli_http_requests_total HTTP requests by route pattern and status.\n"
       "# TYPE kansli_http_requests_total counter\n";
  for (const auto& [key, n] : requests_) {
    const auto& [method, route, status] = key;
    o << "kansli_http_requests_total{method=\"" << method << "\",route=\"" << route
      << "\",status=\"" << status << "\"} " << n << "\n";
  }
  o << "# HELP kansli_http_request_duration_seconds Time to answer a request.\n"
       "# TYPE kansli_http_request_duration_seconds histogram\n";
  for (size_t i = 0; i < kBuckets.size(); ++i) {
    o << "kansli_http_request_duration_seconds_bucket{le=\"" << kBuckets[i] << "\"} "
      << bucket_counts_[i] << "\n";
  }
  o << "kansli_http_request_duration_seconds_bucket{le=\"+Inf\"} " << count_ << "\n"
    << "kansli_http_request_duration_seconds_sum " << sum_ << "\n"
    << "kansli_http_request_duration_seconds_count " << count_ << "\n"
    << "# HELP kansli_db_size_bytes Size of the database file and its WAL.\n"
       "# TYPE kansli_db_size_bytes gauge\n"
    << "kansli_db_size_bytes " << db_bytes << "\n"
    << "# HELP kansli_http_open_connections Connections being served now.\n"
       "# TYPE kansli_http_open_connections gauge\n"
    << "kansli_http_open_connections " << open_connections << "\n";
  return o.str();
}

}  // namespace kansli::api
