// The ODT writer: OpenDocument 1.3 parts built with the XML layer, zipped with
// the mimetype entry first and stored (ODF 1.3 part 2, 3.3).
//
// Headings are text:h with outline levels and the "Heading N" styles, footnotes
// are text:note elements at the place they are cited, the running header is the
// master page's style:header with text:page-number / text:page-count (a first
// page with its own header and footer has a master page of its own, named by
// the first paragraph, whose next page is the standard one), a logo is a
// draw:frame with the SVG and a PNG as alternatives, a grid of labels over
// values is a table, lists are text:list with a bullet or numbered list style,
// the signature block is a table whose rows may not split and that keeps with
// the text before it; page breaks and "keep with next" are automatic
// paragraph styles (fo:break-before, fo:keep-with-next).
#include "kansli/writers.h"
#include "render/image.h"
#include "render/paged.h"
#include "xml/xml.h"

#include <cmath>
#include <cctype>
#include <cstdio>
#include <map>
#include <optional>

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
      {"draw", "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"},
      {"xlink", "http://www.w3.org/1999/xlink"},
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
  OdtWriter(const doc::Document& d, const Layout& l) : d_(d), l_(l), z_(render::sizesOf(l)) {
    text_width_mm_ = l.page_width_mm - l.margin_left_mm - l.margin_right_mm;
  }

  Result<std::string> write() {
    const std::string when = render::fixedTimestamp(d_);
    xml::Builder content("office:document-content", odfNamespaces());
    contentPart(content.root());
    xml::Builder styles("office:document-styles", odfNamespaces());
    KANSLI_TRY(stylesPart(styles.root()));
    xml::Builder meta("office:document-meta", odfNamespaces());
    metaPart(meta.root(), when);
    xml::Builder manifest("manifest:manifest",
                          {{"manifest", "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"}});
    manifestPart(manifest.root());
    for (const auto* b : {&content, &styles, &meta, &manifest}) {
      if (!b->error().empty()) return std::unexpected(Error::internal("ODT: " + b->error()));
    }
    std::vector<render::ZipEntry> entries = {{"mimetype", kMime, /*store=*/true},
                                             {"content.xml", content.serialize(), false},
                                             {"styles.xml", styles.serialize(), false},
                                             {"meta.xml", meta.serialize(), false},
                                             {"META-INF/manifest.xml", manifest.serialize(), false}};
    for (const auto& p : pictures_) entries.push_back({"Pictures/" + p.file, p.data, false});
    return render::zip(entries, when);
  }

 private:
  struct Picture {
    std::string file;  // in Pictures/
    std::string media_type;
    std::string data;
  };

  bool firstPage() const { return d_.first_header.has_value() || d_.first_footer.has_value(); }

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
    if (number < 1 || number > static_cast<int>(d_.footnotes.size())) return;
    const doc::Footnote& f = d_.footnotes[static_cast<size_t>(number - 1)];
    const std::string n = std::to_string(number);
    xml::Node note = p.add("text:note").set("text:id", "ftn" + n).set("text:note-class", "footnote");
    note.addText("text:note-citation", n);
    xml::Node body_p = note.add("text:note-body").add("text:p").set("text:style-name", "Footnote");
    runs(body_p, f.content);
  }

  // ---- content.xml ----

  // The style for the next block: `parent`, or an automatic style derived
  // from it when the block starts the first page (its master page), follows a
  // page break or keeps with the next block.
  std::string blockStyle(const std::string& parent, bool keep) {
    const bool first = firstPage() && !first_block_done_;
    first_block_done_ = true;
    const bool brk = break_before_;
    break_before_ = false;
    if (!first && !brk && !keep) return parent;
    const std::string key = parent + (first ? "|first" : "") + (brk ? "|break" : "") + (keep ? "|keep" : "");
    auto it = auto_styles_.find(key);
    if (it != auto_styles_.end()) return it->second;
    const std::string name = "P" + std::to_string(auto_styles_.size() + 1);
    xml::Node st = auto_->add("style:style").set("style:name", name).set("style:family", "paragraph");
    st.set("style:parent-style-name", parent);
    if (first) st.set("style:master-page-name", "Forsta_20_sida");
    xml::Node pp = st.add("style:paragraph-properties");
    if (brk) pp.set("fo:break-before", "page");
    if (keep) pp.set("fo:keep-with-next", "always");
    auto_styles_.emplace(key, name);
    return name;
  }

  void contentPart(xml::Node root) {
    root.set("office:version", "1.3");
    auto_ = root.add("office:automatic-styles");
    xml::Node tbl = auto_->add("style:style").set("style:name", "Underskrifter").set("style:family", "table");
    tbl.add("style:table-properties")
        .set("style:width", cm(text_width_mm_))
        .set("table:align", "left")
        .set("fo:keep-with-next", "always")
        .set("style:may-break-between-rows", "false");
    xml::Node col = auto_->add("style:style").set("style:name", "Underskrifter.A").set("style:family",
                                                                                    "table-column");
    col.add("style:table-column-properties").set("style:column-width", cm(text_width_mm_ / 2));
    xml::Node row = auto_->add("style:style").set("style:name", "Underskrifter.1").set("style:family",
                                                                                    "table-row");
    row.add("style:table-row-properties").set("fo:keep-together", "always");

    xml::Node text = root.add("office:body").add("office:text");
    for (size_t i = 0; i < d_.body.size(); ++i) {
      const auto& block = d_.body[i];
      const bool before_signatures =
          i + 1 < d_.body.size() && std::holds_alternative<doc::Signatures>(d_.body[i + 1]);
      if (std::holds_alternative<doc::PageBreak>(block)) {
        break_before_ = true;
      } else if (const auto* h = std::get_if<doc::Heading>(&block)) {
        max_heading_ = std::max(max_heading_, h->level);
        xml::Node el = text.add("text:h")
                           .set("text:style-name", blockStyle("Heading_20_" + std::to_string(h->level), false))
                           .set("text:outline-level", std::to_string(h->level));
        runs(el, h->content);
      } else if (const auto* p = std::get_if<doc::Paragraph>(&block)) {
        std::string style = p->role.empty() ? "Text_20_body" : roleStyle(p->role);
        runs(text.add("text:p").set("text:style-name", blockStyle(style, before_signatures || p->keep_with_next)),
             p->content);
      } else if (const auto* l = std::get_if<doc::List>(&block)) {
        std::string list_style = l->ordered ? "Numrering" : bulletStyle(l->bullet.empty() ? l_.list_bullet : l->bullet);
        xml::Node list = text.add("text:list").set("text:style-name", list_style);
        if (l->ordered) list.set("text:continue-numbering", "false");
        for (size_t k = 0; k < l->items.size(); ++k) {
          const bool last = k + 1 == l->items.size();
          std::string style = blockStyle("List_20_Paragraph", last && (before_signatures || l->keep_with_next));
          runs(list.add("text:list-item").add("text:p").set("text:style-name", style), l->items[k]);
        }
      } else if (const auto* s = std::get_if<doc::Signatures>(&block)) {
        signatures(text, *s);
      }
    }
    // A document that is only its first page still names its master page.
    if (firstPage() && !first_block_done_) text.add("text:p").set("text:style-name", blockStyle("Standard", false));
  }

  std::string roleStyle(const std::string& role) {
    std::string name = "Roll_20_";
    for (char c : role) name += std::isalnum(static_cast<unsigned char>(c)) && static_cast<unsigned char>(c) < 0x80 ? c : '_';
    roles_.emplace(name, role);
    return name;
  }

  // One list style per bullet, the first named "Punktlista".
  std::string bulletStyle(const std::string& bullet) {
    for (size_t i = 0; i < bullets_.size(); ++i) {
      if (bullets_[i] == bullet) return i == 0 ? "Punktlista" : "Punktlista_" + std::to_string(i + 1);
    }
    bullets_.push_back(bullet);
    return bullets_.size() == 1 ? "Punktlista" : "Punktlista_" + std::to_string(bullets_.size());
  }

  void signatures(xml::Node text, const doc::Signatures& s) {
    if (s.signers.empty()) return;
    text.add("text:p").set("text:style-name", blockStyle("Underskriftsavstand", false));
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

  Result<void> stylesPart(xml::Node root) {
    root.set("office:version", "1.3");
    xml::Node faces = root.add("office:font-face-decls");
    faces.add("style:font-face")
        .set("style:name", l_.body_font)
        .set("svg:font-family", "'" + l_.body_font + "'")
        .set("style:font-family-generic", "roman")
        .set("style:font-pitch", "variable");
    if (l_.heading_font != l_.body_font) {
      faces.add("style:font-face")
          .set("style:name", l_.heading_font)
          .set("svg:font-family", "'" + l_.heading_font + "'")
          .set("style:font-family-generic", "swiss")
          .set("style:font-pitch", "variable");
    }

    const double size = z_.body;
    const std::string line_height = std::to_string(static_cast<int>(std::lround(z_.line_spacing * 100))) + "%";
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
        .set("fo:margin-bottom", pt(z_.paragraph_space))
        .set("fo:line-height", line_height)
        .set("fo:orphans", "2")
        .set("fo:widows", "2");

    xml::Node heading = para_style("Heading", "Heading", "Standard");
    heading.set("style:next-style-name", "Text_20_body").set("style:class", "text");
    heading.add("style:paragraph-properties")
        .set("fo:keep-with-next", "always")
        .set("fo:keep-together", "always")
        .set("fo:margin-top", pt(z_.heading_before))
        .set("fo:margin-bottom", pt(z_.heading_after));
    heading.add("style:text-properties").set("style:font-name", l_.heading_font).set("fo:font-weight", "bold");
    for (int level = 1; level <= std::max(max_heading_, 4); ++level) {
      const std::string n = std::to_string(level);
      xml::Node h = para_style("Heading_20_" + n, "Heading " + n, "Heading");
      h.set("style:default-outline-level", n).set("style:class", "text");
      xml::Node t = h.add("style:text-properties").set("fo:font-size", pt(render::headingSize(z_, level)));
      if (level >= 4) t.set("fo:font-style", "italic");
    }
    for (const auto& [name, role] : roles_) {
      para_style(name, "Roll " + role, "Text_20_body");
    }
    xml::Node list = para_style("List_20_Paragraph", "List Paragraph", "Standard");
    list.add("style:paragraph-properties")
        .set("fo:margin-bottom", pt(size * 0.2))
        .set("fo:line-height", line_height);
    para_style("Underskrift", "Underskrift", "Standard");
    para_style("Underskriftsavstand", "Underskriftsavstånd", "Standard")
        .add("style:paragraph-properties")
        .set("fo:margin-top", pt(size * 1.5))
        .set("fo:keep-with-next", "always");
    xml::Node fn = para_style("Footnote", "Footnote", "Standard");
    fn.set("style:class", "extra");
    fn.add("style:paragraph-properties").set("fo:margin-bottom", "0.07cm");
    fn.add("style:text-properties").set("fo:font-size", pt(z_.note));

    xml::Node hd = para_style("Header", "Header", "Standard");
    hd.set("style:class", "extra");
    xml::Node hpp = hd.add("style:paragraph-properties").set("fo:margin-bottom", "0.05cm");
    hpp.add("style:tab-stops")
        .add("style:tab-stop")
        .set("style:position", cm(text_width_mm_ / 2 - 2.5))
        .set("style:type", "right");
    hd.add("style:text-properties").set("style:font-name", l_.heading_font).set("fo:font-size", pt(z_.letterhead));
    para_style("Dokumenttyp", "Dokumenttyp", "Header")
        .add("style:text-properties")
        .set("fo:font-weight", "bold");
    xml::Node label = para_style("Etikett", "Etikett", "Header");
    label.add("style:paragraph-properties").set("fo:margin-bottom", "0cm");
    label.add("style:text-properties").set("fo:font-size", pt(z_.label));
    xml::Node rule = para_style("Brevhuvudslinje", "Brevhuvudslinje", "Header");
    rule.add("style:paragraph-properties")
        .set("fo:border-bottom", "0.5pt solid #000000")
        .set("fo:padding", "0cm")
        .set("fo:margin-bottom", "0cm");
    rule.add("style:text-properties").set("fo:font-size", "4pt");
    xml::Node ft = para_style("Footer", "Footer", "Standard");
    ft.set("style:class", "extra");
    ft.add("style:paragraph-properties").set("fo:text-align", "center");
    ft.add("style:text-properties").set("style:font-name", l_.heading_font).set("fo:font-size",
                                                                                pt(z_.letterhead * 0.92));

    xml::Node em = styles.add("style:style").set("style:name", "Emphasis").set("style:family", "text");
    em.add("style:text-properties").set("fo:font-style", "italic");

    if (bullets_.empty()) bullets_.push_back(l_.list_bullet);
    for (size_t i = 0; i < bullets_.size(); ++i) {
      const std::string name = i == 0 ? "Punktlista" : "Punktlista_" + std::to_string(i + 1);
      xml::Node bl = styles.add("text:list-style")
                         .set("style:name", name)
                         .add("text:list-level-style-bullet")
                         .set("text:level", "1")
                         .set("text:bullet-char", bullets_[i]);
      listIndent(bl);
    }
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

    // Page layouts and master pages with the running header and footer.
    xml::Node autos = root.add("office:automatic-styles");
    xml::Node frame = autos.add("style:style").set("style:name", "Logotyp").set("style:family", "graphic");
    frame.add("style:graphic-properties")
        .set("style:vertical-pos", "top")
        .set("style:vertical-rel", "baseline")
        .set("style:wrap", "none")
        .set("fo:border", "none")
        .set("fo:padding", "0cm");
    pageLayout(autos, "pm1");
    if (firstPage()) pageLayout(autos, "pm2");
    xml::Node masters = root.add("office:master-styles");
    xml::Node standard = masters.add("style:master-page").set("style:name", "Standard").set("style:page-layout-name", "pm1");
    KANSLI_TRY(bands(autos, standard, d_.header, d_.footer));
    if (firstPage()) {
      xml::Node first = masters.add("style:master-page")
                            .set("style:name", "Forsta_20_sida")
                            .set("style:display-name", "Första sida")
                            .set("style:page-layout-name", "pm2")
                            .set("style:next-style-name", "Standard");
      KANSLI_TRY(bands(autos, first, d_.headerOn(1), d_.footerOn(1)));
    }
    return ok();
  }

  void pageLayout(xml::Node autos, const std::string& name) {
    xml::Node pm = autos.add("style:page-layout").set("style:name", name);
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
  }

  Result<void> bands(xml::Node autos, xml::Node master, const doc::Band& header, const doc::Band& footer) {
    if (!header.empty()) KANSLI_TRY(band(autos, master.add("style:header"), header, true));
    if (!footer.empty()) KANSLI_TRY(band(autos, master.add("style:footer"), footer, false));
    return ok();
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

  // A table style of `widths_mm` columns in styles.xml's automatic styles.
  std::string tableStyle(xml::Node autos, const std::vector<double>& widths_mm) {
    const std::string name = "Tabell" + std::to_string(++tables_);
    double total = 0;
    for (double w : widths_mm) total += w;
    autos.add("style:style")
        .set("style:name", name)
        .set("style:family", "table")
        .add("style:table-properties")
        .set("style:width", cm(total))
        .set("table:align", "left");
    for (size_t i = 0; i < widths_mm.size(); ++i) {
      autos.add("style:style")
          .set("style:name", name + "." + std::to_string(i + 1))
          .set("style:family", "table-column")
          .add("style:table-column-properties")
          .set("style:column-width", cm(widths_mm[i]));
    }
    return name;
  }

  xml::Node table(xml::Node autos, xml::Node parent, const std::vector<double>& widths_mm) {
    const std::string style = tableStyle(autos, widths_mm);
    xml::Node tbl = parent.add("table:table").set("table:name", style).set("table:style-name", style);
    for (size_t i = 0; i < widths_mm.size(); ++i) {
      tbl.add("table:table-column").set("table:style-name", style + "." + std::to_string(i + 1));
    }
    return tbl;
  }

  Result<void> logo(xml::Node p, const doc::Image& img) {
    const std::string stem = "logo" + std::to_string(pictures_.size() + 1);
    xml::Node frame = p.add("draw:frame")
                          .set("draw:style-name", "Logotyp")
                          .set("draw:name", stem)
                          .set("text:anchor-type", "as-char")
                          .set("svg:width", cm(img.width_mm))
                          .set("svg:height", cm(img.height_mm))
                          .set("draw:z-index", "0");
    auto image = [&](const std::string& file, const std::string& type) {
      frame.add("draw:image")
          .set("xlink:href", "Pictures/" + file)
          .set("xlink:type", "simple")
          .set("xlink:show", "embed")
          .set("xlink:actuate", "onLoad")
          .set("draw:mime-type", type);
    };
    // The SVG first (LibreOffice shows it as vectors), the PNG as the
    // alternative for readers without SVG.
    if (img.media_type == "image/svg+xml") {
      pictures_.push_back({stem + ".svg", img.media_type, img.data});
      image(stem + ".svg", img.media_type);
    }
    auto png = render::pngOf(img, static_cast<int>(std::lround(img.width_mm / 25.4 * 300)));
    if (!png) return std::unexpected(png.error());
    pictures_.push_back({stem + ".png", "image/png", std::move(*png)});
    image(stem + ".png", "image/png");
    frame.addText("svg:title", img.alt);
    return ok();
  }

  Result<void> band(xml::Node autos, xml::Node out, const doc::Band& band, bool header) {
    if (band.logo || !band.fields.empty()) {
      const auto [left, right, page] = render::bandColumns(band);
      xml::Node tr = table(autos, out, {text_width_mm_ / 2, text_width_mm_ / 2}).add("table:table-row");
      xml::Node lc = tr.add("table:table-cell").set("office:value-type", "string");
      bool any = false;
      if (band.logo) {
        KANSLI_TRY(logo(lc.add("text:p").set("text:style-name", "Header"), *band.logo));
        any = true;
      }
      for (const auto* f : left) {
        runs(lc.add("text:p").set("text:style-name", f->role == "organisation" ? "Dokumenttyp" : "Header"), f->content);
        any = true;
      }
      if (!any) lc.add("text:p").set("text:style-name", "Header");
      xml::Node rc = tr.add("table:table-cell").set("office:value-type", "string");
      bool first = true;
      for (const auto* f : right) {
        xml::Node p = rc.add("text:p").set("text:style-name", f->role == "document-type" ? "Dokumenttyp" : "Header");
        runs(p, f->content);
        if (first && page) {
          p.add("text:tab");
          runs(p, page->content);
        }
        first = false;
      }
      if (first) {
        xml::Node p = rc.add("text:p").set("text:style-name", "Header");
        if (page) {
          p.add("text:tab");
          runs(p, page->content);
        }
      }
    }
    for (const auto& row : band.rows) {
      if (const auto* line = std::get_if<doc::Inlines>(&row)) {
        runs(out.add("text:p").set("text:style-name", "Footer"), *line);
        continue;
      }
      const auto& g = std::get<doc::Grid>(row);
      std::vector<double> widths;
      for (double f : render::gridFractions(g)) widths.push_back(std::max(3.0, f * text_width_mm_));
      xml::Node tbl = table(autos, out, widths);
      bool labels = false;
      for (const auto& c : g.cells) labels = labels || !c.label.empty();
      if (labels) {
        xml::Node tr = tbl.add("table:table-row");
        for (const auto& c : g.cells) {
          runs(tr.add("table:table-cell").set("office:value-type", "string").add("text:p").set("text:style-name", "Etikett"),
               c.label);
        }
      }
      xml::Node tr = tbl.add("table:table-row");
      for (const auto& c : g.cells) {
        runs(tr.add("table:table-cell").set("office:value-type", "string").add("text:p").set("text:style-name", "Header"),
             c.value);
      }
    }
    if (header) out.add("text:p").set("text:style-name", "Brevhuvudslinje");
    return ok();
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

  void manifestPart(xml::Node root) const {
    root.set("manifest:version", "1.3");
    root.add("manifest:file-entry")
        .set("manifest:full-path", "/")
        .set("manifest:version", "1.3")
        .set("manifest:media-type", kMime);
    for (const char* part : {"content.xml", "styles.xml", "meta.xml"}) {
      root.add("manifest:file-entry").set("manifest:full-path", part).set("manifest:media-type", "text/xml");
    }
    for (const auto& p : pictures_) {
      root.add("manifest:file-entry")
          .set("manifest:full-path", "Pictures/" + p.file)
          .set("manifest:media-type", p.media_type);
    }
  }

  const doc::Document& d_;
  const Layout& l_;
  render::Sizes z_;
  double text_width_mm_ = 0;
  int max_heading_ = 1;
  int tables_ = 0;
  bool break_before_ = false;      // the next block starts a page
  bool first_block_done_ = false;  // the first block names the first page's master
  std::optional<xml::Node> auto_;  // content.xml's automatic styles
  std::map<std::string, std::string> auto_styles_;  // derived style key -> name
  std::map<std::string, std::string> roles_;
  std::vector<std::string> bullets_;
  std::vector<Picture> pictures_;
};

}  // namespace

Result<std::string> writeOdt(const doc::Document& d, const OfficeOptions& opts) {
  const Layout& l = render::layoutFor(d, opts.layout);
  KANSLI_TRY(render::checkInput(d, l));
  return OdtWriter(d, l).write();
}

}  // namespace kansli
