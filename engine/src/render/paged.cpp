#include "render/paged.h"

#include <zip.h>

#include <algorithm>
#include <cctype>
#include <memory>

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

Result<std::string> writeDocument(const doc::Document& d, Format f, const std::function<bool()>& cancelled) {
  switch (f) {
    case Format::kText: return writeText(d);
    case Format::kHtml: return writeHtml(d);
    case Format::kPdf: return writePdf(d, PdfOptions{std::nullopt, cancelled});
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
  return role == "organisation" || role == "administration" || role == "unit" || role == "committee" ||
         role == "officer";
}

BandColumns bandColumns(const doc::Band& band) {
  BandColumns columns;
  for (const auto& f : band.fields) {
    if (f.role == "page") {
      columns.page = &f;
    } else {
      (isLeftColumnRole(f.role) ? columns.left : columns.right).push_back(&f);
    }
  }
  return columns;
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
  if (!(l.line_spacing >= 0.5 && l.line_spacing <= 4)) {
    return std::unexpected(Error::invalid("radavståndet ska vara 0,5–4", {{"layout.line_spacing", "ska vara 0,5–4"}}));
  }
  if (!(l.body_size_pt >= 6 && l.body_size_pt <= 24)) {
    return std::unexpected(Error::invalid("textstorleken ska vara 6–24 punkter",
                                          {{"layout.body_size_pt", "ska vara 6–24 punkter"}}));
  }
  return ok();
}

Result<std::string> zip(const std::vector<ZipEntry>& entries, const std::string& timestamp) {
  // DOS date and time (two-second resolution, no time zone): the fixed local
  // time as given.
  const int year = std::stoi(timestamp.substr(0, 4));
  const int month = std::stoi(timestamp.substr(5, 2));
  const int day = std::stoi(timestamp.substr(8, 2));
  const auto dos_date = static_cast<zip_uint16_t>(((year - 1980) << 9) | (month << 5) | day);
  const zip_uint16_t dos_time = 0;

  zip_error_t err;
  zip_error_init(&err);
  auto fail = [&](const std::string& what) -> Result<std::string> {
    std::string msg = "kunde inte packa dokumentet: " + what;
    if (const char* e = zip_error_strerror(&err); e) msg += std::string(" (") + e + ")";
    zip_error_fini(&err);
    return std::unexpected(Error::internal(msg));
  };
  zip_source_t* buffer = zip_source_buffer_create(nullptr, 0, 0, &err);
  if (!buffer) return fail("ingen buffert");
  // The archive writes into `buffer`; keep it past zip_close to read it back.
  zip_source_keep(buffer);
  std::unique_ptr<zip_source_t, void (*)(zip_source_t*)> keep(buffer, zip_source_free);
  zip_t* archive = zip_open_from_source(buffer, ZIP_TRUNCATE, &err);
  if (!archive) return fail("arkivet kan inte skapas");
  for (const auto& e : entries) {
    zip_source_t* s = zip_source_buffer(archive, e.data.data(), e.data.size(), 0);
    zip_int64_t i = s ? zip_file_add(archive, e.path.c_str(), s, ZIP_FL_ENC_UTF_8) : -1;
    if (i < 0) {
      if (s) zip_source_free(s);
      zip_discard(archive);
      return fail(e.path);
    }
    auto index = static_cast<zip_uint64_t>(i);
    if (zip_set_file_compression(archive, index, e.store ? ZIP_CM_STORE : ZIP_CM_DEFLATE, e.store ? 0 : 9) != 0 ||
        zip_file_set_dostime(archive, index, dos_time, dos_date, 0) != 0) {
      zip_discard(archive);
      return fail(e.path);
    }
  }
  if (zip_close(archive) != 0) {
    std::string why = zip_strerror(archive);
    zip_discard(archive);
    return fail(why);
  }
  zip_stat_t st;
  zip_stat_init(&st);
  if (zip_source_stat(buffer, &st) != 0 || zip_source_open(buffer) != 0) return fail("bufferten kan inte läsas");
  std::string out(static_cast<size_t>(st.size), '\0');
  zip_int64_t n = zip_source_read(buffer, out.data(), st.size);
  zip_source_close(buffer);
  if (n < 0 || static_cast<zip_uint64_t>(n) != st.size) return fail("bufferten kan inte läsas");
  zip_error_fini(&err);
  return out;
}

Sizes sizesOf(const Layout& l) {
  Sizes s;
  s.body = l.body_size_pt;
  auto pick = [](double set, double derived) { return set > 0 ? set : derived; };
  s.title = pick(l.title_size_pt, s.body * 1.45);
  s.heading = pick(l.heading_size_pt, s.body * 1.09);
  s.heading_before = pick(l.heading_space_before_pt, s.body * 1.3);
  s.heading_after = pick(l.heading_space_after_pt, s.body * 0.35);
  s.paragraph_space = pick(l.paragraph_space_pt, s.body * 0.75);
  s.letterhead = pick(l.letterhead_size_pt, s.body * 0.86);
  s.label = s.letterhead * 0.8;
  s.note = s.body * 0.82;
  s.header_space = l.header_space_mm > 0 ? l.header_space_mm * kPointsPerMm : s.body * 2.2;
  s.line_spacing = l.line_spacing > 0 ? l.line_spacing : 1.0;
  return s;
}

double headingSize(const Sizes& s, int level) {
  return level <= 1 ? s.title : level == 2 ? s.heading : s.body;
}

std::vector<double> gridFractions(const doc::Grid& g) {
  double given = 0;
  int shared = 0;
  for (const auto& c : g.cells) {
    if (c.width_percent > 0) {
      given += c.width_percent;
    } else {
      ++shared;
    }
  }
  const double rest = shared ? std::max(0.0, 100.0 - given) / shared : 0;
  std::vector<double> out;
  for (const auto& c : g.cells) out.push_back((c.width_percent > 0 ? c.width_percent : rest) / 100.0);
  return out;
}

}  // namespace kansli::render
