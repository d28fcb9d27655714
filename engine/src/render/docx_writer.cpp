// The DOCX writer: WordprocessingML parts built with the XML layer, zipped.
//
// Headings use the built-in Heading1..HeadingN styles (Word's navigation pane
// and LibreOffice's outline see them), footnotes are real w:footnote entries
// numbered by Word, the running header is a header part whose page number is a
// PAGE / NUMPAGES field pair (a first-page header is a second part with
// w:titlePg), a logo is an inline picture in the header (PNG, and for an SVG
// the SVG with a PNG for readers without SVG), a grid of labels over values is
// a real table, lists use numbering.xml (each ordered list restarts at 1, each
// bullet its own list definition), the signature block is a borderless table
// whose rows may not split and keep with the text before them, a page break is
// w:pageBreakBefore on the block after it.
#include "kansli/writers.h"
#include "render/image.h"
#include "render/paged.h"
#include "xml/xml.h"

#include <cctype>
#include <cmath>
#include <map>
#include <optional>

namespace kansli {
namespace {

constexpr const char* kW = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
constexpr const char* kR = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
constexpr const char* kRelBase = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/";
constexpr const char* kCT = "application/vnd.openxmlformats-officedocument.wordprocessingml.";
constexpr const char* kWp = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing";
constexpr const char* kA = "http://schemas.openxmlformats.org/drawingml/2006/main";
constexpr const char* kPic = "http://schemas.openxmlformats.org/drawingml/2006/picture";
constexpr const char* kAsvg = "http://schemas.microsoft.com/office/drawing/2016/SVG/main";
// Word's extension that carries an SVG beside the PNG of a picture.
constexpr const char* kSvgExt = "{96DAC541-7B7A-43D3-8B79-37D633B846F1}";

std::vector<xml::Namespace> partNamespaces() {
  return {{"w", kW}, {"r", kR}, {"wp", kWp}, {"a", kA}, {"pic", kPic}, {"asvg", kAsvg}};
}

long emu(double mm) { return static_cast<long>(std::lround(mm * 36000.0)); }

std::string num(long v) { return std::to_string(v); }
std::string halfPoints(double pt) { return num(std::lround(pt * 2)); }

// The style id for a paragraph role ("addressee" -> "RollAddressee").
std::string roleStyle(const std::string& role) {
  std::string id = "Roll";
  bool upper = true;
  for (char c : role) {
    auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) && u < 0x80) {
      id += upper ? static_cast<char>(std::toupper(u)) : c;
      upper = false;
    } else {
      upper = true;
    }
  }
  return id;
}

// A serialised part and the first misuse of the builder, if any.
struct Part {
  std::string xml;
  std::string error;
};
Part done(const xml::Builder& b) { return {b.serialize(), b.error()}; }

class DocxWriter {
 public:
  DocxWriter(const doc::Document& d, const Layout& l) : d_(d), l_(l), z_(render::sizesOf(l)) {
    text_width_mm_ = l.page_width_mm - l.margin_left_mm - l.margin_right_mm;
  }

  Result<std::string> write() {
    const std::string when = render::fixedTimestamp(d_);
    std::vector<render::ZipEntry> parts;
    std::string error;
    auto add = [&](std::string path, const Part& part) {
      if (error.empty() && !part.error.empty()) error = path + ": " + part.error;
      parts.push_back({std::move(path), part.xml, false});
    };
    // Document first: it decides which lists and roles the other parts define.
    xml::Builder document("w:document", partNamespaces());
    body(document.root().add("w:body"));
    xml::Builder footnotes("w:footnotes", {{"w", kW}, {"r", kR}});
    notes(footnotes.root());

    // The bands: the default pair, and with a first page of its own a second
    // pair (Word shows "first" on page 1 when the section has w:titlePg).
    std::vector<BandPart> bands;
    bands.push_back({"header1.xml", "hdr", &d_.header, "rIdHeader", "default", {}});
    bands.push_back({"footer1.xml", "ftr", &d_.footer, "rIdFooter", "default", {}});
    if (titlePage()) {
      bands.push_back({"header2.xml", "hdr", &d_.headerOn(1), "rIdHeaderFirst", "first", {}});
      bands.push_back({"footer2.xml", "ftr", &d_.footerOn(1), "rIdFooterFirst", "first", {}});
    }
    std::vector<std::pair<std::string, Part>> band_parts;
    for (auto& b : bands) {
      xml::Builder x(std::string("w:") + b.root, partNamespaces());
      KANSLI_TRY(bandPart(x.root(), *b.band, b, b.root == std::string("hdr")));
      band_parts.emplace_back("word/" + b.file, done(x));
    }

    add("[Content_Types].xml", contentTypes(bands));
    add("_rels/.rels", packageRels());
    add("docProps/core.xml", coreProperties(when));
    add("docProps/app.xml", appProperties());
    add("word/document.xml", done(document));
    add("word/_rels/document.xml.rels", documentRels(bands));
    add("word/styles.xml", styles());
    add("word/settings.xml", settings());
    add("word/numbering.xml", numbering());
    add("word/footnotes.xml", done(footnotes));
    for (auto& [path, part] : band_parts) add(path, part);
    for (const auto& b : bands) {
      if (!b.media.empty()) add("word/_rels/" + b.file + ".rels", bandRels(b));
    }
    for (const auto& b : bands) {
      for (const auto& m : b.media) parts.push_back({"word/media/" + m.file, m.data, false});
    }
    if (!error.empty()) return std::unexpected(Error::internal("DOCX: " + error));
    return render::zip(parts, when);
  }

