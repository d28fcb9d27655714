// Paper and office formats: the document tree (document.h) as PDF for the
// record and as DOCX and ODT for editing.
//
//   doc::Document --writePdf--> PDF 1.5, A4, fonts embedded (cairo + pango)
//                 --writeDocx-> Office Open XML (WordprocessingML), zipped
//                 --writeOdt--> OpenDocument Text, zipped
//
// Every writer shows the same content as writeText/writeHtml (render.h): the
// letterhead fields repeated as a running page header with the page number
// filled in ("1 (2)", "Sida 1 av 2"), the body, the footnotes at the foot of
// the page that cites them, the signature block kept together, the footer.
// Fonts, sizes and margins come from the document's Layout (set by its
// template); the defaults match the reference memo. Logos are drawn from the
// bytes the template supplied: PNG as an image, SVG as vectors in the PDF, as
// SVG with a PNG beside it in the office formats.
//
// Output is deterministic: the same tree and options give the same bytes. Every
// timestamp a format needs (PDF CreationDate/ModDate, DOCX core properties, ODT
// meta.xml, zip entry times) is derived from Document::meta.date (or a fixed
// date when it is empty); no random identifiers are written. docs/formats.md
// describes how each writer maps the tree.
//
// Text is never lost: a character that no installed font can show is written as
// a visible "[U+XXXX]" in the PDF; a word longer than a line is broken between
// characters rather than cut off. (DOCX/ODT carry the characters themselves;
// the office program chooses fonts.)
//
// Errors: kInvalidInput for a tree that breaks document.h's invariants or for
// a Layout that leaves no room for text; kInternal if cairo, pango, librsvg or
// the zip library fails. Threads: all functions are reentrant; each call uses its own
// font map and surface, so several documents may be written at once.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kansli/document.h"
#include "kansli/error.h"

namespace kansli {

// ---- Formats and file names --------------------------------------------------

enum class Format { kPdf, kDocx, kOdt, kHtml, kText };

struct FormatInfo {
  std::string_view name;        // "pdf"
  std::string_view media_type;  // "application/pdf"
  std::string_view suffix;      // ".pdf"
};

FormatInfo formatInfo(Format f);
// "pdf", "docx", "odt", "html", "txt" (case-insensitive); nullopt otherwise.
std::optional<Format> parseFormat(std::string_view name);

// A file name for the document in format `f`: the dnr with every character
// other than ASCII letters and digits turned into "-", then the document kind:
//   "SOCN 2020/262" + "tjansteskrivelse" + kPdf -> "SOCN-2020-262-tjansteskrivelse.pdf".
// Falls back to the kind alone ("tjansteskrivelse.pdf"), then "dokument".
std::string fileName(const doc::Document& d, Format f);

// ---- Layout ---------------------------------------------------------------------

// The page and type the document's template chose (doc::Layout, document.h:
// A4, margins 25/20 mm left/right, a serif body at 11 pt by default). Options
// may replace it, e.g. to print a memo on A5.
using Layout = doc::Layout;

struct PdfOptions {
  std::optional<Layout> layout;  // instead of the document's own
  // Polled between pages and blocks; true stops the writer with
  // ErrorCode::kCancelled (the client has gone). Empty: never.
  std::function<bool()> cancelled;
};

struct OfficeOptions {
  std::optional<Layout> layout;  // instead of the document's own
};

// ---- Writers ---------------------------------------------------------------------

// The document as a PDF: the bytes of the file.
Result<std::string> writePdf(const doc::Document& d, const PdfOptions& opts = {});
// One part of a bundle: a document and its entry in the PDF's outline.
struct PdfPart {
  std::string outline;  // the bookmark's text
  doc::Document document;
};
// Several documents as one PDF (the kallelse med handlingar): each part on
// its own pages with its own letterhead, page numbers counted across the
// whole ("3 (12)"), one outline entry (bookmark) per part at its first page,
// the metadata of the first part.
Result<std::string> writePdfBundle(const std::vector<PdfPart>& parts, const PdfOptions& opts = {});
// The document as a .docx package.
Result<std::string> writeDocx(const doc::Document& d, const OfficeOptions& opts = {});
// The document as an .odt package (mimetype first, stored).
Result<std::string> writeOdt(const doc::Document& d, const OfficeOptions& opts = {});

// The document in format `f` by that format's writer with its default
// options (text and HTML as render.h writes them): the one place a format
// picks its writer.
Result<std::string> writeDocument(const doc::Document& d, Format f,
                                  const std::function<bool()>& cancelled = {});

}  // namespace kansli
