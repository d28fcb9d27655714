// The ODT writer: OpenDocument 1.3 parts built with the XML layer, zipped with
// the mimetype entry first and stored (ODF 1.3 part 2, 3.3).
//
// Headings are text:h with outline levels and the "Heading N" styles, footnotes
// are text:note elements at the place they are cited, the running header is the
// master page's style:header with text:page-number / text:page-count, lists
// are text:list with a bullet or numbered list style, the signature block is a
// table whose rows may not split and that keeps with the text before it.
#include "kansli/writers.h"
#include "render/paged.h"
#include "xml/xml.h"

#include <cmath>
#include <cctype>
#include <cstdio>
#include <map>

namespace kansli {
namespace {

const std::vector<xml::Namespace>& odfNamespaces() {
  static const std::vector<xml::Namespace> ns = {
      {"office", "urn:oasis:names:tc:opendocument:xmlns:office:1.0"},
      {"style", "urn:oasis:names:tc:opendocument:xmlns:style:1.0"},
      {"text", "urn:oasis:names:tc:opendocument:xmlns:text:1.0"},
      {"table", "urn:oasis:names:tc:opendocument:xmlns:table:1.0"},
      {"fo", "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"},
      {"svg", "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"},
      {"meta", "urn:oasis:names:tc:opendocument:xmlns:meta:1.0"},
      {"dc", "http://purl.org/dc/elements/1.1/"},
      {"loext", "urn:org:documentfoundation:names:experimental:office:xmlns:loext:1.0"},
  };
  return ns;
}

constexpr const char* kMime = "application/vnd.oasis.opendocument.text";

std::string cm(double mm) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3fcm", mm / 10.0);
  return buf;
}
std::string pt(double p) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1fpt", p);
  return buf;
}

class OdtWriter {
 public:
  OdtWriter(const doc::Document& d, const Layout& l) : d_(d), l_(l) {
    text_width_mm_ = l.page_width_mm - l.margin_left_mm - l.margin_right_mm;
  }

  Result<std::string> write() {
    const std::string when = render::fixedTimestamp(d_);
    xml::Builder content("office:document-content", odfNamespaces());
    contentPart(content.root());
    xml::Builder styles("office:document-styles", odfNamespaces());
    stylesPart(styles.root());
    xml::Builder meta("office:document-meta", odfNamespaces());
    metaPart(meta.root(), when);
    xml::Builder manifest("manifest:manifest",
                          {{"manifest", "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"}});
    manifestPart(manifest.root());
    for (const auto* b : {&content, &styles, &meta, &manifest}) {
      if (!b->error().empty()) return std::unexpected(Error::internal("ODT: " + b->error()));
    }
    return render::zip({{"mimetype", kMime, /*store=*/true},
                        {"content.xml", content.serialize(), false},
                        {"styles.xml", styles.serialize(), false},
                        {"meta.xml", meta.serialize(), false},
                        {"META-INF/manifest.xml", manifest.serialize(), false}},
                       when);
  }

 private:
  // ---- runs ----

  void runs(xml::Node p, const doc::Inlines& in) {
    for (const auto& r : in) {
      if (const auto* t = std::get_if<doc::Text>(&r)) {
        if (t->emphasis) {
          p.add("text:span").set("text:style-name", "Emphasis").text(t->text);
        } else {
          p.text(t->text);
        }
      } else if (const auto* f = std::get_if<doc::FootnoteRef>(&r)) {
        note(p, f->number);
      } else if (const auto* pn = std::get_if<doc::PageNumber>(&r)) {
        pageNumber(p, pn->style);
      }
    }
  }

  static void pageNumber(xml::Node p, doc::PageStyle style) {
    auto page = [&] { p.add("text:page-number").set("text:select-page", "current").text("1"); };
    auto count = [&] { p.add("text:page-count").text("1"); };
    switch (style) {
      case doc::PageStyle::kNumberOfTotal:
        page();
        p.text(" (");
        count();
        p.text(")");
        break;
      case doc::PageStyle::kSidaAvTotal:
        p.text("Sida ");
        page();
        p.text(" av ");
        count();
        break;
      case doc::PageStyle::kNumber:
        page();
        break;
    }
  }

