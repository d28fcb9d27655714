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
}  // namespace kansli::store
