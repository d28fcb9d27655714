#include "testing/reference_text.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cstring>
#include <sstream>

namespace kansli::testing {
namespace {

const char* const kSuperscripts[] = {"⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"};

bool startsWithSuperscriptDigit(const std::string& line) {
  size_t i = line.find_first_not_of(" \t");
  if (i == std::string::npos) return false;
  for (const char* sup : kSuperscripts) {
    if (line.compare(i, std::strlen(sup), sup) == 0) return true;
  }
  return false;
}

std::string asciiDigits(std::string s) {
  for (int d = 0; d <= 9; ++d) {
    const std::string sup = kSuperscripts[d];
    for (size_t pos; (pos = s.find(sup)) != std::string::npos;) s.replace(pos, sup.size(), 1, static_cast<char>('0' + d));
  }
  return s;
}

std::string joined(const std::vector<std::string>& w) {
  std::string s;
  for (const auto& x : w) s += (s.empty() ? "" : " ") + x;
  return s;
}

// "1 I polisregion …" (or "1I polisregion …") is footnote 1 if that note
// starts with "I polisregion".
bool isAsciiFootnote(const std::string& paragraph, const std::vector<std::string>& notes) {
  std::string p = joined(words(paragraph));
  size_t digits = 0;
  while (digits < p.size() && std::isdigit(static_cast<unsigned char>(p[digits]))) ++digits;
  if (digits == 0) return false;
  size_t n = std::stoul(p.substr(0, digits));
  if (n < 1 || n > notes.size()) return false;
  std::string rest = p.substr(digits);
  if (!rest.empty() && rest[0] == ' ') rest.erase(0, 1);
  std::string note = joined(words(notes[n - 1]));
  std::string head = note.substr(0, std::min<size_t>(note.size(), 12));
  return !head.empty() && rest.compare(0, head.size(), head) == 0;
}

}  // namespace

std::vector<std::string> words(const std::string& text) {
  std::istringstream in(text);
  std::vector<std::string> out;
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

std::vector<std::string> normalised(const std::string& input, const Normalisation& n) {
  std::string text = input;
  if (n.join_breaks_after_slash) {
    for (size_t pos; (pos = text.find("/\n")) != std::string::npos;) text.erase(pos + 1, 1);
  }
  // Paragraphs: runs of non-blank lines.
  std::vector<std::string> paragraphs;
  std::istringstream in(text);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  if (n.ascii_footnote_marks) {
    // LibreOffice may set a note's number apart from its text, so that the
    // extracted text has "1" on a line of its own before "I polisregion…".
    for (size_t i = 0; i + 1 < lines.size(); ++i) {
      auto w = words(lines[i]);
      if (w.size() != 1) continue;
      size_t next = i + 1;
      while (next < lines.size() && words(lines[next]).empty()) ++next;
      if (next < lines.size() && isAsciiFootnote(w[0] + " " + lines[next], n.footnotes)) {
        lines[next] = w[0] + " " + lines[next];
        lines[i].clear();
      }
    }
    // Or apart from its note altogether (LibreOffice's DOCX footnotes: the
    // raised numbers come after all notes of the page). Then a line that
    // starts like note k (40 characters, more than any body line shares with
    // a note) is note k, and a line holding only a note number is dropped.
    for (auto& line : lines) {
      auto w = words(line);
      if (w.size() == 1 && w[0].size() <= 2 &&
          std::all_of(w[0].begin(), w[0].end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }) &&
          std::stoul(w[0]) >= 1 && std::stoul(w[0]) <= n.footnotes.size()) {
        line.clear();
        continue;
      }
      std::string text = joined(w);
      for (size_t k = 0; k < n.footnotes.size(); ++k) {
        std::string note = joined(words(n.footnotes[k]));
        std::string head = note.substr(0, std::min<size_t>(note.size(), 40));
        if (!head.empty() && text.compare(0, head.size(), head) == 0) {
          line = std::to_string(k + 1) + " " + text;
          break;
        }
      }
    }
  }
  std::string current;
  for (const std::string& line : lines) {
    bool blank = line.find_first_not_of(" \t\f\r") == std::string::npos;
    if (blank) {
      if (!current.empty()) paragraphs.push_back(current);
      current.clear();
    } else {
      // A new paragraph also starts at a footnote line, whatever the spacing.
      bool note_line = startsWithSuperscriptDigit(line) ||
                       (n.ascii_footnote_marks && isAsciiFootnote(asciiDigits(line), n.footnotes));
      if (!current.empty() && note_line) {
        paragraphs.push_back(current);
        current.clear();
      }
      current += line + "\n";
    }
  }
  if (!current.empty()) paragraphs.push_back(current);

  std::string body, notes;
  for (auto& p : paragraphs) {
    bool note = startsWithSuperscriptDigit(p);
    if (n.ascii_footnote_marks) {
      p = asciiDigits(p);
      note = note || isAsciiFootnote(p, n.footnotes);
      // "1I polisregion" and "1 I polisregion" are the same note mark.
      if (note) {
        size_t digits = p.find_first_not_of(" \t");
        size_t end = digits;
        while (end < p.size() && std::isdigit(static_cast<unsigned char>(p[end]))) ++end;
        if (end > digits && end < p.size() && p[end] != ' ') p.insert(end, " ");
      }
    }
    (note ? notes : body) += p + "\n";
  }
  auto out = words(body + notes);
  if (n.ascii_footnote_marks) {
    // A raised ASCII note mark may be extracted as a word of its own
    // ("Folkhälsomyndigheten 3"): a lone number that could be a note mark is
    // joined to the word before it. Done on both sides of a comparison, so a
    // real "kap 1 §" becomes "kap1 §" in both.
    const size_t count = std::max<size_t>(n.footnotes.size(), 9);
    std::vector<std::string> joined_marks;
    for (auto& w : out) {
      bool mark = !w.empty() && w.size() <= 2 && std::all_of(w.begin(), w.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }) &&
                  std::stoul(w) >= 1 && std::stoul(w) <= count;
      if (mark && !joined_marks.empty()) {
        joined_marks.back() += w;
      } else {
        joined_marks.push_back(w);
      }
    }
    out = std::move(joined_marks);
  }
  if (n.drop_emphasis_marks) {
    for (auto& w : out) w.erase(std::remove(w.begin(), w.end(), '*'), w.end());
    out.erase(std::remove(out.begin(), out.end(), std::string()), out.end());
  }
  return out;
}

