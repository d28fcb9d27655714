// The `kansli` program: dispatches to the commands in cli.cpp and serve.cpp.
#include <iostream>

#include "cli.h"

int main(int argc, char** argv) {
  using namespace kansli::cli;
  Args args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "help") return usage(args.empty() ? 2 : 0);
  try {
    const std::string cmd = args[0];
    Args rest(args.begin() + 1, args.end());
    if (cmd == "serve") return serve(rest);
    if (cmd == "user" && !rest.empty() && rest[0] == "add") return userAdd({rest.begin() + 1, rest.end()});
    if (cmd == "audit" && !rest.empty() && rest[0] == "verify") {
      return auditVerify({rest.begin() + 1, rest.end()});
    }
    if (cmd == "backup") return backup(rest);
    if (cmd == "migrate-store") return migrateStore(rest);
    if (cmd == "import") return importCsv(rest);
    if (cmd == "check") return check(rest);
    if (cmd == "render") return render(rest);
    std::cerr << "kansli: okänt kommando " << cmd << "\n";
    return usage(2);
  } catch (const std::exception& e) {
    std::cerr << "kansli: " << e.what() << "\n";
    return 1;
  }
}
