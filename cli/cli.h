// The `kansli` program's commands. Each returns the process exit code and
// prints problems as one clear line each on stderr (never a stack of
// exceptions). main.cpp dispatches on the first argument.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace kansli::cli {

using Args = std::vector<std::string>;

int serve(const Args& args);
int userAdd(const Args& args);
int auditVerify(const Args& args);
int backup(const Args& args);
int migrateStore(const Args& args);
int importCsv(const Args& args);
int check(const Args& args);
int render(const Args& args);
int usage(int code);

// Parses "--name value" and "--name=value" pairs; flags listed in `flags`
// take no value. Unknown options are an error naming them.
struct Options {
  std::map<std::string, std::string> values;
  std::vector<std::string> positional;
  bool has(const std::string& k) const { return values.count(k) > 0; }
  std::string get(const std::string& k, const std::string& def = "") const {
    auto it = values.find(k);
    return it == values.end() ? def : it->second;
  }
};
bool parseOptions(const Args& args, const std::vector<std::string>& valued,
                  const std::vector<std::string>& flags, Options& out, std::string& error);

// The directory holding templates/, workflows/, schemas/, samples/:
// $KANSLI_HOME, else the source tree the program was built from.
std::string home();

}  // namespace kansli::cli
