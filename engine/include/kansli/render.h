// Rendering: templates + data -> one document tree (document.h) -> text / HTML.
//
//   CaseFacts + Memo --caseValues/memoValues--> Value tree --expand(Template)-->
//   doc::Document --writeText / writeHtml (later PDF, DOCX, ODT)--> bytes
//
// Templates are XML data (templates/template.rng, docs/templates.md): the
// letterhead fields, the footer, the headings a memo must and may have and in
// which order, and where values go. They hold no code; every value is escaped by
// every writer. A template is checked completely when loaded: schema, and every
// value name against the catalogue (docs/templates.md lists it), so an unknown
// name is an error with file:line rather than a blank in a memo.
//
// Templates are found by name: first in the municipality's override directory,
// then in the shipped templates/ directory (findTemplate). Names are plain words
// ("tjansteskrivelse"); anything that could leave the directory is refused.
//
// Threads: a loaded Template is immutable and may be shared by any number of
// threads rendering at once; all functions here are reentrant.
#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kansli/dnr.h"
#include "kansli/document.h"
#include "kansli/error.h"
#include "kansli/memo.h"
#include "kansli/organisation.h"
#include "kansli/sender.h"
#include "kansli/values.h"

namespace kansli {

// ---- Case data, as the diarium supplies it ---------------------------------

struct CaseDocument {
  int number = 0;     // the document's number within the case (docref n)
  std::string title;  // "Politikerinitiativ - Förebyggande åtgärder …"
  std::string date;   // YYYY-MM-DD
};

// The municipality as its documents name it: its name and the organisation
// file's <contact> (the footers' addresses). Every field may be empty.
struct OrgFacts {
  std::string name;  // "Nacka kommun"
  Contact contact;
};

// The facts of `org` for templates.
OrgFacts orgFactsOf(const Organisation& org);

struct CaseFacts {
  std::string dnr;             // "SOCN 2020/262"
  std::string dnr_label;       // "Dnr"
  std::string committee_id;    // "SOCN"
  std::string committee_name;  // "Socialnämnden"
  std::string administration_name;  // the förvaltning above the unit: "Socialförvaltningen"
  std::string unit_name;       // "Barn- och familjeenheten"
  std::string officer_name;
  std::string officer_title;   // from the user directory: "Socialsekreterare"
  std::string officer_email;
  std::string officer_phone;
  std::string kind;            // "politikerinitiativ", "motion", "medborgarforslag"
  std::string kind_label;      // "Politikerinitiativ"
  std::string subject;         // ärendemening
  std::string received;        // YYYY-MM-DD
  std::vector<Sender> senders;
  std::vector<CaseDocument> documents;
  OrgFacts org;                // the municipality, for letterheads and footers
};

// A case's facts from JSON named like the template values (docs/templates.md):
//   {"dnr": "KFN 13/33", "committee_name": "…", "unit_name": "…", "officer_name": "…",
//    "kind_label": "…", "received": "2013-01-15", "senders": [{"name": "…", "party": "…"}],
//    "documents": [{"number": 1, "title": "…", "date": "…"}], "org": {"name": "…", "phone": "…"}}
// Every field optional ("dnr_label" defaults to "Dnr"); an unknown field or a
// wrong type is kUnprocessable naming it; more than 1 MiB is kTooLarge.
Result<CaseFacts> parseCaseJson(std::string_view json, const std::string& name);

// {dnr, dnr_label, …, senders: [{name, party, organisation}], documents: [{number, title, date}]}
Value caseValues(const CaseFacts& c);
// {name, postal_address, visiting_address, …}
Value orgValues(const OrgFacts& o);
// {date, title, initiative?, committee?, number?, signatories: [{name, title, unit}],
//  send_to: [{name}]}. `number` is the memo's running number, when it has one.
Value memoValues(const Memo& m, const std::string& number = {});

// ---- Templates ---------------------------------------------------------------

// What a template says about one memo section kind (for editors that show the
// officer which headings are needed).
struct SectionRule {
  SectionKind kind = SectionKind::kOther;
  std::string heading;  // the template's heading; empty = the memo's own
  bool required = false;
  bool has_default = false;  // the template fills the section when the memo has none
};

// What a template is made of: its XML and the files it uses (logos), by name.
// Enough to load the same template again later (an approved memo keeps the
// version of its template), whatever happens to the files on disk.
struct TemplateFiles {
  std::string xml;
  std::map<std::string, std::string> assets;  // "logo.svg" -> the file's bytes

