// Loading templates: find by name, parse, validate against template.rng, and
// compile into a TemplateAst with every value name checked against the catalogue.
#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include <map>
#include <mutex>
#include <vector>

#include <Poco/JSON/Parser.h>

#include "kansli/mutex.h"
#include "kansli/render.h"
#include "kansli/text.h"
#include "render/catalog.h"
#include "render/image.h"
#include "render/template_ast.h"
#include "render/text_util.h"
#include "kansli/json_text.h"
#include "util/json.h"
#include "xml/xml.h"

#ifndef KANSLI_HOME_DEFAULT
#define KANSLI_HOME_DEFAULT "."
#endif

namespace kansli {
namespace {

using detail::TNode;
using render::ValueSpec;

// "25mm", "2.5cm", "11pt" -> millimetres (to_mm) or points.
double lengthMm(const std::string& v) {
  double n = std::strtod(v.c_str(), nullptr);
  if (v.ends_with("cm")) return n * 10;
  if (v.ends_with("pt")) return n * 25.4 / 72.0;
  return n;
}
double lengthPt(const std::string& v) { return lengthMm(v) * 72.0 / 25.4; }

std::string trimmedText(const std::string& s) {
  std::string c = render::collapseSpace(s);
  size_t a = c.find_first_not_of(' ');
  if (a == std::string::npos) return {};
  size_t b = c.find_last_not_of(' ');
  return c.substr(a, b - a + 1);
}

class Compiler {
 public:
  Compiler(std::string source, const AssetReader& assets) : source_(std::move(source)), assets_(assets) {}

  Result<detail::TemplateAst> compile(const xml::Element& root, std::string_view xml_text) {
    detail::TemplateAst ast;
    ast.source = source_;
    ast.name = root.attrOr("name", "");
    ast.lang = root.attrOr("lang", "sv");
    ast.files.xml = std::string(xml_text);
    if (auto l = root.child("layout")) KANSLI_TRY(layout(l, ast.layout));
    if (auto n = root.child("numbering")) {
      const std::string format = n.attrOr("format", "{year}:{number}");
      auto pattern = DnrPattern::compile(format);
      if (!pattern) return std::unexpected(at(n, "numreringens format \"" + format + "\": " + pattern.error().message));
      if (pattern->has(DnrField::kSeries) || pattern->has(DnrField::kClass) || pattern->has(DnrField::kDoc)) {
        return std::unexpected(at(n, "numreringens format får bara ha årtal och löpnummer ({year} eller {yy}, {number})"));
      }
      ast.numbering = Numbering{n.attrOr("series", ""), *pattern};
    }
    for (const auto& b : root.children()) {
      if (b.name() != "header" && b.name() != "footer") continue;
      const bool header = b.name() == "header";
      const bool first = b.attrOr("page", "all") == "first";
      detail::BandT& band = header ? (first ? ast.first_header : ast.header) : (first ? ast.first_footer : ast.footer);
      if (band.present) {
        return std::unexpected(at(b, std::string(header ? "sidhuvudet" : "sidfoten") +
                                         (first ? " för första sidan" : " för alla sidor") +
                                         " finns redan i mallen"));
      }
      KANSLI_TRY(this->band(b, band, ast.files));
    }
    xml::Element body = root.child("body");
    for (const auto& b : body.children()) {
      if (b.name() == "sections") {
        TNode n;
        n.kind = TNode::Kind::kSections;
        n.line = b.line();
        n.level = static_cast<int>(ast.groups.size());
        KANSLI_TRY(sections(b, ast));
        ast.body.push_back(std::move(n));
        continue;
      }
      KANSLI_TRY(block(b, ast.body));
    }
    if (titles_ == 0) {
      return std::unexpected(render::errorAt(
          source_, body.line(), "mallen saknar en rubrik på nivå 1 (dokumentets titel)"));
    }
    return ast;
  }

 private:
  struct Alias {
    std::string name;
    const ValueSpec* item;  // the list's item spec
  };

  Error at(const xml::Element& e, const std::string& message) const {
    return render::errorAt(source_, e.line(), message);
  }

  // ---- layout ----