  void note(xml::Node p, int number) {
    const doc::Footnote* f = nullptr;
    for (const auto& candidate : d_.footnotes) {
      if (candidate.number == number) f = &candidate;
    }
    if (!f) return;
    const std::string n = std::to_string(number);
    xml::Node note = p.add("text:note").set("text:id", "ftn" + n).set("text:note-class", "footnote");
    note.addText("text:note-citation", n);
    xml::Node body_p = note.add("text:note-body").add("text:p").set("text:style-name", "Footnote");
    runs(body_p, f->content);
  }

  // ---- content.xml ----

  void contentPart(xml::Node root) {
    root.set("office:version", "1.3");
    xml::Node auto_styles = root.add("office:automatic-styles");
    // The paragraph before the signatures keeps with them.
    xml::Node keep = auto_styles.add("style:style").set("style:name", "PKeep").set("style:family", "paragraph");
    keep.set("style:parent-style-name", "Text_20_body");
    keep.add("style:paragraph-properties").set("fo:keep-with-next", "always");
    xml::Node tbl = auto_styles.add("style:style").set("style:name", "Underskrifter").set("style:family", "table");
    tbl.add("style:table-properties")
        .set("style:width", cm(text_width_mm_))
        .set("table:align", "left")
        .set("fo:keep-with-next", "always")
        .set("style:may-break-between-rows", "false");
    xml::Node col = auto_styles.add("style:style").set("style:name", "Underskrifter.A").set("style:family",
                                                                                          "table-column");
    col.add("style:table-column-properties").set("style:column-width", cm(text_width_mm_ / 2));
    xml::Node row = auto_styles.add("style:style").set("style:name", "Underskrifter.1").set("style:family",
                                                                                          "table-row");
    row.add("style:table-row-properties").set("fo:keep-together", "always");

    xml::Node text = root.add("office:body").add("office:text");
    for (size_t i = 0; i < d_.body.size(); ++i) {
      const auto& block = d_.body[i];
      const bool before_signatures =
          i + 1 < d_.body.size() && std::holds_alternative<doc::Signatures>(d_.body[i + 1]);
      if (const auto* h = std::get_if<doc::Heading>(&block)) {
        max_heading_ = std::max(max_heading_, h->level);
        xml::Node el = text.add("text:h")
                           .set("text:style-name", "Heading_20_" + std::to_string(h->level))
                           .set("text:outline-level", std::to_string(h->level));
        runs(el, h->content);
      } else if (const auto* p = std::get_if<doc::Paragraph>(&block)) {
        std::string style = before_signatures ? "PKeep" : "Text_20_body";
        if (!p->role.empty() && !before_signatures) style = roleStyle(p->role);
        runs(text.add("text:p").set("text:style-name", style), p->content);
      } else if (const auto* l = std::get_if<doc::List>(&block)) {
        xml::Node list = text.add("text:list").set("text:style-name", l->ordered ? "Numrering" : "Punktlista");
        if (l->ordered) list.set("text:continue-numbering", "false");
        for (const auto& item : l->items) {
          runs(list.add("text:list-item").add("text:p").set("text:style-name", "List_20_Paragraph"), item);
        }
      } else if (const auto* s = std::get_if<doc::Signatures>(&block)) {
        signatures(text, *s);
      }
    }
  }

  std::string roleStyle(const std::string& role) {
    std::string name = "Roll_20_";
    for (char c : role) name += std::isalnum(static_cast<unsigned char>(c)) && static_cast<unsigned char>(c) < 0x80 ? c : '_';
    roles_.emplace(name, role);
    return name;
  }

  void signatures(xml::Node text, const doc::Signatures& s) {
    if (s.signers.empty()) return;
    text.add("text:p").set("text:style-name", "Underskriftsavstand");
    xml::Node tbl = text.add("table:table").set("table:name", "Underskrifter").set("table:style-name",
                                                                                   "Underskrifter");
    tbl.add("table:table-column")
        .set("table:style-name", "Underskrifter.A")
        .set("table:number-columns-repeated", "2");
    for (size_t i = 0; i < s.signers.size(); i += 2) {
      xml::Node tr = tbl.add("table:table-row").set("table:style-name", "Underskrifter.1");
      for (size_t k = i; k < i + 2; ++k) {
        xml::Node tc = tr.add("table:table-cell").set("office:value-type", "string");
        if (k >= s.signers.size() || s.signers[k].lines.empty()) {
          tc.add("text:p").set("text:style-name", "Underskrift");
          continue;
        }
        for (const auto& line : s.signers[k].lines) {
          runs(tc.add("text:p").set("text:style-name", "Underskrift"), line);
        }
      }
    }
  }