 private:
  struct Media {
    std::string id;    // relationship id in the band part
    std::string file;  // in word/media/
    std::string data;
  };
  struct BandPart {
    std::string file;  // "header1.xml"
    const char* root;  // "hdr" or "ftr"
    const doc::Band* band;
    std::string rel_id;  // in document.xml.rels
    const char* type;    // "default" or "first"
    std::vector<Media> media;
  };

  bool titlePage() const { return d_.first_header.has_value() || d_.first_footer.has_value(); }

  // ---- runs ----

  static void textRun(xml::Node p, const std::string& text, bool italic, const char* rstyle = nullptr) {
    xml::Node r = p.add("w:r");
    if (italic || rstyle) {
      xml::Node rpr = r.add("w:rPr");
      if (rstyle) rpr.add("w:rStyle").set("w:val", rstyle);
      if (italic) rpr.add("w:i");
    }
    r.addText("w:t", text).set("xml:space", "preserve");
  }

  static void field(xml::Node p, const char* instr, const char* shown) {
    xml::Node f = p.add("w:fldSimple");
    f.set("w:instr", std::string(" ") + instr + " ");
    f.add("w:r").addText("w:t", shown);
  }

  static void pageNumber(xml::Node p, doc::PageStyle style) {
    switch (style) {
      case doc::PageStyle::kNumberOfTotal:
        field(p, "PAGE", "1");
        textRun(p, " (", false);
        field(p, "NUMPAGES", "1");
        textRun(p, ")", false);
        break;
      case doc::PageStyle::kSidaAvTotal:
        textRun(p, "Sida ", false);
        field(p, "PAGE", "1");
        textRun(p, " av ", false);
        field(p, "NUMPAGES", "1");
        break;
      case doc::PageStyle::kNumber:
        field(p, "PAGE", "1");
        break;
    }
  }

  void runs(xml::Node p, const doc::Inlines& in) {
    for (const auto& r : in) {
      if (const auto* t = std::get_if<doc::Text>(&r)) {
        textRun(p, t->text, t->emphasis);
      } else if (const auto* f = std::get_if<doc::FootnoteRef>(&r)) {
        xml::Node run = p.add("w:r");
        run.add("w:rPr").add("w:rStyle").set("w:val", "FootnoteReference");
        run.add("w:footnoteReference").set("w:id", num(f->number));
      } else if (const auto* pn = std::get_if<doc::PageNumber>(&r)) {
        pageNumber(p, pn->style);
      }
    }
  }

  // A paragraph; after a doc::PageBreak it starts a new page. `ppr_out`
  // receives its w:pPr for more properties (in the schema's order: numPr
  // comes after pageBreakBefore).
  xml::Node para(xml::Node parent, const std::string& style, bool keep_next = false,
                 std::optional<xml::Node>* ppr_out = nullptr) {
    xml::Node p = parent.add("w:p");
    xml::Node ppr = p.add("w:pPr");
    if (ppr_out) *ppr_out = ppr;
    if (!style.empty()) ppr.add("w:pStyle").set("w:val", style);
    if (keep_next) ppr.add("w:keepNext");
    if (break_before_) {
      ppr.add("w:pageBreakBefore");
      break_before_ = false;
    }
    return p;
  }