  Result<void> layout(const xml::Element& e, doc::Layout& l) {
    if (e.attrOr("page-size", "A4") == "A5") {
      l.page_width_mm = 148;
      l.page_height_mm = 210;
    }
    struct Mm {
      const char* attr;
      double* out;
      double max;
    };
    for (Mm m : {Mm{"margin-top", &l.margin_top_mm, 100}, Mm{"margin-bottom", &l.margin_bottom_mm, 100},
                 Mm{"margin-left", &l.margin_left_mm, 100}, Mm{"margin-right", &l.margin_right_mm, 100},
                 Mm{"header-space", &l.header_space_mm, 100}}) {
      if (auto v = e.attr(m.attr)) {
        *m.out = lengthMm(*v);
        if (*m.out > m.max) return std::unexpected(at(e, std::string(m.attr) + " är större än 100 mm"));
      }
    }
    struct Pt {
      const char* attr;
      double* out;
      double min, max;
    };
    for (Pt p : {Pt{"body-size", &l.body_size_pt, 6, 24}, Pt{"heading-size", &l.heading_size_pt, 6, 48},
                 Pt{"title-size", &l.title_size_pt, 6, 72}, Pt{"letterhead-size", &l.letterhead_size_pt, 5, 24},
                 Pt{"paragraph-space", &l.paragraph_space_pt, 0, 72},
                 Pt{"heading-space-before", &l.heading_space_before_pt, 0, 72},
                 Pt{"heading-space-after", &l.heading_space_after_pt, 0, 72}}) {
      if (auto v = e.attr(p.attr)) {
        *p.out = lengthPt(*v);
        if (*p.out < p.min || *p.out > p.max) {
          return std::unexpected(at(e, std::string(p.attr) + " ska vara " + std::to_string(int(p.min)) + "–" +
                                           std::to_string(int(p.max)) + " punkter"));
        }
      }
    }
    // A space or paragraph gap of 0pt is a real choice; keep it apart from "unset".
    for (auto [attr, out] : {std::pair{"paragraph-space", &l.paragraph_space_pt},
                             std::pair{"heading-space-before", &l.heading_space_before_pt},
                             std::pair{"heading-space-after", &l.heading_space_after_pt}}) {
      if (e.attr(attr) && *out == 0) *out = 0.001;
    }
    if (auto v = e.attr("line-spacing")) {
      l.line_spacing = std::strtod(v->c_str(), nullptr);
      if (l.line_spacing < 0.8 || l.line_spacing > 3) {
        return std::unexpected(at(e, "line-spacing ska vara 0.8–3 (gånger teckensnittets radavstånd)"));
      }
    }
    if (auto v = e.attr("body-font")) l.body_font = *v;
    if (auto v = e.attr("heading-font")) l.heading_font = *v;
    if (auto v = e.attr("list-bullet")) l.list_bullet = *v;
    const double text_w = l.page_width_mm - l.margin_left_mm - l.margin_right_mm;
    const double text_h = l.page_height_mm - l.margin_top_mm - l.margin_bottom_mm;
    if (text_w < 50 || text_h < 80) {
      return std::unexpected(at(e, "marginalerna lämnar för lite plats för texten"));
    }
    return ok();
  }

  // ---- header and footer ----

  Result<void> band(const xml::Element& e, detail::BandT& b, TemplateFiles& files) {
    b.present = true;
    for (const auto& c : e.children()) {
      const std::string n = c.name();
      if (n == "logo") {
        if (b.logo) return std::unexpected(at(c, "ett sidhuvud eller en sidfot har högst en logotyp"));
        doc::Image img;
        KANSLI_TRY(logo(c, img, files));
        b.logo = std::move(img);
      } else if (n == "field") {
        detail::HeaderFieldT field;
        field.role = c.attrOr("role", "other");
        KANSLI_TRY(inlines(c, field.content));
        b.fields.push_back(std::move(field));
      } else if (n == "grid") {
        detail::BandRowT row;
        row.grid = true;
        double explicit_width = 0;
        KANSLI_TRY(cells(c, row.nodes, explicit_width));
        if (explicit_width > 100.0001) {
          return std::unexpected(at(c, "kolumnernas bredder är tillsammans mer än 100 %"));
        }
        b.rows.push_back(std::move(row));
      } else if (n == "line") {
        detail::BandRowT row;
        KANSLI_TRY(inlines(c, row.nodes));
        b.rows.push_back(std::move(row));
      }
    }
    return ok();
  }

