// Template expansion: TemplateAst + Value tree (+ Memo) -> doc::Document.
//
// Linear in the template, the data and the output: values are looked up by
// path, a memo's <docref> by a table of the case's documents built once, and
// every run list is normalised in one pass. The output is bounded by
// RenderOptions::limits (docrefs and text bytes), and the work stops when
// RenderOptions::cancelled says the client has gone.
#include <unordered_map>

#include "kansli/render.h"
#include "kansli/text.h"
#include "render/template_ast.h"
#include "render/text_util.h"

namespace kansli {
namespace {

using detail::TNode;

class Expander {
 public:
  Expander(const detail::TemplateAst& t, const Value& data, const Memo* memo, const RenderOptions& opts)
      : t_(t), data_(data), memo_(memo), opts_(opts) {}

  Result<doc::Document> run() {
    out_.lang = t_.lang;
    out_.kind = t_.name;
    out_.layout = t_.layout;
    KANSLI_TRY(indexDocuments());
    KANSLI_TRY(band(t_.header, out_.header));
    if (t_.first_header.present) KANSLI_TRY(band(t_.first_header, out_.first_header.emplace()));
    KANSLI_TRY(blocks(t_.body, out_.body));
    KANSLI_TRY(band(t_.footer, out_.footer));
    if (t_.first_footer.present) KANSLI_TRY(band(t_.first_footer, out_.first_footer.emplace()));
    if (memo_ && !used_sections_.empty()) KANSLI_TRY(unplacedSections());
    dropUselessBreaks();
    for (const auto& b : out_.body) {
      if (const auto* h = std::get_if<doc::Heading>(&b); h && h->level == 1) {
        out_.title = doc::plainText(h->content);
        break;
      }
    }
    if (std::string problem = doc::check(out_); !problem.empty()) {
      return std::unexpected(Error::unprocessable(t_.source + ": mallen ger ett ogiltigt dokument: " + problem));
    }
    return std::move(out_);
  }

 private:
  Error at(int line, const std::string& message) const {
    return render::errorAt(t_.source, line, message);
  }

  // ---- limits and cancellation ----

  // Called for every piece of text that goes into the document.
  Result<void> grow(size_t bytes) {
    text_bytes_ += bytes;
    if (text_bytes_ > opts_.limits.max_text_bytes) {
      return std::unexpected(Error::unprocessable(
          "Dokumentet blir för stort: mer än " + std::to_string(opts_.limits.max_text_bytes / 1024) +
              " kB text med handlingarnas titlar insatta. Korta texten eller hänvisa till färre handlingar.",
          {{"memo", "dokumentet blir större än " + std::to_string(opts_.limits.max_text_bytes / 1024) +
                        " kB text"}}));
    }
    return poll();
  }

  // Called for every heading, paragraph, list item and footnote.
  Result<void> part() {
    if (++parts_ > opts_.limits.max_parts) {
      return std::unexpected(Error::unprocessable(
          "Dokumentet blir för stort: mer än " + std::to_string(opts_.limits.max_parts) +
              " rubriker, stycken, punkter och fotnoter. Dela upp tjänsteskrivelsen eller korta den.",
          {{"memo", "fler än " + std::to_string(opts_.limits.max_parts) + " delar"}}));
    }
    return poll();
  }

  Result<void> poll() {
    if (opts_.cancelled && (++steps_ & 0xFF) == 0 && opts_.cancelled()) {
      return std::unexpected(Error{ErrorCode::kCancelled, "avbrutet: klienten väntar inte längre", {}, {}});
    }
    return ok();
  }

  Result<void> text(doc::Inlines& out, std::string s, bool em) {
    KANSLI_TRY(grow(s.size()));
    out.emplace_back(doc::Text{std::move(s), em});
    return ok();
  }

  // ---- values ----

  const Value* lookup(const std::string& path) const {
    size_t dot = path.find('.');
    std::string_view first = std::string_view(path).substr(0, dot);
    for (auto it = scope_.rbegin(); it != scope_.rend(); ++it) {
      if (it->first == first) {
        if (dot == std::string::npos) return it->second;
        return it->second->find(std::string_view(path).substr(dot + 1));
      }
    }
    return data_.find(path);
  }