  // ---- body ----

  void body(xml::Node b) {
    for (size_t i = 0; i < d_.body.size(); ++i) {
      const auto& block = d_.body[i];
      // The paragraph before the signatures keeps with them.
      const bool before_signatures =
          i + 1 < d_.body.size() && std::holds_alternative<doc::Signatures>(d_.body[i + 1]);
      if (std::holds_alternative<doc::PageBreak>(block)) {
        break_before_ = true;
      } else if (const auto* h = std::get_if<doc::Heading>(&block)) {
        max_heading_ = std::max(max_heading_, h->level);
        runs(para(b, "Heading" + num(h->level)), h->content);
      } else if (const auto* p = std::get_if<doc::Paragraph>(&block)) {
        std::string style;
        if (!p->role.empty()) {
          style = roleStyle(p->role);
          roles_.emplace(style, p->role);
        }
        runs(para(b, style, before_signatures || p->keep_with_next), p->content);
      } else if (const auto* l = std::get_if<doc::List>(&block)) {
        const int num_id = static_cast<int>(lists_.size()) + 1;
        const std::string bullet = l->ordered ? std::string() : (l->bullet.empty() ? l_.list_bullet : l->bullet);
        lists_.push_back({l->ordered, bullet});
        for (size_t k = 0; k < l->items.size(); ++k) {
          const bool last = k + 1 == l->items.size();
          std::optional<xml::Node> ppr;
          xml::Node item = para(b, "ListParagraph", last && (before_signatures || l->keep_with_next), &ppr);
          xml::Node numpr = ppr->add("w:numPr");
          numpr.add("w:ilvl").set("w:val", "0");
          numpr.add("w:numId").set("w:val", num(num_id));
          runs(item, l->items[k]);
        }
      } else if (const auto* s = std::get_if<doc::Signatures>(&block)) {
        signatures(b, *s);
      }
    }
    sectionProperties(b.add("w:sectPr"));
  }

  void signatures(xml::Node b, const doc::Signatures& s) {
    if (s.signers.empty()) return;
    // Space above the block for the signatures themselves.
    para(b, "Underskriftsavstand", true);
    xml::Node tbl = b.add("w:tbl");
    xml::Node tpr = tbl.add("w:tblPr");
    tpr.add("w:tblW").set("w:w", "5000").set("w:type", "pct");
    tpr.add("w:tblLayout").set("w:type", "fixed");
    tpr.add("w:tblLook").set("w:val", "0000");
    const long col = render::twips(text_width_mm_) / 2;
    xml::Node grid = tbl.add("w:tblGrid");
    grid.add("w:gridCol").set("w:w", num(col));
    grid.add("w:gridCol").set("w:w", num(col));
    for (size_t i = 0; i < s.signers.size(); i += 2) {
      const bool last_row = i + 2 >= s.signers.size();
      xml::Node tr = tbl.add("w:tr");
      tr.add("w:trPr").add("w:cantSplit");
      for (size_t k = i; k < i + 2; ++k) {
        xml::Node tc = tr.add("w:tc");
        tc.add("w:tcPr").add("w:tcW").set("w:w", num(col)).set("w:type", "dxa");
        if (k >= s.signers.size() || s.signers[k].lines.empty()) {
          para(tc, "Underskrift", !last_row);
          continue;
        }
        for (const auto& line : s.signers[k].lines) runs(para(tc, "Underskrift", !last_row), line);
      }
    }
  }

  void sectionProperties(xml::Node s) {
    s.add("w:headerReference").set("w:type", "default").set("r:id", "rIdHeader");
    s.add("w:footerReference").set("w:type", "default").set("r:id", "rIdFooter");
    if (titlePage()) {
      s.add("w:headerReference").set("w:type", "first").set("r:id", "rIdHeaderFirst");
      s.add("w:footerReference").set("w:type", "first").set("r:id", "rIdFooterFirst");
    }
    s.add("w:pgSz").set("w:w", num(render::twips(l_.page_width_mm))).set("w:h", num(render::twips(l_.page_height_mm)));
    // The body starts below the letterhead; Word and LibreOffice push it
    // further down if a template's letterhead is taller.
    const bool any_footer = !d_.footer.empty() || (d_.first_footer && !d_.first_footer->empty());
    s.add("w:pgMar")
        .set("w:top", num(render::twips(l_.margin_top_mm + 28)))
        .set("w:right", num(render::twips(l_.margin_right_mm)))
        .set("w:bottom", num(render::twips(l_.margin_bottom_mm + (any_footer ? 10 : 0))))
        .set("w:left", num(render::twips(l_.margin_left_mm)))
        .set("w:header", num(render::twips(l_.margin_top_mm)))
        .set("w:footer", num(render::twips(l_.margin_bottom_mm)))
        .set("w:gutter", "0");
    if (titlePage()) s.add("w:titlePg");
  }

