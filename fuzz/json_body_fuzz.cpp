// Fuzz target for JSON request bodies, along the path a request takes minus
// the socket: Service::handle (routing, bearer authentication, the route's
// access rule), parseJsonBody (content type, UTF-8, depth, object at the top),
// the routes' field readers (stringField, senders, secrecy, base64 content)
// and the engine's validation and, for input that is valid, the write itself.
// The Service runs over a scratch data directory (in /dev/shm when it exists,
// so fsync costs nothing) with a signed-in registrator and one case.
//
// Input: byte 0 picks the route (register a case, add a document to case 1,
// correct case 1), byte 1 the Content-Type header, the rest is the body.
// Beyond "no crash, no sanitizer report" it traps when a promise breaks:
//   * no input gets a 5xx: bad input is a clear 4xx, never an internal error;
//   * every refusal is problem+json whose "status" is the HTTP status;
//   * a refused request changes nothing (the audit log keeps its length),
//     an accepted one adds exactly one audit event.
//
// Built by fuzz/CMakeLists.txt (`make fuzz`); run from the repository root.
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <stdlib.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "kansli/clock.h"
#include "kansli/engine.h"
#include "service.h"
#include "store/audit_repo.h"
#include "store/store.h"
#include "store/tx.h"

#ifndef KANSLI_SOURCE_DIR
#define KANSLI_SOURCE_DIR "."
#endif

namespace {

void require(bool ok) {
  if (!ok) __builtin_trap();
}

struct World {
  std::string dir;
  kansli::FixedClock clock{kansli::Instant{std::chrono::seconds{1601884800}}};  // 2020-10-05
  std::unique_ptr<kansli::Engine> engine;
  std::unique_ptr<kansli::api::Service> service;
  std::string token;
};

World* world = nullptr;

void removeScratch() {
  std::error_code ec;
  if (world) std::filesystem::remove_all(world->dir, ec);
}

std::int64_t auditLength() {
  auto n = world->engine->database().store().read(
      [](kansli::store::Tx& tx) { return tx.audit().count(); });
  require(n.has_value());
  return *n;
}

void setUp() {
  world = new World;
  std::string base = std::filesystem::is_directory("/dev/shm") ? "/dev/shm" : "/tmp";
  std::string tmpl = base + "/kansli-json-fuzz-XXXXXX";
  require(mkdtemp(tmpl.data()) != nullptr);
  world->dir = tmpl;
  std::atexit(removeScratch);
  kansli::EngineConfig ec;
  ec.data_dir = world->dir;
  ec.home = KANSLI_SOURCE_DIR;
  ec.organisation_file = std::string(KANSLI_SOURCE_DIR) + "/samples/nacka/organisation.xml";
  ec.accounts.pbkdf2_iterations = 1000;
  ec.readers = 2;
  auto e = kansli::Engine::open(ec, world->clock);
  require(e.has_value());
  world->engine = std::move(*e);
  world->service = std::make_unique<kansli::api::Service>(
      *world->engine, kansli::api::ServiceConfig{.home = KANSLI_SOURCE_DIR});
  const std::string password = "ett-långt-lösenord-för-fuzz";
  require(world->service->accounts()
              .addUser({"rita", "Rita", kansli::Role::kRegistrator, std::nullopt, std::nullopt},
                       password, kansli::audit::Actor::system())
              .has_value());
  auto session = world->service->accounts().signIn("rita", password);
  require(session.has_value());
  world->token = session->token;
  kansli::api::Request req;
  req.method = "POST";
  req.path = "/api/v1/cases";
  req.headers["authorization"] = "Bearer " + world->token;
  req.headers["content-type"] = "application/json";
  req.body = R"({"committee":"SOCN","kind":"politikerinitiativ","subject":"Första",)"
             R"("received":"2020-08-25","senders":[{"name":"Andreas Falk","party":"S"}]})";
  require(world->service->handle(req).status == 201);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (!world) setUp();
  if (size < 2) return 0;
  static const char* const kPaths[] = {"/api/v1/cases", "/api/v1/cases/1/documents",
                                       "/api/v1/cases/1/corrections"};
  static const char* const kTypes[] = {"application/json", "", "application/json; charset=utf-8",
                                       "text/plain", "application/x-www-form-urlencoded"};
  kansli::api::Request req;
  req.method = "POST";
  req.path = kPaths[data[0] % 3];
  req.headers["authorization"] = "Bearer " + world->token;
  if (const char* type = kTypes[data[1] % 5]; *type) req.headers["content-type"] = type;
  req.body.assign(reinterpret_cast<const char*>(data) + 2, size - 2);
  req.request_id = "fuzz";

  std::int64_t before = auditLength();
  kansli::api::Response res = world->service->handle(req);
  std::int64_t after = auditLength();

  require(res.status < 500);
  if (res.status == 200 || res.status == 201) {
    require(after == before + 1);
    return 0;
  }
  require(after == before);
  require(res.content_type.rfind("application/problem+json", 0) == 0);
  Poco::JSON::Parser parser;
  auto v = parser.parse(res.body);
  auto problem = v.extract<Poco::JSON::Object::Ptr>();
  require(problem->getValue<int>("status") == res.status);
  return 0;
}
