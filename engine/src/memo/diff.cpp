// textDiff: an LCS line diff written as unified-style hunks.
#include <algorithm>
#include <cstdint>

#include "kansli/memo.h"

namespace kansli {
namespace {

std::vector<std::string_view> splitLines(std::string_view s) {
  std::vector<std::string_view> out;
  while (!s.empty()) {
    size_t nl = s.find('\n');
    if (nl == std::string_view::npos) {
      out.push_back(s);
      break;
    }
    out.push_back(s.substr(0, nl));
    s.remove_prefix(nl + 1);
  }
  return out;
}

enum class Op { kSame, kRemoved, kAdded };
struct Edit {
  Op op;
  std::string_view line;
  size_t a;  // line index in a (for kSame/kRemoved: this line; for kAdded: next line)
  size_t b;
};

// Above this many LCS cells the diff gives up on alignment (memory and time
// stay bounded for any input).
constexpr std::uint64_t kMaxCells = 16u * 1024u * 1024u;

}  // namespace

std::string textDiff(std::string_view a_text, std::string_view b_text, int context) {
  auto a = splitLines(a_text);
  auto b = splitLines(b_text);
  // Common prefix and suffix need no table.
  size_t pre = 0;
  while (pre < a.size() && pre < b.size() && a[pre] == b[pre]) ++pre;
  size_t suf = 0;
  while (suf < a.size() - pre && suf < b.size() - pre &&
         a[a.size() - 1 - suf] == b[b.size() - 1 - suf]) {
    ++suf;
  }
  size_t n = a.size() - pre - suf;
  size_t m = b.size() - pre - suf;

  std::vector<Edit> edits;
  for (size_t i = 0; i < pre; ++i) edits.push_back({Op::kSame, a[i], i, i});
  if (static_cast<std::uint64_t>(n + 1) * (m + 1) <= kMaxCells) {
    // lcs[i][j]: LCS length of a[pre+i..] and b[pre+j..].
    std::vector<std::uint32_t> lcs((n + 1) * (m + 1), 0);
    auto at = [&](size_t i, size_t j) -> std::uint32_t& { return lcs[i * (m + 1) + j]; };
    for (size_t i = n; i-- > 0;) {
      for (size_t j = m; j-- > 0;) {
        at(i, j) = a[pre + i] == b[pre + j] ? at(i + 1, j + 1) + 1
                                            : std::max(at(i + 1, j), at(i, j + 1));
      }
    }
    size_t i = 0, j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && a[pre + i] == b[pre + j]) {
        edits.push_back({Op::kSame, a[pre + i], pre + i, pre + j});
        ++i, ++j;
      } else if (i < n && (j == m || at(i + 1, j) >= at(i, j + 1))) {
        // Removals before additions, as unified diffs write a changed line.
        edits.push_back({Op::kRemoved, a[pre + i], pre + i, pre + j});
        ++i;
      } else {
        edits.push_back({Op::kAdded, b[pre + j], pre + i, pre + j});
        ++j;
      }
    }
  } else {
    for (size_t i = 0; i < n; ++i) edits.push_back({Op::kRemoved, a[pre + i], pre + i, pre});
    for (size_t j = 0; j < m; ++j) edits.push_back({Op::kAdded, b[pre + j], pre + n, pre + j});
  }
  for (size_t k = 0; k < suf; ++k) {
    edits.push_back({Op::kSame, a[pre + n + k], pre + n + k, pre + m + k});
  }

  // Group changes with `context` unchanged lines around them into hunks.
  std::string out;
  const size_t ctx = static_cast<size_t>(std::max(context, 0));
  size_t k = 0;
  while (k < edits.size()) {
    while (k < edits.size() && edits[k].op == Op::kSame) ++k;
    if (k == edits.size()) break;
    size_t start = k >= ctx ? k - ctx : 0;
    // Extend the hunk while the next change is within 2*ctx unchanged lines.
    size_t end = k;
    while (end < edits.size()) {
      if (edits[end].op != Op::kSame) {
        ++end;
        continue;
      }
      size_t run = end;
      while (run < edits.size() && edits[run].op == Op::kSame) ++run;
      if (run == edits.size() || run - end > 2 * ctx) {
        end = std::min(end + ctx, edits.size());
        break;
      }
      end = run;
    }
    size_t a_start = edits[start].a, b_start = edits[start].b;
    size_t a_count = 0, b_count = 0;
    std::string body;
    for (size_t e = start; e < end; ++e) {
      switch (edits[e].op) {
        case Op::kSame:
          body += " ";
          ++a_count, ++b_count;
          break;
        case Op::kRemoved:
          body += "-";
          ++a_count;
          break;
        case Op::kAdded:
          body += "+";
          ++b_count;
          break;
      }
      body += edits[e].line;
      body += "\n";
    }
    // Unified diffs number from 1, and name the line before an empty range.
    out += "@@ -" + std::to_string(a_count ? a_start + 1 : a_start) + "," + std::to_string(a_count) +
           " +" + std::to_string(b_count ? b_start + 1 : b_start) + "," + std::to_string(b_count) +
           " @@\n" + body;
    k = end;
  }
  return out;
}

}  // namespace kansli