  void notes(xml::Node root) {
    xml::Node sep = root.add("w:footnote").set("w:type", "separator").set("w:id", "-1");
    para(sep, "").add("w:r").add("w:separator");
    xml::Node cont = root.add("w:footnote").set("w:type", "continuationSeparator").set("w:id", "0");
    para(cont, "").add("w:r").add("w:continuationSeparator");
    for (const auto& f : d_.footnotes) {
      xml::Node fn = root.add("w:footnote").set("w:id", num(f.number));
      xml::Node p = para(fn, "FootnoteText");
      // The number at the foot is set on the line, not raised ("1 Text"), as
      // in the reference memo; raised, text extraction tears it from its note.
      xml::Node mark = p.add("w:r");
      xml::Node mark_pr = mark.add("w:rPr");
      mark_pr.add("w:rStyle").set("w:val", "FootnoteNumber");
      mark_pr.add("w:vertAlign").set("w:val", "baseline");
      mark.add("w:footnoteRef");
      textRun(p, " ", false);
      runs(p, f.content);
    }
  }

  // ---- header and footer ----

  // A table without borders whose columns are `widths` (twips).
  static xml::Node table(xml::Node parent, const std::vector<long>& widths) {
    xml::Node tbl = parent.add("w:tbl");
    xml::Node tpr = tbl.add("w:tblPr");
    tpr.add("w:tblW").set("w:w", "5000").set("w:type", "pct");
    tpr.add("w:tblLayout").set("w:type", "fixed");
    tpr.add("w:tblLook").set("w:val", "0000");
    xml::Node grid = tbl.add("w:tblGrid");
    for (long w : widths) grid.add("w:gridCol").set("w:w", num(w));
    return tbl;
  }

  static xml::Node cell(xml::Node tr, long width) {
    xml::Node tc = tr.add("w:tc");
    tc.add("w:tcPr").add("w:tcW").set("w:w", num(width)).set("w:type", "dxa");
    return tc;
  }

  // An inline picture of `img`, relationships in `band`'s part.
  Result<void> picture(xml::Node p, const doc::Image& img, BandPart& band) {
    const int n = ++pictures_;
    const std::string stem = "logo" + num(n);
    auto png = render::pngOf(img, static_cast<int>(std::lround(img.width_mm / 25.4 * 300)));
    if (!png) return std::unexpected(png.error());
    band.media.push_back({"rIdLogo" + num(n), stem + ".png", std::move(*png)});
    std::string svg_id;
    if (img.media_type == "image/svg+xml") {
      svg_id = "rIdLogoSvg" + num(n);
      band.media.push_back({svg_id, stem + ".svg", img.data});
    }
    const std::string cx = num(emu(img.width_mm)), cy = num(emu(img.height_mm));
    xml::Node inl = p.add("w:r").add("w:drawing").add("wp:inline");
    inl.set("distT", "0").set("distB", "0").set("distL", "0").set("distR", "0");
    inl.add("wp:extent").set("cx", cx).set("cy", cy);
    inl.add("wp:docPr").set("id", num(n)).set("name", stem).set("descr", img.alt);
    inl.add("wp:cNvGraphicFramePr").add("a:graphicFrameLocks").set("noChangeAspect", "1");
    xml::Node gd = inl.add("a:graphic").add("a:graphicData").set("uri", kPic);
    xml::Node pic = gd.add("pic:pic");
    xml::Node nv = pic.add("pic:nvPicPr");
    nv.add("pic:cNvPr").set("id", "0").set("name", img.name).set("descr", img.alt);
    nv.add("pic:cNvPicPr");
    xml::Node fill = pic.add("pic:blipFill");
    xml::Node blip = fill.add("a:blip").set("r:embed", "rIdLogo" + num(n));
    if (!svg_id.empty()) {
      blip.add("a:extLst").add("a:ext").set("uri", kSvgExt).add("asvg:svgBlip").set("r:embed", svg_id);
    }
    fill.add("a:stretch").add("a:fillRect");
    xml::Node sp = pic.add("pic:spPr");
    xml::Node xfrm = sp.add("a:xfrm");
    xfrm.add("a:off").set("x", "0").set("y", "0");
    xfrm.add("a:ext").set("cx", cx).set("cy", cy);
    sp.add("a:prstGeom").set("prst", "rect").add("a:avLst");
    return ok();
  }

