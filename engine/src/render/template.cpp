// Loading templates: find by name, parse, validate against template.rng, and
// compile into a TemplateAst with every value name checked against the catalogue.
#include <cstdlib>
#include <fstream>
#include <sstream>

#include <map>
#include <mutex>

#include "kansli/render.h"
#include "render/catalog.h"
#include "render/template_ast.h"
#include "render/text_util.h"
#include "xml/xml.h"

#ifndef KANSLI_HOME_DEFAULT
#define KANSLI_HOME_DEFAULT "."
#endif

namespace kansli {
namespace {

using detail::TNode;
using render::ValueSpec;

class Compiler {
 public:
  explicit Compiler(std::string source) : source_(std::move(source)) {}

  Result<detail::TemplateAst> compile(const xml::Element& root) {
    detail::TemplateAst ast;
    ast.source = source_;
    ast.name = root.attrOr("name", "");
    ast.lang = root.attrOr("lang", "sv");
    if (auto header = root.child("header")) {
      for (const auto& f : header.children("field")) {
        detail::HeaderFieldT field;
        field.role = f.attrOr("role", "other");
        KANSLI_TRY(inlines(f, field.content));
        ast.header.push_back(std::move(field));
      }
    }
    if (auto footer = root.child("footer")) {
      for (const auto& l : footer.children("line")) {
        std::vector<TNode> line;
        KANSLI_TRY(inlines(l, line));
        ast.footer.push_back(std::move(line));
      }
    }
    xml::Element body = root.child("body");
    for (const auto& b : body.children()) {
      if (b.name() == "sections") {
        KANSLI_TRY(sections(b, ast));
        TNode n;
        n.kind = TNode::Kind::kSections;
        n.line = b.line();
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
    } else if ((n.format == "long-date" || n.format == "weekday-date") && type != T::kDate) {
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
      KANSLI_TRY(blocks(e, n.children));
    } else if (name == "signatures") {
      n.kind = TNode::Kind::kSignatures;
      KANSLI_TRY(blocks(e, n.children));
    } else if (name == "signer") {
      n.kind = TNode::Kind::kSigner;
      KANSLI_TRY(blocks(e, n.children));
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
    ast.sections_level = std::stoi(e.attrOr("heading-level", "2"));
    ast.sections_upper = e.attrOr("heading-case", "as-written") == "upper";
    bool others = false;
    for (const auto& s : e.children()) {
      detail::SectionSlot slot;
      slot.line = s.line();
      if (s.name() == "others") {
        if (others) return std::unexpected(at(s, "<others/> får bara förekomma en gång"));
        others = true;
        slot.others = true;
        ast.slots.push_back(std::move(slot));
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
        slot.rule.heading = render::collapseSpace(*h);
        size_t a = slot.rule.heading.find_first_not_of(' ');
        size_t b = slot.rule.heading.find_last_not_of(' ');
        slot.rule.heading = a == std::string::npos ? "" : slot.rule.heading.substr(a, b - a + 1);
        if (slot.rule.heading.empty()) return std::unexpected(at(s, "rubriken är tom"));
      }
      slot.rule.required = s.attrOr("required", "no") == "yes";
      if (auto d = s.child("default")) {
        slot.rule.has_default = true;
        in_section_default_ = true;
        auto r = blocks(d, slot.default_blocks);
        in_section_default_ = false;
        if (!r) return std::unexpected(r.error());
      }
      ast.rules.push_back(slot.rule);
      ast.slots.push_back(std::move(slot));
    }
    return ok();
  }

  std::string source_;
  std::vector<Alias> aliases_;
  int titles_ = 0;
  bool in_section_default_ = false;
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

Result<Template> parseTemplate(std::string_view xml_text, const std::string& name) {
  auto doc = xml::parse(xml_text, name);
  if (!doc) return std::unexpected(doc.error());
  auto schema = render::shippedSchema("template.rng");
  if (!schema) return std::unexpected(schema.error());
  auto problems = (*schema)->validate(*doc);
  if (!problems.empty()) return std::unexpected(render::schemaError(problems, "mallen"));
  auto ast = Compiler(name).compile(doc->root());
  if (!ast) return std::unexpected(ast.error());
  return Template(std::make_shared<const detail::TemplateAst>(std::move(*ast)));
}

Result<Template> loadTemplate(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return std::unexpected(Error::notFound(file.string() + ": mallen kan inte läsas"));
  std::ostringstream ss;
  ss << in.rdbuf();
  return parseTemplate(ss.str(), file.string());
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

}  // namespace kansli
