// Fills a data directory that the program created with generated cases, fast:
// straight SQL into the tables the program's migrations made (cases, senders,
// both search indexes, dnr sequences and a correctly chained audit log), in
// large transactions. The cases copy the workflow fields of one case the
// program registered itself, so they are cases it could have made; the dnr
// series stay gap-free and `kansli audit verify` passes on the result.
#pragma once

#include <cstdint>
#include <string>

#include "kansli/organisation.h"

namespace kansli::bench {

struct GenerateReport {
  int cases = 0;
  double seconds = 0;
};

// Throws std::runtime_error when the schema is not the one it mirrors.
GenerateReport generateCases(const std::string& data_dir, const Organisation& org, int cases,
                             std::uint64_t seed);

}  // namespace kansli::bench
