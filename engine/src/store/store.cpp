#include "store/store.h"

#include <algorithm>

#include "store/backends.h"
#include "store/sqlite/migrations.h"

namespace kansli::store {

Result<std::unique_ptr<Store>> Store::open(const Options& options) {
  auto backend = options.url.empty() ? openSqliteBackend(options) : openPostgresBackend(options);
  if (!backend) return std::unexpected(backend.error());
  return std::make_unique<Store>(std::move(*backend));
}

int Store::latestSchemaVersion() {
  int latest = 0;
  for (const auto& m : migrations()) latest = std::max(latest, m.number);
  return latest;
}

Store::Store(std::unique_ptr<Backend> backend) : backend_(std::move(backend)) {}

Store::~Store() = default;

}  // namespace kansli::store
