// The document tree: what every writer (text, HTML, PDF, DOCX, ODT) renders.
//
// Template expansion (render.h) yields one doc::Document; writers never see the
// template, the memo or the case, so every format shows the same content and a
// new format is one new writer over this tree. The tree is format-neutral: it
// says "heading level 2", "emphasis", "footnote 3", "page number in the style
// 1 (2)", "a page break here", "labels over values", never markup. The page
// geometry and type sizes the template chose travel with it (Layout), the same
// numbers for every paged writer.
//
// Invariants the expander guarantees (checked by doc::check):
//   * exactly one level-1 heading (the title), and no heading deeper than one
//     level below the one before it;
//   * footnotes are numbered 1..n in document order, every FootnoteRef names a
//     footnote and every footnote is referenced exactly once;
//   * text runs hold no control characters, no newlines and no doubled spaces
//     (values are normalised when inserted, so a value cannot fake structure);
//   * footnote references and page numbers sit only where they can be shown:
//     notes in the body, page numbers in the page bands (headers and footers).
//
// Placement is the writer's choice: footnotes go to the page foot in paged
// formats and to the end in text and HTML; page numbers are filled in by paged
// writers and may be omitted or shown as placeholders by unpaged ones; page
// breaks and "keep with next" matter only to paged writers.
//
// Plain value types: copyable, no shared state, safe to read from several threads.
#pragma once

#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace kansli::doc {

// ---- Inline runs -----------------------------------------------------------

struct Text {
  std::string text;
  bool emphasis = false;
};

// A reference to footnote `number` (1-based, Document::footnotes[number-1]).
struct FootnoteRef {
  int number = 0;
};

// Where a paged writer writes the page number.
enum class PageStyle {
  kNumberOfTotal,  // "1 (2)"
  kSidaAvTotal,    // "Sida 1 av 2"
  kNumber,         // "1"
};

struct PageNumber {
  PageStyle style = PageStyle::kNumberOfTotal;
};

using Inline = std::variant<Text, FootnoteRef, PageNumber>;
using Inlines = std::vector<Inline>;

// ---- Blocks ----------------------------------------------------------------

struct Heading {
  int level = 1;  // 1 = the document's title
  Inlines content;
};

// `role` names what the paragraph is in the document ("addressee",
// "initiative", ...) for writers that style by role; empty for body text.
// `keep_with_next`: a paged writer puts it on the same page as the block after.
struct Paragraph {
  std::string role;
  Inlines content;
  bool keep_with_next = false;
};

// `bullet` is the mark of an unordered list ("•", "–"); empty means the
// layout's list_bullet. Ordered lists are numbered "1.", "2.", ...
struct List {
  bool ordered = false;
  std::vector<Inlines> items;
  std::string bullet;
  bool keep_with_next = false;
};

// One person's signature: lines such as name, title, unit.
struct Signer {
  std::vector<Inlines> lines;
};

struct Signatures {
  std::vector<Signer> signers;
};

// The next block starts a new page. A break at the top of a page (or several
// in a row) gives no empty page.
struct PageBreak {};

using Block = std::variant<Heading, Paragraph, List, Signatures, PageBreak>;

// ---- Page bands: the running header and footer --------------------------------

// A letterhead field. `role` is one of: date, document-type, dnr, unit,
// officer, committee, organisation, administration, page, other. Paged writers
// set who (organisation, administration, unit, committee, officer) on the left
// and what and when on the right; "page" goes to the right end of the first line.
struct HeaderField {
  std::string role;
  Inlines content;
};

// One row of a grid: each cell a small label over its value ("Datum" over
// "2020-10-05"), the cells side by side. `width_percent` is the cell's share of
// the text width; 0 shares what the others leave equally.
struct GridCell {
  Inlines label;
  Inlines value;
  double width_percent = 0;
};

struct Grid {
  std::vector<GridCell> cells;
};

