// The audit log's rows (kansli/audit.h): append, read by case, scan in order.
// The chain itself (hashes, who may act) is kept by engine/src/audit/.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "kansli/audit.h"
#include "kansli/error.h"

namespace kansli::store {

struct ChainTip {
  std::int64_t seq = 0;
  std::string hash;
};

class AuditRepo {
 public:
  virtual ~AuditRepo() = default;
  // The newest event's seq and hash; nullopt for an empty log.
  virtual Result<std::optional<ChainTip>> tip() = 0;
  virtual Result<void> insert(const audit::Event& e) = 0;
  // Events of one case, oldest first.
  virtual Result<std::vector<audit::Event>> byCase(std::int64_t case_id) = 0;
  // Calls fn for every event in seq order; stops early when fn returns false.
  virtual Result<void> scan(const std::function<bool(const audit::Event&)>& fn) = 0;
  virtual Result<std::int64_t> count() = 0;
};

}  // namespace kansli::store
