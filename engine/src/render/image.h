// Pictures in documents (a municipality's logo): checking a file when a
// template is loaded, and the forms the writers need.
//
// A logo comes from the municipality's template folder, so it is outside
// input like the template itself: a PNG must decode (cairo), an SVG must be
// well-formed XML without a DOCTYPE (the XML layer refuses it, so no entities),
// without scripts, foreignObject or references to other files, and librsvg must
// render it. librsvg, given the SVG as data without a base file, loads nothing
// else anyway; the checks make a bad file an error with the template's name
// when it is loaded instead of a surprise in one format.
//
// Reentrant; no shared state.
#pragma once

#include <string>

#include "kansli/document.h"
#include "kansli/error.h"

typedef struct _cairo cairo_t;

namespace kansli::render {

constexpr std::size_t kMaxImageBytes = 1024 * 1024;

// The picture in `data` (file name `name` for messages and its type):
// media_type and its own size in pixels (for an SVG its intrinsic size or its
// viewBox). kUnprocessable with a Swedish message when it is not a picture
// Kansli can use.
struct ImageInfo {
  std::string media_type;  // "image/png", "image/svg+xml"
  double width_px = 0;
  double height_px = 0;
};
Result<ImageInfo> inspectImage(const std::string& name, const std::string& data);

// Draws `img` with its top-left corner at the current point of `cr`, scaled to
// img.width_mm × img.height_mm (in the surface's points). PNG as an image, SVG
// as vectors.
Result<void> drawImage(cairo_t* cr, const doc::Image& img);

// A PNG of `img` `width_px` pixels wide: the PNG itself, or the SVG drawn by
// librsvg (for formats whose readers may not show SVG: DOCX's fallback, ODT's
// second choice).
Result<std::string> pngOf(const doc::Image& img, int width_px);

}  // namespace kansli::render
