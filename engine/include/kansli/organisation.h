// The organisation: a municipality's committees (nämnder) with their diarium
// series and dnr formats, its units (enheter) and the kinds of case it handles.
//
// It is configuration, read from one XML file (schemas/organisation.rng;
// samples/nacka/organisation.xml is Nacka kommun). Loading checks everything
// at once and reports every problem as "file:line: message" (in Swedish):
// schema violations, duplicate committee, unit and kind ids, a series used by
// two committees, a dnr format that does not compile (kansli/dnr.h), a series
// its own dnr format cannot write, a unit naming an unknown committee.
//
// An Organisation is a plain value: copy it freely. Once loaded it is not
// changed, so any number of threads may read one at once. Pointers returned by
// the lookups point into the Organisation and live as long as it, unmodified.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "kansli/dnr.h"
#include "kansli/error.h"

namespace kansli {

// How a committee numbers the paragraphs (§) of its minutes.
enum class ParagraphNumbering {
  kPerYear,     // § 1 at the first meeting of each year (the default)
  kContinuous,  // on from the previous year
  kPerMeeting,  // § 1 at every meeting
};

struct Committee {
  std::string id;          // "SOCN": the code in the API and URLs
  std::string name;        // "Socialnämnden"
  std::string series;      // "SOCN": the diarium series its cases are numbered in
  std::string dnr_format;  // "{series} {year}/{number}", as written in the file
  std::string dnr_label;   // "Dnr": what precedes the dnr in documents
  DnrPattern dnr;          // dnr_format, compiled
  ParagraphNumbering paragraph_numbering = ParagraphNumbering::kPerYear;
  std::string paragraph_style = "§ {n}";  // "§ {n}/{yy}" writes "§ 63/20"
  std::string email;       // the committee's registry mailbox; may be empty
  int line = 0;            // where it is defined, for messages

  // Paragraph `n` of a meeting held in `year`, as the minutes write it.
  std::string formatParagraph(int n, int year) const;

  // The dnr of case `number` of `year` in this committee's series
  // ("SOCN 2020/262"). `class_code` is for formats with {class}.
  std::string formatDnr(int year, int number, const std::string& class_code = {}) const;
};

struct Unit {
  std::string id;         // "bfe"
  std::string name;       // "Barn- och familjeenheten"
  std::string parent;     // the id of the unit it belongs to; empty at the top
  std::string committee;  // the committee it works for (inherited); may be empty
  std::string email;      // the unit's functional mailbox; may be empty
  bool administration = false;  // a förvaltning (type="administration")
  int line = 0;
};

// A provision of offentlighets- och sekretesslagen (OSL) that secrecy is
// marked with: "OSL 26 kap. 1 §", and what it protects.
struct SecrecyProvision {
  std::string provision;    // as written on a case: "OSL 26 kap. 1 §"
  std::string description;  // "Uppgift om enskilds personliga förhållanden inom socialtjänsten"
  int line = 0;
};

// How the municipality is reached (<contact>): what footers print. Every
// field may be empty.
struct Contact {
  std::string postal_address;    // "131 81 Nacka"
  std::string visiting_address;  // "Stadshuset, Granitvägen 15"
  std::string invoice_address;
  std::string phone;             // "08-718 80 00"
  std::string fax;
  std::string email;             // "info@nacka.se"
  std::string web;               // "www.nacka.se"
  std::string org_number;        // "212000-0167"
  std::string bankgiro;
  std::string plusgiro;
};

struct CaseKind {
  std::string id;     // "politikerinitiativ"
  std::string label;  // "Politikerinitiativ"
  int line = 0;
};

// One problem in a configuration file, as `kansli check` prints it.
struct ConfigProblem {
  std::string file;
  int line = 0;  // 0 when the problem is the file as a whole
  std::string message;  // Swedish
  std::string str() const { return file + ":" + std::to_string(line) + ": " + message; }
};

// A dnr found to belong to a committee.
struct DnrMatch {
  const Committee* committee = nullptr;
  DnrParts parts;
};

struct Organisation {
  std::string name;  // "Nacka kommun"
  Contact contact;
  std::vector<Committee> committees;
  std::vector<Unit> units;  // parents before their sub-units
  std::vector<CaseKind> kinds;
  // The provisions secrecy is marked with; empty: any provision text is taken.
  std::vector<SecrecyProvision> secrecy_provisions;

  // nullptr when there is none.
  const Committee* committee(std::string_view id) const;
  const Committee* committeeBySeries(std::string_view series) const;
  const Unit* unit(std::string_view id) const;
  // The förvaltning a unit belongs to: the unit itself or its nearest
  // ancestor with type="administration"; nullptr when there is none.
  const Unit* administrationOf(std::string_view unit_id) const;
  const CaseKind* kind(std::string_view id) const;
  // Whether secrecy may be marked with `provision`: one of the listed ones,
  // or anything when none are listed.
  bool secrecyProvisionAllowed(std::string_view provision) const;

  // The committee a dnr belongs to and its parts, read as people type it
  // (DnrParseMode::kLenient): the committee whose format reads it and whose
  // series it names. kInvalidInput when no committee's format reads it,
  // kNotFound when it names no committee's series, kConflict when several
  // committees' formats (without {series}) read it.
  Result<DnrMatch> findDnr(std::string_view dnr) const;
};

// Every problem in the organisation file at `path`, checked against the
// RelaxNG schema at `schema_path`; empty when the file is good. A schema that
// cannot be loaded is reported as a problem of the schema file.
std::vector<ConfigProblem> checkOrganisation(const std::string& path,
                                             const std::string& schema_path);

// Loads the organisation file at `path`. On problems: Error{kUnprocessable}
// whose message lists every problem ("file:line: message", one per line) and
// whose fields are {"line N", message}; kNotFound when the file cannot be
// read; kInternal when the schema cannot be loaded.
Result<Organisation> loadOrganisation(const std::string& path, const std::string& schema_path);

}  // namespace kansli
