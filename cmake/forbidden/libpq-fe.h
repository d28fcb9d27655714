// Put first on the include path of api/ and cli/ (api/CMakeLists.txt): the
// database is the engine's alone (docs/architecture.md, "the build keeps the
// boundary").
#error "libpq-fe.h is private to the engine: all SQL lives in engine/src/store/; use the engine's services"