  Result<void> bandPart(xml::Node root, const doc::Band& band, BandPart& part, bool header) {
    const long width = render::twips(text_width_mm_);
    if (band.logo || !band.fields.empty()) {
      const auto [left, right, page] = render::bandColumns(band);
      const long col = width / 2;
      xml::Node tr = table(root, {col, col}).add("w:tr");
      // Left: the logo, then the who-fields.
      xml::Node lc = cell(tr, col);
      bool any = false;
      if (band.logo) {
        KANSLI_TRY(picture(para(lc, "Header"), *band.logo, part));
        any = true;
      }
      for (const auto* f : left) {
        runs(para(lc, f->role == "organisation" ? "Dokumenttyp" : "Header"), f->content);
        any = true;
      }
      if (!any) para(lc, "Header");
      // Right: the what-and-when fields, the page number after a tab on the first line.
      xml::Node rc = cell(tr, col);
      bool first = true;
      for (const auto* f : right) {
        xml::Node p = para(rc, f->role == "document-type" ? "Dokumenttyp" : "Header");
        runs(p, f->content);
        if (first && page) {
          p.add("w:r").add("w:tab");
          runs(p, page->content);
        }
        first = false;
      }
      if (first) {
        xml::Node p = para(rc, "Header");
        if (page) {
          p.add("w:r").add("w:tab");
          runs(p, page->content);
        }
      }
    }
    for (const auto& row : band.rows) {
      if (const auto* line = std::get_if<doc::Inlines>(&row)) {
        runs(para(root, "Footer"), *line);
        continue;
      }
      const auto& g = std::get<doc::Grid>(row);
      const auto fractions = render::gridFractions(g);
      std::vector<long> widths;
      for (double f : fractions) widths.push_back(std::max<long>(200, std::lround(f * width)));
      xml::Node tbl = table(root, widths);
      bool labels = false;
      for (const auto& c : g.cells) labels = labels || !c.label.empty();
      if (labels) {
        xml::Node tr = tbl.add("w:tr");
        for (size_t i = 0; i < g.cells.size(); ++i) runs(para(cell(tr, widths[i]), "Etikett"), g.cells[i].label);
      }
      xml::Node tr = tbl.add("w:tr");
      for (size_t i = 0; i < g.cells.size(); ++i) runs(para(cell(tr, widths[i]), "Header"), g.cells[i].value);
    }
    // A part must end with a paragraph; in a header it carries the rule under the letterhead.
    if (header && !band.empty()) {
      para(root, "Brevhuvudslinje");
    } else {
      para(root, "Footer");
    }
    return ok();
  }

  // ---- package parts ----

  Part contentTypes(const std::vector<BandPart>& bands) const {
    xml::Builder b("Types", {});
    xml::Node t = b.root();
    t.set("xmlns", "http://schemas.openxmlformats.org/package/2006/content-types");
    t.add("Default").set("Extension", "rels").set("ContentType",
                                                  "application/vnd.openxmlformats-package.relationships+xml");
    t.add("Default").set("Extension", "xml").set("ContentType", "application/xml");
    t.add("Default").set("Extension", "png").set("ContentType", "image/png");
    t.add("Default").set("Extension", "svg").set("ContentType", "image/svg+xml");
    auto over = [&](const std::string& part, std::string type) {
      t.add("Override").set("PartName", part).set("ContentType", type);
    };
    over("/word/document.xml", std::string(kCT) + "document.main+xml");
    over("/word/styles.xml", std::string(kCT) + "styles+xml");
    over("/word/settings.xml", std::string(kCT) + "settings+xml");
    over("/word/numbering.xml", std::string(kCT) + "numbering+xml");
    over("/word/footnotes.xml", std::string(kCT) + "footnotes+xml");
    for (const auto& band : bands) {
      over("/word/" + band.file, std::string(kCT) + (band.root == std::string("hdr") ? "header+xml" : "footer+xml"));
    }
    over("/docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml");
    over("/docProps/app.xml", "application/vnd.openxmlformats-officedocument.extended-properties+xml");
    return done(b);
  }

