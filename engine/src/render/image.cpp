#include "render/image.h"

#include <cairo.h>
#include <librsvg/rsvg.h>

#include <cmath>
#include <cstring>
#include <memory>

#include "xml/xml.h"

namespace kansli::render {
namespace {

struct GObjectUnref {
  void operator()(void* p) const { g_object_unref(p); }
};
using RsvgPtr = std::unique_ptr<RsvgHandle, GObjectUnref>;

struct SurfaceDestroy {
  void operator()(cairo_surface_t* s) const { cairo_surface_destroy(s); }
};
using SurfacePtr = std::unique_ptr<cairo_surface_t, SurfaceDestroy>;

struct CairoDestroy {
  void operator()(cairo_t* c) const { cairo_destroy(c); }
};
using CairoPtr = std::unique_ptr<cairo_t, CairoDestroy>;

Error bad(const std::string& name, const std::string& why) {
  return Error::unprocessable("bilden " + name + " kan inte användas: " + why,
                              {{"logo", why}});
}

bool isPng(const std::string& data) {
  return data.size() > 24 && data.compare(0, 8, "\x89PNG\r\n\x1a\n") == 0;
}

struct Reader {
  const std::string* data;
  size_t pos = 0;
};

cairo_status_t readPng(void* closure, unsigned char* out, unsigned int length) {
  auto* r = static_cast<Reader*>(closure);
  if (r->pos + length > r->data->size()) return CAIRO_STATUS_READ_ERROR;
  std::memcpy(out, r->data->data() + r->pos, length);
  r->pos += length;
  return CAIRO_STATUS_SUCCESS;
}

Result<SurfacePtr> decodePng(const std::string& name, const std::string& data) {
  Reader r{&data};
  SurfacePtr s(cairo_image_surface_create_from_png_stream(readPng, &r));
  if (cairo_surface_status(s.get()) != CAIRO_STATUS_SUCCESS) {
    return std::unexpected(bad(name, "PNG-filen går inte att läsa"));
  }
  return s;
}

cairo_status_t appendTo(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

// What an SVG may not hold: anything that runs, or that fetches another file.
std::string svgProblem(const xml::Element& e) {
  std::string n = e.name();
  if (n == "script" || n == "foreignObject" || n == "iframe") return "<" + n + "> är inte tillåtet";
  for (const char* attr : {"href"}) {
    if (auto v = e.attr(attr); v && !v->empty() && (*v)[0] != '#' && v->rfind("data:image/", 0) != 0) {
      return "hänvisningen \"" + *v + "\" pekar ut ur bilden";
    }
  }
  for (const auto& c : e.children()) {
    if (std::string p = svgProblem(c); !p.empty()) return p;
  }
  return {};
}

Result<RsvgPtr> loadSvg(const std::string& name, const std::string& data) {
  GError* err = nullptr;
  RsvgPtr h(rsvg_handle_new_from_data(reinterpret_cast<const guint8*>(data.data()), data.size(), &err));
  if (!h) {
    std::string why = err ? err->message : "okänt fel";
    if (err) g_error_free(err);
    return std::unexpected(bad(name, "SVG-filen går inte att rita (" + why + ")"));
  }
  rsvg_handle_set_dpi(h.get(), 96.0);
  return h;
}

}  // namespace

Result<ImageInfo> inspectImage(const std::string& name, const std::string& data) {
  if (data.size() > kMaxImageBytes) return std::unexpected(bad(name, "filen är större än 1 MiB"));
  ImageInfo info;
  if (isPng(data)) {
    auto s = decodePng(name, data);
    if (!s) return std::unexpected(s.error());
    info.media_type = "image/png";
    info.width_px = cairo_image_surface_get_width(s->get());
    info.height_px = cairo_image_surface_get_height(s->get());
  } else {
    auto doc = xml::parse(data, name);
    if (!doc) return std::unexpected(bad(name, "varken PNG eller välformad SVG: " + doc.error().message));
    if (doc->root().name() != "svg") return std::unexpected(bad(name, "rotelementet är inte <svg>"));
    if (std::string p = svgProblem(doc->root()); !p.empty()) return std::unexpected(bad(name, p));
    auto h = loadSvg(name, data);
    if (!h) return std::unexpected(h.error());
    gdouble w = 0, hgt = 0;
    if (!rsvg_handle_get_intrinsic_size_in_pixels(h->get(), &w, &hgt)) {
      gboolean has_w = FALSE, has_h = FALSE, has_vb = FALSE;
      RsvgLength lw, lh;
      RsvgRectangle vb;
      rsvg_handle_get_intrinsic_dimensions(h->get(), &has_w, &lw, &has_h, &lh, &has_vb, &vb);
      if (has_vb) {
        w = vb.width;
        hgt = vb.height;
      }
    }
    info.media_type = "image/svg+xml";
    info.width_px = w;
    info.height_px = hgt;
  }
  if (!(info.width_px >= 1 && info.height_px >= 1 && info.width_px <= 20000 && info.height_px <= 20000)) {
    return std::unexpected(bad(name, "bilden har ingen rimlig storlek (bredd och höjd 1–20000)"));
  }
  return info;
}

Result<void> drawImage(cairo_t* cr, const doc::Image& img) {
  constexpr double kPointsPerMm = 72.0 / 25.4;
  const double w = img.width_mm * kPointsPerMm;
  const double h = img.height_mm * kPointsPerMm;
  double x = 0, y = 0;
  cairo_get_current_point(cr, &x, &y);
  cairo_save(cr);
  if (img.media_type == "image/png") {
    auto s = decodePng(img.name, img.data);
    if (!s) {
      cairo_restore(cr);
      return std::unexpected(s.error());
    }
    const double sw = cairo_image_surface_get_width(s->get());
    const double sh = cairo_image_surface_get_height(s->get());
    cairo_translate(cr, x, y);
    cairo_scale(cr, w / sw, h / sh);
    cairo_set_source_surface(cr, s->get(), 0, 0);
    cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_GOOD);
    cairo_rectangle(cr, 0, 0, sw, sh);
    cairo_fill(cr);
  } else {
    auto h_ = loadSvg(img.name, img.data);
    if (!h_) {
      cairo_restore(cr);
      return std::unexpected(h_.error());
    }
    RsvgRectangle viewport{x, y, w, h};
    GError* err = nullptr;
    if (!rsvg_handle_render_document(h_->get(), cr, &viewport, &err)) {
      std::string why = err ? err->message : "okänt fel";
      if (err) g_error_free(err);
      cairo_restore(cr);
      return std::unexpected(Error::internal("bilden " + img.name + " kunde inte ritas: " + why));
    }
  }
  cairo_restore(cr);
  return ok();
}

Result<std::string> pngOf(const doc::Image& img, int width_px) {
  if (img.media_type == "image/png") return img.data;
  width_px = std::max(1, std::min(width_px, 4000));
  const int height_px = std::max(1, static_cast<int>(std::lround(width_px * img.height_mm / img.width_mm)));
  SurfacePtr s(cairo_image_surface_create(CAIRO_FORMAT_ARGB32, width_px, height_px));
  CairoPtr cr(cairo_create(s.get()));
  auto h = loadSvg(img.name, img.data);
  if (!h) return std::unexpected(h.error());
  RsvgRectangle viewport{0, 0, static_cast<double>(width_px), static_cast<double>(height_px)};
  GError* err = nullptr;
  if (!rsvg_handle_render_document(h->get(), cr.get(), &viewport, &err)) {
    std::string why = err ? err->message : "okänt fel";
    if (err) g_error_free(err);
    return std::unexpected(Error::internal("bilden " + img.name + " kunde inte ritas: " + why));
  }
  cr.reset();
  std::string png;
  if (cairo_surface_write_to_png_stream(s.get(), appendTo, &png) != CAIRO_STATUS_SUCCESS) {
    return std::unexpected(Error::internal("bilden " + img.name + " kunde inte sparas som PNG"));
  }
  return png;
}

}  // namespace kansli::render