  Result<void> cells(const xml::Element& parent, std::vector<TNode>& out, double& explicit_width) {
    for (const auto& c : parent.children()) {
      if (c.name() == "cell") {
        TNode n;
        n.kind = TNode::Kind::kCell;
        n.line = c.line();
        n.text = trimmedText(c.attrOr("label", ""));
        if (auto w = c.attr("width")) {
          n.width_percent = std::strtod(w->c_str(), nullptr);
          explicit_width += n.width_percent;
        }
        KANSLI_TRY(inlines(c, n.children));
        out.push_back(std::move(n));
      } else if (c.name() == "if") {
        auto n = condition(c);
        if (!n) return std::unexpected(n.error());
        KANSLI_TRY(cells(c, n->children, explicit_width));
        out.push_back(std::move(*n));
      }
    }
    return ok();
  }

  Result<void> logo(const xml::Element& e, doc::Image& img, TemplateFiles& files) {
    img.name = e.attrOr("src", "");
    if (!assets_) {
      return std::unexpected(at(e, "logotypen " + img.name + " kan inte läsas: mallen lästes inte från en katalog"));
    }
    auto bytes = assets_(img.name);
    if (!bytes) {
      return std::unexpected(at(e, "logotypen " + img.name + " kan inte läsas: " + bytes.error().message));
    }
    auto info = render::inspectImage(img.name, *bytes);
    if (!info) return std::unexpected(at(e, info.error().message));
    img.media_type = info->media_type;
    img.data = std::move(*bytes);
    const double aspect = info->height_px / info->width_px;
    auto w = e.attr("width");
    auto h = e.attr("height");
    if (w && h) {  // fit inside the box, keeping the picture's shape
      img.width_mm = lengthMm(*w);
      img.height_mm = img.width_mm * aspect;
      if (img.height_mm > lengthMm(*h)) {
        img.height_mm = lengthMm(*h);
        img.width_mm = img.height_mm / aspect;
      }
    } else if (w) {
      img.width_mm = lengthMm(*w);
      img.height_mm = img.width_mm * aspect;
    } else {
      img.height_mm = h ? lengthMm(*h) : 15;
      img.width_mm = img.height_mm / aspect;
    }
    if (!(img.width_mm >= 1 && img.height_mm >= 1 && img.width_mm <= 180 && img.height_mm <= 80)) {
      return std::unexpected(at(e, "logotypen blir " + std::to_string(int(img.width_mm)) + " × " +
                                       std::to_string(int(img.height_mm)) +
                                       " mm; den ska vara högst 180 mm bred och 80 mm hög"));
    }
    img.alt = trimmedText(e.attrOr("alt", "Logotyp"));
    files.assets[img.name] = img.data;
    return ok();
  }

  // Resolves a path to its spec: "alias.field" in loops, else from the catalogue root.
  Result<const ValueSpec*> resolve(const xml::Element& e, const std::string& path) const {
    std::string_view rest = path;
    size_t dot = rest.find('.');
    std::string_view first = rest.substr(0, dot);
    const ValueSpec* spec = &render::valueCatalog();
    bool via_alias = false;
    for (auto it = aliases_.rbegin(); it != aliases_.rend(); ++it) {
      if (it->name == first) {
        spec = it->item;
        via_alias = true;
        break;
      }
    }
    if (via_alias) {
      if (dot == std::string_view::npos) return spec;
      rest.remove_prefix(dot + 1);
    }
    // An alias stands for one item of a list, whose fields the list spec holds.
    bool fields_here = via_alias;
    while (true) {
      dot = rest.find('.');
      std::string_view name = rest.substr(0, dot);
      fields_here = fields_here || spec->type() == ValueSpec::Type::kRecord;
      const ValueSpec* next = fields_here ? spec->field(name) : nullptr;
      if (!next) {
        std::string known;
        if (fields_here) {
          for (const auto& n : spec->names()) known += (known.empty() ? "" : ", ") + n;
        }
        return std::unexpected(at(e, "okänt värde \"" + path + "\"" +
                                         (known.empty() ? "" : " (kända här: " + known + ")")));
      }
      spec = next;
      fields_here = false;
      if (dot == std::string_view::npos) return spec;
      rest.remove_prefix(dot + 1);
    }
  }

  static bool isDateFormat(const std::string& f) {
    return f == "long-date" || f == "weekday-date" || f == "year" || f == "yy" || f == "month" ||
           f == "month-name" || f == "day";
  }

