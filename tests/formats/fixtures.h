// Shared by the format tests: the reference memo as a document tree, files in
// a temporary directory, and running the command-line tools that read PDFs
// and packages the way a person's programs would (pdftotext, pdfinfo, unzip,
// LibreOffice).
#pragma once

#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "kansli/writers.h"
#include "memo/fixtures.h"
#include "testing/reference_text.h"

namespace kansli::formatstest {

inline doc::Document referenceDocument() {
  auto m = parseMemo(memotest::sampleMemoXml(), "memo-SOCN-2020-262.xml");
  EXPECT_TRUE(m.has_value()) << m.error().message;
  auto t = loadTemplateByName("tjansteskrivelse");
  EXPECT_TRUE(t.has_value()) << t.error().message;
  auto d = renderMemo(*t, memotest::socn2020262(), *m);
  EXPECT_TRUE(d.has_value()) << d.error().message;
  return *d;
}

inline std::string referenceText() {
  return testing::readFile(memotest::dataPath("tjansteskrivelse-SOCN-2020-262.txt"));
}

struct Run {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs `command` with /bin/sh; stdout and stderr captured apart.
inline Run sh(const std::string& command) {
  testing::TempDir dir;
  std::string err_file = dir.file("stderr");
  Run r;
  FILE* p = popen((command + " 2>'" + err_file + "'").c_str(), "r");
  if (!p) return r;
  char buf[4096];
  for (size_t n; (n = fread(buf, 1, sizeof buf, p)) > 0;) r.out.append(buf, n);
  int status = pclose(p);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.err = testing::readFile(err_file);
  return r;
}

// With KANSLI_FORMATS_OUT=dir set, the tests leave a copy of what they wrote
// there, to look at (docs/images/ is made from it).
inline void keepCopy(const std::string& file) {
  const char* out = std::getenv("KANSLI_FORMATS_OUT");
  if (!out || !*out) return;
  std::filesystem::create_directories(out);
  std::filesystem::copy_file(file, std::filesystem::path(out) / std::filesystem::path(file).filename(),
                             std::filesystem::copy_options::overwrite_existing);
}

inline bool haveTool(const std::string& name) {
  return sh("command -v " + name + " >/dev/null").exit_code == 0;
}

inline int pdfPages(const std::string& pdf_file) {
  Run r = sh("pdfinfo '" + pdf_file + "'");
  auto pos = r.out.find("Pages:");
  if (pos == std::string::npos) return -1;
  return std::stoi(r.out.substr(pos + 6));
}

inline std::string pdfField(const std::string& pdf_file, const std::string& field) {
  Run r = sh("pdfinfo '" + pdf_file + "'");
  r.out.insert(0, "\n");
  auto pos = r.out.find("\n" + field + ":");
  if (pos == std::string::npos) return {};
  auto start = r.out.find_first_not_of(' ', pos + field.size() + 2);
  return r.out.substr(start, r.out.find('\n', start) - start);
}

inline std::string pageText(const std::string& pdf_file, int page) {
  std::string n = std::to_string(page);
  return sh("pdftotext -enc UTF-8 -f " + n + " -l " + n + " '" + pdf_file + "' -").out;
}

inline std::string unzipPart(const std::string& zip_file, const std::string& part) {
  // unzip reads its member arguments as wildcards: "[" must be escaped.
  std::string pattern;
  for (char c : part) {
    if (c == '[' || c == ']') pattern += '\\';
    pattern += c;
  }
  return sh("unzip -p '" + zip_file + "' '" + pattern + "'").out;
}

inline size_t count(const std::string& hay, const std::string& needle) {
  size_t n = 0;
  for (size_t pos = hay.find(needle); pos != std::string::npos; pos = hay.find(needle, pos + needle.size())) ++n;
  return n;
}

// Removes the first occurrence of `s` from `text`; false if it is not there.
inline bool removeOnce(std::string& text, const std::string& s) {
  auto pos = text.find(s);
  if (pos == std::string::npos) return false;
  text.erase(pos, s.size());
  return true;
}

// The text of a paged rendering of the reference memo, page furniture taken
// out: each page must carry the running header (date, document type, dnr and
// "N (M)"); the page number goes everywhere, the other header fields on every
// page but the first (the reference text has the letterhead once).
inline std::string withoutRunningHeader(const std::string& pdf_file, int pages, std::string* problems) {
  std::string all;
  for (int p = 1; p <= pages; ++p) {
    std::string text = pageText(pdf_file, p);
    std::string number = std::to_string(p) + " (" + std::to_string(pages) + ")";
    if (!removeOnce(text, number)) *problems += "sida " + std::to_string(p) + " saknar " + number + "\n";
    for (const char* field : {"2020-10-05", "TJÄNSTESKRIVELSE", "Dnr SOCN 2020/262"}) {
      if (text.find(field) == std::string::npos) {
        *problems += "sida " + std::to_string(p) + " saknar " + field + "\n";
      } else if (p > 1) {
        removeOnce(text, field);
      }
    }
    all += text + "\n";
  }
  return all;
}

}  // namespace kansli::formatstest