  static void rel(xml::Node r, const std::string& id, const std::string& type, const std::string& target) {
    r.add("Relationship").set("Id", id).set("Type", type).set("Target", target);
  }

  Part packageRels() const {
    xml::Builder b("Relationships", {});
    xml::Node r = b.root();
    r.set("xmlns", "http://schemas.openxmlformats.org/package/2006/relationships");
    rel(r, "rId1", std::string(kRelBase) + "officeDocument", "word/document.xml");
    rel(r, "rId2", "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties",
        "docProps/core.xml");
    rel(r, "rId3", std::string(kRelBase) + "extended-properties", "docProps/app.xml");
    return done(b);
  }

  Part documentRels(const std::vector<BandPart>& bands) const {
    xml::Builder b("Relationships", {});
    xml::Node r = b.root();
    r.set("xmlns", "http://schemas.openxmlformats.org/package/2006/relationships");
    rel(r, "rIdStyles", std::string(kRelBase) + "styles", "styles.xml");
    rel(r, "rIdSettings", std::string(kRelBase) + "settings", "settings.xml");
    rel(r, "rIdNumbering", std::string(kRelBase) + "numbering", "numbering.xml");
    rel(r, "rIdFootnotes", std::string(kRelBase) + "footnotes", "footnotes.xml");
    for (const auto& band : bands) {
      rel(r, band.rel_id, std::string(kRelBase) + (band.root == std::string("hdr") ? "header" : "footer"), band.file);
    }
    return done(b);
  }

  Part bandRels(const BandPart& band) const {
    xml::Builder b("Relationships", {});
    xml::Node r = b.root();
    r.set("xmlns", "http://schemas.openxmlformats.org/package/2006/relationships");
    for (const auto& m : band.media) rel(r, m.id, std::string(kRelBase) + "image", "media/" + m.file);
    return done(b);
  }

  Part coreProperties(const std::string& when) const {
    xml::Builder b("cp:coreProperties",
                   {{"cp", "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"},
                    {"dc", "http://purl.org/dc/elements/1.1/"},
                    {"dcterms", "http://purl.org/dc/terms/"},
                    {"xsi", "http://www.w3.org/2001/XMLSchema-instance"}});
    xml::Node c = b.root();
    if (!d_.title.empty()) c.addText("dc:title", d_.title);
    if (!d_.meta.subject.empty()) c.addText("dc:subject", d_.meta.subject);
    if (!d_.meta.author.empty()) c.addText("dc:creator", d_.meta.author);
    std::string keywords;
    for (const auto& k : d_.meta.keywords) keywords += (keywords.empty() ? "" : ", ") + k;
    if (!keywords.empty()) c.addText("cp:keywords", keywords);
    if (!d_.meta.reference.empty()) c.addText("dc:identifier", d_.meta.reference);
    c.addText("dc:language", d_.lang == "sv" ? "sv-SE" : d_.lang);
    c.addText("dcterms:created", when + "Z").set("xsi:type", "dcterms:W3CDTF");
    c.addText("dcterms:modified", when + "Z").set("xsi:type", "dcterms:W3CDTF");
    return done(b);
  }

  Part appProperties() const {
    xml::Builder b("Properties", {});
    xml::Node p = b.root();
    p.set("xmlns", "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties");
    p.addText("Application", "Kansli");
    return done(b);
  }

  Part settings() const {
    xml::Builder b("w:settings", {{"w", kW}});
    xml::Node s = b.root();
    s.add("w:defaultTabStop").set("w:val", "1304");  // 2.3 cm, the Swedish standard tab
    xml::Node fp = s.add("w:footnotePr");
    fp.add("w:footnote").set("w:id", "-1");
    fp.add("w:footnote").set("w:id", "0");
    xml::Node compat = s.add("w:compat");
    compat.add("w:compatSetting")
        .set("w:name", "compatibilityMode")
        .set("w:uri", "http://schemas.microsoft.com/office/word")
        .set("w:val", "15");
    return done(b);
  }

