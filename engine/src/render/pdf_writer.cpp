// The PDF writer: pango lays the tree out in lines, a small paginator puts the
// lines on pages with their footnotes, cairo draws them.
//
// Pass 1 lays out every block at the text width and cuts it into items (a line
// of text, or a row of signatures) with "keep with next" marks: heading lines
// and the first line of what follows, a paragraph's first two and last two
// lines (no orphans, no widows), the last line of a block the template keeps
// with the next, all rows of the signature block; a page break marks the item
// after it. The paginator places chains of kept items whole, with the
// footnotes their lines cite at the foot of the same page; the first page may
// have its own header and footer, so each page has its own body area. Pass 2
// knows the page count and draws each page: running header (logo, fields with
// "1 (2)", grids of labels over values), body lines, footnotes, footer, links
// from each footnote mark to its note and back.
#include <cairo-pdf.h>
#include <cairo.h>
#include <glib.h>
#include <pango/pangocairo.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <memory>
#include <set>
#include <unordered_map>

#include "kansli/writers.h"
#include "render/image.h"
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

// The font map of the calling thread, made on its first PDF and kept until
// the thread ends. A font map caches what is costly to find and measure:
// fontconfig's matches for each description (fontsets), the fonts with
// their HarfBuzz faces, each font's metrics (pango measures them by laying
// out a sample text). Made per document, that was two fifths of a memo's
// instructions. Pango's font maps are not thread-safe, so each thread has its
// own (pango_cairo_font_map_get_default does the same): the server's workers
// never share one. Its caches are bounded by what they key on (the fonts and
// sizes templates name; pango keeps at most 256 fontsets). Each document
// still gets a PangoContext of its own, so its language and settings never
// reach another document's layouts.
PangoFontMap* threadFontMap() {
  thread_local const GPtr<PangoFontMap> map(pango_cairo_font_map_new());
  return map.get();
}

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
  bool page_break_before = false;
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

Error cancelled() { return Error{ErrorCode::kCancelled, "avbrutet: klienten väntar inte längre", {}, {}}; }

class PdfWriter {
 public:
  PdfWriter(const doc::Document& d, const PdfOptions& o)
      : d_(d), l_(render::layoutFor(d, o.layout)), z_(render::sizesOf(l_)), cancelled_(o.cancelled) {
    page_w_ = l_.page_width_mm * render::kPointsPerMm;
    page_h_ = l_.page_height_mm * render::kPointsPerMm;
    left_ = l_.margin_left_mm * render::kPointsPerMm;
    width_ = page_w_ - left_ - l_.margin_right_mm * render::kPointsPerMm;
  }

