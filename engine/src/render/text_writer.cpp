// The plain-text writer.
#include <algorithm>

#include "kansli/render.h"

namespace kansli {
namespace {

std::string superscript(int n) {
  static const char* kDigits[] = {"⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"};
  std::string digits = std::to_string(n);
  std::string out;
  for (char c : digits) out += kDigits[c - '0'];
  return out;
}

std::string pagePlaceholder(doc::PageStyle s) {
  switch (s) {
    case doc::PageStyle::kNumberOfTotal:
      return "# (#)";
    case doc::PageStyle::kSidaAvTotal:
      return "Sida # av #";
    case doc::PageStyle::kNumber:
      return "#";
  }
  return "#";
}

class TextWriter {
 public:
  TextWriter(const TextOptions& opts, std::string bullet) : opts_(opts), bullet_(std::move(bullet)) {}

  // Text is not paged: the first page's letterhead once at the top, the footer
  // once at the end. Only where the template itself starts a new page does
  // the text follow the paper: a first page with a footer of its own ends
  // there with it, and the later pages' footer closes the text.
  std::string write(const doc::Document& d) {
    const size_t before = out_.size();
    band(d.headerOn(1));
    if (out_.size() > before) out_ += "\n";
    bool first_page = true;
    for (const auto& b : d.body) {
      if (std::holds_alternative<doc::PageBreak>(b) && first_page && d.first_footer) {
        band(*d.first_footer);
        out_ += "\n";
        first_page = false;
      }
      block(b);
    }
    for (const auto& f : d.footnotes) out_ += superscript(f.number) + " " + runs(f.content) + "\n\n";
    band(first_page ? d.footerOn(1) : d.footer);
    while (out_.size() >= 2 && out_[out_.size() - 1] == '\n' && out_[out_.size() - 2] == '\n') {
      out_.pop_back();
    }
    return std::move(out_);
  }

 private:
  std::string runs(const doc::Inlines& in) const {
    std::string s;
    for (const auto& r : in) {
      if (const auto* t = std::get_if<doc::Text>(&r)) {
        s += t->emphasis ? "*" + t->text + "*" : t->text;
      } else if (const auto* f = std::get_if<doc::FootnoteRef>(&r)) {
        s += superscript(f->number);
      } else if (const auto* p = std::get_if<doc::PageNumber>(&r)) {
        if (opts_.page_placeholders) s += pagePlaceholder(p->style);
      }
    }
    // Without page numbers a field such as "Sida  av " may end in blanks.
    while (!s.empty() && s.back() == ' ') s.pop_back();
    return s;
  }

  // Fields one per line, then the rows; a grid as its labels over its values,
  // each column padded to its widest text.
  void band(const doc::Band& b) {
    for (const auto& f : b.fields) {
      std::string line = runs(f.content);
      if (!line.empty()) out_ += line + "\n";
    }
    for (const auto& row : b.rows) {
      if (const auto* l = std::get_if<doc::Inlines>(&row)) {
        std::string line = runs(*l);
        if (!line.empty()) out_ += line + "\n";
        continue;
      }
      const auto& g = std::get<doc::Grid>(row);
      std::vector<std::string> labels, values;
      bool any_label = false;
      for (const auto& c : g.cells) {
        labels.push_back(runs(c.label));
        values.push_back(runs(c.value));
        any_label = any_label || !labels.back().empty();
      }
      auto columns = [&](const std::vector<std::string>& cells) {
        std::string line;
        for (size_t i = 0; i < cells.size(); ++i) {
          line += cells[i];
          if (i + 1 == cells.size()) break;
          const size_t width = std::max(chars(labels[i]), chars(values[i])) + 2;
          line.append(width - chars(cells[i]), ' ');
        }
        while (!line.empty() && line.back() == ' ') line.pop_back();
        return line;
      };
      if (any_label) out_ += columns(labels) + "\n";
      std::string v = columns(values);
      if (!v.empty()) out_ += v + "\n";
    }
  }

  // Characters (code points) of UTF-8 text, for padding columns.
  static size_t chars(const std::string& s) {
    size_t n = 0;
    for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    return n;
  }

  void block(const doc::Block& b) {
    if (const auto* h = std::get_if<doc::Heading>(&b)) {
      out_ += runs(h->content) + "\n\n";
    } else if (const auto* p = std::get_if<doc::Paragraph>(&b)) {
      out_ += runs(p->content) + "\n\n";
    } else if (const auto* l = std::get_if<doc::List>(&b)) {
      const std::string bullet = (l->bullet.empty() ? bullet_ : l->bullet) + " ";
      for (size_t i = 0; i < l->items.size(); ++i) {
        out_ += (l->ordered ? std::to_string(i + 1) + ". " : bullet) + runs(l->items[i]) + "\n";
      }
      out_ += "\n";
    } else if (const auto* s = std::get_if<doc::Signatures>(&b)) {
      for (const auto& signer : s->signers) {
        for (const auto& line : signer.lines) out_ += runs(line) + "\n";
        out_ += "\n";
      }
    }
  }

  const TextOptions& opts_;
  std::string bullet_;  // the layout's mark for unordered lists
  std::string out_;
};

}  // namespace

std::string writeText(const doc::Document& d, const TextOptions& opts) {
  return TextWriter(opts, d.layout.list_bullet).write(d);
}

}  // namespace kansli
