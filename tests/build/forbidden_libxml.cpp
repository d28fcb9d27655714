// Compiled as api/ code is (tests/CMakeLists.txt, Build.*): must NOT compile.
// libxml2 is the engine's XML layer's alone.
#include <libxml/parser.h>