  Result<void> value(const xml::Element& e, std::vector<TNode>& out) {
    TNode n;
    n.kind = TNode::Kind::kValue;
    n.line = e.line();
    n.text = e.attrOr("of", "");
    n.format = e.attrOr("format", "as-is");
    auto spec = resolve(e, n.text);
    if (!spec) return std::unexpected(spec.error());
    using T = ValueSpec::Type;
    T type = (*spec)->type();
    if (n.format == "names") {
      if (type != T::kList || !(*spec)->field("name")) {
        return std::unexpected(at(e, "format=\"names\" kräver en lista med namn, men \"" + n.text +
                                         "\" är inte det"));
      }
    } else if (type == T::kList || type == T::kRecord) {
      return std::unexpected(
          at(e, "\"" + n.text + "\" är en " + (type == T::kList ? "lista" : "post") +
                    "; använd <each> eller ett fält i den"));
    } else if (isDateFormat(n.format) && type != T::kDate) {
      return std::unexpected(
          at(e, "format=\"" + n.format + "\" kräver ett datum, men \"" + n.text + "\" är text"));
    }
    out.push_back(std::move(n));
    return ok();
  }

  Result<TNode> condition(const xml::Element& e) {
    TNode n;
    n.kind = TNode::Kind::kIf;
    n.line = e.line();
    if (auto p = e.attr("present")) {
      n.text = *p;
    } else {
      n.text = e.attrOr("absent", "");
      n.absent = true;
    }
    auto spec = resolve(e, n.text);
    if (!spec) return std::unexpected(spec.error());
    return n;
  }

  // Opens a loop scope; the caller must call aliases_.pop_back() after the body.
  Result<TNode> loop(const xml::Element& e) {
    TNode n;
    n.kind = TNode::Kind::kEach;
    n.line = e.line();
    n.text = e.attrOr("in", "");
    n.alias = e.attrOr("as", "");
    auto spec = resolve(e, n.text);
    if (!spec) return std::unexpected(spec.error());
    if ((*spec)->type() != ValueSpec::Type::kList) {
      return std::unexpected(at(e, "<each> kräver en lista, men \"" + n.text + "\" är inte det"));
    }
    if (render::valueCatalog().field(n.alias)) {
      return std::unexpected(at(e, "namnet \"" + n.alias + "\" är upptaget; välj ett annat as=\"…\""));
    }
    for (const auto& a : aliases_) {
      if (a.name == n.alias) {
        return std::unexpected(at(e, "namnet \"" + n.alias + "\" används redan av en yttre <each>"));
      }
    }
    aliases_.push_back({n.alias, *spec});
    return n;
  }

  Result<void> inlines(const xml::Element& parent, std::vector<TNode>& out) {
    for (const auto& c : parent.nodes()) {
      if (c.isText()) {
        // Blanks that hold a line break between two elements are the file's
        // layout (indentation), not text; a blank on the same line is a space.
        std::string t = c.text();
        if (t.find_first_not_of(" \t\r\n") == std::string::npos && t.find('\n') != std::string::npos) {
          continue;
        }
        TNode n;
        n.kind = TNode::Kind::kText;
        n.line = c.line();
        n.text = c.text();
        out.push_back(std::move(n));
        continue;
      }
      std::string name = c.name();
      if (name == "value") {
        KANSLI_TRY(value(c, out));
      } else if (name == "em") {
        TNode n;
        n.kind = TNode::Kind::kEm;
        n.line = c.line();
        KANSLI_TRY(inlines(c, n.children));
        out.push_back(std::move(n));
      } else if (name == "if") {
        auto n = condition(c);
        if (!n) return std::unexpected(n.error());
        KANSLI_TRY(inlines(c, n->children));
        out.push_back(std::move(*n));
      } else if (name == "each") {
        auto n = loop(c);
        if (!n) return std::unexpected(n.error());
        n->separator = c.attrOr("separator", "");
        if (auto last = c.attr("last-separator")) {
          n->last_separator = *last;
          n->has_last_separator = true;
        }
        auto r = inlines(c, n->children);
        aliases_.pop_back();
        if (!r) return std::unexpected(r.error());
        out.push_back(std::move(*n));
      } else if (name == "page-number") {
        TNode n;
        n.kind = TNode::Kind::kPageNumber;
        n.line = c.line();
        std::string style = c.attrOr("style", "n (m)");
        n.page_style = style == "Sida n av m" ? doc::PageStyle::kSidaAvTotal
                       : style == "n"         ? doc::PageStyle::kNumber
                                              : doc::PageStyle::kNumberOfTotal;
        out.push_back(std::move(n));
      }
    }
    return ok();
  }

