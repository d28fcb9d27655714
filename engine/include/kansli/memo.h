// Memos (tjänsteskrivelser): their content as data.
//
// A memo is an XML document in the vocabulary of templates/memo.rng: metadata
// (date, title, the initiative it answers, the committee addressed), sections
// (a kind such as "proposal" and/or a heading, then paragraphs and lists with
// emphasis, footnotes and references to the case's documents) and signatories.
// The memo says what the document says; a template (render.h) says what it looks
// like, which headings it must have and in which order.
//
// parseMemo() is the only way in from outside: it refuses DOCTYPEs (so no
// external entities), validates against the schema and checks what the schema
// cannot (real dates, one section per kind, non-empty paragraphs). A Memo is a
// plain value: copyable, safe to read from several threads. Versions are stored
// by the caller as the XML text; textDiff() compares two versions' text
// renderings (writeText in render.h).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "kansli/error.h"

namespace kansli {

enum class SectionKind {
  kProposal,               // "proposal": förslag till beslut
  kSummary,                // "summary": sammanfattning
  kBackground,             // "background": bakgrund
  kProposalsInInitiative,  // "proposals-in-initiative": förslagen i initiativet
  kInvestigation,          // "investigation": utredning och bedömning
  kEconomy,                // "economy": ekonomiska konsekvenser
  kChildImpact,            // "child-impact": konsekvenser för barn
  kDocuments,              // "documents": handlingar i ärendet
  kOther,                  // "other": any further section, with its own heading
};

// The name used in XML ("child-impact"), and back.
std::string_view sectionKindName(SectionKind k);
std::optional<SectionKind> parseSectionKind(std::string_view name);
// The heading used when neither template nor memo names one ("Konsekvenser för barn").
std::string_view defaultHeading(SectionKind k);

// ---- Inline content ----------------------------------------------------------

struct MemoText {
  std::string text;  // whitespace already collapsed
  bool emphasis = false;
};

// <docref n="1"/>: written as the title of the case's document number 1. Whether
// the case has that document is checked when rendering (the memo alone cannot
// know), with `line` in the error.
struct MemoDocRef {
  int number = 0;
  int line = 0;
};

using FootnoteInline = std::variant<MemoText, MemoDocRef>;

// <footnote>…</footnote> where the reference mark goes; numbered in document
// order when rendered.
struct MemoFootnote {
  std::vector<FootnoteInline> content;
  int line = 0;
};

using MemoInline = std::variant<MemoText, MemoDocRef, MemoFootnote>;
using MemoInlines = std::vector<MemoInline>;

// ---- Blocks and sections -------------------------------------------------------

struct MemoParagraph {
  MemoInlines content;
  int line = 0;
};

struct MemoList {
  bool ordered = false;
  std::vector<MemoInlines> items;
  int line = 0;
};

// <subheading>: a heading one level below the section's own.
struct MemoSubheading {
  std::string text;
  int line = 0;
};

using MemoBlock = std::variant<MemoParagraph, MemoList, MemoSubheading>;

struct MemoSection {
  SectionKind kind = SectionKind::kOther;
  // As written in the memo; may be empty. A section of kind kOther without a
  // heading is shown without one (a decision formula, an introduction).
  std::string heading;
  std::vector<MemoBlock> blocks;
  int line = 0;
};

struct Signatory {
  std::string name;
  std::string title;  // "Enhetschef"
  std::string unit;   // "Barn- och familjeenheten"
};

struct Memo {
  std::string source_name;  // the name given to parseMemo, used in errors
  // <memo template="…">: the template the memo is written for; empty means the
  // caller's default ("tjansteskrivelse").
  std::string template_name;
  std::string date;         // YYYY-MM-DD, a real date
  std::string title;
  std::optional<std::string> initiative;  // "Politikerinitiativ den 25 augusti 2020 av …"
  std::optional<std::string> committee;   // "Socialnämnden"
  std::vector<MemoSection> sections;      // in the memo's order
  std::vector<Signatory> signatories;
  // <send-to>: whom the decision is sent to ("Beslutet skickas till"), in order.
  std::vector<std::string> send_to;

  const MemoSection* section(SectionKind k) const;  // first of that kind, or nullptr
};

// Parses and validates a memo. Errors are kUnprocessable (422) with the message
// "name:line: …" and one FieldError {"line N", …} per problem; kTooLarge for
// input over the XML layer's size limit; kInternal if the shipped schema cannot
// be read (an installation fault, not the user's).
Result<Memo> parseMemo(std::string_view xml, const std::string& name);

// A line diff of two texts (typically two memo versions through writeText):
// hunks in the unified style, "@@ -a,n +b,m @@", then lines prefixed " " (same),
// "-" (only in a) and "+" (only in b), with `context` unchanged lines around
// each change. Empty when the texts are equal. LCS-based; inputs larger than a
// few thousand changed lines fall back to "all of a removed, all of b added".
std::string textDiff(std::string_view a, std::string_view b, int context = 3);

}  // namespace kansli
