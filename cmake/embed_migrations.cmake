# Generates a C++ source holding every NNNN_name.sql of a migrations folder
# so the program carries its schema; invoked at build time by engine/CMakeLists.txt
# for engine/src/store/sqlite/migrations (function migrations()) and for the
# PostgreSQL variants in engine/src/store/postgres/migrations
# (function postgresMigrationVariants()).
# Inputs: MIGRATIONS_DIR, OUTPUT, FUNCTION.
file(GLOB files "${MIGRATIONS_DIR}/*.sql")
list(SORT files)
set(body "")
if(NOT FUNCTION)
  set(FUNCTION migrations)
endif()
foreach(f ${files})
  get_filename_component(base "${f}" NAME_WE)
  string(REGEX MATCH "^([0-9]+)_(.*)$" _ "${base}")
  if(NOT CMAKE_MATCH_1)
    message(FATAL_ERROR "migration ${f} must be named NNNN_name.sql")
  endif()
  math(EXPR num "${CMAKE_MATCH_1}")
  file(READ "${f}" sql)
  string(APPEND body "  {${num}, \"${CMAKE_MATCH_2}\", R\"kansli_sql(${sql})kansli_sql\"},\n")
endforeach()
file(WRITE "${OUTPUT}.tmp" "// Generated from ${MIGRATIONS_DIR}; do not edit.\n#include \"store/sqlite/migrations.h\"\nnamespace kansli::store {\nnamespace {\nconst Migration kMigrations[] = {\n${body}};\n}\nstd::span<const Migration> ${FUNCTION}() { return kMigrations; }\n}  // namespace kansli::store\n")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
