// What the paged writers (PDF, DOCX, ODT) share: page-number text, where a
// letterhead field goes, the fixed timestamp, layout checks and zipping.
#pragma once

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
// so the same entries give the same bytes. kInternal if Poco::Zip throws.
Result<std::string> zip(const std::vector<ZipEntry>& entries, const std::string& timestamp);

}  // namespace kansli::render