  Part numbering() const {
    xml::Builder b("w:numbering", {{"w", kW}});
    xml::Node n = b.root();
    // One abstract definition per kind of list: numbered, or each bullet.
    std::vector<std::string> kinds;  // "" = numbered, else the bullet
    auto kindOf = [&](const ListKind& l) {
      const std::string k = l.ordered ? std::string() : l.bullet;
      for (size_t i = 0; i < kinds.size(); ++i) {
        if (kinds[i] == k) return i;
      }
      kinds.push_back(k);
      return kinds.size() - 1;
    };
    std::vector<size_t> abstract_of;
    for (const auto& l : lists_) abstract_of.push_back(kindOf(l));
    for (size_t id = 0; id < kinds.size(); ++id) {
      const bool ordered = kinds[id].empty();
      xml::Node a = n.add("w:abstractNum").set("w:abstractNumId", num(static_cast<long>(id)));
      a.add("w:multiLevelType").set("w:val", "singleLevel");
      xml::Node lvl = a.add("w:lvl").set("w:ilvl", "0");
      lvl.add("w:start").set("w:val", "1");
      lvl.add("w:numFmt").set("w:val", ordered ? "decimal" : "bullet");
      lvl.add("w:lvlText").set("w:val", ordered ? "%1." : kinds[id]);
      lvl.add("w:lvlJc").set("w:val", "left");
      lvl.add("w:pPr").add("w:ind").set("w:left", "720").set("w:hanging", "360");
    }
    for (size_t i = 0; i < lists_.size(); ++i) {
      xml::Node num_el = n.add("w:num").set("w:numId", num(static_cast<long>(i) + 1));
      num_el.add("w:abstractNumId").set("w:val", num(static_cast<long>(abstract_of[i])));
      if (lists_[i].ordered) {
        num_el.add("w:lvlOverride").set("w:ilvl", "0").add("w:startOverride").set("w:val", "1");
      }
    }
    return done(b);
  }

