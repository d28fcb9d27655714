// The dialects' entry points, for Store::open (store/store.cpp) only.
#pragma once

#include <memory>

#include "kansli/error.h"
#include "store/store.h"

namespace kansli::store {

// store/sqlite/store.cpp: the SQLite file at options.path.
Result<std::unique_ptr<Store::Backend>> openSqliteBackend(const Options& options);
// store/postgres/store.cpp: the PostgreSQL database at options.url.
Result<std::unique_ptr<Store::Backend>> openPostgresBackend(const Options& options);

}  // namespace kansli::store
