#include "documents.h"

#include <Poco/Base64Encoder.h>
#include <Poco/SHA2Engine.h>

#include <algorithm>
#include <sstream>
#include <vector>

#include "kansli/writers.h"

namespace kansli::api {

namespace {

// 'sha256-<base64>' of a style element's text, as CSP names it.
std::string styleHash(std::string_view css) {
  Poco::SHA2Engine sha(Poco::SHA2Engine::SHA_256);
  sha.update(css.data(), static_cast<unsigned>(css.size()));
  const auto& digest = sha.digest();
  std::ostringstream out;
  Poco::Base64Encoder b64(out);
  b64.rdbuf()->setLineLength(0);
  b64.write(reinterpret_cast<const char*>(digest.data()), static_cast<std::streamsize>(digest.size()));
  b64.close();
  return "'sha256-" + out.str() + "'";
}

}  // namespace

std::string documentCsp(std::string_view html) {
  // Nothing of a rendered document loads or runs: its one <style> element
  // (by its hash, so no other inline style) and its images (data: URIs, the
  // logotype) only. The web client's own pages keep the server's policy.
  std::string style = "'none'";
  auto open = html.find("<style>");
  auto close = open == std::string_view::npos ? open : html.find("</style>", open);
  if (close != std::string_view::npos) {
    style = styleHash(html.substr(open + 7, close - open - 7));
  }
  return "default-src 'none'; style-src " + style +
         "; img-src data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
}

Response documentResponse(const doc::Document& d, const std::string& format,
                          const std::function<bool()>& cancelled) {
  auto f = parseFormat(format);
  if (!f) {
    return Response::problem(Error::invalid(
        "okänt format", {{"format", "välj txt, html, pdf, docx eller odt"}}));
  }
  auto body = writeDocument(d, *f, cancelled);
  if (!body) return Response::problem(body.error());
  auto info = formatInfo(*f);
  Response res;
  res.content_type = std::string(info.media_type);
  res.body = std::move(*body);
  std::string disposition = (*f == Format::kText || *f == Format::kHtml) ? "inline" : "attachment";
  res.header("Content-Disposition", disposition + "; filename=\"" + fileName(d, *f) + "\"");
  // The server's policy (style-src 'self') would block the document's own
  // <style>: an HTML document gets one of its own.
  if (*f == Format::kHtml) res.header("Content-Security-Policy", documentCsp(res.body));
  return res;
}

std::string_view formatMediaType(std::string_view format) {
  if (format == "xml") return "application/xml";
  if (format == "json") return "application/json";
  if (format == "txt") return "text/plain";
  if (format == "html") return "text/html";
  if (format == "pdf") return "application/pdf";
  if (format == "docx") return "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
  if (format == "odt") return "application/vnd.oasis.opendocument.text";
  return "";
}

namespace {

struct Range {
  std::string type;     // lower-case "text/html", "text/*", "*/*"
  double q = 1.0;
};

std::string lowerTrim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::vector<Range> parseAccept(std::string_view accept) {
  std::vector<Range> out;
  while (!accept.empty()) {
    auto comma = accept.find(',');
    std::string_view part = accept.substr(0, comma);
    accept = comma == std::string_view::npos ? std::string_view() : accept.substr(comma + 1);
    auto semi = part.find(';');
    Range r;
    r.type = lowerTrim(part.substr(0, semi));
    if (r.type.find('/') == std::string::npos) continue;
    while (semi != std::string_view::npos) {
      part = part.substr(semi + 1);
      semi = part.find(';');
      std::string param = lowerTrim(part.substr(0, semi));
      if (param.rfind("q=", 0) == 0) {
        try {
          r.q = std::clamp(std::stod(param.substr(2)), 0.0, 1.0);
        } catch (...) {
          r.q = 0;
        }
      }
    }
    out.push_back(std::move(r));
  }
  return out;
}

// The q the Accept ranges give `media_type`: the most specific range wins.
double qualityOf(const std::vector<Range>& ranges, std::string_view media_type) {
  int best_specificity = -1;
  double q = 0;
  std::string_view major = media_type.substr(0, media_type.find('/'));
  for (const auto& r : ranges) {
    int specificity = -1;
    if (r.type == media_type) {
      specificity = 2;
    } else if (r.type.size() == major.size() + 2 && r.type.compare(0, major.size(), major) == 0 &&
               r.type.substr(major.size()) == "/*") {
      specificity = 1;
    } else if (r.type == "*/*") {
      specificity = 0;
    }
    if (specificity > best_specificity) {
      best_specificity = specificity;
      q = r.q;
    }
  }
  return q;
}

std::string listed(std::initializer_list<std::string_view> offered) {
  std::string out;
  for (auto f : offered) {
    if (!out.empty()) out += ", ";
    out += std::string(formatMediaType(f));
  }
  return out;
}

}  // namespace

std::expected<std::string, Response> negotiateFormat(const Request& req,
                                                     std::initializer_list<std::string_view> offered,
                                                     std::string_view fallback) {
  const std::string accept = req.header("accept");
  const auto ranges = parseAccept(accept);
  auto notAcceptable = [&] {
    return Response::problem(406, "formatet kan inte levereras enligt Accept; tillgängliga: " +
                                      listed(offered))
        .header("Vary", "Accept");
  };
  if (auto f = req.queryParam("format"); f && !f->empty()) {
    if (std::find(offered.begin(), offered.end(), std::string_view(*f)) == offered.end()) {
      std::string names;
      for (auto o : offered) names += (names.empty() ? "" : ", ") + std::string(o);
      return std::unexpected(Response::problem(
          Error::invalid("okänt format", {{"format", "välj " + names}})));
    }
    return *f;
  }
  if (ranges.empty()) return std::string(fallback);
  // The fallback first among equals: a browser's */* keeps the usual answer.
  double best_q = qualityOf(ranges, formatMediaType(fallback));
  std::string best(best_q > 0 ? fallback : std::string_view());
  for (auto f : offered) {
    double q = qualityOf(ranges, formatMediaType(f));
    if (q > best_q) {
      best_q = q;
      best = std::string(f);
    }
  }
  if (best.empty()) return std::unexpected(notAcceptable());
  return best;
}

}  // namespace kansli::api