  // ---- styles.xml ----

  void stylesPart(xml::Node root) {
    root.set("office:version", "1.3");
    xml::Node faces = root.add("office:font-face-decls");
    faces.add("style:font-face")
        .set("style:name", l_.body_font)
        .set("svg:font-family", "'" + l_.body_font + "'")
        .set("style:font-family-generic", "roman")
        .set("style:font-pitch", "variable");
    faces.add("style:font-face")
        .set("style:name", l_.heading_font)
        .set("svg:font-family", "'" + l_.heading_font + "'")
        .set("style:font-family-generic", "swiss")
        .set("style:font-pitch", "variable");

    const double size = l_.body_size_pt;
    xml::Node styles = root.add("office:styles");
    xml::Node def = styles.add("style:default-style").set("style:family", "paragraph");
    def.add("style:paragraph-properties").set("style:tab-stop-distance", "2.3cm");
    def.add("style:text-properties")
        .set("style:font-name", l_.body_font)
        .set("fo:font-size", pt(size))
        .set("fo:language", d_.lang)
        .set("fo:country", d_.lang == "sv" ? "SE" : "none");

    auto para_style = [&](const std::string& name, const std::string& display, const std::string& parent) {
      xml::Node st = styles.add("style:style").set("style:name", name).set("style:family", "paragraph");
      if (display != name) st.set("style:display-name", display);
      if (!parent.empty()) st.set("style:parent-style-name", parent);
      return st;
    };
    para_style("Standard", "Standard", "").set("style:class", "text");
    xml::Node body = para_style("Text_20_body", "Text body", "Standard");
    body.set("style:class", "text");
    body.add("style:paragraph-properties")
        .set("fo:margin-top", "0cm")
        .set("fo:margin-bottom", pt(size * 0.75))
        .set("fo:orphans", "2")
        .set("fo:widows", "2");

    xml::Node heading = para_style("Heading", "Heading", "Standard");
    heading.set("style:next-style-name", "Text_20_body").set("style:class", "text");
    heading.add("style:paragraph-properties")
        .set("fo:keep-with-next", "always")
        .set("fo:keep-together", "always")
        .set("fo:margin-top", pt(size * 1.3))
        .set("fo:margin-bottom", pt(size * 0.35));
    heading.add("style:text-properties").set("style:font-name", l_.heading_font).set("fo:font-weight", "bold");
    const double sizes[] = {size * 1.45, size * 1.09, size, size, size, size};
    for (int level = 1; level <= std::max(max_heading_, 4); ++level) {
      const std::string n = std::to_string(level);
      xml::Node h = para_style("Heading_20_" + n, "Heading " + n, "Heading");
      h.set("style:default-outline-level", n).set("style:class", "text");
      if (level == 1) h.add("style:paragraph-properties").set("fo:margin-top", pt(size * 1.6));
      xml::Node t = h.add("style:text-properties").set("fo:font-size", pt(sizes[std::min(level, 6) - 1]));
      if (level >= 4) t.set("fo:font-style", "italic");
    }
    for (const auto& [name, role] : roles_) {
      para_style(name, "Roll " + role, "Text_20_body");
    }
    xml::Node list = para_style("List_20_Paragraph", "List Paragraph", "Standard");
    list.add("style:paragraph-properties").set("fo:margin-bottom", pt(size * 0.2));
    para_style("Underskrift", "Underskrift", "Standard");
    para_style("Underskriftsavstand", "Underskriftsavstånd", "Standard")
        .add("style:paragraph-properties")
        .set("fo:margin-top", pt(size * 1.5))
        .set("fo:keep-with-next", "always");
    xml::Node fn = para_style("Footnote", "Footnote", "Standard");
    fn.set("style:class", "extra");
    fn.add("style:paragraph-properties").set("fo:margin-bottom", "0.07cm");
    fn.add("style:text-properties").set("fo:font-size", pt(size * 0.82));

    const double header_size = size * 0.86;
    xml::Node hd = para_style("Header", "Header", "Standard");
    hd.set("style:class", "extra");
    xml::Node hpp = hd.add("style:paragraph-properties").set("fo:margin-bottom", "0.05cm");
    hpp.add("style:tab-stops")
        .add("style:tab-stop")
        .set("style:position", cm(text_width_mm_ / 2 - 2.5))
        .set("style:type", "right");
    hd.add("style:text-properties").set("style:font-name", l_.heading_font).set("fo:font-size", pt(header_size));
    para_style("Dokumenttyp", "Dokumenttyp", "Header")
        .add("style:text-properties")
        .set("fo:font-weight", "bold");
    xml::Node line = para_style("Brevhuvudslinje", "Brevhuvudslinje", "Header");
    line.add("style:paragraph-properties")
        .set("fo:border-bottom", "0.5pt solid #000000")
        .set("fo:padding", "0cm")
        .set("fo:margin-bottom", "0cm");
    line.add("style:text-properties").set("fo:font-size", "4pt");
    xml::Node ft = para_style("Footer", "Footer", "Standard");
    ft.set("style:class", "extra");
    ft.add("style:paragraph-properties").set("fo:text-align", "center");
    ft.add("style:text-properties").set("style:font-name", l_.heading_font).set("fo:font-size",
                                                                                pt(header_size * 0.92));

    xml::Node em = styles.add("style:style").set("style:name", "Emphasis").set("style:family", "text");
    em.add("style:text-properties").set("fo:font-style", "italic");

    xml::Node bullets = styles.add("text:list-style").set("style:name", "Punktlista");
    xml::Node bl = bullets.add("text:list-level-style-bullet").set("text:level", "1").set("text:bullet-char", "–");
    listIndent(bl);
    xml::Node numbers = styles.add("text:list-style").set("style:name", "Numrering");
    xml::Node nl = numbers.add("text:list-level-style-number")
                       .set("text:level", "1")
                       .set("style:num-suffix", ".")
                       .set("style:num-format", "1");
    listIndent(nl);
    styles.add("text:notes-configuration")
        .set("text:note-class", "footnote")
        .set("style:num-format", "1")
        .set("text:start-value", "0")
        .set("text:footnotes-position", "page")
        .set("text:start-numbering-at", "document");

    // Page layout and the master page with the running header.
    xml::Node autos = root.add("office:automatic-styles");
    xml::Node pm = autos.add("style:page-layout").set("style:name", "pm1");
    const double header_zone = 28;  // mm from the header's top to the body
    pm.add("style:page-layout-properties")
        .set("fo:page-width", cm(l_.page_width_mm))
        .set("fo:page-height", cm(l_.page_height_mm))
        .set("style:print-orientation", "portrait")
        .set("fo:margin-top", cm(l_.margin_top_mm))
        .set("fo:margin-bottom", cm(l_.margin_bottom_mm))
        .set("fo:margin-left", cm(l_.margin_left_mm))
        .set("fo:margin-right", cm(l_.margin_right_mm));
    pm.add("style:header-style")
        .add("style:header-footer-properties")
        .set("fo:min-height", cm(header_zone - 8))
        .set("fo:margin-bottom", cm(8))
        .set("style:dynamic-spacing", "false");
    pm.add("style:footer-style")
        .add("style:header-footer-properties")
        .set("fo:min-height", "0cm")
        .set("fo:margin-top", cm(5));
    xml::Node htbl = autos.add("style:style").set("style:name", "Brevhuvud").set("style:family", "table");
    htbl.add("style:table-properties").set("style:width", cm(text_width_mm_)).set("table:align", "left");
    xml::Node hcol = autos.add("style:style").set("style:name", "Brevhuvud.A").set("style:family", "table-column");
    hcol.add("style:table-column-properties").set("style:column-width", cm(text_width_mm_ / 2));

    xml::Node master = root.add("office:master-styles")
                           .add("style:master-page")
                           .set("style:name", "Standard")
                           .set("style:page-layout-name", "pm1");
    headerPart(master.add("style:header"));
    if (!d_.footer.empty()) {
      xml::Node footer = master.add("style:footer");
      for (const auto& l : d_.footer) runs(footer.add("text:p").set("text:style-name", "Footer"), l);
    }
  }

