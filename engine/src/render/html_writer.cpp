// The HTML writer: semantic, accessible HTML5 in XML syntax.
#include <cstdio>

#include "kansli/render.h"
#include "xml/xml.h"

namespace kansli {
namespace {

constexpr const char* kStyle = R"CSS(
body { font-family: Georgia, "Times New Roman", serif; max-width: 42em; margin: 2em auto; padding: 0 1em; line-height: 1.5; color: #111; }
.brevhuvud { display: flex; flex-wrap: wrap; justify-content: space-between; gap: 0 2em; border-bottom: 1px solid #888; margin-bottom: 2em; }
.brevhuvud p { margin: 0.2em 0; }
.falt-document-type { font-weight: bold; letter-spacing: 0.05em; }
h1 { font-size: 1.5em; margin: 1em 0 0.5em; }
h2 { font-size: 1.15em; margin: 1.5em 0 0.3em; }
h3 { font-size: 1em; margin: 1.2em 0 0.2em; }
a { color: #0645ad; }
a:focus { outline: 2px solid #0645ad; }
.underskrifter { display: flex; flex-wrap: wrap; gap: 2em 4em; margin-top: 3em; }
.underskrift p { margin: 0; }
.fotnoter { border-top: 1px solid #888; margin-top: 2em; font-size: 0.9em; }
.sidfot { border-top: 1px solid #888; margin-top: 2em; font-size: 0.85em; color: #333; }
.sidnummer:empty { display: none; }
.logotyp { display: block; margin: 0.5em 0; }
.brevhuvud .rutnat, .sidfot .rutnat { flex-basis: 100%; }
.rutnat { border-collapse: collapse; width: 100%; margin: 0.3em 0; }
.rutnat th { font-weight: normal; font-size: 0.75em; text-align: left; color: #444; padding: 0 1em 0 0; }
.rutnat td { padding: 0 1em 0.2em 0; vertical-align: top; }
.rad { text-align: center; }
.sidbrytning { display: none; }
@media print {
  @page { size: A4; margin: 2.5cm 2cm; }
  body { max-width: none; margin: 0; padding: 0; font-size: 11pt; color: #000; }
  a { color: inherit; text-decoration: none; }
  .fotnoter a[role="doc-backlink"] { display: none; }
  h1, h2, h3, .hall-ihop { break-after: avoid; }
  .sidbrytning { display: block; break-before: page; }
  p, li { orphans: 3; widows: 3; }
  .underskrifter { break-inside: avoid; }
}
)CSS";

const char* pageStyleName(doc::PageStyle s) {
  switch (s) {
    case doc::PageStyle::kNumberOfTotal:
      return "n (m)";
    case doc::PageStyle::kSidaAvTotal:
      return "Sida n av m";
    case doc::PageStyle::kNumber:
      return "n";
  }
  return "n";
}

class HtmlWriter {
 public:
  // HTML is one page: the first page's header and footer when it has its own.
  std::string write(const doc::Document& d) {
    const std::string lang = xml::escape(d.lang.empty() ? "sv" : d.lang);
    out_ += "<!DOCTYPE html>\n";
    out_ += "<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"" + lang + "\" xml:lang=\"" + lang + "\">\n";
    out_ += "<head>\n<meta charset=\"utf-8\"/>\n";
    out_ += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n";
    out_ += "<title>" + xml::escape(d.title) + "</title>\n";
    // The body first: it collects the list marks the stylesheet needs.
    std::string head = std::move(out_);
    out_.clear();
    bullet_ = d.layout.list_bullet;
    if (!d.headerOn(1).empty()) {
      out_ += "<header class=\"brevhuvud\">\n";
      band(d.headerOn(1));
      out_ += "</header>\n";
    }
    out_ += "<main>\n";
    for (const auto& b : d.body) block(b);
    if (!d.footnotes.empty()) {
      out_ += "<section class=\"fotnoter\" role=\"doc-endnotes\" aria-labelledby=\"fotnoter-rubrik\">\n";
      // Visually hidden heading would break "headings in order" below the
      // document's own; a label keeps the landmark named without one.
      out_ += "<p id=\"fotnoter-rubrik\" class=\"fotnoter-rubrik\">Fotnoter</p>\n<ol>\n";
      for (const auto& f : d.footnotes) {
        std::string n = std::to_string(f.number);
        out_ += "<li id=\"fotnot-" + n + "\">" + runs(f.content) + " <a href=\"#fotnotsref-" + n +
                "\" role=\"doc-backlink\" aria-label=\"Tillbaka till hänvisning " + n + "\">↩</a></li>\n";
      }
      out_ += "</ol>\n</section>\n";
    }
    out_ += "</main>\n";
    if (!d.footerOn(1).empty()) {
      out_ += "<footer class=\"sidfot\">\n";
      band(d.footerOn(1));
      out_ += "</footer>\n";
    }
    out_ += "</body>\n</html>\n";
    std::string css = kStyle;
    for (size_t i = 0; i < bullets_.size(); ++i) {
      css += ".punkt-" + std::to_string(i + 1) + " { list-style-type: \"" + cssString(bullets_[i]) + " \"; }\n";
    }
    return head + "<style>" + css + "</style>\n</head>\n<body>\n" + out_;
  }

 private:
  // A CSS string's content: every character escaped as \HEX, so no mark can
  // end the string or the rule.
  static std::string cssString(const std::string& s) {
    std::string out;
    const auto* p = reinterpret_cast<const unsigned char*>(s.data());
    const auto* end = p + s.size();
    while (p < end) {
      unsigned cp = *p;
      int extra = cp >= 0xF0 ? 3 : cp >= 0xE0 ? 2 : cp >= 0xC0 ? 1 : 0;
      cp &= extra == 3 ? 0x07 : extra == 2 ? 0x0F : extra == 1 ? 0x1F : 0x7F;
      ++p;
      for (int i = 0; i < extra && p < end; ++i, ++p) cp = (cp << 6) | (*p & 0x3F);
      char buf[16];
      std::snprintf(buf, sizeof buf, "\\%X ", cp);
      out += buf;
    }
    return out;
  }

  std::string bulletClass(const std::string& bullet) {
    for (size_t i = 0; i < bullets_.size(); ++i) {
      if (bullets_[i] == bullet) return "punkt-" + std::to_string(i + 1);
    }
    bullets_.push_back(bullet);
    return "punkt-" + std::to_string(bullets_.size());
  }

  static std::string base64(const std::string& in) {
    static const char* k = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    out.reserve((in.size() + 2) / 3 * 4);
    size_t i = 0;
    for (; i + 2 < in.size(); i += 3) {
      unsigned v = (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8) |
                   static_cast<unsigned char>(in[i + 2]);
      out += k[(v >> 18) & 63];
      out += k[(v >> 12) & 63];
      out += k[(v >> 6) & 63];
      out += k[v & 63];
    }
    if (i < in.size()) {
      unsigned v = static_cast<unsigned char>(in[i]) << 16;
      if (i + 1 < in.size()) v |= static_cast<unsigned char>(in[i + 1]) << 8;
      out += k[(v >> 18) & 63];
      out += k[(v >> 12) & 63];
      out += i + 1 < in.size() ? k[(v >> 6) & 63] : '=';
      out += '=';
    }
    return out;
  }

  // A header or footer: logo, fields, then grids (a table: labels as column
  // headers over values) and lines.
  void band(const doc::Band& b) {
    if (b.logo) {
      const auto px = [](double mm) { return std::to_string(static_cast<int>(mm * 96 / 25.4 + 0.5)); };
      out_ += "<img class=\"logotyp\" src=\"data:" + xml::escape(b.logo->media_type) + ";base64," +
              base64(b.logo->data) + "\" alt=\"" + xml::escape(b.logo->alt) + "\" width=\"" + px(b.logo->width_mm) +
              "\" height=\"" + px(b.logo->height_mm) + "\"/>\n";
    }
    for (const auto& f : b.fields) {
      out_ += "<p class=\"falt falt-" + xml::escape(f.role) + "\">" + runs(f.content) + "</p>\n";
    }
    for (const auto& row : b.rows) {
      if (const auto* l = std::get_if<doc::Inlines>(&row)) {
        out_ += "<p class=\"rad\">" + runs(*l) + "</p>\n";
        continue;
      }
      const auto& g = std::get<doc::Grid>(row);
      bool labels = false;
      for (const auto& c : g.cells) labels = labels || !c.label.empty();
      out_ += "<table class=\"rutnat\">\n";
      if (labels) {
        out_ += "<tr>";
        for (const auto& c : g.cells) out_ += "<th scope=\"col\">" + runs(c.label) + "</th>";
        out_ += "</tr>\n";
      }
      out_ += "<tr>";
      for (const auto& c : g.cells) out_ += "<td>" + runs(c.value) + "</td>";
      out_ += "</tr>\n</table>\n";
    }
  }

  std::string runs(const doc::Inlines& in) {
    std::string s;
    for (const auto& r : in) {
      if (const auto* t = std::get_if<doc::Text>(&r)) {
        s += t->emphasis ? "<em>" + xml::escape(t->text) + "</em>" : xml::escape(t->text);
      } else if (const auto* f = std::get_if<doc::FootnoteRef>(&r)) {
        std::string n = std::to_string(f->number);
        s += "<sup><a href=\"#fotnot-" + n + "\" id=\"fotnotsref-" + n +
             "\" role=\"doc-noteref\" aria-label=\"Fotnot " + n + "\">" + n + "</a></sup>";
      } else if (const auto* p = std::get_if<doc::PageNumber>(&r)) {
        s += "<span class=\"sidnummer\" data-stil=\"" + xml::escape(pageStyleName(p->style)) + "\"></span>";
      }
    }
    return s;
  }

  void block(const doc::Block& b) {
    if (const auto* h = std::get_if<doc::Heading>(&b)) {
      std::string tag = "h" + std::to_string(h->level);
      out_ += "<" + tag + ">" + runs(h->content) + "</" + tag + ">\n";
    } else if (const auto* p = std::get_if<doc::Paragraph>(&b)) {
      std::string cls = p->role;
      if (p->keep_with_next) cls += cls.empty() ? "hall-ihop" : " hall-ihop";
      out_ += cls.empty() ? "<p>" : "<p class=\"" + xml::escape(cls) + "\">";
      out_ += runs(p->content) + "</p>\n";
    } else if (std::holds_alternative<doc::PageBreak>(b)) {
      out_ += "<div class=\"sidbrytning\"></div>\n";
    } else if (const auto* l = std::get_if<doc::List>(&b)) {
      const char* tag = l->ordered ? "ol" : "ul";
      std::string cls = l->ordered ? std::string() : bulletClass(l->bullet.empty() ? bullet_ : l->bullet);
      if (l->keep_with_next) cls += cls.empty() ? "hall-ihop" : " hall-ihop";
      out_ += std::string("<") + tag + (cls.empty() ? "" : " class=\"" + cls + "\"") + ">\n";
      for (const auto& item : l->items) out_ += "<li>" + runs(item) + "</li>\n";
      out_ += std::string("</") + tag + ">\n";
    } else if (const auto* s = std::get_if<doc::Signatures>(&b)) {
      out_ += "<section class=\"underskrifter\" aria-label=\"Underskrifter\">\n";
      for (const auto& signer : s->signers) {
        out_ += "<div class=\"underskrift\">";
        for (const auto& line : signer.lines) out_ += "<p>" + runs(line) + "</p>";
        out_ += "</div>\n";
      }
      out_ += "</section>\n";
    }
  }

  std::string out_;
  std::string bullet_;                // the layout's mark for unordered lists
  std::vector<std::string> bullets_;  // the marks in use, class punkt-N each
};

}  // namespace

std::string writeHtml(const doc::Document& d) { return HtmlWriter().write(d); }

}  // namespace kansli
