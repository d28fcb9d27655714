// Compiled as api/ code is (tests/CMakeLists.txt, Build.*): must NOT compile.
// SQLite is the store's alone.
#include <sqlite3.h>