  static void listIndent(xml::Node level) {
    level.add("style:list-level-properties")
        .set("text:list-level-position-and-space-mode", "label-alignment")
        .add("style:list-level-label-alignment")
        .set("text:label-followed-by", "listtab")
        .set("text:list-tab-stop-position", "1.27cm")
        .set("fo:text-indent", "-0.635cm")
        .set("fo:margin-left", "1.27cm");
  }

  void headerPart(xml::Node header) {
    std::vector<const doc::HeaderField*> left, right;
    const doc::HeaderField* page = nullptr;
    for (const auto& f : d_.header) {
      if (f.role == "page") {
        page = &f;
      } else {
        (render::isLeftColumnRole(f.role) ? left : right).push_back(&f);
      }
    }
    xml::Node tbl = header.add("table:table").set("table:name", "Brevhuvud").set("table:style-name", "Brevhuvud");
    tbl.add("table:table-column")
        .set("table:style-name", "Brevhuvud.A")
        .set("table:number-columns-repeated", "2");
    xml::Node tr = tbl.add("table:table-row");
    auto cell = [&](const std::vector<const doc::HeaderField*>& fields, bool with_page) {
      xml::Node tc = tr.add("table:table-cell").set("office:value-type", "string");
      bool first = true;
      for (const auto* f : fields) {
        xml::Node p = tc.add("text:p").set("text:style-name", f->role == "document-type" ? "Dokumenttyp" : "Header");
        runs(p, f->content);
        if (first && with_page && page) {
          p.add("text:tab");
          runs(p, page->content);
        }
        first = false;
      }
      if (first) {
        xml::Node p = tc.add("text:p").set("text:style-name", "Header");
        if (with_page && page) {
          p.add("text:tab");
          runs(p, page->content);
        }
      }
    };
    cell(left, false);
    cell(right, true);
    header.add("text:p").set("text:style-name", "Brevhuvudslinje");
  }

