// The document tree: what every writer (text, HTML, later PDF/DOCX/ODT) renders.
//
// Template expansion (render.h) yields one doc::Document; writers never see the
// template, the memo or the case, so every format shows the same content and a
// new format is one new writer over this tree. The tree is format-neutral: it
// says "heading level 2", "emphasis", "footnote 3", "page number in the style
// 1 (2)", never fonts, margins or markup.
//
// Invariants the expander guarantees (checked by doc::check):
//   * exactly one level-1 heading (the title), and no heading deeper than one
//     level below the one before it;
//   * footnotes are numbered 1..n in document order, every FootnoteRef names a
//     footnote and every footnote is referenced exactly once;
//   * text runs hold no control characters, no newlines and no doubled spaces
//     (values are normalised when inserted, so a value cannot fake structure).
//
// Placement is the writer's choice: footnotes go to the page foot in paged
// formats and to the end in text and HTML; page numbers are filled in by paged
// writers and may be omitted or shown as placeholders by unpaged ones.
//
// Plain value types: copyable, no shared state, safe to read from several threads.
#pragma once

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
struct Paragraph {
  std::string role;
  Inlines content;
};

struct List {
  bool ordered = false;
  std::vector<Inlines> items;
};

// One person's signature: lines such as name, title, unit.
struct Signer {
  std::vector<Inlines> lines;
};

struct Signatures {
  std::vector<Signer> signers;
};

using Block = std::variant<Heading, Paragraph, List, Signatures>;

// ---- The document ----------------------------------------------------------

// A letterhead / page-header field. `role` is one of: date, document-type, dnr,
// unit, officer, committee, organisation, page, other.
struct HeaderField {
  std::string role;
  Inlines content;
};

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
  std::vector<HeaderField> header;  // letterhead; paged writers repeat it per page
  std::vector<Block> body;
  std::vector<Footnote> footnotes;
  std::vector<Inlines> footer;      // footer lines; paged writers repeat them per page
  Metadata meta;
};

// The plain text of some runs (emphasis dropped, footnote refs and page numbers
// left out).
std::string plainText(const Inlines& runs);

// Checks the invariants above; returns a description of the first broken one,
// or an empty string.
std::string check(const Document& d);

}  // namespace kansli::doc
