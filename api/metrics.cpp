#include "metrics.h"

#include <sstream>

namespace kansli::api {

std::string_view Metrics::methodLabel(std::string_view method) {
  for (std::string_view m : {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}) {
    if (method == m) return m;
  }
  return "other";
}

std::string Metrics::escapeLabel(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '\\') out += "\\\\";
    else if (c == '"') out += "\\\"";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

void Metrics::record(std::string_view method, std::string_view route, int status,
                     double seconds) {
  if (status < 100 || status > 599) status = 0;
  MutexLock lock(mu_);
  ++requests_[{std::string(methodLabel(method)), std::string(route), status}];
  for (size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) ++bucket_counts_[i];
  }
  ++count_;
  sum_ += seconds;
}

std::string Metrics::render(std::int64_t db_bytes) const {
  MutexLock lock(mu_);
  std::ostringstream o;
  o << "# HELP kansli_http_requests_total HTTP requests by route pattern and status.\n"
       "# TYPE kansli_http_requests_total counter\n";
  for (const auto& [key, n] : requests_) {
    const auto& [method, route, status] = key;
    o << "kansli_http_requests_total{method=\"" << escapeLabel(method) << "\",route=\""
      << escapeLabel(route) << "\",status=\"" << status << "\"} " << n << "\n";
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
    << "# HELP kansli_http_open_connections Connections open now.\n"
       "# TYPE kansli_http_open_connections gauge\n"
    << "kansli_http_open_connections " << open_connections_.load() << "\n";
  return o.str();
}

}  // namespace kansli::api