  // ---- meta.xml and the manifest ----

  void metaPart(xml::Node root, const std::string& when) {
    root.set("office:version", "1.3");
    xml::Node m = root.add("office:meta");
    m.addText("meta:generator", "Kansli");
    if (!d_.title.empty()) m.addText("dc:title", d_.title);
    if (!d_.meta.subject.empty()) m.addText("dc:subject", d_.meta.subject);
    for (const auto& k : d_.meta.keywords) m.addText("meta:keyword", k);
    if (!d_.meta.author.empty()) {
      m.addText("meta:initial-creator", d_.meta.author);
      m.addText("dc:creator", d_.meta.author);
    }
    m.addText("meta:creation-date", when);
    m.addText("dc:date", when);
    m.addText("dc:language", d_.lang == "sv" ? "sv-SE" : d_.lang);
    if (!d_.meta.reference.empty()) {
      m.add("meta:user-defined").set("meta:name", "Diarienummer").text(d_.meta.reference);
    }
  }

  static void manifestPart(xml::Node root) {
    root.set("manifest:version", "1.3");
    root.add("manifest:file-entry")
        .set("manifest:full-path", "/")
        .set("manifest:version", "1.3")
        .set("manifest:media-type", kMime);
    for (const char* part : {"content.xml", "styles.xml", "meta.xml"}) {
      root.add("manifest:file-entry").set("manifest:full-path", part).set("manifest:media-type", "text/xml");
    }
  }

  const doc::Document& d_;
  const Layout& l_;
  double text_width_mm_ = 0;
  int max_heading_ = 1;
  std::map<std::string, std::string> roles_;
};

}  // namespace

Result<std::string> writeOdt(const doc::Document& d, const OfficeOptions& opts) {
  KANSLI_TRY(render::checkInput(d, opts.layout));
  return OdtWriter(d, opts.layout).write();
}

}  // namespace kansli
