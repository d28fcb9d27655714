#include "kansli/csv_import.h"

#include <map>

#include "kansli/text.h"

namespace kansli {
namespace {

struct Record {
  int line = 0;
  std::vector<std::string> fields;
};

// RFC 4180 with a chosen separator. Handwritten because neither Poco nor any
// Debian C++ library in our stack parses CSV; it is small and fuzzed.
Result<std::vector<Record>> readRecords(std::string_view t, char sep, std::size_t max_rows) {
  std::vector<Record> out;
  Record cur;
  std::string field;
  int line = 1;
  cur.line = 1;
  bool in_quotes = false, field_started = false;
  for (size_t i = 0; i < t.size(); ++i) {
    char c = t[i];
    if (in_quotes) {
      if (c == '"') {
        if (i + 1 < t.size() && t[i + 1] == '"') {
          field += '"';
          ++i;
        } else {
          in_quotes = false;
        }
      } else {
        if (c == '\n') ++line;
        field += c;
      }
      continue;
    }
    if (c == '"' && !field_started) {
      in_quotes = true;
      field_started = true;
    } else if (c == sep) {
      cur.fields.push_back(std::move(field));
      field.clear();
      field_started = false;
    } else if (c == '\r') {
      continue;
    } else if (c == '\n') {
      cur.fields.push_back(std::move(field));
      field.clear();
      field_started = false;
      bool blank = cur.fields.size() == 1 && cur.fields[0].empty();
      if (!blank) out.push_back(std::move(cur));
      if (out.size() > max_rows) {
        return std::unexpected(Error::invalid("filen har fler än " + std::to_string(max_rows) +
                                              " rader"));
      }
      cur = Record{};
      cur.line = ++line;
    } else {
      field += c;
      field_started = true;
    }
  }
  if (in_quotes) {
    return std::unexpected(Error::invalid("rad " + std::to_string(cur.line) +
                                          ": ett citattecken stängs aldrig"));
  }
  if (field_started || !cur.fields.empty()) {
    cur.fields.push_back(std::move(field));
    out.push_back(std::move(cur));
  }
  return out;
}

std::vector<std::string> splitSenders(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s) {
    if (c == sep) {
      if (!text::trim(cur).empty()) out.push_back(text::trim(cur));
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!text::trim(cur).empty()) out.push_back(text::trim(cur));
  return out;
}

}  // namespace

Sender parseSenderText(std::string_view raw) {
  std::string s = text::trim(raw);
  Sender out;
  if (!s.empty() && s.back() == ')') {
    auto open = s.rfind('(');
    if (open != std::string::npos && open > 0) {
      out.name = text::trim(s.substr(0, open));
      out.party = text::trim(s.substr(open + 1, s.size() - open - 2));
      return out;
    }
  }
  if (auto comma = s.find(','); comma != std::string::npos) {
    out.name = text::trim(s.substr(0, comma));
    out.organisation = text::trim(s.substr(comma + 1));
    return out;
  }
  out.name = s;
  return out;
}

Result<std::vector<ImportRow>> parseImportCsv(std::string_view t, std::size_t max_rows) {
  if (t.substr(0, 3) == "\xEF\xBB\xBF") t.remove_prefix(3);  // BOM, and only a BOM
  if (!text::isValidUtf8(t)) return std::unexpected(Error::invalid("filen är inte giltig UTF-8"));
  auto first_line = t.substr(0, t.find('\n'));
  char sep = first_line.find(';') != std::string_view::npos &&
                     first_line.find(',') == std::string_view::npos
                 ? ';'
                 : ',';
  KANSLI_ASSIGN_OR_RETURN(auto records, readRecords(t, sep, max_rows));
  if (records.empty()) return std::unexpected(Error::invalid("filen är tom"));
  std::map<std::string, size_t> col;
  const auto& header = records.front().fields;
  for (size_t i = 0; i < header.size(); ++i) col[text::lowerSv(text::trim(header[i]))] = i;
  for (const char* required : {"dnr", "committee", "kind", "subject", "received"}) {
    if (!col.count(required)) {
      return std::unexpected(Error::invalid(std::string("rad 1: kolumnen ") + required +
                                            " saknas i rubrikraden"));
    }
  }
  char sender_sep = sep == ';' ? '|' : ';';
  std::vector<ImportRow> result;
  for (size_t r = 1; r < records.size(); ++r) {
    const Record& rec = (records)[r];
    auto get = [&](const char* name) -> std::string {
      auto it = col.find(name);
      if (it == col.end() || it->second >= rec.fields.size()) return "";
      return text::trim(rec.fields[it->second]);
    };
    ImportRow row;
    row.line = rec.line;
    if (rec.fields.size() != header.size()) {
      row.problem = "har " + std::to_string(rec.fields.size()) + " fält men rubrikraden " +
                    std::to_string(header.size());
      result.push_back(std::move(row));
      continue;
    }
    row.dnr = get("dnr");
    row.c.committee = get("committee");
    row.c.kind = get("kind");
    row.c.subject = get("subject");
    row.c.received = get("received");
    for (const auto& s : splitSenders(get("senders"), sender_sep)) {
      row.c.senders.push_back(parseSenderText(s));
    }
    if (auto u = get("unit"); !u.empty()) row.c.unit = u;
    if (auto o = get("officer"); !o.empty()) row.c.officer = o;
    if (auto st = get("state"); !st.empty()) row.state = st;
    result.push_back(std::move(row));
  }
  return result;
}

}  // namespace kansli
