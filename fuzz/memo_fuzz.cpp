// Fuzz target for memo input: parseMemo, then (for memos that parse) the whole
// rendering pipeline with the shipped tjänsteskrivelse template, both writers
// and textDiff. Not built by CMake; build with clang against a kansli_engine
// built with the same sanitizer flags, e.g.
//   clang++ -std=c++2b -fsanitize=fuzzer,address,undefined -Iengine/include -Iengine/src
//     fuzz/memo_fuzz.cpp libkansli_engine.a $(pkg-config --libs libxml-2.0 sqlite3)
//     -lPocoJSON -lPocoUtil -lPocoFoundation -lcrypto
// and run from the repository root (KANSLI_HOME=.) so templates/ is found:
//   ./memo_fuzz fuzz/corpus/memo
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "kansli/memo.h"
#include "kansli/render.h"
#include "nacka/reference_case.h"

namespace {

const kansli::CaseFacts& facts() {
  static const kansli::CaseFacts c = [] {
    kansli::CaseFacts f = kansli::reference::facts();
    f.documents.push_back({2, "Yttrande", "2020-09-01"});  // a second docref target
    return f;
  }();
  return c;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  auto memo = kansli::parseMemo(input, "fuzz.xml");
  if (!memo) return 0;
  static const auto tmpl = kansli::loadTemplateByName("tjansteskrivelse");
  if (!tmpl) return 0;
  auto d = kansli::renderMemo(*tmpl, facts(), *memo);
  if (!d) return 0;
  std::string text = kansli::writeText(*d);
  std::string html = kansli::writeHtml(*d);
  // A version compared with itself has no differences; with the HTML, some.
  if (!kansli::textDiff(text, text).empty()) __builtin_trap();
  (void)kansli::textDiff(text, html);
  return 0;
}
