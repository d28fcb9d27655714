#include <algorithm>
#include <map>
#include <set>

#include "kansli/organisation.h"
#include "org/reader.h"

namespace kansli {
namespace org {
namespace {

// As xsd:token reads text: trimmed, each run of whitespace one space.
std::string collapse(std::string_view s) {
  std::string out;
  bool space = false;
  for (char c : s) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

std::string quote(std::string_view s) { return "\"" + std::string(s) + "\""; }

// Upper case for comparing series as people type them (ASCII and Latin-1).
std::string foldSeries(std::string_view s) {
  std::string out(s);
  for (std::size_t i = 0; i < out.size(); ++i) {
    auto c = static_cast<unsigned char>(out[i]);
    if (c >= 'a' && c <= 'z') {
      out[i] = static_cast<char>(c - 0x20);
    } else if (c == 0xC3 && i + 1 < out.size()) {
      auto n = static_cast<unsigned char>(out[i + 1]);
      if (n >= 0xA0 && n <= 0xBE && n != 0xB7) out[i + 1] = static_cast<char>(n - 0x20);
      ++i;
    }
  }
  return out;
}

class Reader {
 public:
  Reader(const xml::Document& doc, Organisation& out) : doc_(doc), out_(out) {}

  void run(const std::set<int>& schema_lines) {
    schema_lines_ = &schema_lines;
    xml::Element root = doc_.root();
    if (!root || root.name() != "organisation") {
      problem(root ? root.line() : 0, "rotelementet ska vara <organisation>");
      return;
    }
    out_.name = collapse(root.child("name").text());
    if (xml::Element c = root.child("contact")) {
      Contact& k = out_.contact;
      for (auto [tag, field] : {std::pair{"postal-address", &k.postal_address}, {"visiting-address", &k.visiting_address},
                                {"invoice-address", &k.invoice_address}, {"phone", &k.phone}, {"fax", &k.fax},
                                {"email", &k.email}, {"web", &k.web}, {"org-number", &k.org_number},
                                {"bankgiro", &k.bankgiro}, {"plusgiro", &k.plusgiro}}) {
        *field = collapse(c.child(tag).text());
      }
    }
    for (const xml::Element& c : root.child("committees").children("committee")) committee(c);
    for (const xml::Element& u : root.child("units").children("unit")) unit(u, nullptr);
    for (const xml::Element& k : root.child("kinds").children("kind")) kind(k);
    for (const xml::Element& p : root.child("secrecy").children("provision")) provision(p);
  }

  std::vector<xml::Problem> problems;

 private:
  void problem(int line, std::string message) {
    problems.push_back({doc_.name(), line, std::move(message)});
  }

  void committee(const xml::Element& e) {
    Committee c;
    c.line = e.line();
    c.id = e.attrOr("id", "");
    c.name = collapse(e.child("name").text());
    if (auto mail = e.child("email")) c.email = collapse(mail.text());
    c.series = e.attrOr("series", "");
    std::string numbering = e.attrOr("paragraph-numbering", "per-year");
    if (numbering == "continuous") c.paragraph_numbering = ParagraphNumbering::kContinuous;
    if (numbering == "per-meeting") c.paragraph_numbering = ParagraphNumbering::kPerMeeting;
    c.paragraph_style = e.attrOr("paragraph-style", "§ {n}");
    if (c.paragraph_style.find("{n}") == std::string::npos) {
      problem(c.line, "paragrafstilen " + quote(c.paragraph_style) + " saknar {n}");
    }
    xml::Element dnr = e.child("dnr");
    c.dnr_format = dnr.attrOr("format", "");
    c.dnr_label = collapse(dnr.attrOr("label", "Dnr"));
    std::string who = "nämnden " + quote(c.id.empty() ? c.name : c.id);

    if (!c.id.empty()) {
      if (auto [it, fresh] = committee_lines_.emplace(c.id, c.line); !fresh) {
        problem(c.line, who + " finns redan på rad " + std::to_string(it->second));
      }
    }
    // Series are compared as people type them: a dnr "ks 2020/1" is read as
    // KS's, so "Ks" beside "KS" would make every dnr of both ambiguous.
    if (!c.series.empty()) {
      if (auto [it, fresh] = series_owner_.emplace(foldSeries(c.series), std::make_pair(c.id, c.line));
          !fresh) {
        problem(c.line, "serien " + quote(c.series) + " används redan av nämnden " +
                            quote(it->second.first) + " på rad " +
                            std::to_string(it->second.second));
      }
    }
    if (dnr) {
      auto pattern = DnrPattern::compile(c.dnr_format);
      if (!pattern) {
        // An empty format is the schema's to report.
        if (!c.dnr_format.empty() || !schema_lines_->contains(dnr.line())) {
          problem(dnr.line(), "dnr-formatet för " + who + ": " + pattern.error().message);
        }
      } else {
        c.dnr = *pattern;
        // Whether the committee's own series can be written in its format (the
        // schema already says "letters"; this holds without a schema too).
        if (c.dnr.has(DnrField::kSeries) && !c.series.empty() &&
            !schema_lines_->contains(c.line)) {
          DnrParts sample{c.series, 2020, 1, "1", std::nullopt};
          if (auto fits = c.dnr.check(sample); !fits) {
            problem(c.line, "serien " + quote(c.series) + " kan inte skrivas med dnr-formatet " +
                                quote(c.dnr_format) + ": " + fits.error().message);
          }
        }
      }
    }
    out_.committees.push_back(std::move(c));
  }

  void unit(const xml::Element& e, const Unit* parent) {
    Unit u;
    u.line = e.line();
    u.id = e.attrOr("id", "");
    u.name = collapse(e.child("name").text());
    if (auto mail = e.child("email")) u.email = collapse(mail.text());
    u.parent = parent ? parent->id : "";
    u.administration = e.attrOr("type", "unit") == "administration";
    auto committee = e.attr("committee");
    u.committee = committee ? *committee : (parent ? parent->committee : "");
    if (!u.id.empty()) {
      if (auto [it, fresh] = unit_lines_.emplace(u.id, u.line); !fresh) {
        problem(u.line, "enheten " + quote(u.id) + " finns redan på rad " +
                            std::to_string(it->second));
      }
    }
    if (committee && !committee_lines_.contains(*committee)) {
      problem(u.line, "enheten " + quote(u.id) + " hör till nämnden " + quote(*committee) +
                          " som inte finns");
    }
    out_.units.push_back(u);
    // The XML layer's depth limit bounds this recursion.
    for (const xml::Element& child : e.children("unit")) unit(child, &u);
  }

  void kind(const xml::Element& e) {
    CaseKind k;
    k.line = e.line();
    k.id = e.attrOr("id", "");
    k.label = collapse(e.child("label").text());
    if (!k.id.empty()) {
      if (auto [it, fresh] = kind_lines_.emplace(k.id, k.line); !fresh) {
        problem(k.line, "ärendetypen " + quote(k.id) + " finns redan på rad " +
                            std::to_string(it->second));
      }
    }
    out_.kinds.push_back(std::move(k));
  }

  void provision(const xml::Element& e) {
    SecrecyProvision p;
    p.line = e.line();
    p.provision = collapse(e.attrOr("ref", ""));
    p.description = collapse(e.text());
    if (!p.provision.empty()) {
      if (auto [it, fresh] = provision_lines_.emplace(p.provision, p.line); !fresh) {
        problem(p.line, "bestämmelsen " + quote(p.provision) + " finns redan på rad " +
                            std::to_string(it->second));
      }
    }
    out_.secrecy_provisions.push_back(std::move(p));
  }

  const xml::Document& doc_;
  Organisation& out_;
  const std::set<int>* schema_lines_ = nullptr;
  std::map<std::string, int> committee_lines_;
  std::map<std::string, std::pair<std::string, int>> series_owner_;
  std::map<std::string, int> unit_lines_;
  std::map<std::string, int> kind_lines_;
  std::map<std::string, int> provision_lines_;
};


// Sample dnrs of a committee: its series, years and numbers of several
// lengths, class codes of each shape its format could carry, with and
// without a document number.
std::vector<DnrParts> sampleDnrs(const Committee& c) {
  std::vector<DnrParts> out;
  const std::vector<std::string> classes =
      c.dnr.has(DnrField::kClass) ? std::vector<std::string>{"1", "1.6", "013", "KS.01"} : std::vector<std::string>{""};
  for (int year : {2000, 2020, 2099}) {
    for (int number : {1, 9, 12, 262, 4711, 99999, 123456789}) {
      for (const auto& cls : classes) {
        DnrParts p{c.series, year, number, cls, std::nullopt};
        out.push_back(p);
        if (c.dnr.has(DnrField::kDoc)) {
          p.doc = 33;
          out.push_back(p);
        }
      }
    }
  }
  return out;
}

// What a schema cannot see in the committees' dnr formats: that every dnr a
// format writes parses back to the same parts (docs/dnr.md's promise), and
// that no two committees' dnrs can be mistaken for each other (a dnr that
// several committees' formats read names no committee).
void dnrProblems(const xml::Document& doc, const Organisation& org, std::vector<xml::Problem>& problems) {
  auto quoted = [](std::string_view s) { return "\"" + std::string(s) + "\""; };
  std::set<size_t> broken;
  for (size_t i = 0; i < org.committees.size(); ++i) {
    const Committee& c = org.committees[i];
    if (c.dnr.source().empty() || c.series.empty()) continue;
    for (const DnrParts& p : sampleDnrs(c)) {
      if (!c.dnr.check(p)) continue;  // a series the format cannot write is reported already
      const std::string written = c.dnr.format(p);
      auto strict = c.dnr.parse(written);
      auto lenient = c.dnr.parse(written, DnrParseMode::kLenient);
      DnrParts want = p;
      if (!c.dnr.has(DnrField::kSeries)) want.series.clear();
      if (!strict || !(*strict == want) || !lenient) {
        problems.push_back({doc.name(), c.line,
                            "dnr-formatet " + quoted(c.dnr_format) + " för nämnden " + quoted(c.id) +
                                " skriver diarienummer som inte kan läsas tillbaka: " + quoted(written)});
        broken.insert(i);
        break;
      }
    }
  }
  // A dnr of `a` that `b` reads as its own, if any.
  auto readByOther = [](const Committee& a, const Committee& b) -> std::optional<std::string> {
    for (const DnrParts& p : sampleDnrs(a)) {
      if (!a.dnr.check(p)) continue;
      const std::string written = a.dnr.format(p);
      auto read = b.dnr.parse(written, DnrParseMode::kLenient);
      if (!read) continue;
      if (b.dnr.has(DnrField::kSeries) && foldSeries(read->series) != foldSeries(b.series)) continue;
      return written;
    }
    return std::nullopt;
  };
  auto usable = [&](size_t i) {
    const Committee& c = org.committees[i];
    return !c.dnr.source().empty() && !c.series.empty() && !broken.count(i);
  };
  for (size_t j = 1; j < org.committees.size(); ++j) {
    if (!usable(j)) continue;
    for (size_t i = 0; i < j; ++i) {
      if (!usable(i)) continue;
      const Committee& a = org.committees[i];
      const Committee& b = org.committees[j];
      if (foldSeries(a.series) == foldSeries(b.series)) continue;  // a shared series is reported already
      auto shared = readByOther(a, b);
      if (!shared) shared = readByOther(b, a);
      if (!shared) continue;
      // Reported once per pair, on the later committee's line.
      problems.push_back({doc.name(), b.line,
                          "nämnderna " + quoted(a.id) + " och " + quoted(b.id) +
                              " har dnr-format som inte går att skilja åt: " + quoted(*shared) +
                              " kan höra till båda (lägg till {series} eller ändra formatet)"});
      break;
    }
  }
}

// The problems behind an error of the XML layer (parse or file).
std::vector<ConfigProblem> problemsOf(const Error& e, const std::string& file) {
  std::vector<ConfigProblem> out;
  for (const FieldError& f : e.fields) {
    int line = 0;
    if (f.field.rfind("line ", 0) == 0) line = std::atoi(f.field.c_str() + 5);
    out.push_back({file, line, f.message});
  }
  if (out.empty()) {
    std::string msg = e.message;
    if (msg.rfind(file + ": ", 0) == 0) msg = msg.substr(file.size() + 2);
    out.push_back({file, 0, msg});
  }
  return out;
}

}  // namespace

std::vector<xml::Problem> read(const xml::Document& doc, const xml::Schema* schema,
                               Organisation& out) {
  std::vector<xml::Problem> problems;
  if (schema) problems = schema->validate(doc);
  // libxml2 follows a precise RelaxNG error with a summary that has no line
  // ("Element committee failed to validate attributes"); it only adds noise.
  bool has_lines = std::any_of(problems.begin(), problems.end(),
                               [](const xml::Problem& p) { return p.line > 0; });
  if (has_lines) {
    std::erase_if(problems, [](const xml::Problem& p) { return p.line == 0; });
  }
  std::set<int> schema_lines;
  for (const xml::Problem& p : problems) schema_lines.insert(p.line);
  Reader reader(doc, out);
  reader.run(schema_lines);
  problems.insert(problems.end(), reader.problems.begin(), reader.problems.end());
  dnrProblems(doc, out, problems);
  std::stable_sort(problems.begin(), problems.end(),
                   [](const xml::Problem& a, const xml::Problem& b) { return a.line < b.line; });
  return problems;
}

namespace {

// Either the organisation or every problem.
struct Loaded {
  Organisation organisation;
  std::vector<ConfigProblem> problems;
  std::optional<Error> error;  // the file or schema could not be read at all
};

Loaded loadAll(const std::string& path, const std::string& schema_path) {
  Loaded r;
  auto schema = xml::Schema::load(schema_path);
  if (!schema) {
    r.problems = problemsOf(schema.error(), schema_path);
    r.error = schema.error();
    return r;
  }
  auto doc = xml::parseFile(path);
  if (!doc) {
    r.problems = problemsOf(doc.error(), path);
    if (doc.error().code == ErrorCode::kNotFound) r.error = doc.error();
    return r;
  }
  for (xml::Problem& p : read(*doc, &*schema, r.organisation)) {
    r.problems.push_back({std::move(p.file), p.line, std::move(p.message)});
  }
  return r;
}

}  // namespace
}  // namespace org

std::string Committee::formatParagraph(int n, int year) const {
  std::string out = paragraph_style;
  auto replace = [&](const std::string& field, const std::string& value) {
    for (size_t pos; (pos = out.find(field)) != std::string::npos;) out.replace(pos, field.size(), value);
  };
  char yy[8];
  std::snprintf(yy, sizeof yy, "%02d", ((year % 100) + 100) % 100);
  replace("{n}", std::to_string(n));
  replace("{yy}", yy);
  replace("{year}", std::to_string(year));
  return out;
}

std::string Committee::formatDnr(int year, int number, const std::string& class_code) const {
  return dnr.format(DnrParts{series, year, number, class_code, std::nullopt});
}

const Committee* Organisation::committee(std::string_view id) const {
  for (const Committee& c : committees) {
    if (c.id == id) return &c;
  }
  return nullptr;
}

const Committee* Organisation::committeeBySeries(std::string_view series) const {
  for (const Committee& c : committees) {
    if (c.series == series) return &c;
  }
  return nullptr;
}

const Unit* Organisation::unit(std::string_view id) const {
  for (const Unit& u : units) {
    if (u.id == id) return &u;
  }
  return nullptr;
}

bool Organisation::secrecyProvisionAllowed(std::string_view provision) const {
  if (secrecy_provisions.empty()) return true;
  return std::any_of(secrecy_provisions.begin(), secrecy_provisions.end(),
                     [&](const SecrecyProvision& p) { return p.provision == provision; });
}

const Unit* Organisation::administrationOf(std::string_view unit_id) const {
  // Parents come before their sub-units, and each level is one lookup: the
  // depth is bounded by the XML layer's.
  for (const Unit* u = unit(unit_id); u; u = u->parent.empty() ? nullptr : unit(u->parent)) {
    if (u->administration) return u;
  }
  return nullptr;
}

const CaseKind* Organisation::kind(std::string_view id) const {
  for (const CaseKind& k : kinds) {
    if (k.id == id) return &k;
  }
  return nullptr;
}

Result<DnrMatch> Organisation::findDnr(std::string_view dnr) const {
  std::vector<DnrMatch> matches;
  std::optional<Error> first_error;
  bool read_by_some = false;
  for (const Committee& c : committees) {
    auto parts = c.dnr.parse(dnr, DnrParseMode::kLenient);
    if (!parts) {
      if (!first_error) first_error = parts.error();
      continue;
    }
    read_by_some = true;
    if (c.dnr.has(DnrField::kSeries) && org::foldSeries(parts->series) != org::foldSeries(c.series)) {
      continue;
    }
    parts->series = c.series;  // as the organisation writes it, also for formats without it
    matches.push_back({&c, std::move(*parts)});
  }
  if (matches.size() == 1) return matches.front();
  if (matches.size() > 1) {
    std::string names;
    for (const DnrMatch& m : matches) {
      names += (names.empty() ? "" : ", ") + m.committee->name;
    }
    return std::unexpected(Error::conflict("diarienumret \"" + std::string(dnr) +
                                           "\" kan höra till flera nämnder: " + names));
  }
  if (read_by_some) {
    return std::unexpected(Error::notFound("ingen nämnd har serien i diarienumret \"" +
                                           std::string(dnr) + "\""));
  }
  if (committees.size() == 1 && first_error) return std::unexpected(*first_error);
  return std::unexpected(Error::invalid("\"" + std::string(dnr) +
                                        "\" är inte ett diarienummer i någon nämnds format"));
}

std::vector<ConfigProblem> checkOrganisation(const std::string& path,
                                             const std::string& schema_path) {
  return org::loadAll(path, schema_path).problems;
}

Result<Organisation> loadOrganisation(const std::string& path, const std::string& schema_path) {
  org::Loaded r = org::loadAll(path, schema_path);
  if (r.error) {
    if (r.error->code == ErrorCode::kNotFound) return std::unexpected(*r.error);
    return std::unexpected(Error::internal(r.error->message));
  }
  if (r.problems.empty()) return std::move(r.organisation);
  std::string message;
  std::vector<FieldError> fields;
  for (const ConfigProblem& p : r.problems) {
    message += (message.empty() ? "" : "\n") + p.str();
    fields.push_back({"line " + std::to_string(p.line), p.message});
  }
  return std::unexpected(Error::unprocessable(std::move(message), std::move(fields)));
}

}  // namespace kansli