  Result<std::string> format(const TNode& n) const {
    const Value* v = lookup(n.text);
    if (!v || !v->present()) {
      return std::unexpected(at(n.line, "värdet \"" + n.text + "\" saknas (mallen kräver det; "
                                        "använd <if present=\"" + n.text + "\"> om det får saknas)"));
    }
    if (n.format == "names") {
      if (!v->isList()) return std::unexpected(at(n.line, "värdet \"" + n.text + "\" är inte en lista"));
      std::vector<Sender> people;
      for (const auto& item : v->items()) {
        auto get = [&](const char* k) {
          const Value* f = item.field(k);
          return f ? f->str() : std::string();
        };
        auto opt = [&](const char* k) -> std::optional<std::string> {
          std::string text = get(k);
          if (text.empty()) return std::nullopt;
          return text;
        };
        people.push_back({get("name"), opt("party"), opt("organisation")});
      }
      return joinSenders(people);
    }
    if (!v->isText()) {
      return std::unexpected(at(n.line, "värdet \"" + n.text + "\" är inte text"));
    }
    std::string s;
    if (n.format == "long-date") {
      s = swedishLongDate(v->str());
    } else if (n.format == "weekday-date") {
      s = swedishWeekdayDate(v->str());
    } else if (n.format == "year" || n.format == "yy" || n.format == "month" || n.format == "month-name" ||
               n.format == "day") {
      s = swedishDatePart(v->str(), n.format);
    } else if (n.format == "upper") {
      return upperSwedish(v->str());
    } else if (n.format == "lower") {
      return text::lowerSv(v->str());
    } else {
      return v->str();
    }
    if (s.empty()) {
      return std::unexpected(at(n.line, "värdet \"" + n.text + "\" är inget datum: " + v->str()));
    }
    return s;
  }

  bool test(const TNode& n) const {
    const Value* v = lookup(n.text);
    bool present = v && v->present();
    return n.absent ? !present : present;
  }

  // Runs `body` once per item of the list at n.text, with n.alias bound to it.
  template <class F>
  Result<void> each(const TNode& n, F&& body) {
    const Value* v = lookup(n.text);
    if (!v || !v->isList()) return ok();  // an absent list repeats nothing
    const auto& items = v->items();
    for (size_t i = 0; i < items.size(); ++i) {
      scope_.emplace_back(n.alias, &items[i]);
      auto r = body(i, items.size());
      scope_.pop_back();
      if (!r) return r;
    }
    return ok();
  }

  Result<void> inlines(const std::vector<TNode>& nodes, doc::Inlines& out, bool em) {
    for (const auto& n : nodes) {
      switch (n.kind) {
        case TNode::Kind::kText:
          KANSLI_TRY(text(out, n.text, em));
          break;
        case TNode::Kind::kValue: {
          auto s = format(n);
          if (!s) return std::unexpected(s.error());
          // Collapsed so a value cannot carry line breaks or control characters
          // into a line of its own.
          KANSLI_TRY(text(out, render::collapseSpace(*s), em));
          break;
        }
        case TNode::Kind::kEm:
          KANSLI_TRY(inlines(n.children, out, true));
          break;
        case TNode::Kind::kIf:
          if (test(n)) KANSLI_TRY(inlines(n.children, out, em));
          break;
        case TNode::Kind::kEach:
          KANSLI_TRY(each(n, [&](size_t i, size_t count) -> Result<void> {
            if (i > 0) {
              bool last = i + 1 == count && n.has_last_separator;
              if (auto r = text(out, last ? n.last_separator : n.separator, em); !r) return r;
            }
            return inlines(n.children, out, em);
          }));
          break;
        case TNode::Kind::kPageNumber:
          out.emplace_back(doc::PageNumber{n.page_style});
          break;
        default:
          return std::unexpected(at(n.line, "ett block kan inte stå i löptext"));
      }
    }
    return ok();
  }

