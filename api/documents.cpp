#include "documents.h"

#include "kansli/writers.h"

namespace kansli::api {

Response documentResponse(const doc::Document& d, const std::string& format) {
  auto f = parseFormat(format);
  if (!f) {
    return Response::problem(Error::invalid(
        "okänt format", {{"format", "välj txt, html, pdf, docx eller odt"}}));
  }
  auto body = writeDocument(d, *f);
  if (!body) return Response::problem(body.error());
  auto info = formatInfo(*f);
  Response res;
  res.content_type = std::string(info.media_type);
  res.body = std::move(*body);
  std::string disposition = (*f == Format::kText || *f == Format::kHtml) ? "inline" : "attachment";
  res.header("Content-Disposition", disposition + "; filename=\"" + fileName(d, *f) + "\"");
  return res;
}

}  // namespace kansli::api
