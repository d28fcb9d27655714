// One response for every rendered document (memo, agenda, minutes, extract)
// in every format: the media type and a file name from the document
// ("SOCN-2020-262-tjansteskrivelse.pdf"); and the choice of that format from
// ?format= and Accept.
#pragma once

#include <expected>
#include <functional>
#include <initializer_list>
#include <string>
#include <string_view>

#include "http.h"
#include "kansli/document.h"

namespace kansli::api {

// format: txt, html, pdf, docx, odt. Unknown: 400 naming the field.
// `cancelled` (Request::client_gone) stops a long PDF for a client that has gone.
Response documentResponse(const doc::Document& d, const std::string& format,
                          const std::function<bool()>& cancelled = {});

// The Content-Security-Policy of a rendered HTML document: nothing loads or
// runs but the document's own <style> element (allowed by its sha256 hash)
// and data: images. Scripts never run (default-src 'none').
std::string documentCsp(std::string_view html);

// The media type of a format name (xml, json, txt, html, pdf, docx, odt).
std::string_view formatMediaType(std::string_view format);

// The format of a rendered answer (RFC 9110 12.5.1). ?format= names it: an
// explicit choice, which wins over Accept (12.5.1 lets the server disregard
// Accept; clients such as the web client send Accept: application/json on
// every request). Without ?format=, the format of `offered` that Accept
// prefers (by q, then `fallback` first, then the order of `offered`);
// `fallback` when there is no Accept. An Accept that allows none of `offered`
// is 406, listing them. A ?format= not in `offered` is 400 naming the field.
// The error is the answer to send.
std::expected<std::string, Response> negotiateFormat(const Request& req,
                                                     std::initializer_list<std::string_view> offered,
                                                     std::string_view fallback);

}  // namespace kansli::api