  Result<doc::Inlines> line(const std::vector<TNode>& nodes) {
    doc::Inlines runs;
    KANSLI_TRY(inlines(nodes, runs, false));
    render::normalizeInlines(runs);
    return runs;
  }

  // ---- header and footer ----

  Result<void> band(const detail::BandT& in, doc::Band& out) {
    out.logo = in.logo;
    for (const auto& f : in.fields) {
      auto runs = line(f.content);
      if (!runs) return std::unexpected(runs.error());
      if (!runs->empty()) out.fields.push_back({f.role, std::move(*runs)});
    }
    for (const auto& row : in.rows) {
      if (!row.grid) {
        auto runs = line(row.nodes);
        if (!runs) return std::unexpected(runs.error());
        if (!runs->empty()) out.rows.emplace_back(std::move(*runs));
        continue;
      }
      doc::Grid grid;
      KANSLI_TRY(cells(row.nodes, grid.cells));
      if (!grid.cells.empty()) out.rows.emplace_back(std::move(grid));
    }
    return ok();
  }

  Result<void> cells(const std::vector<TNode>& nodes, std::vector<doc::GridCell>& out) {
    for (const auto& n : nodes) {
      if (n.kind == TNode::Kind::kCell) {
        doc::GridCell cell;
        if (!n.text.empty()) cell.label.emplace_back(doc::Text{n.text, false});
        auto value = line(n.children);
        if (!value) return std::unexpected(value.error());
        cell.value = std::move(*value);
        cell.width_percent = n.width_percent;
        out.push_back(std::move(cell));
      } else if (n.kind == TNode::Kind::kIf) {
        if (test(n)) KANSLI_TRY(cells(n.children, out));
      }
    }
    return ok();
  }

  // ---- blocks ----

  Result<void> blocks(const std::vector<TNode>& nodes, std::vector<doc::Block>& out) {
    for (const auto& n : nodes) {
      KANSLI_TRY(poll());
      switch (n.kind) {
        case TNode::Kind::kHeading: {
          KANSLI_TRY(part());
          auto runs = line(n.children);
          if (!runs) return std::unexpected(runs.error());
          if (runs->empty()) return std::unexpected(at(n.line, "rubriken blev tom"));
          out.emplace_back(doc::Heading{n.level, std::move(*runs)});
          break;
        }
        case TNode::Kind::kParagraph: {
          KANSLI_TRY(part());
          auto runs = line(n.children);
          if (!runs) return std::unexpected(runs.error());
          if (!runs->empty()) out.emplace_back(doc::Paragraph{n.format, std::move(*runs), n.keep_with_next});
          break;
        }
        case TNode::Kind::kList: {
          doc::List list{n.ordered, {}, n.bullet, n.keep_with_next};
          KANSLI_TRY(listItems(n.children, list.items));
          if (!list.items.empty()) out.emplace_back(std::move(list));
          break;
        }
        case TNode::Kind::kSignatures: {
          doc::Signatures sigs;
          KANSLI_TRY(signers(n.children, sigs.signers));
          if (!sigs.signers.empty()) out.emplace_back(std::move(sigs));
          break;
        }
        case TNode::Kind::kPageBreak:
          out.emplace_back(doc::PageBreak{});
          break;
        case TNode::Kind::kIf:
          if (test(n)) KANSLI_TRY(blocks(n.children, out));
          break;
        case TNode::Kind::kEach:
          KANSLI_TRY(each(n, [&](size_t, size_t) { return blocks(n.children, out); }));
          break;
        case TNode::Kind::kSections:
          KANSLI_TRY(sections(n, out));
          break;
        default:
          return std::unexpected(at(n.line, "löptext kan inte stå här"));
      }
    }
    return ok();
  }

