// `kansli serve --demo`: fills an EMPTY data dir from samples/: the Nacka
// organisation, one user per role (and a second committee member to attest
// the minutes), and the reference case SOCN 2020/262 walked through its whole
// life as it happened in 2020: registered, assigned, the memo drafted and
// approved, decided by Socialnämnden, attested, posted and closed. The case
// work runs on a clock set to those days, so every date in the record is a
// 2020 date. The demo passwords are random, kept in DATA_DIR/demo-logins.txt
// (mode 0600) and printed at every start.
#pragma once

#include <string>
#include <vector>

#include "kansli/engine.h"
#include "kansli/error.h"

namespace kansli::cli {

struct DemoLogin {
  std::string username;
  std::string role;
  std::string password;
};

// Seeds when the data dir has no users yet (opening its own Engine on the
// historical clock); otherwise reads the saved logins.
Result<std::vector<DemoLogin>> seedDemo(const EngineConfig& config);

}  // namespace kansli::cli
