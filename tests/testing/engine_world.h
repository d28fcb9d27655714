// Engine-level tests: a kansli::Engine over a fresh data dir on a clock the
// test sets, with one user per role as the demo has them, and the reference
// case's steps (samples/nacka/reference_case.h) as functions. A rule of the
// engine is tested here without a server; tests/api/ shows the same rules
// over HTTP.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "kansli/engine.h"
#include "testing/testing.h"

namespace kansli::testing {

class EngineWorld {
 public:
  // 2020-08-26 08:00 UTC unless told otherwise (the day after the initiative).
  explicit EngineWorld(Instant start = Instant{std::chrono::seconds{1598428800}});
  ~EngineWorld();

  Engine& engine() { return *engine_; }
  FixedClock& clock() { return clock_; }
  std::string dataDir() const { return dir_.path().string(); }

  // The users, one per role (officer in bfe-kvalitet, head of bfe, secretary
  // and two members of SOCN), and an officer of another unit (eeb).
  User registrator, officer, colleague, head, secretary, chair, adjuster, admin, stranger;

  // Registers the reference case with its initiative document; its id.
  // `secrecy` makes it a secret case; `subject` replaces its subject.
  std::int64_t registerReference(std::optional<Secrecy> secrecy = std::nullopt,
                                 std::optional<std::string> subject = std::nullopt);
  // Takes `transition` as `user` from the case's current version; the test
  // fails (ADD_FAILURE) when it is refused.
  void take(std::int64_t id, const User& user, const std::string& transition,
            std::optional<std::string> unit = std::nullopt,
            std::optional<std::string> officer_name = std::nullopt);
  // Assigned to bfe and the officer, the reference memo saved (with `memo`
  // instead when given), sent and approved: ready for the committee.
  void prepareForCommittee(std::int64_t id, std::optional<std::string> memo = std::nullopt);
  // A meeting of SOCN with the case on its agenda, decided (bifall, with
  // `decision_text`), minutes drawn, attested and posted; the meeting's id.
  std::int64_t decideAndPost(std::int64_t id,
                             std::optional<std::string> decision_text = std::nullopt);

  // How many audit events with `action` (and, when given, by `actor`).
  int auditCount(const std::string& action, std::optional<std::string> actor = std::nullopt);
  // The reference memo's XML.
  static std::string referenceMemo();

 private:
  User addUser(const std::string& username, Role role, std::optional<std::string> unit,
               std::optional<std::string> committee);

  TempDir dir_;
  FixedClock clock_;
  std::unique_ptr<Engine> engine_;
};

// The reference memo with a word of the test's own added to its summary.
std::string memoWithWord(const std::string& word);

}  // namespace kansli::testing