  Result<void> listItems(const std::vector<TNode>& nodes, std::vector<doc::Inlines>& out) {
    for (const auto& n : nodes) {
      if (n.kind == TNode::Kind::kItem) {
        KANSLI_TRY(part());
        auto runs = line(n.children);
        if (!runs) return std::unexpected(runs.error());
        if (!runs->empty()) out.push_back(std::move(*runs));
      } else if (n.kind == TNode::Kind::kIf) {
        if (test(n)) KANSLI_TRY(listItems(n.children, out));
      } else if (n.kind == TNode::Kind::kEach) {
        KANSLI_TRY(each(n, [&](size_t, size_t) { return listItems(n.children, out); }));
      }
    }
    return ok();
  }

  Result<void> signers(const std::vector<TNode>& nodes, std::vector<doc::Signer>& out) {
    for (const auto& n : nodes) {
      if (n.kind == TNode::Kind::kSigner) {
        doc::Signer signer;
        KANSLI_TRY(signerLines(n.children, signer.lines));
        if (!signer.lines.empty()) out.push_back(std::move(signer));
      } else if (n.kind == TNode::Kind::kIf) {
        if (test(n)) KANSLI_TRY(signers(n.children, out));
      } else if (n.kind == TNode::Kind::kEach) {
        KANSLI_TRY(each(n, [&](size_t, size_t) { return signers(n.children, out); }));
      }
    }
    return ok();
  }

  Result<void> signerLines(const std::vector<TNode>& nodes, std::vector<doc::Inlines>& out) {
    for (const auto& n : nodes) {
      if (n.kind == TNode::Kind::kLine) {
        auto runs = line(n.children);
        if (!runs) return std::unexpected(runs.error());
        if (!runs->empty()) out.push_back(std::move(*runs));
      } else if (n.kind == TNode::Kind::kIf) {
        if (test(n)) KANSLI_TRY(signerLines(n.children, out));
      }
    }
    return ok();
  }

  // A break at the start, after another break or before nothing gives no page.
  void dropUselessBreaks() {
    std::vector<doc::Block> kept;
    kept.reserve(out_.body.size());
    for (auto& b : out_.body) {
      if (std::holds_alternative<doc::PageBreak>(b) &&
          (kept.empty() || std::holds_alternative<doc::PageBreak>(kept.back()))) {
        continue;
      }
      kept.push_back(std::move(b));
    }
    while (!kept.empty() && std::holds_alternative<doc::PageBreak>(kept.back())) kept.pop_back();
    out_.body = std::move(kept);
  }

  // ---- The memo's sections ----

  std::string headingFor(const detail::SectionGroup& g, const SectionRule& rule, const MemoSection* s) const {
    std::string h = !rule.heading.empty()         ? rule.heading
                    : (s && !s->heading.empty()) ? s->heading
                                                 : std::string(defaultHeading(rule.kind));
    return g.upper ? upperSwedish(h) : h;
  }

  bool listed(SectionKind k) const {
    for (const auto& r : t_.rules) {
      if (r.kind == k) return true;
    }
    return false;
  }

  Result<void> sections(const TNode& n, std::vector<doc::Block>& out) {
    if (!memo_) {
      return std::unexpected(at(n.line, "mallen har <sections> men ingen tjänsteskrivelse gavs"));
    }
    if (used_sections_.empty()) used_sections_.assign(memo_->sections.size() + 1, false);
    const auto& group = t_.groups[static_cast<size_t>(n.level)];
    for (const auto& slot : group.slots) {
      if (slot.others) {
        for (size_t i = 0; i < memo_->sections.size(); ++i) {
          const auto& s = memo_->sections[i];
          if (s.kind != SectionKind::kOther && listed(s.kind)) continue;
          if (slot.new_page) out.emplace_back(doc::PageBreak{});
          SectionRule rule;
          rule.kind = s.kind;
          // A section of kind "other" without a heading is shown without one.
          const bool shown = !(s.kind == SectionKind::kOther && s.heading.empty());
          KANSLI_TRY(memoSection(group, shown ? headingFor(group, rule, &s) : std::string(), s, out));
          used_sections_[i] = true;
        }
        continue;
      }
      const MemoSection* found = nullptr;
      for (size_t i = 0; i < memo_->sections.size(); ++i) {
        if (memo_->sections[i].kind == slot.rule.kind) {
          found = &memo_->sections[i];
          used_sections_[i] = true;
          break;
        }
      }
      if (found) {
        if (slot.new_page) out.emplace_back(doc::PageBreak{});
        KANSLI_TRY(memoSection(group, slot.show_heading ? headingFor(group, slot.rule, found) : std::string(),
                               *found, out));
      } else if (slot.rule.has_default) {
        std::vector<doc::Block> content;
        KANSLI_TRY(blocks(slot.default_blocks, content));
        if (!content.empty()) {
          if (slot.new_page) out.emplace_back(doc::PageBreak{});
          if (slot.show_heading) {
            out.emplace_back(doc::Heading{group.level, {doc::Text{headingFor(group, slot.rule, nullptr), false}}});
          }
          for (auto& b : content) out.push_back(std::move(b));
        } else if (slot.rule.required) {
          return std::unexpected(missing(slot.rule));
        }
      } else if (slot.rule.required) {
        return std::unexpected(missing(slot.rule));
      }
    }
    return ok();
  }

