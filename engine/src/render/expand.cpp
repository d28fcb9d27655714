// Template expansion: TemplateAst + Value tree (+ Memo) -> doc::Document.
#include "kansli/render.h"
#include "kansli/text.h"
#include "render/template_ast.h"
#include "render/text_util.h"

namespace kansli {
namespace {

using detail::TNode;

class Expander {
 public:
  Expander(const detail::TemplateAst& t, const Value& data, const Memo* memo)
      : t_(t), data_(data), memo_(memo) {}

  Result<doc::Document> run() {
    out_.lang = t_.lang;
    out_.kind = t_.name;
    for (const auto& f : t_.header) {
      doc::HeaderField field{f.role, {}};
      KANSLI_TRY(inlines(f.content, field.content, false));
      render::normalizeInlines(field.content);
      if (!field.content.empty()) out_.header.push_back(std::move(field));
    }
    KANSLI_TRY(blocks(t_.body, out_.body));
    for (const auto& l : t_.footer) {
      doc::Inlines line;
      KANSLI_TRY(inlines(l, line, false));
      render::normalizeInlines(line);
      if (!line.empty()) out_.footer.push_back(std::move(line));
    }
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
    if (n.format == "long-date" || n.format == "weekday-date") {
      std::string s = n.format == "long-date" ? swedishLongDate(v->str()) : swedishWeekdayDate(v->str());
      if (s.empty()) {
        return std::unexpected(at(n.line, "värdet \"" + n.text + "\" är inget datum: " + v->str()));
      }
      return s;
    }
    if (n.format == "upper") return upperSwedish(v->str());
    if (n.format == "lower") return text::lowerSv(v->str());
    return v->str();
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
          out.emplace_back(doc::Text{n.text, em});
          break;
        case TNode::Kind::kValue: {
          auto s = format(n);
          if (!s) return std::unexpected(s.error());
          // Collapsed so a value cannot carry line breaks or control characters
          // into a line of its own.
          out.emplace_back(doc::Text{render::collapseSpace(*s), em});
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
              out.emplace_back(doc::Text{last ? n.last_separator : n.separator, em});
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

  Result<void> blocks(const std::vector<TNode>& nodes, std::vector<doc::Block>& out) {
    for (const auto& n : nodes) {
      switch (n.kind) {
        case TNode::Kind::kHeading: {
          auto runs = line(n.children);
          if (!runs) return std::unexpected(runs.error());
          if (runs->empty()) return std::unexpected(at(n.line, "rubriken blev tom"));
          out.emplace_back(doc::Heading{n.level, std::move(*runs)});
          break;
        }
        case TNode::Kind::kParagraph: {
          auto runs = line(n.children);
          if (!runs) return std::unexpected(runs.error());
          if (!runs->empty()) out.emplace_back(doc::Paragraph{n.format, std::move(*runs)});
          break;
        }
        case TNode::Kind::kList: {
          doc::List list{n.ordered, {}};
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

  // ---- The memo's sections ----

  std::string headingFor(const SectionRule& rule, const MemoSection* s) const {
    std::string h = !rule.heading.empty()         ? rule.heading
                    : (s && !s->heading.empty()) ? s->heading
                                                 : std::string(defaultHeading(rule.kind));
    return t_.sections_upper ? upperSwedish(h) : h;
  }

  Result<void> sections(const TNode& n, std::vector<doc::Block>& out) {
    if (!memo_) {
      return std::unexpected(at(n.line, "mallen har <sections> men ingen tjänsteskrivelse gavs"));
    }
    std::vector<bool> used(memo_->sections.size(), false);
    auto listed = [&](SectionKind k) {
      for (const auto& r : t_.rules) {
        if (r.kind == k) return true;
      }
      return false;
    };
    for (const auto& slot : t_.slots) {
      if (slot.others) {
        for (size_t i = 0; i < memo_->sections.size(); ++i) {
          const auto& s = memo_->sections[i];
          if (s.kind != SectionKind::kOther && listed(s.kind)) continue;
          SectionRule rule;
          rule.kind = s.kind;
          KANSLI_TRY(memoSection(headingFor(rule, &s), s, out));
          used[i] = true;
        }
        continue;
      }
      const MemoSection* found = nullptr;
      for (size_t i = 0; i < memo_->sections.size(); ++i) {
        if (memo_->sections[i].kind == slot.rule.kind) {
          found = &memo_->sections[i];
          used[i] = true;
          break;
        }
      }
      if (found) {
        KANSLI_TRY(memoSection(headingFor(slot.rule, found), *found, out));
      } else if (slot.rule.has_default) {
        std::vector<doc::Block> content;
        KANSLI_TRY(blocks(slot.default_blocks, content));
        if (!content.empty()) {
          out.emplace_back(doc::Heading{t_.sections_level, {doc::Text{headingFor(slot.rule, nullptr), false}}});
          for (auto& b : content) out.push_back(std::move(b));
        } else if (slot.rule.required) {
          return std::unexpected(missing(slot.rule));
        }
      } else if (slot.rule.required) {
        return std::unexpected(missing(slot.rule));
      }
    }
    for (size_t i = 0; i < used.size(); ++i) {
      if (used[i]) continue;
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

  Result<void> memoSection(std::string heading, const MemoSection& s, std::vector<doc::Block>& out) {
    doc::Inlines h{doc::Text{std::move(heading), false}};
    render::normalizeInlines(h);
    out.emplace_back(doc::Heading{t_.sections_level, std::move(h)});
    for (const auto& b : s.blocks) {
      if (const auto* p = std::get_if<MemoParagraph>(&b)) {
        doc::Paragraph para;
        KANSLI_TRY(memoInlines(p->content, para.content));
        render::normalizeInlines(para.content);
        out.emplace_back(std::move(para));
      } else if (const auto* l = std::get_if<MemoList>(&b)) {
        doc::List list{l->ordered, {}};
        for (const auto& item : l->items) {
          doc::Inlines runs;
          KANSLI_TRY(memoInlines(item, runs));
          render::normalizeInlines(runs);
          list.items.push_back(std::move(runs));
        }
        out.emplace_back(std::move(list));
      }
    }
    return ok();
  }

  Result<std::string> documentTitle(const MemoDocRef& ref) const {
    const Value* docs = data_.find("case.documents");
    std::string n = std::to_string(ref.number);
    if (docs && docs->isList()) {
      for (const auto& d : docs->items()) {
        const Value* num = d.field("number");
        const Value* title = d.field("title");
        if (num && num->str() == n && title && title->present()) return title->str();
      }
    }
    return std::unexpected(render::errorAt(memo_->source_name, ref.line,
                                           "handling " + n + " finns inte i ärendet"));
  }

  Result<void> memoInlines(const MemoInlines& in, doc::Inlines& out) {
    for (const auto& r : in) {
      if (const auto* t = std::get_if<MemoText>(&r)) {
        out.emplace_back(doc::Text{t->text, t->emphasis});
      } else if (const auto* d = std::get_if<MemoDocRef>(&r)) {
        auto title = documentTitle(*d);
        if (!title) return std::unexpected(title.error());
        out.emplace_back(doc::Text{render::collapseSpace(*title), false});
      } else if (const auto* f = std::get_if<MemoFootnote>(&r)) {
        doc::Footnote note;
        note.number = static_cast<int>(out_.footnotes.size()) + 1;
        for (const auto& c : f->content) {
          if (const auto* ft = std::get_if<MemoText>(&c)) {
            note.content.emplace_back(doc::Text{ft->text, ft->emphasis});
          } else if (const auto* fd = std::get_if<MemoDocRef>(&c)) {
            auto title = documentTitle(*fd);
            if (!title) return std::unexpected(title.error());
            note.content.emplace_back(doc::Text{render::collapseSpace(*title), false});
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
  std::vector<std::pair<std::string, const Value*>> scope_;
  doc::Document out_;
};

}  // namespace

Result<doc::Document> expand(const Template& tmpl, const Value& data, const Memo* memo) {
  return Expander(tmpl.ast(), data, memo).run();
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
      .set("unit_name", c.unit_name)
      .set("officer_name", c.officer_name)
      .set("kind", c.kind)
      .set("kind_label", c.kind_label)
      .set("subject", c.subject)
      .set("received", c.received)
      .set("senders", std::move(senders))
      .set("documents", std::move(documents));
}

Value memoValues(const Memo& m) {
  Value sigs = Value::list();
  for (const auto& s : m.signatories) {
    sigs.push(Value::record().set("name", s.name).set("title", s.title).set("unit", s.unit));
  }
  Value v = Value::record().set("date", m.date).set("title", m.title);
  if (m.initiative) v.set("initiative", *m.initiative);
  if (m.committee) v.set("committee", *m.committee);
  v.set("signatories", std::move(sigs));
  return v;
}

Result<doc::Document> renderMemo(const Template& tmpl, const CaseFacts& c, const Memo& m) {
  Value data = Value::record().set("case", caseValues(c)).set("memo", memoValues(m));
  auto d = expand(tmpl, data, &m);
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