Normalisation referenceForPaged(bool ascii) {
  Normalisation n;
  n.drop_emphasis_marks = true;
  n.ascii_footnote_marks = ascii;
  return n;
}

Normalisation extractedFromPaged(std::vector<std::string> footnotes) {
  Normalisation n;
  n.join_breaks_after_slash = true;
  n.ascii_footnote_marks = !footnotes.empty();
  n.footnotes = std::move(footnotes);
  return n;
}

double wordsInOrder(const std::vector<std::string>& original, const std::vector<std::string>& rendered) {
  if (original.empty()) return 1.0;
  // Two rows of the LCS table: memory linear in the rendering's length.
  std::vector<size_t> prev(rendered.size() + 1, 0), cur(rendered.size() + 1, 0);
  for (size_t i = 1; i <= original.size(); ++i) {
    for (size_t j = 1; j <= rendered.size(); ++j) {
      cur[j] = original[i - 1] == rendered[j - 1] ? prev[j - 1] + 1 : std::max(prev[j], cur[j - 1]);
    }
    std::swap(prev, cur);
  }
  return static_cast<double>(prev[rendered.size()]) / static_cast<double>(original.size());
}

std::vector<std::string> missedWords(const std::vector<std::string>& original,
                                     const std::vector<std::string>& rendered) {
  const size_t n = original.size(), m = rendered.size();
  std::vector<std::vector<unsigned>> t(n + 1, std::vector<unsigned>(m + 1, 0));
  for (size_t i = n; i-- > 0;) {
    for (size_t j = m; j-- > 0;) {
      t[i][j] = original[i] == rendered[j] ? t[i + 1][j + 1] + 1 : std::max(t[i + 1][j], t[i][j + 1]);
    }
  }
  std::vector<std::string> missed;
  size_t i = 0, j = 0;
  while (i < n) {
    if (j < m && original[i] == rendered[j]) {
      ++i;
      ++j;
    } else if (j < m && t[i][j + 1] >= t[i + 1][j]) {
      ++j;
    } else {
      missed.push_back(original[i++]);
    }
  }
  return missed;
}

std::string originalText(const std::string& content) {
  size_t body = content.find("\n\n");
  std::string head = body == std::string::npos ? std::string() : content.substr(0, body);
  std::string text = body == std::string::npos ? content : content.substr(body + 2);
  // "page-marks: N": lines may start with the transcript's page number, the
  // first being N.
  size_t marks_at = head.rfind("page-marks:", 0) == 0 ? 0 : head.find("\npage-marks:");
  const bool page_marks = marks_at != std::string::npos;
  int next_page = 1;
  if (page_marks) {
    const size_t colon = head.find(':', marks_at);
    next_page = std::max(1, std::atoi(head.c_str() + colon + 1));
  }
  std::istringstream in(text);
  std::string out;
  for (std::string line; std::getline(in, line);) {
    size_t a = line.find_first_not_of(" \t");
    size_t b = line.find_last_not_of(" \t");
    if (a != std::string::npos && line[a] == '[' && line[b] == ']') continue;  // an editorial line
    for (const char* mark : {"[...]", "[…]"}) {
      for (size_t pos; (pos = line.find(mark)) != std::string::npos;) line.erase(pos, std::strlen(mark));
    }
    const std::string number = std::to_string(next_page) + " ";
    if (page_marks && line.rfind(number, 0) == 0) {
      line.erase(0, number.size());
      ++next_page;
    }
    out += line + "\n";
  }
  return out;
}

std::string firstDifference(const std::vector<std::string>& want, const std::vector<std::string>& got) {
  size_t i = 0;
  while (i < want.size() && i < got.size() && want[i] == got[i]) ++i;
  if (i == want.size() && i == got.size()) return {};
  auto around = [&](const std::vector<std::string>& v) {
    std::string s;
    for (size_t k = i >= 5 ? i - 5 : 0; k < std::min(v.size(), i + 6); ++k) {
      s += (k == i ? "[" + v[k] + "]" : v[k]) + " ";
    }
    return s;
  };
  return "first difference at word " + std::to_string(i) + "\n  reference: " + around(want) +
         "\n  rendered:  " + around(got);
}

}  // namespace kansli::testing
