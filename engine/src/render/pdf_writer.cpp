// The PDF writer: pango lays the tree out in lines, a small paginator puts the
// lines on A4 pages with their footnotes, cairo draws them.
//
// Pass 1 lays out every block at the text width and cuts it into items (a line
// of text, or a row of signatures) with "keep with next" marks: heading lines
// and the first line of what follows, a paragraph's first two and last two
// lines (no orphans, no widows), all rows of the signature block. The
// paginator places chains of kept items whole, with the footnotes their lines
// cite at the foot of the same page. Pass 2 knows the page count and draws each
// page: running header with "1 (2)", body lines, footnotes, footer, links from
// each footnote mark to its note and back.
#include <cairo-pdf.h>
#include <cairo.h>
#include <glib.h>
#include <pango/pangocairo.h>

#include <cmath>
#include <cstdio>
#include <map>
#include <memory>
#include <set>
#include <unordered_map>

#include "kansli/writers.h"
#include "render/paged.h"

namespace kansli {
namespace {

// ---- RAII for the C libraries ------------------------------------------------

struct GObjectUnref {
  void operator()(void* p) const { g_object_unref(p); }
};
template <class T>
using GPtr = std::unique_ptr<T, GObjectUnref>;

struct CairoDestroy {
  void operator()(cairo_t* c) const { cairo_destroy(c); }
  void operator()(cairo_surface_t* s) const { cairo_surface_destroy(s); }
};
using CairoPtr = std::unique_ptr<cairo_t, CairoDestroy>;
using SurfacePtr = std::unique_ptr<cairo_surface_t, CairoDestroy>;

struct FontDescFree {
  void operator()(PangoFontDescription* f) const { pango_font_description_free(f); }
};
using FontDescPtr = std::unique_ptr<PangoFontDescription, FontDescFree>;

struct AttrListUnref {
  void operator()(PangoAttrList* a) const { pango_attr_list_unref(a); }
};
using AttrListPtr = std::unique_ptr<PangoAttrList, AttrListUnref>;

cairo_status_t appendToString(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

double pu(int pango_units) { return static_cast<double>(pango_units) / PANGO_SCALE; }
int toPango(double points) { return static_cast<int>(std::lround(points * PANGO_SCALE)); }

std::string superscript(int n) {
  static const char* kDigits[] = {"⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"};
  std::string out;
  for (char c : std::to_string(n)) out += kDigits[c - '0'];
  return out;
}

// ---- Fonts: what can be shown -------------------------------------------------

// Replaces every character that no installed font can show with a visible
// "[U+XXXX]" (pango would draw an anonymous box that text extraction loses),
// and invalid UTF-8 with U+FFFD. Format characters (joiners, variation
// selectors) need no glyph and pass through.
class Coverage {
 public:
  Coverage(PangoContext* ctx, const PangoFontDescription* desc) {
    fontset_.reset(pango_context_load_fontset(ctx, desc, pango_language_from_string("sv")));
  }

  std::string visible(std::string_view in) {
    std::string out;
    const char* p = in.data();
    const char* end = in.data() + in.size();
    while (p < end) {
      gunichar c = g_utf8_get_char_validated(p, end - p);
      if (c == static_cast<gunichar>(-1) || c == static_cast<gunichar>(-2)) {
        out += "\xEF\xBF\xBD";  // U+FFFD
        ++p;
        continue;
      }
      const char* next = g_utf8_next_char(p);
      if (shows(c)) {
        out.append(p, next);
      } else {
        char buf[16];
        std::snprintf(buf, sizeof buf, "[U+%04X]", static_cast<unsigned>(c));
        out += buf;
      }
      p = next;
    }
    return out;
  }

 private:
  bool shows(gunichar c) {
    if (c < 0x80) return true;
    GUnicodeType t = g_unichar_type(c);
    if (t == G_UNICODE_FORMAT || t == G_UNICODE_CONTROL || g_unichar_iszerowidth(c) ||
        (c >= 0xFE00 && c <= 0xFE0F) || (c >= 0xE0100 && c <= 0xE01EF)) {
      return true;
    }
    auto it = cache_.find(c);
    if (it != cache_.end()) return it->second;
    bool has = false;
    if (fontset_) {
      GPtr<PangoFont> font(pango_fontset_get_font(fontset_.get(), c));
      has = font && pango_font_has_char(font.get(), c);
    }
    cache_.emplace(c, has);
    return has;
  }

  GPtr<PangoFontset> fontset_;
  std::unordered_map<gunichar, bool> cache_;
};

// ---- Laid-out text --------------------------------------------------------------

struct NoteMark {
  int number = 0;
  int start = 0;  // byte range of the superscript in the layout's text
  int end = 0;
};

// A pango layout and where its footnote marks are.
struct Text {
  GPtr<PangoLayout> layout;
  std::vector<NoteMark> marks;
  struct LineBox {
    double top = 0, height = 0, baseline = 0, x = 0;
  };
  std::vector<LineBox> lines;
};

struct Font {
  std::string family;
  double size = 11;
  bool bold = false;
  bool italic = false;
};

// One thing the paginator places: a line of a Text, or whole Texts side by side.
struct Item {
  const Text* text = nullptr;  // a line of this text...
  int line = 0;
  std::vector<std::pair<const Text*, double>> boxes;  // ...or these, at x offsets
  double x = 0;        // from the left margin
  double height = 0;
  double space_before = 0;
  bool keep_with_next = false;
  std::vector<int> notes;  // footnotes cited on this line
};

struct Placed {
  const Item* item;
  double y;  // top, in points from the page's top edge
};

struct Page {
  std::vector<Placed> body;
  std::vector<const Item*> notes;  // footnote lines at the foot
  double used = 0;                 // body height used so far
  double notes_height = 0;
};

class PdfWriter {
 public:
  PdfWriter(const doc::Document& d, const Layout& l) : d_(d), l_(l) {
    page_w_ = l.page_width_mm * render::kPointsPerMm;
    page_h_ = l.page_height_mm * render::kPointsPerMm;
    left_ = l.margin_left_mm * render::kPointsPerMm;
    width_ = page_w_ - left_ - l.margin_right_mm * render::kPointsPerMm;
    body_size_ = l.body_size_pt;
    header_size_ = body_size_ * 0.86;
    note_size_ = body_size_ * 0.82;
  }

  Result<std::string> write() {
    std::string out;
    SurfacePtr surface(cairo_pdf_surface_create_for_stream(appendToString, &out, page_w_, page_h_));
    if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS) {
      return std::unexpected(Error::internal("PDF-ytan kunde inte skapas"));
    }
    setMetadata(surface.get());
    CairoPtr cr(cairo_create(surface.get()));
    const int total = layout();
    draw(surface.get(), cr.get(), 0, total);
    cr.reset();
    return finish(std::move(surface), out);
  }

  int pages() const { return static_cast<int>(pages_.size()); }

  // Lays the document out on pages; answers how many.
  int layout() {
    fontmap_.reset(pango_cairo_font_map_new());
    ctx_.reset(pango_font_map_create_context(fontmap_.get()));
    // Sizes in points: the PDF's user unit.
    pango_cairo_context_set_resolution(ctx_.get(), 72.0);
    cairo_font_options_t* fo = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    pango_cairo_context_set_font_options(ctx_.get(), fo);
    cairo_font_options_destroy(fo);
    pango_context_set_round_glyph_positions(ctx_.get(), FALSE);
    pango_context_set_language(ctx_.get(), pango_language_from_string(d_.lang.c_str()));
    {
      FontDescPtr body = describe({l_.body_font, body_size_, false, false});
      coverage_ = std::make_unique<Coverage>(ctx_.get(), body.get());
    }

    layoutHeader();
    layoutBody();
    layoutNotes();
    paginate();
    return static_cast<int>(pages_.size());
  }

  // Draws the laid-out pages as pages first+1 ... of `total` (a bundle
  // numbers its parts' pages across the whole).
  void draw(cairo_surface_t* surface, cairo_t* cr, int first, int total) {
    cairo_pdf_surface_set_size(surface, page_w_, page_h_);
    for (size_t i = 0; i < pages_.size(); ++i) {
      drawPage(cr, pages_[i], first + static_cast<int>(i) + 1, total);
      cairo_show_page(cr);
    }
  }

  // Names of link destinations are per document; in a bundle each part
  // gets its own prefix so footnote 1 of one memo never links to another's.
  void setDestinationPrefix(std::string prefix) { dest_prefix_ = std::move(prefix); }

  void setMetadata(cairo_surface_t* s) {
    auto set = [&](cairo_pdf_metadata_t key, const std::string& v) {
      if (!v.empty()) cairo_pdf_surface_set_metadata(s, key, coverageFree(v).c_str());
    };
    set(CAIRO_PDF_METADATA_TITLE, d_.title);
    set(CAIRO_PDF_METADATA_AUTHOR, d_.meta.author);
    set(CAIRO_PDF_METADATA_SUBJECT, d_.meta.subject);
    std::string keywords;
    for (const auto& k : d_.meta.keywords) keywords += (keywords.empty() ? "" : ", ") + k;
    set(CAIRO_PDF_METADATA_KEYWORDS, keywords);
    set(CAIRO_PDF_METADATA_CREATOR, "Kansli");
    // Without these cairo writes the current time: fixed, the bytes repeat.
    const std::string when = render::fixedTimestamp(d_);
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATE_DATE, when.c_str());
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_MOD_DATE, when.c_str());
  }