  // Children of a block container (<if>, <each>, <list>, <signatures>, <default>).
  Result<void> blocks(const xml::Element& parent, std::vector<TNode>& out) {
    for (const auto& c : parent.children()) KANSLI_TRY(block(c, out));
    return ok();
  }

  Result<void> block(const xml::Element& e, std::vector<TNode>& out) {
    std::string name = e.name();
    TNode n;
    n.line = e.line();
    if (name == "heading") {
      n.kind = TNode::Kind::kHeading;
      n.level = std::stoi(e.attrOr("level", "2"));
      if (n.level == 1) {
        if (!aliases_.empty()) {
          return std::unexpected(at(e, "rubriken på nivå 1 (titeln) får inte upprepas i <each>"));
        }
        if (in_section_default_) {
          return std::unexpected(at(e, "rubriken på nivå 1 (titeln) hör inte hemma i ett avsnitt"));
        }
        ++titles_;
      }
      KANSLI_TRY(inlines(e, n.children));
    } else if (name == "paragraph") {
      n.kind = TNode::Kind::kParagraph;
      n.format = e.attrOr("role", "");
      n.keep_with_next = e.attrOr("keep-with-next", "no") == "yes";
      KANSLI_TRY(inlines(e, n.children));
    } else if (name == "item") {
      n.kind = TNode::Kind::kItem;
      KANSLI_TRY(inlines(e, n.children));
    } else if (name == "line") {
      n.kind = TNode::Kind::kLine;
      KANSLI_TRY(inlines(e, n.children));
    } else if (name == "list") {
      n.kind = TNode::Kind::kList;
      n.ordered = e.attrOr("type", "unordered") == "ordered";
      n.bullet = e.attrOr("bullet", "");
      n.keep_with_next = e.attrOr("keep-with-next", "no") == "yes";
      KANSLI_TRY(blocks(e, n.children));
    } else if (name == "signatures") {
      n.kind = TNode::Kind::kSignatures;
      KANSLI_TRY(blocks(e, n.children));
    } else if (name == "signer") {
      n.kind = TNode::Kind::kSigner;
      KANSLI_TRY(blocks(e, n.children));
    } else if (name == "page-break") {
      n.kind = TNode::Kind::kPageBreak;
    } else if (name == "if") {
      auto c = condition(e);
      if (!c) return std::unexpected(c.error());
      n = std::move(*c);
      KANSLI_TRY(blocks(e, n.children));
    } else if (name == "each") {
      auto c = loop(e);
      if (!c) return std::unexpected(c.error());
      n = std::move(*c);
      auto r = blocks(e, n.children);
      aliases_.pop_back();
      if (!r) return std::unexpected(r.error());
    } else {
      return std::unexpected(at(e, "okänt element <" + name + ">"));
    }
    out.push_back(std::move(n));
    return ok();
  }

  Result<void> sections(const xml::Element& e, detail::TemplateAst& ast) {
    ast.has_sections = true;
    detail::SectionGroup group;
    group.level = std::stoi(e.attrOr("heading-level", "2"));
    group.upper = e.attrOr("heading-case", "as-written") == "upper";
    for (const auto& s : e.children()) {
      detail::SectionSlot slot;
      slot.line = s.line();
      slot.new_page = s.attrOr("new-page", "no") == "yes";
      if (s.name() == "others") {
        if (others_seen_) return std::unexpected(at(s, "<others/> får bara förekomma en gång i mallen"));
        others_seen_ = true;
        slot.others = true;
        group.slots.push_back(std::move(slot));
        continue;
      }
      auto kind = parseSectionKind(s.attrOr("kind", ""));
      if (!kind) return std::unexpected(at(s, "okänt avsnitt"));
      for (const auto& r : ast.rules) {
        if (r.kind == *kind) {
          return std::unexpected(at(s, "avsnittet \"" + s.attrOr("kind", "") +
                                           "\" förekommer mer än en gång i mallen"));
        }
      }
      slot.rule.kind = *kind;
      if (auto h = s.attr("heading")) {
        slot.rule.heading = trimmedText(*h);
        if (slot.rule.heading.empty()) return std::unexpected(at(s, "rubriken är tom"));
      }
      slot.rule.required = s.attrOr("required", "no") == "yes";
      slot.show_heading = s.attrOr("show-heading", "yes") == "yes";
      if (auto d = s.child("default")) {
        slot.rule.has_default = true;
        in_section_default_ = true;
        auto r = blocks(d, slot.default_blocks);
        in_section_default_ = false;
        if (!r) return std::unexpected(r.error());
      }
      ast.rules.push_back(slot.rule);
      group.slots.push_back(std::move(slot));
    }
    ast.groups.push_back(std::move(group));
    return ok();
  }

