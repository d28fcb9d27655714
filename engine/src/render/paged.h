// What the paged writers (PDF, DOCX, ODT) share: page-number text, where a
// letterhead field goes, the sizes a Layout implies, the fixed timestamp,
// layout checks, grid column widths and zipping.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kansli/document.h"
#include "kansli/error.h"
#include "kansli/writers.h"

namespace kansli::render {

// "1 (2)", "Sida 1 av 2" or "1".
std::string pageNumberText(doc::PageStyle style, int page, int total);

// Letterhead fields are set in two columns, as Swedish municipal documents do:
// who (organisation, unit, committee, officer) on the left; what and when
// (date, document type, dnr, other) on the right. The "page" field goes to the
// right end of the first line.
bool isLeftColumnRole(std::string_view role);

// A band's fields split that way, in their order: the DOCX and ODT writers set
// them as a two-cell table (the PDF writer places each field as it goes).
struct BandColumns {
  std::vector<const doc::HeaderField*> left, right;
  const doc::HeaderField* page = nullptr;  // the last "page" field, if any
};
BandColumns bandColumns(const doc::Band& band);

// The sizes (points) a Layout implies: its own where set, else derived from
// the body size the way the shipped look does.
struct Sizes {
  double body = 11;
  double title = 0;            // level-1 heading
  double heading = 0;          // level 2; levels 3 and 4 are body size, bold
  double heading_before = 0;   // space above a heading
  double heading_after = 0;    // below
  double paragraph_space = 0;  // after a paragraph
  double letterhead = 0;       // header and footer text
  double label = 0;            // grid labels (over their values)
  double note = 0;             // footnotes
  double header_space = 0;     // between the running header and the body
  double line_spacing = 1;     // multiple of the font's line height
};
Sizes sizesOf(const Layout& l);

// The size of heading `level` (1 title, 2 heading, 3+ body).
double headingSize(const Sizes& s, int level);

// The widths of a grid's cells as fractions of the text width (summing to 1
// or less): explicit percentages as given, the rest shared equally.
std::vector<double> gridFractions(const doc::Grid& g);

// The layout a writer uses: the option's if given, else the document's own.
inline const Layout& layoutFor(const doc::Document& d, const std::optional<Layout>& o) {
  return o ? *o : d.layout;
}

// The document's fixed timestamp: "2020-10-05T00:00:00" from meta.date, or
// "2000-01-01T00:00:00" when the date is missing or not YYYY-MM-DD.
std::string fixedTimestamp(const doc::Document& d);

// kInvalidInput if the tree breaks document.h's invariants or the layout
// leaves no room for text.
Result<void> checkInput(const doc::Document& d, const Layout& l);

constexpr double kPointsPerMm = 72.0 / 25.4;

// Twentieths of a point (DOCX) from millimetres.
inline long twips(double mm) { return static_cast<long>(mm * kPointsPerMm * 20.0 + 0.5); }

// One file in a zip package.
struct ZipEntry {
  std::string path;
  std::string data;
  bool store = false;  // no compression (ODF's mimetype must be stored)
};

// Zips `entries` in order, every entry dated `timestamp` (YYYY-MM-DDThh:mm:ss),
// so the same entries give the same bytes. Local entries and the central
// directory are both in the order given, with no extra fields. kInternal if
// libzip fails.
Result<std::string> zip(const std::vector<ZipEntry>& entries, const std::string& timestamp);

}  // namespace kansli::render
