// Fuzz target for organisation files (kansli/organisation.h): the XML layer's
// hostile-input parsing, RelaxNG validation and the organisation checks.
//
// Input: the bytes of an organisation.xml. The schema is read once from
// $KANSLI_ORGANISATION_SCHEMA, else schemas/organisation.rng relative to the
// working directory; without it only the checks a schema cannot express run.
// Beyond "no crash, no sanitizer report" it traps when a file with no problems
// yields an organisation whose committees cannot write their own dnr.
//
// Build (not wired into CMake yet), from the repository root:
//   clang++ -std=c++2b -g -O1 -fsanitize=fuzzer,address,undefined \
//     -D__cpp_concepts=202002L -Wno-builtin-macro-redefined -Wno-macro-redefined \
//     -Iengine/include -Iengine/src $(pkg-config --cflags libxml-2.0) \
//     fuzz/organisation_fuzz.cpp engine/src/org/organisation.cpp \
//     engine/src/diarium/dnr.cpp engine/src/xml/xml.cpp \
//     $(pkg-config --libs libxml-2.0) -o organisation_fuzz
//   ./organisation_fuzz fuzz/corpus/organisation
// (See dnr_pattern_fuzz.cpp for the -D; linking against libkansli_engine.a
// built with the same compiler works as well.)
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string_view>

#include "kansli/organisation.h"
#include "org/reader.h"
#include "xml/xml.h"

namespace {

const kansli::xml::Schema* schema() {
  static const std::unique_ptr<kansli::xml::Schema> loaded = [] {
    const char* env = std::getenv("KANSLI_ORGANISATION_SCHEMA");
    auto s = kansli::xml::Schema::load(env ? env : "schemas/organisation.rng");
    return s ? std::make_unique<kansli::xml::Schema>(std::move(*s)) : nullptr;
  }();
  return loaded.get();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  kansli::xml::init();
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto doc = kansli::xml::parse(text, "fuzz.xml");
  if (!doc) return 0;
  kansli::Organisation org;
  auto problems = kansli::org::read(*doc, schema(), org);
  if (!problems.empty()) return 0;
  for (const kansli::Committee& c : org.committees) {
    if (!c.dnr.has(kansli::DnrField::kSeries)) continue;
    std::string dnr = c.formatDnr(2020, 262, "1.6");
    auto match = org.findDnr(dnr);
    // Several committees may share a format; the series still decides.
    if (!match || match->committee->series != c.series) __builtin_trap();
  }
  return 0;
}
