// Shared data for the memo and rendering tests: the case SOCN 2020/262 and the
// reference memo as shipped in samples/.
#pragma once

#include <string>

#include "kansli/memo.h"
#include "kansli/render.h"
#include "nacka/reference_case.h"
#include "testing/testing.h"

namespace kansli::memotest {

inline CaseFacts socn2020262() { return reference::facts(); }

inline std::string sampleMemoPath() {
  return testing::sourceDir() + "/" + std::string(reference::kMemoFile);
}

inline std::string sampleMemoXml() { return testing::readFile(sampleMemoPath()); }

inline std::string dataPath(const std::string& rel) {
  return testing::sourceDir() + "/tests/data/" + rel;
}

// A minimal valid memo with the sections the shipped tjansteskrivelse requires;
// `extra` is inserted before </memo>'s signatories.
inline std::string minimalMemo(const std::string& extra = "", const std::string& skip_kind = "") {
  std::string xml = "<memo><meta><date>2021-03-01</date><title>Titel</title></meta>\n";
  for (const char* kind : {"proposal", "summary", "investigation", "economy", "child-impact"}) {
    if (kind == skip_kind) continue;
    xml += std::string("<section kind=\"") + kind + "\"><p>Text för " + kind + ".</p></section>\n";
  }
  xml += extra;
  xml += "<signatories><signatory><name>Anna Andersson</name></signatory></signatories></memo>\n";
  return xml;
}

}  // namespace kansli::memotest
