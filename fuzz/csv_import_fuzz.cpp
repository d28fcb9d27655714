// Fuzz target for `kansli import` files: parseImportCsv (kansli/csv_import.h),
// the handwritten RFC 4180 reader with its separator detection, BOM handling,
// UTF-8 check and sender parsing.
//
// Input: the bytes of a CSV file. Beyond "no crash, no sanitizer report" it
// traps when a promise breaks:
//   * errors are values: parseImportCsv never throws;
//   * rows come back in file order with line numbers after the header's;
//   * writing the readable rows back as RFC 4180 CSV (every field quoted) and
//     reading that again yields the same values (the reader and a writer that
//     follows the RFC agree);
//   * a leading byte-order mark changes nothing: the file read with one
//     prepended gives the same rows or the same error.
//
// Built by fuzz/CMakeLists.txt (`make fuzz`).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "kansli/csv_import.h"

namespace {

void require(bool ok) {
  if (!ok) __builtin_trap();
}

std::string quoted(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

// The values the import uses, senders aside (their text form is lossy).
std::string values(const kansli::ImportRow& r) {
  std::string out;
  for (const std::string& v : {r.dnr, r.c.committee, r.c.kind, r.c.subject, r.c.received,
                               r.c.unit.value_or(""), r.c.officer.value_or(""),
                               r.state.value_or("")}) {
    out += std::to_string(v.size()) + ":" + v;
  }
  return out;
}

std::string summary(const kansli::Result<std::vector<kansli::ImportRow>>& r) {
  if (!r) return "error:" + r.error().message;
  std::string out;
  for (const auto& row : *r) {
    out += std::to_string(row.line) + (row.problem ? "!" + *row.problem : values(row)) + "\n";
    for (const auto& s : row.c.senders) {
      out += s.name + "|" + s.party.value_or("-") + "|" + s.organisation.value_or("-") + ";";
    }
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto rows = kansli::parseImportCsv(text, 10000);

  if (text.substr(0, 3) != "\xEF\xBB\xBF") {
    auto with_bom = kansli::parseImportCsv("\xEF\xBB\xBF" + std::string(text), 10000);
    require(summary(with_bom) == summary(rows));
  }
  if (!rows) return 0;

  int last = 1;  // the header's line
  for (const auto& r : *rows) {
    require(r.line > last);
    last = r.line;
  }

  std::string csv = "dnr,committee,kind,subject,received,unit,officer,state\n";
  std::vector<const kansli::ImportRow*> good;
  for (const auto& r : *rows) {
    if (r.problem) continue;
    good.push_back(&r);
    csv += quoted(r.dnr) + "," + quoted(r.c.committee) + "," + quoted(r.c.kind) + "," +
           quoted(r.c.subject) + "," + quoted(r.c.received) + "," +
           quoted(r.c.unit.value_or("")) + "," + quoted(r.c.officer.value_or("")) + "," +
           quoted(r.state.value_or("")) + "\n";
  }
  auto again = kansli::parseImportCsv(csv, 10000);
  require(again.has_value());
  require(again->size() == good.size());
  for (std::size_t i = 0; i < good.size(); ++i) {
    require(!(*again)[i].problem);
    require(values((*again)[i]) == values(*good[i]));
  }
  return 0;
}
