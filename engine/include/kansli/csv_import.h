// Reading an old diarium from CSV for `kansli import`.
//
// The file is UTF-8 CSV (RFC 4180: comma or semicolon separated, as the header
// row shows; double quotes around fields holding separators, quotes or line
// breaks). The header names the columns, in any order:
//   dnr, committee, kind, subject, received     (required)
//   senders, unit, officer, state               (optional)
// senders holds one or more senders separated by ";" (or "|" when the file is
// semicolon-separated), each "Name (Party)" or "Name, Organisation".
// Row numbers in problems are the file's line numbers.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "kansli/diarium.h"
#include "kansli/error.h"

namespace kansli {


// Error only for a file that cannot be read as CSV at all (no header, a
// missing required column, invalid UTF-8, more than max_rows rows).
// Rows that cannot be read (wrong number of fields) come back with
// ImportRow::problem set, so the import reports them with the rest.
Result<std::vector<ImportRow>> parseImportCsv(std::string_view text, std::size_t max_rows = 2'000'000);

// "Andreas Falk (S)" -> {name, party}; "Anna Berg, Föreningen X" -> {name, organisation}.
Sender parseSenderText(std::string_view s);

}  // namespace kansli
