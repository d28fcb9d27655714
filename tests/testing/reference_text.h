// Comparing a rendering of the reference memo with the reference text
// (tests/data/tjansteskrivelse-SOCN-2020-262.txt, text taken from Nacka's PDF)
// word for word, for every format: the text writer, and text extracted with
// pdftotext from Kansli's PDF or from LibreOffice's PDF of the DOCX/ODT.
#pragma once

#include <string>
#include <vector>

namespace kansli::testing {

// The text split on whitespace.
std::vector<std::string> words(const std::string& text);

struct Normalisation {
  // Emphasis is written *…* in the text format; paged formats set it in
  // italics, which extracted text does not show. Drops the asterisks.
  bool drop_emphasis_marks = false;
  // Word and LibreOffice number footnotes with raised ASCII digits
  // ("Stockholm1", "1 I polisregion"): superscript digits become ASCII, and a
  // paragraph "N text…" is a footnote when `footnotes[N-1]` starts with text….
  bool ascii_footnote_marks = false;
  std::vector<std::string> footnotes;  // plain text of each footnote, in order
  // Paged formats may break a line after "/" (a line-break opportunity in
  // UAX #14: "pappa/" | "vårdnadshavare"); such a break is joined.
  bool join_breaks_after_slash = false;
};

// The normalisation of the reference and of text extracted from a paged format:
//   1. Footnote placement: every footnote paragraph (a paragraph starting with
//      a superscript digit, see also ascii_footnote_marks) is taken out where
//      the page put it (the foot of its page) and appended, in order met, at
//      the end of the text, which is where writeText puts footnotes.
//   2. Page breaks and line layout: all lines are joined and the text is
//      split on whitespace, so blank lines, page breaks and a paragraph split
//      over two pages ("barn under" / "18 år") no longer matter.
// Nothing else is changed: every word, its punctuation, the emphasis marks
// (*…*) and the footnote marks (Stockholm¹) must match in order.
std::vector<std::string> normalised(const std::string& text, const Normalisation& n = {});

// The usual settings: the reference as a paged format must match it (emphasis
// marks dropped, ASCII footnote marks if `ascii`), and text extracted from a
// paged format (breaks after "/" joined; `footnotes` for ASCII marks).
Normalisation referenceForPaged(bool ascii);
Normalisation extractedFromPaged(std::vector<std::string> footnotes = {});

// How much of `original` `rendered` reproduces: the longest common
// subsequence of the two word lists (the original's words in order, with
// anything between them allowed) over the original's length, 0..1. Words the
// rendering adds do not count against it; words it drops or reorders do.
double wordsInOrder(const std::vector<std::string>& original, const std::vector<std::string>& rendered);

// The original's words wordsInOrder could not match, in order (for messages).
std::vector<std::string> missedWords(const std::vector<std::string>& original, const std::vector<std::string>& rendered);

// A real document's text as kept in samples/<kommun>/original.txt: a header
// block ("source-url: …", "note: …") up to the first blank line, then the
// text. Returns the text with what is not the document's taken out: lines
// that are only an editorial remark ("[... sidorna 3-4 saknas ...]"), "[...]"
// marks inside lines, and with "page-marks: N" in the header the transcript's
// page numbers N, N+1, … at the start of a line ("1 1 (4)" is page 1's "1 (4)").
std::string originalText(const std::string& file_content);

// Empty if equal; otherwise the first differing word with five words of
// context on each side.
std::string firstDifference(const std::vector<std::string>& want, const std::vector<std::string>& got);

}  // namespace kansli::testing
