// One response for every rendered document (memo, agenda, minutes, extract)
// in every format: the media type and a file name from the document
// ("SOCN-2020-262-tjansteskrivelse.pdf").
#pragma once

#include <functional>
#include <string>

#include "http.h"
#include "kansli/document.h"

namespace kansli::api {

// format: txt, html, pdf, docx, odt. Unknown: 400 naming the field.
// `cancelled` (Request::client_gone) stops a long PDF for a client that has gone.
Response documentResponse(const doc::Document& d, const std::string& format,
                          const std::function<bool()>& cancelled = {});

}  // namespace kansli::api
