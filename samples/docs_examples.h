// The worked examples of docs/templates.md, as the documentation writes them:
// the comment before an example names it and says what the document must
// show,
//
//   <!-- exempel: namn | text: "…" | pdf: "…" | sidor: 2 | nummer: "2024:3" -->
//
// and the ```xml block after it is a whole template. Read in one place for
// the test that renders every example (tests/formats/docs_examples_test.cpp)
// and for render_bench's byte-for-byte PDF set. Header-only; include as
// "docs_examples.h" (the kansli_samples target puts samples/ on the include
// path).
#pragma once

#include <algorithm>
#include <regex>
#include <string>
#include <utility>
#include <vector>

namespace kansli::docs {

struct TemplateExample {
  std::string name;
  std::string xml;  // the whole template
  // The comment's checks in order: (kind, value), a quoted value unescaped
  // ("\n" a line break) or a number as written.
  std::vector<std::pair<std::string, std::string>> checks;
  int line = 0;  // of the comment in the file
};

// The examples of `md` (docs/templates.md's text) in the order they stand.
inline std::vector<TemplateExample> templateExamples(const std::string& md) {
  std::vector<TemplateExample> out;
  size_t pos = 0;
  while ((pos = md.find("<!-- exempel:", pos)) != std::string::npos) {
    TemplateExample e;
    e.line = 1 + static_cast<int>(std::count(md.begin(), md.begin() + static_cast<long>(pos), '\n'));
    size_t end = md.find("-->", pos);
    std::string directive = md.substr(pos + 13, end - pos - 13);
    size_t bar = directive.find('|');
    e.name = directive.substr(0, bar);
    e.name.erase(0, e.name.find_first_not_of(' '));
    e.name.erase(e.name.find_last_not_of(' ') + 1);
    static const std::regex check(R"re(\|\s*([a-z0-9-]+):\s*(?:"((?:[^"\\]|\\.)*)"|([0-9]+)))re");
    std::string rest = bar == std::string::npos ? std::string() : directive.substr(bar);
    for (std::sregex_iterator it(rest.begin(), rest.end(), check), stop; it != stop; ++it) {
      std::string value = (*it)[2].matched ? (*it)[2].str() : (*it)[3].str();
      std::string unescaped;
      for (size_t i = 0; i < value.size(); ++i) {
        if (value[i] == '\\' && i + 1 < value.size()) {
          unescaped += value[i + 1] == 'n' ? '\n' : value[i + 1];
          ++i;
        } else {
          unescaped += value[i];
        }
      }
      e.checks.emplace_back((*it)[1].str(), unescaped);
    }
    size_t code = md.find("```xml\n", end);
    size_t code_end = md.find("\n```", code + 7);
    e.xml = md.substr(code + 7, code_end - code - 6);
    out.push_back(std::move(e));
    pos = end;
  }
  return out;
}

}  // namespace kansli::docs