// A picture from the municipality's template folder (a logo). `data` holds the
// file's bytes, checked when the template was loaded (a PNG or an SVG without
// DOCTYPE or scripts that librsvg renders); the size on the page is fixed.
struct Image {
  std::string name;        // "logo.svg"
  std::string media_type;  // "image/png" or "image/svg+xml"
  std::string data;
  double width_mm = 0;
  double height_mm = 0;
  std::string alt;  // the text a screen reader says ("Exempelby kommun")
};

// A line of a band, centred ("Nacka kommun, 131 81 Nacka"), or a grid.
using BandRow = std::variant<Inlines, Grid>;

// A running header or footer: a logo and the letterhead fields in two columns,
// then rows (grids and lines) across the text width, in the template's order.
struct Band {
  std::optional<Image> logo;
  std::vector<HeaderField> fields;
  std::vector<BandRow> rows;

  bool empty() const { return !logo && fields.empty() && rows.empty(); }
};

// ---- Layout -------------------------------------------------------------------

// Page geometry and type, set by the template (<layout>); the defaults are the
// shipped look. Sizes left at 0 are derived from body_size_pt (paged.h).
struct Layout {
  double page_width_mm = 210;  // A4
  double page_height_mm = 297;
  double margin_top_mm = 15;   // page edge to the running header
  double margin_bottom_mm = 18;
  double margin_left_mm = 25;
  double margin_right_mm = 20;
  std::string body_font = "Liberation Serif";    // fontconfig family names
  std::string heading_font = "Liberation Sans";  // headings, header, footer
  double body_size_pt = 11;
  double line_spacing = 1.0;            // a multiple of the font's own line height
  double paragraph_space_pt = 0;        // after a paragraph (0: 0.75 × body)
  double heading_size_pt = 0;           // headings of level 2 (0: 1.09 × body)
  double title_size_pt = 0;             // the level-1 heading (0: 1.45 × body)
  double heading_space_before_pt = 0;   // (0: 1.3 × body)
  double heading_space_after_pt = 0;    // (0: 0.35 × body)
  double letterhead_size_pt = 0;        // header and footer text (0: 0.86 × body)
  double header_space_mm = 0;           // below the running header (0: 2.2 × body)
  std::string list_bullet = "–";
};

// ---- The document ----------------------------------------------------------

struct Footnote {
  int number = 0;
  Inlines content;
};

// Facts about the document that formats carry as metadata (PDF Info, DOCX core
// properties, ODT meta.xml) rather than on the page. Every field may be empty;
// renderMemo fills them from the case and the memo.
struct Metadata {
  std::string date;       // YYYY-MM-DD: the document's own date. Writers also use it
                          // as the files' creation time, so output is reproducible.
  std::string reference;  // the dnr, "SOCN 2020/262"
  std::string author;     // the unit that wrote it, "Barn- och familjeenheten"
  std::string subject;    // the case's ärendemening
  std::vector<std::string> keywords;  // the dnr first, then e.g. the kind of case
};

struct Document {
  std::string lang = "sv";
  std::string kind;   // the template's name, e.g. "tjansteskrivelse"
  std::string title;  // plain text of the level-1 heading
  // The running header and footer of every page, or of the pages after the
  // first when the first page has its own (first_header, first_footer).
  Band header;
  std::optional<Band> first_header;
  std::vector<Block> body;
  std::vector<Footnote> footnotes;
  Band footer;
  std::optional<Band> first_footer;
  Layout layout;
  Metadata meta;

  // The bands of page `page` (1-based).
  const Band& headerOn(int page) const { return page == 1 && first_header ? *first_header : header; }
  const Band& footerOn(int page) const { return page == 1 && first_footer ? *first_footer : footer; }
};

// The plain text of some runs (emphasis dropped, footnote refs and page numbers
// left out).
std::string plainText(const Inlines& runs);

// Checks the invariants above; returns a description of the first broken one,
// or an empty string.
std::string check(const Document& d);

}  // namespace kansli::doc