  Result<std::string> write() {
    std::string out;
    SurfacePtr surface(cairo_pdf_surface_create_for_stream(appendToString, &out, page_w_, page_h_));
    if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS) {
      return std::unexpected(Error::internal("PDF-ytan kunde inte skapas"));
    }
    setMetadata(surface.get());
    CairoPtr cr(cairo_create(surface.get()));
    KANSLI_ASSIGN_OR_RETURN(const int total, layout());
    KANSLI_TRY(draw(surface.get(), cr.get(), 0, total));
    cr.reset();
    return finish(std::move(surface), out);
  }

  int pages() const { return static_cast<int>(pages_.size()); }

  // Lays the document out on pages; answers how many.
  Result<int> layout() {
    ctx_.reset(pango_font_map_create_context(threadFontMap()));
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
      FontDescPtr body = describe({l_.body_font, z_.body, false, false});
      coverage_ = std::make_unique<Coverage>(ctx_.get(), body.get());
    }

    layoutBands();
    KANSLI_TRY(layoutBody());
    layoutNotes();
    KANSLI_TRY(paginate());
    return static_cast<int>(pages_.size());
  }

  // Draws the laid-out pages as pages first+1 ... of `total` (a bundle
  // numbers its parts' pages across the whole).
  Result<void> draw(cairo_surface_t* surface, cairo_t* cr, int first, int total) {
    cairo_pdf_surface_set_size(surface, page_w_, page_h_);
    for (size_t i = 0; i < pages_.size(); ++i) {
      if (stop()) return std::unexpected(cancelled());
      KANSLI_TRY(drawPage(cr, pages_[i], first + static_cast<int>(i) + 1, total));
      cairo_show_page(cr);
    }
    return ok();
  }

  // Names of link destinations are per document; in a bundle each part
  // gets its own prefix so footnote 1 of one memo never links to another's.
  void setDestinationPrefix(std::string prefix) { dest_prefix_ = std::move(prefix); }

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

 private:
  bool stop() { return cancelled_ && cancelled_(); }

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
                                 double hang = 0, double spacing = 0) {
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
    // Leading as Word's "multiple": a factor on the font's own line height.
    if (spacing > 0 && std::abs(spacing - 1.0) > 1e-6) pango_layout_set_line_spacing(lay, static_cast<float>(spacing));
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

  std::unique_ptr<Text> simpleText(const doc::Inlines& runs, const Font& font, double width, int page, int total,
                                   PangoAlignment align = PANGO_ALIGN_LEFT) {
    std::string text;
    AttrListPtr attrs(pango_attr_list_new());
    std::vector<NoteMark> marks;
    appendRuns(runs, text, attrs.get(), marks, page, total);
    return makeText(text, attrs.get(), font, width, align);
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
  // `keep_last`: the last line keeps with whatever follows the block.
  void addLines(const Text* t, double x, double space_before, bool keep_with_next_block, bool keep_last = false) {
    const int n = static_cast<int>(t->lines.size());
    size_t mark = 0;  // marks are in text order: one pass over them for all lines
    for (int i = 0; i < n; ++i) {
      Item item;
      item.text = t;
      item.line = i;
      item.x = x;
      item.height = t->lines[static_cast<size_t>(i)].height;
      item.space_before = i == 0 ? space_before : 0;
      item.keep_with_next = keep_with_next_block || (n >= 2 && i == 0) || (n >= 3 && i == n - 2) ||
                            (keep_last && i == n - 1);
      if (i == 0 && pending_break_) {
        item.page_break_before = true;
        pending_break_ = false;
      }
      PangoLayoutLine* line = pango_layout_get_line_readonly(t->layout.get(), i);
      const int end = line->start_index + line->length;
      while (mark < t->marks.size() && t->marks[mark].start < line->start_index) ++mark;
      for (; mark < t->marks.size() && t->marks[mark].start < end; ++mark) item.notes.push_back(t->marks[mark].number);
      items_.push_back(std::move(item));
    }
  }

  // ---- pass 1: layout ----

  static double height(const Text& t) {
    double h = 0;
    for (const auto& l : t.lines) h += l.height;
    return h;
  }

  // Band heights do not depend on the page count (the page field sits apart
  // from the wrapping columns), so pagination can run before the count is
  // known. They are measured with a wide placeholder.
  void layoutBands() {
    header_h_[0] = bandBlock(d_.headerOn(1), 99, 99, nullptr, 0);
    header_h_[1] = bandBlock(d_.header, 99, 99, nullptr, 0);
    footer_h_[0] = bandBlock(d_.footerOn(1), 99, 99, nullptr, 0);
    footer_h_[1] = bandBlock(d_.footer, 99, 99, nullptr, 0);
  }

  // Lays out (and draws, if cr, with its top at `top`) a band of page `page`;
  // returns its height. The logo and the who-fields on the left, the
  // what-and-when fields on the right with the page number at the end of the
  // first line, then the rows across the text width.
  double bandBlock(const doc::Band& band, int page, int total, cairo_t* cr, double top) {
    const double col_gap = 12;
    const double left_w = width_ * 0.5 - col_gap;
    const double right_x = width_ * 0.5;
    const double right_w = width_ - right_x;
    const double size = z_.letterhead;
    double left_y = 0, right_y = 0;
    if (band.logo) {
      if (cr) {
        cairo_move_to(cr, left_, top);
        (void)render::drawImage(cr, *band.logo);  // checked when the template was loaded
      }
      left_y += band.logo->height_mm * render::kPointsPerMm + size * 0.6;
    }
    std::string page_text;
    bool first_right = true;
    for (const auto& f : band.fields) {
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
      auto t = makeText(text, attrs.get(), {l_.heading_font, size, strong, false}, w);
      double& y = left ? left_y : right_y;
      if (cr) {
        cairo_move_to(cr, left_ + (left ? 0 : right_x), top + y);
        pango_cairo_show_layout(cr, t->layout.get());
      }
      y += height(*t) + 1.5;
      if (!left) first_right = false;
    }
    if (!page_text.empty()) {
      AttrListPtr attrs(pango_attr_list_new());
      auto t = makeText(page_text, attrs.get(), {l_.heading_font, size, false, false}, right_w, PANGO_ALIGN_RIGHT);
      if (cr) {
        cairo_move_to(cr, left_ + right_x, top);
        pango_cairo_show_layout(cr, t->layout.get());
      }
      right_y = std::max(right_y, height(*t));
    }
    double y = std::max(left_y, right_y);
    for (const auto& row : band.rows) {
      if (y > 0) y += size * 0.35;
      if (const auto* line = std::get_if<doc::Inlines>(&row)) {
        auto t = simpleText(*line, {l_.heading_font, size * 0.92, false, false}, width_, page, total,
                            PANGO_ALIGN_CENTER);
        if (cr) {
          cairo_move_to(cr, left_, top + y);
          pango_cairo_show_layout(cr, t->layout.get());
        }
        y += height(*t);
      } else {
        y += gridBlock(std::get<doc::Grid>(row), page, total, cr, top + y);
      }
    }
    return y;
  }

  // Labels in a row over their values in the next, each cell its column.
  double gridBlock(const doc::Grid& g, int page, int total, cairo_t* cr, double top) {
    const auto fractions = render::gridFractions(g);
    const double gap = 6;
    std::vector<std::unique_ptr<Text>> labels, values;
    double label_h = 0, value_h = 0;
    for (size_t i = 0; i < g.cells.size(); ++i) {
      const double w = std::max(10.0, fractions[i] * width_ - gap);
      labels.push_back(g.cells[i].label.empty()
                           ? nullptr
                           : simpleText(g.cells[i].label, {l_.heading_font, z_.label, false, false}, w, page, total));
      values.push_back(simpleText(g.cells[i].value, {l_.heading_font, z_.letterhead, false, false}, w, page, total));
      if (labels.back()) label_h = std::max(label_h, height(*labels.back()));
      value_h = std::max(value_h, height(*values.back()));
    }
    // A little air between the labels and the values: text extraction then
    // reads the grid row by row (labels, then values), as it reads printed
    // letterheads, not cell by cell.
    const double gap_y = label_h > 0 ? z_.label * 0.45 : 0;
    if (cr) {
      double x = left_;
      for (size_t i = 0; i < g.cells.size(); ++i) {
        if (labels[i]) {
          cairo_move_to(cr, x, top);
          pango_cairo_show_layout(cr, labels[i]->layout.get());
        }
        cairo_move_to(cr, x, top + label_h + gap_y);
        pango_cairo_show_layout(cr, values[i]->layout.get());
        x += fractions[i] * width_;
      }
    }
    return label_h + gap_y + value_h;
  }

  Font headingFont(int level) const {
    return {l_.heading_font, render::headingSize(z_, level), true, level >= 4};
  }

  // The text of a block as a pango layout at `width`.
  std::unique_ptr<Text> bodyText(const doc::Inlines& runs, const Font& font, double width, std::string prefix = {},
                                 double hang = 0) {
    std::string text = std::move(prefix);
    AttrListPtr attrs(pango_attr_list_new());
    std::vector<NoteMark> marks;
    appendRuns(runs, text, attrs.get(), marks, 0, 0);
    auto t = makeText(text, attrs.get(), font, width, PANGO_ALIGN_LEFT, hang, z_.line_spacing);
    t->marks = std::move(marks);
    return t;
  }

  Result<void> layoutBody() {
    const Font body{l_.body_font, z_.body, false, false};
    bool after_heading = false;
    for (size_t bi = 0; bi < d_.body.size(); ++bi) {
      if (stop()) return std::unexpected(cancelled());
      const auto& b = d_.body[bi];
      if (std::holds_alternative<doc::PageBreak>(b)) {
        pending_break_ = true;
        continue;
      }
      if (const auto* h = std::get_if<doc::Heading>(&b)) {
        const Text* t = keep(bodyText(h->content, headingFont(h->level), width_));
        addLines(t, 0, z_.heading_before, /*keep_with_next_block=*/true);
        after_heading = true;
        continue;
      }
      double before = after_heading ? z_.heading_after : z_.paragraph_space;
      after_heading = false;
      if (const auto* p = std::get_if<doc::Paragraph>(&b)) {
        if (p->content.empty()) continue;
        addLines(keep(bodyText(p->content, body, width_)), 0, before, false, p->keep_with_next);
      } else if (const auto* l = std::get_if<doc::List>(&b)) {
        const double indent = z_.body * 0.8;
        const std::string bullet = l->bullet.empty() ? l_.list_bullet : l->bullet;
        for (size_t i = 0; i < l->items.size(); ++i) {
          // "1. " / "– " then the item, wrapped lines aligned after the mark.
          // A plain space, not a tab: text extraction reads a wide gap as a
          // column break and would lose the mark.
          std::string mark = l->ordered ? std::to_string(i + 1) + ". " : bullet + " ";
          const double hang = textWidth(mark, body);
          const bool last = i + 1 == l->items.size();
          addLines(keep(bodyText(l->items[i], body, width_ - indent, mark, hang)), indent,
                   i == 0 ? before : z_.body * 0.2, false, last && l->keep_with_next);
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
            h = std::max(h, height(*t));
            const Text* kept = keep(std::move(t));
            for (const auto& m : kept->marks) row.notes.push_back(m.number);
            row.boxes.emplace_back(kept, (k - i) * (col_w + 18));
          }
          row.height = h;
          row.space_before = i == 0 ? z_.body * 3 : z_.body * 1.5;
          row.keep_with_next = true;
          if (i == 0 && pending_break_) {
            row.page_break_before = true;
            pending_break_ = false;
          }
          rows.push_back(std::move(row));
        }
        if (!rows.empty()) rows.back().keep_with_next = false;
        // Signatures never stand alone on a page: they keep the end of the
        // text before them (and through it, its heading) unless a page break
        // was asked for.
        if (!items_.empty() && !(rows.empty() || rows.front().page_break_before)) items_.back().keep_with_next = true;
        for (auto& r : rows) items_.push_back(std::move(r));
      }
    }
    // A heading never ends a page: the last body item keeps nothing.
    if (!items_.empty()) items_.back().keep_with_next = false;
    return ok();
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
      auto t = makeText(text, attrs.get(), {l_.body_font, z_.note, false, false}, width_);
      t->marks.push_back({f.number, 0, mark_end - 1});
      const Text* kept = keep(std::move(t));
      std::vector<Item> lines;
      for (size_t i = 0; i < kept->lines.size(); ++i) {
        Item item;
        item.text = kept;
        item.line = static_cast<int>(i);
        item.height = kept->lines[i].height;
        item.space_before = i == 0 ? z_.note * 0.3 : 0;
        lines.push_back(std::move(item));
      }
      note_lines_[f.number] = std::move(lines);
    }
  }

  // ---- pagination ----

  // Index into header_h_/footer_h_: 0 for the first page, 1 for the others.
  static int bandIndex(size_t page_index) { return page_index == 0 ? 0 : 1; }

  double bodyTop(size_t page_index) const {
    const double h = header_h_[bandIndex(page_index)];
    return l_.margin_top_mm * render::kPointsPerMm + h + (h > 0 ? z_.header_space : 0);
  }
  double bodyBottom(size_t page_index) const {
    double b = page_h_ - l_.margin_bottom_mm * render::kPointsPerMm;
    const double f = footer_h_[bandIndex(page_index)];
    if (f > 0) b -= f + z_.body * 1.2;
    return b;
  }
  double noteSeparator() const { return z_.note * 1.6; }

  Page& newPage() {
    pages_.emplace_back();
    Page& p = pages_.back();
    // Footnote lines that did not fit on the page before continue here.
    for (const Item* n : carried_) addNoteLine(p, n);
    carried_.clear();
    return p;
  }

  size_t pageIndex(const Page& p) const { return static_cast<size_t>(&p - pages_.data()); }

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

  double room(const Page& p) const {
    const size_t i = pageIndex(p);
    return bodyBottom(i) - bodyTop(i) - p.used - p.notes_height;
  }

  void place(Page& p, const Item* it, bool force_notes) {
    double sb = spaceBefore(p, *it);
    p.body.push_back({it, bodyTop(pageIndex(p)) + p.used + sb});
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

  Result<void> paginate() {
    newPage();
    size_t i = 0;
    while (i < items_.size()) {
      if ((i & 0x3F) == 0 && stop()) return std::unexpected(cancelled());
      std::vector<const Item*> chain{&items_[i]};
      size_t j = i;
      while (items_[j].keep_with_next && j + 1 < items_.size() && !items_[j + 1].page_break_before) {
        chain.push_back(&items_[++j]);
      }
      Page* p = &pages_.back();
      if (items_[i].page_break_before && !p->body.empty()) p = &newPage();
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
    return ok();
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
    // Marks are in text order: find the first on this line without a scan.
    auto first = std::lower_bound(t->marks.begin(), t->marks.end(), pl->start_index,
                                  [](const NoteMark& m, int start) { return m.start < start; });
    for (auto mi = first; mi != t->marks.end() && mi->start < pl->start_index + pl->length; ++mi) {
      const NoteMark& m = *mi;
      int x0 = 0, x1 = 0;
      pango_layout_line_index_to_x(pl, m.start, FALSE, &x0);
      pango_layout_line_index_to_x(pl, m.end, FALSE, &x1);
      if (x1 <= x0) x1 = x0 + toPango(z_.body * 0.5);
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

  Result<void> drawPage(cairo_t* cr, const Page& p, int page, int total) {
    cairo_set_source_rgb(cr, 0, 0, 0);
    const size_t index = static_cast<size_t>(page - 1);
    const doc::Band& header = d_.headerOn(page);
    if (!header.empty()) {
      const double top = l_.margin_top_mm * render::kPointsPerMm;
      double hh = bandBlock(header, page, total, cr, top);
      cairo_set_source_rgb(cr, 0, 0, 0);
      // A hairline under the letterhead.
      const double rule_y = top + hh + std::min(z_.body * 0.7, z_.header_space * 0.4);
      cairo_set_line_width(cr, 0.4);
      cairo_move_to(cr, left_, rule_y);
      cairo_line_to(cr, left_ + width_, rule_y);
      cairo_stroke(cr);
    }

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
      double y = bodyBottom(index) - p.notes_height;
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

    const doc::Band& footer = d_.footerOn(page);
    if (!footer.empty()) {
      const double fh = footer_h_[bandIndex(index)];
      double y = page_h_ - l_.margin_bottom_mm * render::kPointsPerMm - fh;
      cairo_set_line_width(cr, 0.4);
      cairo_move_to(cr, left_, y - z_.body * 0.4);
      cairo_line_to(cr, left_ + width_, y - z_.body * 0.4);
      cairo_stroke(cr);
      bandBlock(footer, page, total, cr, y);
    }
    return ok();
  }

  const doc::Document& d_;
  const Layout& l_;
  render::Sizes z_;
  std::function<bool()> cancelled_;
  double page_w_ = 0, page_h_ = 0, left_ = 0, width_ = 0;
  double header_h_[2] = {0, 0}, footer_h_[2] = {0, 0};  // first page, other pages
  bool pending_break_ = false;

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
  KANSLI_TRY(render::checkInput(d, render::layoutFor(d, opts.layout)));
  return PdfWriter(d, opts).write();
}

Result<std::string> writePdfBundle(const std::vector<PdfPart>& parts, const PdfOptions& opts) {
  if (parts.empty()) return std::unexpected(Error::invalid("inget att skriva"));
  std::vector<std::unique_ptr<PdfWriter>> writers;
  int total = 0;
  for (size_t i = 0; i < parts.size(); ++i) {
    KANSLI_TRY(render::checkInput(parts[i].document, render::layoutFor(parts[i].document, opts.layout)));
    writers.push_back(std::make_unique<PdfWriter>(parts[i].document, opts));
    writers.back()->setDestinationPrefix("del" + std::to_string(i + 1) + "-");
    KANSLI_ASSIGN_OR_RETURN(const int pages, writers.back()->layout());
    total += pages;
  }
  std::string out;
  const auto& first_layout = render::layoutFor(parts.front().document, opts.layout);
  SurfacePtr surface(cairo_pdf_surface_create_for_stream(
      appendToString, &out, first_layout.page_width_mm * render::kPointsPerMm,
      first_layout.page_height_mm * render::kPointsPerMm));
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
    KANSLI_TRY(writers[i]->draw(surface.get(), cr.get(), first, total));
    first += writers[i]->pages();
  }
  cr.reset();
  return PdfWriter::finish(std::move(surface), out);
}

}  // namespace kansli
