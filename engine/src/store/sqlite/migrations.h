// Internal: the numbered migrations embedded from engine/src/store/sqlite/migrations/
// (generated at build time by cmake/embed_migrations.cmake).
#pragma once
#include <span>

namespace kansli::store {
struct Migration {
  int number;
  const char* name;
  const char* sql;
};
std::span<const Migration> migrations();
// The PostgreSQL variants (engine/src/store/postgres/migrations/), for the
// numbers whose SQL differs; generated the same way.
std::span<const Migration> postgresMigrationVariants();
}  // namespace kansli::store