  Part styles() const {
    xml::Builder b("w:styles", {{"w", kW}});
    xml::Node s = b.root();
    const double size = z_.body;
    const std::string line = num(std::lround(240 * z_.line_spacing));
    xml::Node defaults = s.add("w:docDefaults");
    xml::Node rpr = defaults.add("w:rPrDefault").add("w:rPr");
    rpr.add("w:rFonts")
        .set("w:ascii", l_.body_font)
        .set("w:hAnsi", l_.body_font)
        .set("w:cs", l_.body_font)
        .set("w:eastAsia", l_.body_font);
    rpr.add("w:sz").set("w:val", halfPoints(size));
    rpr.add("w:szCs").set("w:val", halfPoints(size));
    rpr.add("w:lang").set("w:val", d_.lang == "sv" ? "sv-SE" : d_.lang);
    defaults.add("w:pPrDefault").add("w:pPr").add("w:spacing").set("w:after", "0").set("w:line", "240").set(
        "w:lineRule", "auto");

    auto style = [&](const char* type, const std::string& id, const std::string& name) {
      xml::Node st = s.add("w:style").set("w:type", type).set("w:styleId", id);
      st.add("w:name").set("w:val", name);
      return st;
    };
    auto sans = [&](xml::Node r) {
      r.add("w:rFonts").set("w:ascii", l_.heading_font).set("w:hAnsi", l_.heading_font).set("w:cs",
                                                                                            l_.heading_font);
    };
    auto twentieths = [](double pt) { return num(std::lround(pt * 20)); };

    xml::Node normal = style("paragraph", "Normal", "Normal");
    normal.set("w:default", "1");
    normal.add("w:qFormat");
    normal.add("w:pPr").add("w:spacing").set("w:after", twentieths(z_.paragraph_space)).set("w:line", line).set(
        "w:lineRule", "auto");

    for (int level = 1; level <= std::max(max_heading_, 4); ++level) {
      xml::Node h = style("paragraph", "Heading" + num(level), "heading " + num(level));
      h.add("w:basedOn").set("w:val", "Normal");
      h.add("w:next").set("w:val", "Normal");
      h.add("w:qFormat");
      xml::Node ppr = h.add("w:pPr");
      ppr.add("w:keepNext");
      ppr.add("w:keepLines");
      ppr.add("w:spacing")
          .set("w:before", twentieths(z_.heading_before))
          .set("w:after", twentieths(z_.heading_after));
      ppr.add("w:outlineLvl").set("w:val", num(level - 1));
      xml::Node r = h.add("w:rPr");
      sans(r);
      r.add("w:b");
      if (level >= 4) r.add("w:i");
      r.add("w:sz").set("w:val", halfPoints(render::headingSize(z_, level)));
    }

    for (const auto& [id, role] : roles_) {
      xml::Node st = style("paragraph", id, "Roll: " + role);
      st.add("w:basedOn").set("w:val", "Normal");
    }

    xml::Node list = style("paragraph", "ListParagraph", "List Paragraph");
    list.add("w:basedOn").set("w:val", "Normal");
    list.add("w:pPr").add("w:spacing").set("w:after", twentieths(size * 0.2));

    xml::Node sig = style("paragraph", "Underskrift", "Underskrift");
    sig.add("w:basedOn").set("w:val", "Normal");
    sig.add("w:pPr").add("w:spacing").set("w:after", "0");
    xml::Node gap = style("paragraph", "Underskriftsavstand", "Underskriftsavstånd");
    gap.add("w:basedOn").set("w:val", "Normal");
    gap.add("w:pPr").add("w:spacing").set("w:before", twentieths(size * 1.5)).set("w:after", "0");

    xml::Node ft = style("paragraph", "FootnoteText", "footnote text");
    ft.add("w:basedOn").set("w:val", "Normal");
    ft.add("w:pPr").add("w:spacing").set("w:after", "40").set("w:line", "240").set("w:lineRule", "auto");
    ft.add("w:rPr").add("w:sz").set("w:val", halfPoints(z_.note));
    xml::Node fr = style("character", "FootnoteReference", "footnote reference");
    fr.add("w:rPr").add("w:vertAlign").set("w:val", "superscript");
    style("character", "FootnoteNumber", "Fotnotsnummer").add("w:rPr").add("w:vertAlign").set("w:val",
                                                                                            "baseline");

    const long half = render::twips(text_width_mm_) / 2;
    xml::Node hd = style("paragraph", "Header", "header");
    hd.add("w:basedOn").set("w:val", "Normal");
    xml::Node hp = hd.add("w:pPr");
    hp.add("w:tabs").add("w:tab").set("w:val", "right").set("w:pos", num(half - 300));
    hp.add("w:spacing").set("w:after", "30").set("w:line", "240").set("w:lineRule", "auto");
    xml::Node hr = hd.add("w:rPr");
    sans(hr);
    hr.add("w:sz").set("w:val", halfPoints(z_.letterhead));
    xml::Node dt = style("paragraph", "Dokumenttyp", "Dokumenttyp");
    dt.add("w:basedOn").set("w:val", "Header");
    dt.add("w:rPr").add("w:b");
    xml::Node label = style("paragraph", "Etikett", "Etikett");
    label.add("w:basedOn").set("w:val", "Header");
    label.add("w:pPr").add("w:spacing").set("w:after", "0");
    label.add("w:rPr").add("w:sz").set("w:val", halfPoints(z_.label));
    xml::Node rule = style("paragraph", "Brevhuvudslinje", "Brevhuvudslinje");
    rule.add("w:basedOn").set("w:val", "Header");
    xml::Node lp = rule.add("w:pPr");
    lp.add("w:pBdr").add("w:bottom").set("w:val", "single").set("w:sz", "4").set("w:space", "1").set(
        "w:color", "000000");
    lp.add("w:spacing").set("w:after", "0");
    xml::Node lr = rule.add("w:rPr");
    lr.add("w:sz").set("w:val", "8");

    xml::Node fo = style("paragraph", "Footer", "footer");
    fo.add("w:basedOn").set("w:val", "Normal");
    xml::Node fpp = fo.add("w:pPr");
    fpp.add("w:jc").set("w:val", "center");
    fpp.add("w:spacing").set("w:after", "0").set("w:line", "240").set("w:lineRule", "auto");
    xml::Node frr = fo.add("w:rPr");
    sans(frr);
    frr.add("w:sz").set("w:val", halfPoints(z_.letterhead * 0.92));
    return done(b);
  }

  struct ListKind {
    bool ordered = false;
    std::string bullet;
  };

  const doc::Document& d_;
  const Layout& l_;
  render::Sizes z_;
  double text_width_mm_ = 0;
  int max_heading_ = 1;
  int pictures_ = 0;
  bool break_before_ = false;                 // the next paragraph starts a page
  std::vector<ListKind> lists_;               // per list (numId - 1)
  std::map<std::string, std::string> roles_;  // style id -> role
};

}  // namespace

Result<std::string> writeDocx(const doc::Document& d, const OfficeOptions& opts) {
  const Layout& l = render::layoutFor(d, opts.layout);
  KANSLI_TRY(render::checkInput(d, l));
  return DocxWriter(d, l).write();
}

}  // namespace kansli
