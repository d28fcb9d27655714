// Fuzz target for templates: parseTemplate, then (for templates that load)
// expansion over fixed case, memo and meeting values and both writers. Every
// expanded tree must satisfy doc::check (the expander promises it). Not built
// by CMake; see memo_fuzz.cpp for how to build. Run from the repository root:
//   ./template_fuzz fuzz/corpus/template
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "kansli/memo.h"
#include "kansli/render.h"

namespace {

const kansli::Value& data() {
  static const kansli::Value v = [] {
    kansli::CaseFacts c;
    c.dnr = "KS 2023/0012";
    c.dnr_label = "Dnr";
    c.committee_name = "Kommunstyrelsen";
    c.unit_name = "Kansliet";
    c.officer_name = "Hanna Handläggare";
    c.kind_label = "Motion";
    c.received = "2023-01-10";
    c.senders = {{"Anna A", "S", ""}, {"Bo B", "M", ""}, {"", "", "Föreningen <&>"}};
    c.documents = {{1, "Motion", "2023-01-10"}};
    kansli::Value meeting = kansli::Value::record()
                                .set("committee_name", "Kommunstyrelsen")
                                .set("date", "2023-02-07")
                                .set("place", "Stadshuset")
                                .set("items", kansli::Value::list().push(
                                                  kansli::Value::record().set("title", "Ärende").set("paragraph", "§ 1")));
    return kansli::Value::record()
        .set("case", kansli::caseValues(c))
        .set("meeting", std::move(meeting))
        .set("extract", kansli::Value::record().set("certifier", "Sekreteraren"));
  }();
  return v;
}

const kansli::Memo* memo() {
  static const auto m = kansli::parseMemo(
      "<memo><meta><date>2023-01-20</date><title>Titel</title></meta>"
      "<section kind=\"proposal\"><p>Förslag<footnote>Not <em>a</em></footnote>.</p></section>"
      "<section kind=\"summary\"><p>Sammanfattning <docref n=\"1\"/>.</p></section>"
      "<section><heading>Övrigt</heading><list><item>punkt</item></list></section>"
      "<signatories><signatory><name>Sara Signatär</name><title>Chef</title></signatory></signatories>"
      "</memo>",
      "fuzz-memo.xml");
  return m ? &*m : nullptr;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data_in, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data_in), size);
  auto t = kansli::parseTemplate(input, "fuzz-template.xml");
  if (!t) return 0;
  kansli::Value v = data();
  if (const kansli::Memo* m = memo()) v.set("memo", kansli::memoValues(*m));
  auto d = kansli::expand(*t, v, memo());
  if (!d) return 0;
  if (!kansli::doc::check(*d).empty()) __builtin_trap();
  (void)kansli::writeText(*d, {.page_placeholders = true});
  (void)kansli::writeHtml(*d);
  return 0;
}