  // After every <sections> group: each memo section must have found a place.
  Result<void> unplacedSections() const {
    for (size_t i = 0; i < memo_->sections.size(); ++i) {
      if (used_sections_[i]) continue;
      const auto& s = memo_->sections[i];
      std::string h = s.heading.empty() ? std::string(defaultHeading(s.kind)) : s.heading;
      return std::unexpected(render::errorAt(
          memo_->source_name, s.line,
          "avsnittet \"" + h + "\" (" + std::string(sectionKindName(s.kind)) +
              ") har ingen plats i mallen " + t_.name));
    }
    return ok();
  }

  Error missing(const SectionRule& rule) const {
    std::string h = rule.heading.empty() ? std::string(defaultHeading(rule.kind)) : rule.heading;
    return Error::unprocessable(
        "Avsnittet \"" + h + "\" (" + std::string(sectionKindName(rule.kind)) +
            ") saknas i tjänsteskrivelsen men krävs av mallen " + t_.name,
        {{"sections." + std::string(sectionKindName(rule.kind)), "avsnittet \"" + h + "\" saknas"}});
  }

  // `heading` empty: the section is shown without one.
  Result<void> memoSection(const detail::SectionGroup& group, std::string heading, const MemoSection& s,
                           std::vector<doc::Block>& out) {
    if (!heading.empty()) {
      KANSLI_TRY(part());
      doc::Inlines h;
      KANSLI_TRY(text(h, std::move(heading), false));
      render::normalizeInlines(h);
      out.emplace_back(doc::Heading{group.level, std::move(h)});
    }
    for (const auto& b : s.blocks) {
      KANSLI_TRY(part());
      if (const auto* p = std::get_if<MemoParagraph>(&b)) {
        doc::Paragraph para;
        KANSLI_TRY(memoInlines(p->content, para.content));
        render::normalizeInlines(para.content);
        out.emplace_back(std::move(para));
      } else if (const auto* l = std::get_if<MemoList>(&b)) {
        doc::List list{l->ordered, {}, {}, false};
        for (const auto& item : l->items) {
          KANSLI_TRY(part());
          doc::Inlines runs;
          KANSLI_TRY(memoInlines(item, runs));
          render::normalizeInlines(runs);
          list.items.push_back(std::move(runs));
        }
        out.emplace_back(std::move(list));
      } else if (const auto* sub = std::get_if<MemoSubheading>(&b)) {
        doc::Inlines h;
        KANSLI_TRY(text(h, sub->text, false));
        render::normalizeInlines(h);
        // One level below the section's heading; a section without one gets
        // the level its heading would have had, so the outline stays whole.
        out.emplace_back(doc::Heading{heading.empty() ? group.level : group.level + 1, std::move(h)});
      }
    }
    return ok();
  }

  // The case's documents by number, once: a <docref> is then one lookup.
  Result<void> indexDocuments() {
    const Value* docs = data_.find("case.documents");
    if (!docs || !docs->isList()) return ok();
    for (const auto& d : docs->items()) {
      const Value* num = d.field("number");
      const Value* title = d.field("title");
      if (num && title && title->present()) titles_.emplace(num->str(), render::collapseSpace(title->str()));
    }
    return ok();
  }

