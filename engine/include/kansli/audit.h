// The audit log: every registration, correction, transition, memo version,
// decision and sign-in is an event, written in the SAME store transaction as
// the change it records, append-only, each event carrying the SHA-256 of its
// predecessor (a hash chain), so that a changed, removed or reordered event is
// found by verifyAuditChain().
//
// appendAudit() must be called on the writer's Tx (inside Store::write); the
// writer thread is single, so the chain is extended without races.
#pragma once

#include <Poco/JSON/Object.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "kansli/clock.h"
#include "kansli/error.h"

namespace kansli::store {
class Store;  // engine-private (store/store.h)
class Tx;
}  // namespace kansli::store

namespace kansli::audit {

// Who did it. `role` is the role they acted in; "system" for the program itself.
// appendAudit refuses an actor that is not a user of the database or
// "system" (the program itself: imports, automatic steps, sign-in attempts
// of names nobody has), or whose name is not valid UTF-8.
struct Actor {
  std::string username;
  std::string role;
  static Actor system() { return {"system", "system"}; }
};

// An event's detail: a JSON object whose keys keep the order they were set
// in (so the same change always hashes the same). The one way the engine
// writes details: values are escaped by the JSON writer, never spliced in.
class Detail {
 public:
  Detail();
  // Strings, numbers, booleans, Poco::JSON arrays and objects.
  template <class T>
  Detail& set(const std::string& key, const T& value) {
    object_.set(key, value);
    return *this;
  }
  std::string json() const;

 private:
  Poco::JSON::Object object_;
};

struct Entry {
  Actor actor;
  std::string action;                 // "case.register", "session.sign_in", ...
  std::optional<std::int64_t> case_id;
  std::string detail = "{}";          // JSON object: before/after, comment, ...
};

struct Event {
  std::int64_t seq = 0;
  std::string at;  // ISO 8601 UTC
  std::string actor;
  std::string role;
  std::string action;
  std::optional<std::int64_t> case_id;
  std::string detail;
  std::string prev_hash;
  std::string hash;
};

inline constexpr const char* kGenesisHash =
    "0000000000000000000000000000000000000000000000000000000000000000";

// Appends `e` as happening at `at` (the one instant of the change it
// records); returns the new event's seq. kInternal, and nothing written,
// when the actor is not a user of the database or "system", or its name is
// not valid UTF-8: the log never names someone who is not there.
Result<std::int64_t> appendAudit(store::Tx& tx, Instant at, const Entry& e);

// Appends `e` in a transaction of its own: for events that record no other
// change (a refused request, a read of secret content).
Result<void> recordAudit(store::Store& store, Instant at, const Entry& e);

// The hash an event must carry given its predecessor's hash.
std::string chainHash(const Event& e, const std::string& prev_hash);

// Events of one case, oldest first.
Result<std::vector<Event>> caseEvents(store::Tx& tx, std::int64_t case_id);

struct VerifyReport {
  std::int64_t events_checked = 0;
  // Empty when the chain is intact; otherwise what is wrong with the first
  // broken event ("händelse 17: hash stämmer inte ...").
  std::optional<std::string> first_problem;
  std::optional<std::int64_t> first_broken_seq;
};

// Walks the whole chain on a read snapshot, streaming (constant memory).
Result<VerifyReport> verifyAuditChain(store::Store& store);

}  // namespace kansli::audit
