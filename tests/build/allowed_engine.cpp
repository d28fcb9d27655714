// Compiled as api/ code is (tests/CMakeLists.txt, Build.*): must compile, so
// the forbidden probes fail for their include and not for their setup.
#include "kansli/engine.h"
#include "service.h"
