// The HTML writer: semantic, accessible HTML5 in XML syntax.
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
@media print {
  @page { size: A4; margin: 2.5cm 2cm; }
  body { max-width: none; margin: 0; padding: 0; font-size: 11pt; color: #000; }
  a { color: inherit; text-decoration: none; }
  .fotnoter a[role="doc-backlink"] { display: none; }
  h1, h2, h3 { break-after: avoid; }
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
  std::string write(const doc::Document& d) {
    const std::string lang = xml::escape(d.lang.empty() ? "sv" : d.lang);
    out_ += "<!DOCTYPE html>\n";
    out_ += "<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"" + lang + "\" xml:lang=\"" + lang + "\">\n";
    out_ += "<head>\n<meta charset=\"utf-8\"/>\n";
    out_ += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n";
    out_ += "<title>" + xml::escape(d.title) + "</title>\n";
    out_ += "<style>" + std::string(kStyle) + "</style>\n</head>\n<body>\n";
    if (!d.header.empty()) {
      out_ += "<header class=\"brevhuvud\">\n";
      for (const auto& f : d.header) {
        out_ += "<p class=\"falt falt-" + xml::escape(f.role) + "\">" + runs(f.content) + "</p>\n";
      }
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
    if (!d.footer.empty()) {
      out_ += "<footer class=\"sidfot\">\n";
      for (const auto& l : d.footer) out_ += "<p>" + runs(l) + "</p>\n";
      out_ += "</footer>\n";
    }
    out_ += "</body>\n</html>\n";
    return std::move(out_);
  }

 private:
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
      out_ += p->role.empty() ? "<p>" : "<p class=\"" + xml::escape(p->role) + "\">";
      out_ += runs(p->content) + "</p>\n";
    } else if (const auto* l = std::get_if<doc::List>(&b)) {
      const char* tag = l->ordered ? "ol" : "ul";
      out_ += std::string("<") + tag + ">\n";
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
};

}  // namespace

std::string writeHtml(const doc::Document& d) { return HtmlWriter().write(d); }

}  // namespace kansli
