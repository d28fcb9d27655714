#include "render/paged.h"

#include <Poco/DateTime.h>
#include <Poco/Exception.h>
#include <Poco/Path.h>
#include <Poco/Zip/Compress.h>

#include <cctype>
#include <sstream>

#include "kansli/render.h"

namespace kansli {

FormatInfo formatInfo(Format f) {
  switch (f) {
    case Format::kPdf:
      return {"pdf", "application/pdf", ".pdf"};
    case Format::kDocx:
      return {"docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
              ".docx"};
    case Format::kOdt:
      return {"odt", "application/vnd.oasis.opendocument.text", ".odt"};
    case Format::kHtml:
      return {"html", "text/html; charset=utf-8", ".html"};
    case Format::kText:
      return {"txt", "text/plain; charset=utf-8", ".txt"};
  }
  return {"pdf", "application/pdf", ".pdf"};
}

std::optional<Format> parseFormat(std::string_view name) {
  std::string lower;
  for (char c : name) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (Format f : {Format::kPdf, Format::kDocx, Format::kOdt, Format::kHtml, Format::kText}) {
    if (formatInfo(f).name == lower) return f;
  }
  return std::nullopt;
}

namespace {
// ASCII letters and digits kept, every other run of characters one "-".
std::string slug(std::string_view s) {
  std::string out;
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) && u < 0x80) {
      out += c;
    } else if (!out.empty() && out.back() != '-') {
      out += '-';
    }
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out;
}
}  // namespace

std::string fileName(const doc::Document& d, Format f) {
  std::string dnr = slug(d.meta.reference);
  std::string kind = slug(d.kind);
  std::string base = dnr.empty() ? kind : (kind.empty() ? dnr : dnr + "-" + kind);
  if (base.empty()) base = "dokument";
  return base + std::string(formatInfo(f).suffix);
}

Result<std::string> writeDocument(const doc::Document& d, Format f) {
  switch (f) {
    case Format::kText: return writeText(d);
    case Format::kHtml: return writeHtml(d);
    case Format::kPdf: return writePdf(d);
    case Format::kDocx: return writeDocx(d);
    case Format::kOdt: return writeOdt(d);
  }
  return std::unexpected(Error::internal("okänt format"));
}

}  // namespace kansli

namespace kansli::render {

std::string pageNumberText(doc::PageStyle style, int page, int total) {
  switch (style) {
    case doc::PageStyle::kNumberOfTotal:
      return std::to_string(page) + " (" + std::to_string(total) + ")";
    case doc::PageStyle::kSidaAvTotal:
      return "Sida " + std::to_string(page) + " av " + std::to_string(total);
    case doc::PageStyle::kNumber:
      return std::to_string(page);
  }
  return std::to_string(page);
}

bool isLeftColumnRole(std::string_view role) {
  return role == "organisation" || role == "unit" || role == "committee" || role == "officer";
}

std::string fixedTimestamp(const doc::Document& d) {
  const std::string& s = d.meta.date;
  bool ok = s.size() == 10 && s[4] == '-' && s[7] == '-';
  for (size_t i = 0; ok && i < s.size(); ++i) {
    if (i != 4 && i != 7 && !std::isdigit(static_cast<unsigned char>(s[i]))) ok = false;
  }
  if (ok) {
    int month = std::stoi(s.substr(5, 2));
    int day = std::stoi(s.substr(8, 2));
    int year = std::stoi(s.substr(0, 4));
    ok = year >= 1980 && month >= 1 && month <= 12 && day >= 1 && day <= 31;
  }
  return (ok ? s : std::string("2000-01-01")) + "T00:00:00";
}

Result<void> checkInput(const doc::Document& d, const Layout& l) {
  if (std::string problem = doc::check(d); !problem.empty()) {
    return std::unexpected(Error::invalid("dokumentträdet är felaktigt: " + problem));
  }
  const double text_w = l.page_width_mm - l.margin_left_mm - l.margin_right_mm;
  const double text_h = l.page_height_mm - l.margin_top_mm - l.margin_bottom_mm;
  if (!(l.page_width_mm > 0 && l.page_height_mm > 0 && l.margin_left_mm >= 0 && l.margin_right_mm >= 0 &&
        l.margin_top_mm >= 0 && l.margin_bottom_mm >= 0 && l.page_width_mm <= 2000 &&
        l.page_height_mm <= 2000)) {
    return std::unexpected(Error::invalid("sidformatet är ogiltigt", {{"layout", "ogiltiga mått"}}));
  }
  if (text_w < 50 || text_h < 80) {
    return std::unexpected(Error::invalid("marginalerna lämnar för lite plats för texten",
                                          {{"layout", "för lite plats för texten"}}));
  }
  if (!(l.body_size_pt >= 6 && l.body_size_pt <= 24)) {
    return std::unexpected(Error::invalid("textstorleken ska vara 6–24 punkter",
                                          {{"layout.body_size_pt", "ska vara 6–24 punkter"}}));
  }
  return ok();
}

Result<std::string> zip(const std::vector<ZipEntry>& entries, const std::string& timestamp) {
  try {
    // Poco::Zip's DOS time has two-second resolution and no time zone; the
    // fixed local time is written as given.
    Poco::DateTime when(std::stoi(timestamp.substr(0, 4)), std::stoi(timestamp.substr(5, 2)),
                        std::stoi(timestamp.substr(8, 2)), 0, 0, 0);
    std::ostringstream out(std::ios::out | std::ios::binary);
    Poco::Zip::Compress c(out, /*seekableOut=*/true);
    for (const auto& e : entries) {
      std::istringstream in(e.data, std::ios::in | std::ios::binary);
      c.addFile(in, when, Poco::Path(e.path, Poco::Path::PATH_UNIX),
                e.store ? Poco::Zip::ZipCommon::CM_STORE : Poco::Zip::ZipCommon::CM_DEFLATE,
                Poco::Zip::ZipCommon::CL_MAXIMUM);
    }
    c.close();
    return out.str();
  } catch (const Poco::Exception& e) {
    return std::unexpected(Error::internal("kunde inte packa dokumentet: " + e.displayText()));
  } catch (const std::exception& e) {
    return std::unexpected(Error::internal(std::string("kunde inte packa dokumentet: ") + e.what()));
  }
}

}  // namespace kansli::render