  Result<std::string> documentTitle(const MemoDocRef& ref) {
    if (++docrefs_ > opts_.limits.max_docrefs) {
      return std::unexpected(render::errorAt(
          memo_->source_name, ref.line,
          "för många hänvisningar till handlingar (<docref>): högst " +
              std::to_string(opts_.limits.max_docrefs) + " i en tjänsteskrivelse"));
    }
    std::string n = std::to_string(ref.number);
    auto it = titles_.find(n);
    if (it == titles_.end()) {
      return std::unexpected(render::errorAt(memo_->source_name, ref.line,
                                             "handling " + n + " finns inte i ärendet"));
    }
    return it->second;
  }

  Result<void> memoInlines(const MemoInlines& in, doc::Inlines& out) {
    for (const auto& r : in) {
      if (const auto* t = std::get_if<MemoText>(&r)) {
        KANSLI_TRY(text(out, t->text, t->emphasis));
      } else if (const auto* d = std::get_if<MemoDocRef>(&r)) {
        auto title = documentTitle(*d);
        if (!title) return std::unexpected(title.error());
        KANSLI_TRY(text(out, std::move(*title), false));
      } else if (const auto* f = std::get_if<MemoFootnote>(&r)) {
        KANSLI_TRY(part());
        doc::Footnote note;
        note.number = static_cast<int>(out_.footnotes.size()) + 1;
        for (const auto& c : f->content) {
          if (const auto* ft = std::get_if<MemoText>(&c)) {
            KANSLI_TRY(text(note.content, ft->text, ft->emphasis));
          } else if (const auto* fd = std::get_if<MemoDocRef>(&c)) {
            auto title = documentTitle(*fd);
            if (!title) return std::unexpected(title.error());
            KANSLI_TRY(text(note.content, std::move(*title), false));
          }
        }
        render::normalizeInlines(note.content);
        out.emplace_back(doc::FootnoteRef{note.number});
        out_.footnotes.push_back(std::move(note));
      }
    }
    return ok();
  }