  bool operator==(const TemplateFiles&) const = default;
};

// TemplateFiles as one JSON text for the store: {"xml": "…", "assets":
// {"logo.svg": "<base64>"}} (assets by name, so the same files give the same
// text and the same sha256), and back. kInternal for text that is not such JSON.
std::string templateFilesJson(const TemplateFiles& files);
Result<TemplateFiles> templateFilesFromJson(std::string_view json);

// Reads a file the template names (<logo src="logo.svg">) and returns its
// bytes; kNotFound if there is none.
using AssetReader = std::function<Result<std::string>(const std::string& file)>;

// Files beside a template: `file` must be a plain name (no directories, as the
// schema already demands) of a regular file inside `dir` (a symlink leading out
// is refused), at most 1 MiB.
AssetReader assetsIn(const std::filesystem::path& dir);

// <numbering series="utlatande" format="{year}:{number}"/>: documents of the
// template get a running number per year in `series` when approved. The
// format is a dnr pattern (docs/dnr.md) with a year and {number}.
struct Numbering {
  std::string series;
  DnrPattern format;  // "{year}:{number}" unless the template says otherwise

  // "2018:12"
  std::string text(int year, int number) const { return format.format({"", year, number, "", std::nullopt}); }
};

namespace detail {
struct TemplateAst;
}

class Template {
 public:
  const std::string& name() const;    // <template name="…">
  const std::string& source() const;  // file or name it was loaded from
  const std::string& lang() const;
  // The section rules in the template's order; empty if it has no <sections>.
  const std::vector<SectionRule>& sections() const;
  // What the template was loaded from (parseTemplateFiles loads it again).
  const TemplateFiles& files() const;
  // Its running numbers, if it has <numbering>.
  const std::optional<Numbering>& numbering() const;
  const detail::TemplateAst& ast() const { return *ast_; }

  explicit Template(std::shared_ptr<const detail::TemplateAst> ast) : ast_(std::move(ast)) {}

