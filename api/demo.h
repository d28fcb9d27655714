// `kansli serve --demo`: fills an EMPTY data dir from samples/ (the Nacka
// organisation, one user per role, the reference case SOCN 2020/262 as far as
// the implemented features go). The demo passwords are random, kept in
// DATA_DIR/demo-logins.txt (mode 0600) and printed at every start.
#pragma once

#include <string>
#include <vector>

#include "kansli/error.h"
#include "service.h"

namespace kansli::api {

struct DemoLogin {
  std::string username;
  std::string role;
  std::string password;
};

// Seeds when the store has no users; otherwise reads the saved logins.
Result<std::vector<DemoLogin>> seedDemo(Service& service, const std::string& data_dir);

}  // namespace kansli::api