  const detail::TemplateAst& t_;
  const Value& data_;
  const Memo* memo_;
  const RenderOptions& opts_;
  std::vector<std::pair<std::string, const Value*>> scope_;
  std::unordered_map<std::string, std::string> titles_;
  std::vector<bool> used_sections_;  // per memo section, once a <sections> ran
  size_t docrefs_ = 0;
  size_t text_bytes_ = 0;
  size_t parts_ = 0;
  unsigned steps_ = 0;
  doc::Document out_;
};

}  // namespace

Result<doc::Document> expand(const Template& tmpl, const Value& data, const Memo* memo,
                             const RenderOptions& opts) {
  return Expander(tmpl.ast(), data, memo, opts).run();
}

Result<void> checkMemoSections(const Template& tmpl, const Memo& memo) {
  const auto& ast = tmpl.ast();
  std::vector<bool> used(memo.sections.size(), false);
  bool others = false;
  for (const auto& group : ast.groups) {
    for (const auto& slot : group.slots) {
      if (slot.others) {
        others = true;
        continue;
      }
      bool found = false;
      for (size_t i = 0; i < memo.sections.size(); ++i) {
        if (memo.sections[i].kind == slot.rule.kind) {
          used[i] = true;
          found = true;
          break;
        }
      }
      if (!found && slot.rule.required && !slot.rule.has_default) {
        std::string h = slot.rule.heading.empty() ? std::string(defaultHeading(slot.rule.kind)) : slot.rule.heading;
        return std::unexpected(Error::unprocessable(
            "Avsnittet \"" + h + "\" (" + std::string(sectionKindName(slot.rule.kind)) +
                ") saknas i tjänsteskrivelsen men krävs av mallen " + ast.name,
            {{"sections." + std::string(sectionKindName(slot.rule.kind)), "avsnittet \"" + h + "\" saknas"}}));
      }
    }
  }
  for (size_t i = 0; i < memo.sections.size(); ++i) {
    if (used[i] || others) continue;
    const auto& s = memo.sections[i];
    std::string h = s.heading.empty() ? std::string(defaultHeading(s.kind)) : s.heading;
    return std::unexpected(render::errorAt(memo.source_name, s.line,
                                           "avsnittet \"" + h + "\" (" + std::string(sectionKindName(s.kind)) +
                                               ") har ingen plats i mallen " + ast.name));
  }
  if (!ast.has_sections && !memo.sections.empty()) {
    return std::unexpected(Error::unprocessable("mallen " + ast.name + " har ingen plats för tjänsteskrivelsens avsnitt"));
  }
  return ok();
}

Value caseValues(const CaseFacts& c) {
  Value senders = Value::list();
  for (const auto& s : c.senders) {
    senders.push(Value::record().set("name", s.name).set("party", s.party.value_or("")).set("organisation", s.organisation.value_or("")));
  }
  Value documents = Value::list();
  for (const auto& d : c.documents) {
    documents.push(Value::record()
                       .set("number", std::to_string(d.number))
                       .set("title", d.title)
                       .set("date", d.date));
  }
  return Value::record()
      .set("dnr", c.dnr)
      .set("dnr_label", c.dnr_label)
      .set("committee_id", c.committee_id)
      .set("committee_name", c.committee_name)
      .set("administration_name", c.administration_name)
      .set("unit_name", c.unit_name)
      .set("officer_name", c.officer_name)
      .set("officer_title", c.officer_title)
      .set("officer_email", c.officer_email)
      .set("officer_phone", c.officer_phone)
      .set("kind", c.kind)
      .set("kind_label", c.kind_label)
      .set("subject", c.subject)
      .set("received", c.received)
      .set("senders", std::move(senders))
      .set("documents", std::move(documents));
}

Value orgValues(const OrgFacts& o) {
  const Contact& c = o.contact;
  return Value::record()
      .set("name", o.name)
      .set("postal_address", c.postal_address)
      .set("visiting_address", c.visiting_address)
      .set("invoice_address", c.invoice_address)
      .set("phone", c.phone)
      .set("fax", c.fax)
      .set("email", c.email)
      .set("web", c.web)
      .set("org_number", c.org_number)
      .set("bankgiro", c.bankgiro)
      .set("plusgiro", c.plusgiro);
}

OrgFacts orgFactsOf(const Organisation& org) { return {org.name, org.contact}; }

Value memoValues(const Memo& m, const std::string& number) {
  Value sigs = Value::list();
  for (const auto& s : m.signatories) {
    sigs.push(Value::record().set("name", s.name).set("title", s.title).set("unit", s.unit));
  }
  Value send_to = Value::list();
  for (const auto& r : m.send_to) send_to.push(Value::record().set("name", r));
  Value v = Value::record().set("date", m.date).set("title", m.title);
  if (m.initiative) v.set("initiative", *m.initiative);
  if (m.committee) v.set("committee", *m.committee);
  if (!number.empty()) v.set("number", number);
  v.set("signatories", std::move(sigs));
  v.set("send_to", std::move(send_to));
  return v;
}

Result<doc::Document> renderMemo(const Template& tmpl, const CaseFacts& c, const Memo& m,
                                 const RenderOptions& opts) {
  Value data = Value::record()
                   .set("case", caseValues(c))
                   .set("org", orgValues(c.org))
                   .set("memo", memoValues(m, opts.memo_number));
  auto d = expand(tmpl, data, &m, opts);
  if (!d) return d;
  d->meta.date = m.date;
  d->meta.reference = c.dnr;
  d->meta.author = !c.unit_name.empty() ? c.unit_name : c.committee_name;
  d->meta.subject = !c.subject.empty() ? c.subject : m.title;
  for (const std::string* k : {&c.dnr, &c.kind_label, &c.committee_name}) {
    if (!k->empty()) d->meta.keywords.push_back(*k);
  }
  return d;
}

}  // namespace kansli
