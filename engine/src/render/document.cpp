#include "kansli/document.h"

#include <variant>

namespace kansli::doc {
namespace {

// Where a run list sits decides what it may hold.
enum class Place { kBody, kFootnote, kBand };

struct RefCounter {
  std::vector<int>& seen;
  std::string& problem;

  void fail(const char* what) {
    if (problem.empty()) problem = what;
  }

  void runs(const Inlines& in, Place place) {
    for (const auto& r : in) {
      if (const auto* t = std::get_if<Text>(&r)) {
        for (char c : t->text) {
          auto u = static_cast<unsigned char>(c);
          if (u < 0x20 || u == 0x7f) fail("styrtecken i texten");
        }
        if (t->text.find("  ") != std::string::npos) fail("dubbla mellanslag i texten");
      } else if (const auto* f = std::get_if<FootnoteRef>(&r)) {
        if (place == Place::kFootnote) fail("fotnot i fotnot");
        if (place == Place::kBand) fail("fotnot i sidhuvud eller sidfot");
        if (f->number < 1 || f->number > static_cast<int>(seen.size())) {
          fail("hänvisning till fotnot som saknas");
        } else {
          ++seen[static_cast<size_t>(f->number - 1)];
        }
      } else if (std::holds_alternative<PageNumber>(r)) {
        if (place != Place::kBand) fail("sidnummer utanför sidhuvud och sidfot");
      }
    }
  }

  void band(const Band& b) {
    for (const auto& f : b.fields) runs(f.content, Place::kBand);
    for (const auto& row : b.rows) {
      if (const auto* line = std::get_if<Inlines>(&row)) {
        runs(*line, Place::kBand);
      } else {
        const auto& grid = std::get<Grid>(row);
        double share = 0;
        for (const auto& c : grid.cells) {
          runs(c.label, Place::kBand);
          runs(c.value, Place::kBand);
          if (c.width_percent < 0) fail("negativ kolumnbredd");
          share += c.width_percent;
        }
        if (share > 100.0001) fail("rutnätets kolumner är bredare än sidan");
      }
    }
    if (b.logo && !(b.logo->width_mm > 0 && b.logo->height_mm > 0)) fail("bilden saknar storlek");
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
  rc.band(d.header);
  if (d.first_header) rc.band(*d.first_header);
  for (const auto& b : d.body) {
    if (const auto* h = std::get_if<Heading>(&b)) {
      if (h->level == 1) ++h1;
      if (h->level < 1 || h->level > 6) return "rubriknivå utanför 1–6";
      if (h->level > last_level + 1) {
        return "rubriknivå " + std::to_string(h->level) + " följer på nivå " +
               std::to_string(last_level);
      }
      last_level = h->level;
      rc.runs(h->content, Place::kBody);
    } else if (const auto* p = std::get_if<Paragraph>(&b)) {
      rc.runs(p->content, Place::kBody);
    } else if (const auto* l = std::get_if<List>(&b)) {
      for (const auto& item : l->items) rc.runs(item, Place::kBody);
    } else if (const auto* s = std::get_if<Signatures>(&b)) {
      for (const auto& signer : s->signers) {
        for (const auto& line : signer.lines) rc.runs(line, Place::kBody);
      }
    }
  }
  for (size_t i = 0; i < d.footnotes.size(); ++i) {
    if (d.footnotes[i].number != static_cast<int>(i) + 1) return "fotnoterna är inte numrerade i ordning";
    rc.runs(d.footnotes[i].content, Place::kFootnote);
  }
  rc.band(d.footer);
  if (d.first_footer) rc.band(*d.first_footer);
  if (!problem.empty()) return problem;
  if (h1 != 1) return "dokumentet har " + std::to_string(h1) + " rubriker på nivå 1 (ska vara en)";
  for (size_t i = 0; i < seen.size(); ++i) {
    if (seen[i] != 1) return "fotnot " + std::to_string(i + 1) + " hänvisas till " + std::to_string(seen[i]) + " gånger";
  }
  return {};
}

}  // namespace kansli::doc
