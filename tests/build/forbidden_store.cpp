// Compiled as api/ code is (tests/CMakeLists.txt, Build.*): must NOT compile.
// The store is private to the engine.
#include "store/store.h"
