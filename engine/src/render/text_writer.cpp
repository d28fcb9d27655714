// The plain-text writer.
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
  explicit TextWriter(const TextOptions& opts) : opts_(opts) {}

  std::string write(const doc::Document& d) {
    bool any_header = false;
    for (const auto& f : d.header) {
      std::string line = runs(f.content);
      if (line.empty()) continue;
      out_ += line + "\n";
      any_header = true;
    }
    if (any_header) out_ += "\n";
    for (const auto& b : d.body) block(b);
    for (const auto& f : d.footnotes) out_ += superscript(f.number) + " " + runs(f.content) + "\n\n";
    for (const auto& l : d.footer) {
      std::string line = runs(l);
      if (!line.empty()) out_ += line + "\n";
    }
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

  void block(const doc::Block& b) {
    if (const auto* h = std::get_if<doc::Heading>(&b)) {
      out_ += runs(h->content) + "\n\n";
    } else if (const auto* p = std::get_if<doc::Paragraph>(&b)) {
      out_ += runs(p->content) + "\n\n";
    } else if (const auto* l = std::get_if<doc::List>(&b)) {
      for (size_t i = 0; i < l->items.size(); ++i) {
        out_ += (l->ordered ? std::to_string(i + 1) + ". " : std::string("– ")) + runs(l->items[i]) + "\n";
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
  std::string out_;
};

}  // namespace

std::string writeText(const doc::Document& d, const TextOptions& opts) {
  return TextWriter(opts).write(d);
}

}  // namespace kansli