  // Finishes the file: every page drawn, the surface flushed into `out`.
  static Result<std::string> finish(SurfacePtr surface, std::string& out) {
    cairo_surface_finish(surface.get());
    if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS) {
      return std::unexpected(Error::internal(std::string("PDF kunde inte skrivas: ") +
                                             cairo_status_to_string(cairo_surface_status(surface.get()))));
    }
    surface.reset();
    return std::move(out);
  }

 private:
  // ---- metadata ----

  // Metadata strings are not drawn, so only their UTF-8 needs to be valid.
  static std::string coverageFree(const std::string& s) {
    if (g_utf8_validate(s.data(), static_cast<gssize>(s.size()), nullptr)) return s;
    gchar* fixed = g_utf8_make_valid(s.data(), static_cast<gssize>(s.size()));
    std::string out(fixed);
    g_free(fixed);
    return out;
  }

  // ---- building pango layouts ----

  FontDescPtr describe(const Font& f) const {
    FontDescPtr desc(pango_font_description_new());
    pango_font_description_set_family(desc.get(), f.family.c_str());
    pango_font_description_set_absolute_size(desc.get(), f.size * PANGO_SCALE);
    pango_font_description_set_weight(desc.get(), f.bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_font_description_set_style(desc.get(), f.italic ? PANGO_STYLE_ITALIC : PANGO_STYLE_NORMAL);
    return desc;
  }

  // The runs as layout text: emphasis as italics, footnote refs as superscript
  // digits (so extracted text reads "Stockholm¹" like the text format), page
  // numbers filled in.
  void appendRuns(const doc::Inlines& runs, std::string& text, PangoAttrList* attrs,
                  std::vector<NoteMark>& marks, int page, int total) {
    for (const auto& r : runs) {
      if (const auto* t = std::get_if<doc::Text>(&r)) {
        const auto start = static_cast<guint>(text.size());
        text += coverage_->visible(t->text);
        if (t->emphasis) {
          PangoAttribute* a = pango_attr_style_new(PANGO_STYLE_ITALIC);
          a->start_index = start;
          a->end_index = static_cast<guint>(text.size());
          pango_attr_list_insert(attrs, a);
        }
      } else if (const auto* f = std::get_if<doc::FootnoteRef>(&r)) {
        NoteMark m;
        m.number = f->number;
        m.start = static_cast<int>(text.size());
        text += superscript(f->number);
        m.end = static_cast<int>(text.size());
        marks.push_back(m);
      } else if (const auto* p = std::get_if<doc::PageNumber>(&r)) {
        text += render::pageNumberText(p->style, page, total);
      }
    }
  }

  std::unique_ptr<Text> makeText(const std::string& text, PangoAttrList* attrs, const Font& font,
                                 double width, PangoAlignment align = PANGO_ALIGN_LEFT,
                                 double hang = 0) {
    auto t = std::make_unique<Text>();
    t->layout.reset(pango_layout_new(ctx_.get()));
    PangoLayout* lay = t->layout.get();
    FontDescPtr desc = describe(font);
    pango_layout_set_font_description(lay, desc.get());
    pango_layout_set_width(lay, toPango(width));
    // A word longer than the line is broken between characters, never cut
    // off; no hyphen is added, so extracted text keeps the word as written.
    pango_layout_set_wrap(lay, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_alignment(lay, align);
    if (hang > 0) pango_layout_set_indent(lay, -toPango(hang));
    pango_attr_list_insert(attrs, pango_attr_insert_hyphens_new(FALSE));
    pango_layout_set_text(lay, text.data(), static_cast<int>(text.size()));
    pango_layout_set_attributes(lay, attrs);

    PangoLayoutIter* it = pango_layout_get_iter(lay);
    do {
      int y0 = 0, y1 = 0;
      pango_layout_iter_get_line_yrange(it, &y0, &y1);
      PangoRectangle logical;
      pango_layout_iter_get_line_extents(it, nullptr, &logical);
      t->lines.push_back({pu(y0), pu(y1 - y0), pu(pango_layout_iter_get_baseline(it) - y0), pu(logical.x)});
    } while (pango_layout_iter_next_line(it));
    pango_layout_iter_free(it);
    return t;
  }

  double textWidth(const std::string& text, const Font& font) {
    GPtr<PangoLayout> lay(pango_layout_new(ctx_.get()));
    FontDescPtr desc = describe(font);
    pango_layout_set_font_description(lay.get(), desc.get());
    pango_layout_set_text(lay.get(), text.data(), static_cast<int>(text.size()));
    PangoRectangle logical;
    pango_layout_get_extents(lay.get(), nullptr, &logical);
    return pu(logical.width);
  }

  const Text* keep(std::unique_ptr<Text> t) {
    texts_.push_back(std::move(t));
    return texts_.back().get();
  }

  // A block of text as one item per line, with orphan/widow control.
  void addLines(const Text* t, double x, double space_before, bool keep_with_next_block) {
    const int n = static_cast<int>(t->lines.size());
    for (int i = 0; i < n; ++i) {
      Item item;
      item.text = t;
      item.line = i;
      item.x = x;
      item.height = t->lines[static_cast<size_t>(i)].height;
      item.space_before = i == 0 ? space_before : 0;
      item.keep_with_next = keep_with_next_block || (n >= 2 && i == 0) || (n >= 3 && i == n - 2);
      PangoLayoutLine* line = pango_layout_get_line_readonly(t->layout.get(), i);
      for (const auto& m : t->marks) {
        if (m.start >= line->start_index && m.start < line->start_index + line->length) {
          item.notes.push_back(m.number);
        }
      }
      items_.push_back(std::move(item));
    }
  }

  // ---- pass 1: layout ----

  void layoutHeader() {
    // Header height does not depend on the page count (the page field sits on
    // the first line, set apart from the wrapping columns), so pagination can
    // run before the count is known. It is measured with a wide placeholder.
    header_height_ = headerBlock(99, 99, nullptr);
    footer_height_ = 0;
    for (const auto& line : d_.footer) footer_height_ += height(*footerLine(line, 99, 99));
  }

  static double height(const Text& t) {
    double h = 0;
    for (const auto& l : t.lines) h += l.height;
    return h;
  }

  std::unique_ptr<Text> footerLine(const doc::Inlines& line, int page, int total) {
    std::string text;
    AttrListPtr attrs(pango_attr_list_new());
    std::vector<NoteMark> marks;
    appendRuns(line, text, attrs.get(), marks, page, total);
    return makeText(text, attrs.get(), {l_.heading_font, header_size_ * 0.92, false, false}, width_,
                    PANGO_ALIGN_CENTER);
  }

  // Lays out (and draws, if cr) the letterhead of page `page`; returns its height.
  double headerBlock(int page, int total, cairo_t* cr) {
    const double col_gap = 12;
    const double left_w = width_ * 0.5 - col_gap;
    const double right_x = width_ * 0.5;
    const double right_w = width_ - right_x;
    double left_y = 0, right_y = 0;
    std::string page_text;
    bool first_right = true;
    for (const auto& f : d_.header) {
      std::string text;
      AttrListPtr attrs(pango_attr_list_new());
      std::vector<NoteMark> marks;
      appendRuns(f.content, text, attrs.get(), marks, page, total);
      if (text.empty()) continue;
      if (f.role == "page") {
        page_text = text;
        continue;
      }
      bool left = render::isLeftColumnRole(f.role);
      bool strong = f.role == "document-type" || f.role == "organisation";
      // Leave room for the page number beside the first right-hand field.
      double w = left ? left_w : (first_right ? right_w - 70 : right_w);
      auto t = makeText(text, attrs.get(), {l_.heading_font, header_size_, strong, false}, w);
      double& y = left ? left_y : right_y;
      if (cr) {
        cairo_move_to(cr, left_ + (left ? 0 : right_x), l_.margin_top_mm * render::kPointsPerMm + y);
        pango_cairo_show_layout(cr, t->layout.get());
      }
      PangoRectangle logical;
      pango_layout_get_extents(t->layout.get(), nullptr, &logical);
      y += pu(logical.height) + 1.5;
      if (!left) first_right = false;
    }
    if (!page_text.empty()) {
      AttrListPtr attrs(pango_attr_list_new());
      auto t = makeText(page_text, attrs.get(), {l_.heading_font, header_size_, false, false}, right_w,
                        PANGO_ALIGN_RIGHT);
      if (cr) {
        cairo_move_to(cr, left_ + right_x, l_.margin_top_mm * render::kPointsPerMm);
        pango_cairo_show_layout(cr, t->layout.get());
      }
      PangoRectangle logical;
      pango_layout_get_extents(t->layout.get(), nullptr, &logical);
      right_y = std::max(right_y, pu(logical.height));
    }
    return std::max(left_y, right_y);
  }

  Font headingFont(int level) const {
    switch (level) {
      case 1:
        return {l_.heading_font, body_size_ * 1.45, true, false};
      case 2:
        return {l_.heading_font, body_size_ * 1.09, true, false};
      case 3:
        return {l_.heading_font, body_size_, true, false};
      default:
        return {l_.heading_font, body_size_, true, true};
    }
  }

  void layoutBody() {
    const Font body{l_.body_font, body_size_, false, false};
    const double para_gap = body_size_ * 0.75;
    bool after_heading = false;
    for (size_t bi = 0; bi < d_.body.size(); ++bi) {
      const auto& b = d_.body[bi];
      if (const auto* h = std::get_if<doc::Heading>(&b)) {
        std::string text;
        AttrListPtr attrs(pango_attr_list_new());
        std::vector<NoteMark> marks;
        appendRuns(h->content, text, attrs.get(), marks, 0, 0);
        auto made = makeText(text, attrs.get(), headingFont(h->level), width_);
        made->marks = marks;
        const Text* t = keep(std::move(made));
        double before = h->level == 1 ? body_size_ * 1.6 : body_size_ * 1.3;
        addLines(t, 0, before, /*keep_with_next_block=*/true);
        after_heading = true;
        continue;
      }
      double before = after_heading ? body_size_ * 0.35 : para_gap;
      after_heading = false;
      if (const auto* p = std::get_if<doc::Paragraph>(&b)) {
        std::string text;
        AttrListPtr attrs(pango_attr_list_new());
        std::vector<NoteMark> marks;
        appendRuns(p->content, text, attrs.get(), marks, 0, 0);
        if (text.empty()) continue;
        auto t = makeText(text, attrs.get(), body, width_);
        t->marks = marks;
        addLines(keep(std::move(t)), 0, before, false);
      } else if (const auto* l = std::get_if<doc::List>(&b)) {
        const double indent = body_size_ * 0.8;
        for (size_t i = 0; i < l->items.size(); ++i) {
          // "1. " / "– " then the item, wrapped lines aligned after the mark.
          // A plain space, not a tab: text extraction reads a wide gap as a
          // column break and would lose the mark.
          std::string text = l->ordered ? std::to_string(i + 1) + ". " : std::string("– ");
          const double hang = textWidth(text, body);
          AttrListPtr attrs(pango_attr_list_new());
          std::vector<NoteMark> marks;
          appendRuns(l->items[i], text, attrs.get(), marks, 0, 0);
          auto t = makeText(text, attrs.get(), body, width_ - indent, PANGO_ALIGN_LEFT, hang);
          t->marks = marks;
          addLines(keep(std::move(t)), indent, i == 0 ? before : body_size_ * 0.2, false);
        }
      } else if (const auto* s = std::get_if<doc::Signatures>(&b)) {
        // Two signers side by side per row, the whole block on one page.
        const double col_w = (width_ - 18) / 2;
        std::vector<Item> rows;
        for (size_t i = 0; i < s->signers.size(); i += 2) {
          Item row;
          double h = 0;
          for (size_t k = i; k < std::min(i + 2, s->signers.size()); ++k) {
            std::string text;
            AttrListPtr attrs(pango_attr_list_new());
            std::vector<NoteMark> marks;
            bool first = true;
            for (const auto& line : s->signers[k].lines) {
              if (!first) text += "\n";
              first = false;
              appendRuns(line, text, attrs.get(), marks, 0, 0);
            }
            auto t = makeText(text, attrs.get(), body, col_w);
            t->marks = marks;
            PangoRectangle logical;
            pango_layout_get_extents(t->layout.get(), nullptr, &logical);
            h = std::max(h, pu(logical.height));
            const Text* kept = keep(std::move(t));
            for (const auto& m : kept->marks) row.notes.push_back(m.number);
            row.boxes.emplace_back(kept, (k - i) * (col_w + 18));
          }
          row.height = h;
          row.space_before = i == 0 ? body_size_ * 3 : body_size_ * 1.5;
          row.keep_with_next = true;
          rows.push_back(std::move(row));
        }
        if (!rows.empty()) rows.back().keep_with_next = false;
        // Signatures never stand alone on a page: they keep the end of the
        // text before them (and through it, its heading).
        if (!items_.empty()) items_.back().keep_with_next = true;
        for (auto& r : rows) items_.push_back(std::move(r));
      }
    }
    // A heading never ends a page: the last body item keeps nothing.
    if (!items_.empty()) items_.back().keep_with_next = false;
  }

  void layoutNotes() {
    for (const auto& f : d_.footnotes) {
      // "¹ Text" as Word and LibreOffice set notes; a wide gap after the mark
      // would make text extraction read the mark as a column of its own.
      std::string text = superscript(f.number) + " ";
      const int mark_end = static_cast<int>(text.size());
      AttrListPtr attrs(pango_attr_list_new());
      std::vector<NoteMark> marks;
      appendRuns(f.content, text, attrs.get(), marks, 0, 0);
      auto t = makeText(text, attrs.get(), {l_.body_font, note_size_, false, false}, width_);
      t->marks.push_back({f.number, 0, mark_end - 1});
      const Text* kept = keep(std::move(t));
      std::vector<Item> lines;
      for (size_t i = 0; i < kept->lines.size(); ++i) {
        Item item;
        item.text = kept;
        item.line = static_cast<int>(i);
        item.height = kept->lines[i].height;
        item.space_before = i == 0 ? note_size_ * 0.3 : 0;
        lines.push_back(std::move(item));
      }
      note_lines_[f.number] = std::move(lines);
    }
  }

  // ---- pagination ----

  double bodyTop() const { return l_.margin_top_mm * render::kPointsPerMm + header_height_ + body_size_ * 2.2; }
  double bodyBottom() const {
    double b = page_h_ - l_.margin_bottom_mm * render::kPointsPerMm;
    if (footer_height_ > 0) b -= footer_height_ + body_size_ * 1.2;
    return b;
  }
  double noteSeparator() const { return note_size_ * 1.6; }

  Page& newPage() {
    pages_.emplace_back();
    Page& p = pages_.back();
    // Footnote lines that did not fit on the page before continue here.
    for (const Item* n : carried_) addNoteLine(p, n);
    carried_.clear();
    return p;
  }

  void addNoteLine(Page& p, const Item* n) {
    if (p.notes.empty()) p.notes_height += noteSeparator();
    p.notes_height += n->height + (n->space_before);
    p.notes.push_back(n);
  }

  double spaceBefore(const Page& p, const Item& it) const { return p.body.empty() ? 0 : it.space_before; }

  // The height `chain` needs on `p`, body and new footnotes together.
  double need(const Page& p, const std::vector<const Item*>& chain) const {
    double h = 0, notes = 0;
    bool any_note = !p.notes.empty();
    bool first = true;
    for (const Item* it : chain) {
      h += (first && p.body.empty() ? 0 : it->space_before) + it->height;
      first = false;
      for (int n : it->notes) {
        if (placed_notes_.count(n)) continue;
        auto found = note_lines_.find(n);
        if (found == note_lines_.end()) continue;
        if (!any_note) notes += noteSeparator();
        any_note = true;
        for (const auto& line : found->second) notes += line.height + line.space_before;
      }
    }
    return h + notes;
  }

  double room(const Page& p) const { return bodyBottom() - bodyTop() - p.used - p.notes_height; }

  void place(Page& p, const Item* it, bool force_notes) {
    double sb = spaceBefore(p, *it);
    p.body.push_back({it, bodyTop() + p.used + sb});
    p.used += sb + it->height;
    for (int n : it->notes) {
      if (!placed_notes_.insert(n).second) continue;
      auto found = note_lines_.find(n);
      if (found == note_lines_.end()) continue;
      for (const auto& line : found->second) {
        // Only when a page cannot hold a line with its note does the rest of
        // the note continue at the foot of the next page.
        if (force_notes && room(p) < line.height + line.space_before + (p.notes.empty() ? noteSeparator() : 0)) {
          carried_.push_back(&line);
        } else {
          addNoteLine(p, &line);
        }
      }
    }
  }

  void paginate() {
    newPage();
    size_t i = 0;
    while (i < items_.size()) {
      std::vector<const Item*> chain{&items_[i]};
      size_t j = i;
      while (items_[j].keep_with_next && j + 1 < items_.size()) chain.push_back(&items_[++j]);
      Page* p = &pages_.back();
      if (need(*p, chain) > room(*p) + 0.01 && !p->body.empty()) p = &newPage();
      if (need(*p, chain) <= room(*p) + 0.01) {
        for (const Item* it : chain) place(*p, it, false);
      } else {
        // Taller than a whole page: place line by line, breaking where needed.
        for (const Item* it : chain) {
          if (need(*p, {it}) > room(*p) + 0.01 && !p->body.empty()) p = &newPage();
          place(*p, it, true);
        }
      }
      i = j + 1;
    }
    while (!carried_.empty()) newPage();
  }

  // ---- pass 2: drawing ----

  void drawLine(cairo_t* cr, const Text* t, int line, double x, double top) {
    const auto& box = t->lines[static_cast<size_t>(line)];
    cairo_move_to(cr, x + box.x, top + box.baseline);
    pango_cairo_show_layout_line(cr, pango_layout_get_line_readonly(t->layout.get(), line));
  }

  // Links on the footnote marks of one line: body mark -> note, note -> mark.
  void linkMarks(cairo_t* cr, const Text* t, int line, double x, double top, bool in_note) {
    PangoLayoutLine* pl = pango_layout_get_line_readonly(t->layout.get(), line);
    const auto& box = t->lines[static_cast<size_t>(line)];
    for (const auto& m : t->marks) {
      if (m.start < pl->start_index || m.start >= pl->start_index + pl->length) continue;
      int x0 = 0, x1 = 0;
      pango_layout_line_index_to_x(pl, m.start, FALSE, &x0);
      pango_layout_line_index_to_x(pl, m.end, FALSE, &x1);
      if (x1 <= x0) x1 = x0 + toPango(body_size_ * 0.5);
      const double lx = x + box.x + pu(x0);
      const std::string n = std::to_string(m.number);
      char rect[160];
      std::snprintf(rect, sizeof rect, "rect=[%.2f %.2f %.2f %.2f]", lx, top, pu(x1 - x0), box.height);
      const std::string self = dest_prefix_ + (in_note ? "fotnot-" + n : "fotnotsref-" + n);
      const std::string other = dest_prefix_ + (in_note ? "fotnotsref-" + n : "fotnot-" + n);
      char pos[96];
      std::snprintf(pos, sizeof pos, " x=%.2f y=%.2f", lx, top);
      std::string dest = "name='" + self + "'" + pos;
      cairo_tag_begin(cr, CAIRO_TAG_DEST, dest.c_str());
      cairo_tag_end(cr, CAIRO_TAG_DEST);
      std::string link = std::string(rect) + " dest='" + other + "'";
      cairo_tag_begin(cr, CAIRO_TAG_LINK, link.c_str());
      cairo_tag_end(cr, CAIRO_TAG_LINK);
    }
  }

  void drawPage(cairo_t* cr, const Page& p, int page, int total) {
    cairo_set_source_rgb(cr, 0, 0, 0);
    double hh = headerBlock(page, total, cr);
    // A hairline under the letterhead.
    const double rule_y = l_.margin_top_mm * render::kPointsPerMm + hh + body_size_ * 0.7;
    cairo_set_line_width(cr, 0.4);
    cairo_move_to(cr, left_, rule_y);
    cairo_line_to(cr, left_ + width_, rule_y);
    cairo_stroke(cr);

    for (const auto& placed : p.body) {
      const Item* it = placed.item;
      if (it->text) {
        drawLine(cr, it->text, it->line, left_ + it->x, placed.y);
        linkMarks(cr, it->text, it->line, left_ + it->x, placed.y, false);
      } else {
        for (const auto& [t, x] : it->boxes) {
          cairo_move_to(cr, left_ + it->x + x, placed.y);
          pango_cairo_show_layout(cr, t->layout.get());
        }
      }
    }

    if (!p.notes.empty()) {
      double y = bodyBottom() - p.notes_height;
      const double sep = noteSeparator();
      cairo_set_line_width(cr, 0.5);
      cairo_move_to(cr, left_, y + sep * 0.45);
      cairo_line_to(cr, left_ + width_ * 0.3, y + sep * 0.45);
      cairo_stroke(cr);
      y += sep;
      for (const Item* n : p.notes) {
        y += n->space_before;
        drawLine(cr, n->text, n->line, left_, y);
        if (n->line == 0) linkMarks(cr, n->text, n->line, left_, y, true);
        y += n->height;
      }
    }

    if (!d_.footer.empty()) {
      double y = page_h_ - l_.margin_bottom_mm * render::kPointsPerMm - footer_height_;
      cairo_set_line_width(cr, 0.4);
      cairo_move_to(cr, left_, y - body_size_ * 0.4);
      cairo_line_to(cr, left_ + width_, y - body_size_ * 0.4);
      cairo_stroke(cr);
      for (const auto& line : d_.footer) {
        auto t = footerLine(line, page, total);
        cairo_move_to(cr, left_, y);
        pango_cairo_show_layout(cr, t->layout.get());
        y += height(*t);
      }
    }
  }

  const doc::Document& d_;
  const Layout& l_;
  double page_w_ = 0, page_h_ = 0, left_ = 0, width_ = 0;
  double body_size_ = 11, header_size_ = 9.5, note_size_ = 9;
  double header_height_ = 0, footer_height_ = 0;

  GPtr<PangoFontMap> fontmap_;
  GPtr<PangoContext> ctx_;
  std::unique_ptr<Coverage> coverage_;

  std::vector<std::unique_ptr<Text>> texts_;
  std::vector<Item> items_;
  std::map<int, std::vector<Item>> note_lines_;
  std::set<int> placed_notes_;
  std::vector<const Item*> carried_;
  std::vector<Page> pages_;
  std::string dest_prefix_;
};

}  // namespace

