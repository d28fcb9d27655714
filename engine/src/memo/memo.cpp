#include "kansli/memo.h"

#include <array>
#include <charconv>
#include <chrono>

#include "kansli/clock.h"
#include "render/text_util.h"
#include "xml/xml.h"

namespace kansli {
namespace {

struct KindName {
  SectionKind kind;
  std::string_view name;
  std::string_view heading;
};

constexpr std::array<KindName, 9> kKinds = {{
    {SectionKind::kProposal, "proposal", "Förslag till beslut"},
    {SectionKind::kSummary, "summary", "Sammanfattning av ärendet"},
    {SectionKind::kBackground, "background", "Bakgrund"},
    {SectionKind::kProposalsInInitiative, "proposals-in-initiative", "Förslagen i initiativet"},
    {SectionKind::kInvestigation, "investigation", "Utredning och bedömning"},
    {SectionKind::kEconomy, "economy", "Ekonomiska konsekvenser"},
    {SectionKind::kChildImpact, "child-impact", "Konsekvenser för barn"},
    {SectionKind::kDocuments, "documents", "Handlingar i ärendet"},
    {SectionKind::kOther, "other", "Övrigt"},
}};

// Builds a Memo from a schema-valid document; checks what the schema cannot.
class MemoReader {
 public:
  explicit MemoReader(std::string name) : name_(std::move(name)) {}

  Result<Memo> read(const xml::Element& root) {
    Memo m;
    m.source_name = name_;
    m.template_name = root.attrOr("template", "");
    xml::Element meta = root.child("meta");
    xml::Element date = meta.child("date");
    m.date = trimmed(date.text());
    std::chrono::year_month_day ymd;
    if (!parseDate(m.date, ymd)) {
      return std::unexpected(render::errorAt(name_, date.line(), "datumet " + m.date + " finns inte"));
    }
    m.title = trimmed(meta.child("title").text());
    if (auto e = meta.child("initiative")) m.initiative = trimmed(e.text());
    if (auto e = meta.child("committee")) m.committee = trimmed(e.text());

    for (const auto& s : root.children("section")) {
      MemoSection section;
      section.line = s.line();
      section.kind = parseSectionKind(s.attrOr("kind", "other")).value_or(SectionKind::kOther);
      if (auto h = s.child("heading")) section.heading = trimmed(h.text());
      if (section.kind != SectionKind::kOther && m.section(section.kind)) {
        return std::unexpected(render::errorAt(
            name_, s.line(),
            "avsnittet av slaget \"" + std::string(sectionKindName(section.kind)) +
                "\" förekommer mer än en gång"));
      }
      for (const auto& b : s.children()) {
        if (b.name() == "p") {
          MemoParagraph p;
          p.line = b.line();
          KANSLI_TRY(inlines(b, p.content));
          if (p.content.empty()) {
            return std::unexpected(render::errorAt(name_, b.line(), "stycket är tomt"));
          }
          section.blocks.emplace_back(std::move(p));
        } else if (b.name() == "list") {
          MemoList l;
          l.line = b.line();
          l.ordered = b.attrOr("type", "unordered") == "ordered";
          for (const auto& item : b.children("item")) {
            MemoInlines content;
            KANSLI_TRY(inlines(item, content));
            if (content.empty()) {
              return std::unexpected(render::errorAt(name_, item.line(), "punkten är tom"));
            }
            l.items.push_back(std::move(content));
          }
          section.blocks.emplace_back(std::move(l));
        } else if (b.name() == "subheading") {
          section.blocks.emplace_back(MemoSubheading{trimmed(b.text()), b.line()});
        }
      }
      m.sections.push_back(std::move(section));
    }
    if (auto sigs = root.child("signatories")) {
      for (const auto& s : sigs.children("signatory")) {
        m.signatories.push_back({trimmed(s.child("name").text()), trimmed(s.child("title").text()),
                                 trimmed(s.child("unit").text())});
      }
    }
    if (auto to = root.child("send-to")) {
      for (const auto& r : to.children("recipient")) m.send_to.push_back(trimmed(r.text()));
    }
    return m;
  }

