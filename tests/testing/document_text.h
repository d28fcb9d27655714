// The text a person's programs would read out of an answer in each of the
// service's formats, for tests that look for words in every output (the
// secrecy property test): PDF through pdftotext and pdfinfo (the page text
// and the document information: Title, Subject, Keywords, Author), DOCX and
// ODT by unpacking every member of the package with unzip (document body,
// headers, footers, footnotes and the package's metadata).
//
// The tools come from scripts/install-deps (poppler-utils, unzip). They run
// with posix_spawn, not popen: a fork of a large sanitized test process with
// server threads is slow and copies locks held by other threads.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace kansli::testing {

// Runs `argv` (found on PATH) and returns its standard output, or nullopt
// when it could not be started or did not exit with 0.
std::optional<std::string> runTool(const std::vector<std::string>& argv);

// pdfinfo's fields followed by pdftotext's text (UTF-8) of every page.
// Throws std::runtime_error when the bytes are not a PDF the tools can read.
std::string pdfText(const std::string& pdf);

// The names of a zip package's (DOCX, ODT) members, then every member
// unpacked, concatenated. Throws when unzip cannot read the package.
std::string zipText(const std::string& zip);

}  // namespace kansli::testing