 private:
  std::shared_ptr<const detail::TemplateAst> ast_;
};

// The shipped templates/ directory: $KANSLI_HOME/templates, or the source tree's.
std::filesystem::path shippedTemplatesDir();

// The file for template `name`: <override_dir>/<name>.xml if it exists, else
// <shipped_dir>/<name>.xml. `name` must match [a-z0-9][a-z0-9_-]* (at most 64
// characters; no dots, slashes or "..") or the result is kInvalidInput; the file
// must resolve inside its directory (a symlink leading out is refused).
// kNotFound if neither directory has it. An empty override_dir means none.
Result<std::filesystem::path> findTemplate(std::string_view name,
                                           const std::filesystem::path& override_dir,
                                           const std::filesystem::path& shipped_dir =
                                               shippedTemplatesDir());

// Parses and checks a template; `name` is used in errors ("name:line: …").
// Logos are read through `assets` when the template is loaded (without a
// reader a template with a <logo> is refused). Errors are kUnprocessable (422)
// with FieldError {"line N", …}.
Result<Template> parseTemplate(std::string_view xml, const std::string& name,
                               const AssetReader& assets = {});
// A template from what Template::files() returned.
Result<Template> parseTemplateFiles(const TemplateFiles& files, const std::string& name);
// The file, with logos from its directory.
Result<Template> loadTemplate(const std::filesystem::path& file);
// findTemplate + loadTemplate.
Result<Template> loadTemplateByName(std::string_view name,
                                    const std::filesystem::path& override_dir = {});
// loadTemplateByName, loaded once per (override_dir, name) for the life of the
// process (templates are immutable; a changed template needs a restart).
// Thread-safe; errors are not cached.
Result<Template> cachedTemplate(std::string_view name,
                                const std::filesystem::path& override_dir = {});
// parseTemplateFiles(templateFilesFromJson(files_json), name), remembered
// for the process: the template an approved memo keeps is parsed and
// checked (about 10 million instructions for tjänsteskrivelse, more than a
// tenth of writing the memo as PDF) once, not at every render. Keyed by the
// whole JSON text and the name, so other files (a changed template has
// another text and another sha256) never meet a remembered template. At most
// kKeptTemplateCacheSize entries; the one used longest ago goes first.
// Thread-safe; errors are not cached.
inline constexpr size_t kKeptTemplateCacheSize = 32;
Result<Template> cachedKeptTemplate(std::string_view files_json, const std::string& name);

// ---- Expansion -----------------------------------------------------------------

// What one memo may expand to. A memo is at most a few MB of XML, but each
// <docref n="…"/> is replaced by a document's title: without limits a memo of
// 50,000 docrefs to a long title expands a hundredfold. Beyond a limit the
// render is refused with kUnprocessable (422) and a message in Swedish.
struct RenderLimits {
  std::size_t max_docrefs = 1000;            // <docref> elements in one memo
  std::size_t max_text_bytes = 2 * 1024 * 1024;  // text of the whole document
  // Headings, paragraphs, list items and footnotes: each is laid out on its
  // own in paged formats, so a memo of 200,000 one-letter paragraphs is
  // refused although it is little text.
  std::size_t max_parts = 5000;
};

struct RenderOptions {
  // memo.number: the memo's running number ("2018:12"), given when it was
  // approved; empty before.
  std::string memo_number = {};
  RenderLimits limits = {};
  // Polled while rendering; when it returns true (the client has gone) the
  // render stops with ErrorCode::kCancelled. Empty: never.
  std::function<bool()> cancelled = {};
};

// Expands `tmpl` over `data` (a record whose fields are the catalogue's roots:
// case, memo, org, meeting, extract). `memo` supplies the sections for
// <sections>; it may be null for templates without one. Errors are
// kUnprocessable: a value the template needs is missing, a section the
// template requires is missing (named), a memo section has no place in the
// template, a <docref> names a document the case does not have, a date is not
// a date, the document grows beyond opts.limits. Linear in the size of the
// template, the data and the output.
Result<doc::Document> expand(const Template& tmpl, const Value& data, const Memo* memo = nullptr,
                             const RenderOptions& opts = {});

// The common case: a memo for a case. Same as
//   expand(tmpl, Value::record().set("case", caseValues(c)).set("org", orgValues(c.org))
//                     .set("memo", memoValues(m, opts.memo_number)), &m, opts)
// and then fills the document's metadata (doc::Metadata) from the case and memo.
Result<doc::Document> renderMemo(const Template& tmpl, const CaseFacts& c, const Memo& m,
                                 const RenderOptions& opts = {});

// The sections of `memo` checked against `tmpl` alone, without a case: every
// section the template requires is there (or has a default), and every section
// has a place. What `kansli check` says about a memo; renderMemo checks the same.
Result<void> checkMemoSections(const Template& tmpl, const Memo& memo);

// ---- Writers -------------------------------------------------------------------

struct TextOptions {
  // Plain text is not paged: page-number fields are left out unless this is set,
  // in which case they are written with "#" for the numbers ("Sida # av #").
  bool page_placeholders = false;
};

// UTF-8 plain text: one line per paragraph (no wrapping, so diffs are by
// paragraph), emphasis as *…*, footnote marks as superscript digits and the
// footnotes after the body ("¹ …"), footer lines last.
std::string writeText(const doc::Document& d, const TextOptions& opts = {});

// A standalone HTML5 page in XML syntax (parses as XHTML after the doctype line):
// lang from the document, one h1, ordered headings, footnotes linked both ways,
// a screen and a print stylesheet. Page-number fields become empty
// <span class="sidnummer" data-stil="…"> placeholders for paged printing.
std::string writeHtml(const doc::Document& d);

// ---- Swedish writing of values (exposed for other modules and tests) -------------

// "2020-08-25" -> "25 augusti 2020"; empty if not a real YYYY-MM-DD date.
std::string swedishLongDate(std::string_view iso);
// "2020-10-20" -> "tisdag 20 oktober 2020"; empty if not a real date.
std::string swedishWeekdayDate(std::string_view iso);
// A part of a date, for <value format="year|yy|month|month-name|day">:
// "2020-08-05" -> "2020", "20", "08", "augusti", "5". Empty if not a real date
// or an unknown part.
std::string swedishDatePart(std::string_view iso, std::string_view part);
// Names joined with ", " and " och ", each party in parentheses after the last
// name of its group (grouped by party, in order of first appearance):
// [Andreas Falk S, Maria Åberg S] -> "Andreas Falk och Maria Åberg (S)".
// A sender without a name is written by organisation.
std::string joinSenders(const std::vector<Sender>& senders);
// Upper case for the Latin letters Swedish uses (a-z, à-þ): "Förslag" -> "FÖRSLAG".
std::string upperSwedish(std::string_view s);

}  // namespace kansli
