#include "kansli/document.h"

#include <variant>

namespace kansli::doc {
namespace {

struct RefCounter {
  std::vector<int>& seen;
  std::string& problem;
  void runs(const Inlines& in, bool in_footnote) {
    for (const auto& r : in) {
      if (const auto* t = std::get_if<Text>(&r)) {
        for (char c : t->text) {
          auto u = static_cast<unsigned char>(c);
          if ((u < 0x20 || u == 0x7f) && problem.empty()) problem = "styrtecken i texten";
        }
        if (t->text.find("  ") != std::string::npos && problem.empty()) {
          problem = "dubbla mellanslag i texten";
        }
      } else if (const auto* f = std::get_if<FootnoteRef>(&r)) {
        if (in_footnote && problem.empty()) problem = "fotnot i fotnot";
        if (f->number < 1 || f->number > static_cast<int>(seen.size())) {
          if (problem.empty()) problem = "hänvisning till fotnot som saknas";
        } else {
          ++seen[static_cast<size_t>(f->number - 1)];
        }
      }
    }
  }
};

}  // namespace

std::string plainText(const Inlines& runs) {
  std::string out;
  for (const auto& r : runs) {
    if (const auto* t = std::get_if<Text>(&r)) out += t->text;
  }
  return out;
}

std::string check(const Document& d) {
  std::string problem;
  std::vector<int> seen(d.footnotes.size(), 0);
  RefCounter rc{seen, problem};
  int h1 = 0;
  int last_level = 0;
  for (const auto& f : d.header) rc.runs(f.content, false);
  for (const auto& b : d.body) {
    if (const auto* h = std::get_if<Heading>(&b)) {
      if (h->level == 1) ++h1;
      if (h->level < 1 || h->level > 6) return "rubriknivå utanför 1–6";
      if (h->level > last_level + 1) {
        return "rubriknivå " + std::to_string(h->level) + " följer på nivå " +
               std::to_string(last_level);
      }
      last_level = h->level;
      rc.runs(h->content, false);
    } else if (const auto* p = std::get_if<Paragraph>(&b)) {
      rc.runs(p->content, false);
    } else if (const auto* l = std::get_if<List>(&b)) {
      for (const auto& item : l->items) rc.runs(item, false);
    } else if (const auto* s = std::get_if<Signatures>(&b)) {
      for (const auto& signer : s->signers) {
        for (const auto& line : signer.lines) rc.runs(line, false);
      }
    }
  }
  for (size_t i = 0; i < d.footnotes.size(); ++i) {
    if (d.footnotes[i].number != static_cast<int>(i) + 1) return "fotnoterna är inte numrerade i ordning";
    rc.runs(d.footnotes[i].content, true);
  }
  for (const auto& line : d.footer) rc.runs(line, false);
  if (!problem.empty()) return problem;
  if (h1 != 1) return "dokumentet har " + std::to_string(h1) + " rubriker på nivå 1 (ska vara en)";
  for (size_t i = 0; i < seen.size(); ++i) {
    if (seen[i] != 1) return "fotnot " + std::to_string(i + 1) + " hänvisas till " + std::to_string(seen[i]) + " gånger";
  }
  return {};
}

}  // namespace kansli::doc