Result<std::string> writePdf(const doc::Document& d, const PdfOptions& opts) {
  KANSLI_TRY(render::checkInput(d, opts.layout));
  return PdfWriter(d, opts.layout).write();
}

Result<std::string> writePdfBundle(const std::vector<PdfPart>& parts, const PdfOptions& opts) {
  if (parts.empty()) return std::unexpected(Error::invalid("inget att skriva"));
  std::vector<std::unique_ptr<PdfWriter>> writers;
  int total = 0;
  for (size_t i = 0; i < parts.size(); ++i) {
    KANSLI_TRY(render::checkInput(parts[i].document, opts.layout));
    writers.push_back(std::make_unique<PdfWriter>(parts[i].document, opts.layout));
    writers.back()->setDestinationPrefix("del" + std::to_string(i + 1) + "-");
    total += writers.back()->layout();
  }
  std::string out;
  SurfacePtr surface(cairo_pdf_surface_create_for_stream(
      appendToString, &out, opts.layout.page_width_mm * render::kPointsPerMm,
      opts.layout.page_height_mm * render::kPointsPerMm));
  if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS) {
    return std::unexpected(Error::internal("PDF-ytan kunde inte skapas"));
  }
  writers.front()->setMetadata(surface.get());
  CairoPtr cr(cairo_create(surface.get()));
  int first = 0;
  for (size_t i = 0; i < writers.size(); ++i) {
    // One bookmark per part, at its first page.
    std::string link = "page=" + std::to_string(first + 1);
    cairo_pdf_surface_add_outline(surface.get(), CAIRO_PDF_OUTLINE_ROOT, parts[i].outline.c_str(),
                                  link.c_str(), static_cast<cairo_pdf_outline_flags_t>(0));
    writers[i]->draw(surface.get(), cr.get(), first, total);
    first += writers[i]->pages();
  }
  cr.reset();
  return PdfWriter::finish(std::move(surface), out);
}

}  // namespace kansli