  std::string source_;
  const AssetReader& assets_;
  std::vector<Alias> aliases_;
  int titles_ = 0;
  bool in_section_default_ = false;
  bool others_seen_ = false;
};

bool validTemplateName(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              (i > 0 && (c == '-' || c == '_'));
    if (!ok) return false;
  }
  return true;
}

}  // namespace

const std::string& Template::name() const { return ast_->name; }
const std::string& Template::source() const { return ast_->source; }
const std::string& Template::lang() const { return ast_->lang; }
const std::vector<SectionRule>& Template::sections() const { return ast_->rules; }
const TemplateFiles& Template::files() const { return ast_->files; }
const std::optional<Numbering>& Template::numbering() const { return ast_->numbering; }

AssetReader assetsIn(const std::filesystem::path& dir) {
  return [dir](const std::string& file) -> Result<std::string> {
    if (file.empty() || file.find('/') != std::string::npos || file.find('\\') != std::string::npos ||
        file.find("..") != std::string::npos) {
      return std::unexpected(Error::invalid("ogiltigt filnamn \"" + file + "\""));
    }
    std::error_code ec;
    auto candidate = dir / file;
    if (!std::filesystem::is_regular_file(candidate, ec)) {
      return std::unexpected(Error::notFound("filen finns inte i " + dir.string()));
    }
    auto real = std::filesystem::canonical(candidate, ec);
    auto real_dir = std::filesystem::canonical(dir, ec);
    if (ec || real.parent_path() != real_dir) {
      return std::unexpected(Error::forbidden("filen pekar ut ur mallens katalog"));
    }
    if (std::filesystem::file_size(real, ec) > render::kMaxImageBytes || ec) {
      return std::unexpected(Error::unprocessable("filen är större än 1 MiB"));
    }
    std::ifstream in(real, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    if (!in && !in.eof()) return std::unexpected(Error::notFound("filen kan inte läsas"));
    return ss.str();
  };
}

std::filesystem::path shippedTemplatesDir() {
  if (const char* home = std::getenv("KANSLI_HOME"); home && *home) {
    return std::filesystem::path(home) / "templates";
  }
  return std::filesystem::path(KANSLI_HOME_DEFAULT) / "templates";
}

Result<std::filesystem::path> findTemplate(std::string_view name,
                                           const std::filesystem::path& override_dir,
                                           const std::filesystem::path& shipped_dir) {
  if (!validTemplateName(name)) {
    return std::unexpected(Error::invalid(
        "ogiltigt mallnamn \"" + std::string(name) +
            "\": endast a–z, 0–9, - och _ är tillåtna (inga punkter eller snedstreck)",
        {{"template", "ogiltigt mallnamn"}}));
  }
  for (const auto& dir : {override_dir, shipped_dir}) {
    if (dir.empty()) continue;
    auto candidate = dir / (std::string(name) + ".xml");
    std::error_code ec;
    if (!std::filesystem::is_regular_file(candidate, ec)) continue;
    auto real = std::filesystem::canonical(candidate, ec);
    auto real_dir = std::filesystem::canonical(dir, ec);
    if (ec || real.parent_path() != real_dir) {
      return std::unexpected(Error::forbidden("mallen \"" + std::string(name) +
                                              "\" pekar ut ur sin katalog"));
    }
    return candidate;
  }
  return std::unexpected(Error::notFound("mallen \"" + std::string(name) + "\" finns inte"));
}

Result<Template> parseTemplate(std::string_view xml_text, const std::string& name,
                               const AssetReader& assets) {
  auto doc = xml::parse(xml_text, name);
  if (!doc) return std::unexpected(doc.error());
  auto schema = render::shippedSchema("template.rng");
  if (!schema) return std::unexpected(schema.error());
  auto problems = (*schema)->validate(*doc);
  if (!problems.empty()) return std::unexpected(render::schemaError(problems, "mallen"));
  auto ast = Compiler(name, assets).compile(doc->root(), xml_text);
  if (!ast) return std::unexpected(ast.error());
  return Template(std::make_shared<const detail::TemplateAst>(std::move(*ast)));
}

Result<Template> parseTemplateFiles(const TemplateFiles& files, const std::string& name) {
  AssetReader from_files = [&files](const std::string& file) -> Result<std::string> {
    auto it = files.assets.find(file);
    if (it == files.assets.end()) return std::unexpected(Error::notFound("filen finns inte i mallens version"));
    return it->second;
  };
  return parseTemplate(files.xml, name, from_files);
}

std::string templateFilesJson(const TemplateFiles& files) {
  Poco::JSON::Object o = json::ordered();
  o.set("xml", files.xml);
  Poco::JSON::Object assets = json::ordered();
  for (const auto& [name, bytes] : files.assets) assets.set(name, text::encodeBase64(bytes));
  o.set("assets", assets);
  return jsonText(o);
}

Result<TemplateFiles> templateFilesFromJson(std::string_view json) {
  auto bad = [] { return std::unexpected(Error::internal("den sparade mallversionen kan inte läsas")); };
  try {
    Poco::JSON::Parser parser;
    auto root = parser.parse(std::string(json)).extract<Poco::JSON::Object::Ptr>();
    if (!root || !root->has("xml")) return bad();
    TemplateFiles out;
    out.xml = root->getValue<std::string>("xml");
    if (auto assets = root->getObject("assets")) {
      for (const auto& name : assets->getNames()) {
        auto bytes = text::decodeBase64(assets->getValue<std::string>(name));
        if (!bytes) return bad();
        out.assets[name] = std::move(*bytes);
      }
    }
    return out;
  } catch (const Poco::Exception&) {
    return bad();
  } catch (const std::exception&) {
    return bad();
  }
}

Result<Template> loadTemplate(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return std::unexpected(Error::notFound(file.string() + ": mallen kan inte läsas"));
  std::ostringstream ss;
  ss << in.rdbuf();
  return parseTemplate(ss.str(), file.string(), assetsIn(file.parent_path()));
}

Result<Template> loadTemplateByName(std::string_view name, const std::filesystem::path& override_dir) {
  auto path = findTemplate(name, override_dir);
  if (!path) return std::unexpected(path.error());
  return loadTemplate(*path);
}

Result<Template> cachedTemplate(std::string_view name, const std::filesystem::path& override_dir) {
  static std::mutex mu;
  static std::map<std::string, Template> loaded;
  const std::string key = override_dir.string() + "|" + std::string(name);
  {
    std::lock_guard lock(mu);
    if (auto it = loaded.find(key); it != loaded.end()) return it->second;
  }
  auto t = loadTemplateByName(name, override_dir);
  if (!t) return std::unexpected(t.error());
  std::lock_guard lock(mu);
  return loaded.emplace(key, *t).first->second;
}

namespace {
// The kept templates parsed so far, most recently used last.
struct KeptTemplates {
  struct Entry {
    std::string json;
    std::string name;
    Template tmpl;
  };
  Mutex mu;
  std::vector<Entry> entries KANSLI_GUARDED_BY(mu);
};

KeptTemplates& keptTemplates() {
  static KeptTemplates kept;
  return kept;
}
}  // namespace

Result<Template> cachedKeptTemplate(std::string_view files_json, const std::string& name) {
  KeptTemplates& kept = keptTemplates();
  {
    MutexLock lock(kept.mu);
    auto& e = kept.entries;
    for (auto it = e.begin(); it != e.end(); ++it) {
      if (it->name == name && it->json == files_json) {
        std::rotate(it, it + 1, e.end());  // now the most recently used
        return e.back().tmpl;
      }
    }
  }
  KANSLI_ASSIGN_OR_RETURN(auto files, templateFilesFromJson(files_json));
  KANSLI_ASSIGN_OR_RETURN(auto t, parseTemplateFiles(files, name));
  MutexLock lock(kept.mu);
  auto& e = kept.entries;
  // Another thread may have parsed the same one meanwhile: keep one entry.
  e.erase(std::remove_if(e.begin(), e.end(), [&](const auto& x) { return x.name == name && x.json == files_json; }),
          e.end());
  if (e.size() >= kKeptTemplateCacheSize) e.erase(e.begin());
  e.push_back({std::string(files_json), name, t});
  return t;
}

}  // namespace kansli