 private:
  static std::string trimmed(const std::string& s) {
    std::string c = render::collapseSpace(s);
    size_t a = c.find_first_not_of(' ');
    if (a == std::string::npos) return {};
    size_t b = c.find_last_not_of(' ');
    return c.substr(a, b - a + 1);
  }

  Result<MemoDocRef> docref(const xml::Element& e) {
    std::string n = e.attrOr("n", "");
    int value = 0;
    auto [ptr, ec] = std::from_chars(n.data(), n.data() + n.size(), value);
    if (ec != std::errc() || ptr != n.data() + n.size() || value < 1) {
      return std::unexpected(render::errorAt(name_, e.line(), "ogiltigt handlingsnummer " + n));
    }
    return MemoDocRef{value, e.line()};
  }

  // Footnote content: text, emphasis and document references.
  Result<void> footnoteInlines(const xml::Element& parent, std::vector<FootnoteInline>& out) {
    for (const auto& n : parent.nodes()) {
      if (n.isText()) {
        out.emplace_back(MemoText{render::collapseSpace(n.text()), false});
      } else if (n.name() == "em") {
        out.emplace_back(MemoText{render::collapseSpace(n.text()), true});
      } else if (n.name() == "docref") {
        auto r = docref(n);
        if (!r) return std::unexpected(r.error());
        out.emplace_back(*r);
      }
    }
    return ok();
  }

  Result<void> inlines(const xml::Element& parent, MemoInlines& out) {
    for (const auto& n : parent.nodes()) {
      if (n.isText()) {
        out.emplace_back(MemoText{render::collapseSpace(n.text()), false});
      } else if (n.name() == "em") {
        out.emplace_back(MemoText{render::collapseSpace(n.text()), true});
      } else if (n.name() == "docref") {
        auto r = docref(n);
        if (!r) return std::unexpected(r.error());
        out.emplace_back(*r);
      } else if (n.name() == "footnote") {
        MemoFootnote f;
        f.line = n.line();
        KANSLI_TRY(footnoteInlines(n, f.content));
        bool has_text = false;
        for (const auto& c : f.content) {
          if (const auto* t = std::get_if<MemoText>(&c)) {
            has_text |= t->text.find_first_not_of(' ') != std::string::npos;
          } else {
            has_text = true;
          }
        }
        if (!has_text) return std::unexpected(render::errorAt(name_, n.line(), "fotnoten är tom"));
        out.emplace_back(std::move(f));
      }
    }
    // A paragraph of only blanks is empty.
    bool has_content = false;
    for (const auto& c : out) {
      if (const auto* t = std::get_if<MemoText>(&c)) {
        has_content |= t->text.find_first_not_of(' ') != std::string::npos;
      } else {
        has_content = true;
      }
    }
    if (!has_content) out.clear();
    return ok();
  }

  std::string name_;
};

}  // namespace

std::string_view sectionKindName(SectionKind k) {
  for (const auto& kn : kKinds) {
    if (kn.kind == k) return kn.name;
  }
  return "other";
}

std::optional<SectionKind> parseSectionKind(std::string_view name) {
  for (const auto& kn : kKinds) {
    if (kn.name == name) return kn.kind;
  }
  return std::nullopt;
}

std::string_view defaultHeading(SectionKind k) {
  for (const auto& kn : kKinds) {
    if (kn.kind == k) return kn.heading;
  }
  return "Övrigt";
}

const MemoSection* Memo::section(SectionKind k) const {
  for (const auto& s : sections) {
    if (s.kind == k) return &s;
  }
  return nullptr;
}

Result<Memo> parseMemo(std::string_view xml, const std::string& name) {
  auto doc = xml::parse(xml, name);
  if (!doc) return std::unexpected(doc.error());
  auto schema = render::shippedSchema("memo.rng");
  if (!schema) return std::unexpected(schema.error());
  auto problems = (*schema)->validate(*doc);
  if (!problems.empty()) return std::unexpected(render::schemaError(problems, "tjänsteskrivelsen"));
  return MemoReader(name).read(doc->root());
}

}  // namespace kansli
