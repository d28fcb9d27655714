// The diarium (kansli/diarium.h): dnr numbers, cases and their senders,
// documents, corrections, and the two search indexes (everything, and only
// what the public may read).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "kansli/case.h"
#include "kansli/error.h"
#include "store/search_words.h"

namespace kansli::store {

struct CaseListParams {
  const CaseQuery* query = nullptr;
  std::optional<SearchWords> words;  // full-text search
  bool public_view = false;          // search the public index
  std::string today;                 // for overdue
  std::optional<std::int64_t> after_id;
  std::optional<double> after_rank;
  // The caller's sight (kansli/access.h CaseScope): a committee, and units
  // (with an officer whose own cases count too).
  std::optional<std::string> scope_committee;
  std::optional<std::vector<std::string>> scope_units;
  std::optional<std::string> scope_officer;
  // The officer filter matches only cases without secrecy: for a caller who
  // sees the officer of a secret case masked, it must not tell who it is.
  bool officer_needs_open_case = false;
  // With words: newest first (by id, descending) instead of by relevance;
  // the diarium chooses it for words so common that ranking every hit would
  // cost more than it tells (Diarium::listCases).
  bool newest_first = false;
  // Cases left out: those a search by case number has already listed
  // before its full-text hits.
  std::vector<std::int64_t> exclude_ids;
};

// The cases a search names by their number: `number` in any series and
// year, narrowed to `year` and to one `dnr` when given.
struct CaseNumber {
  int number = 0;
  std::optional<int> year;
  std::optional<std::string> dnr;
};

struct CaseListRow {
  Case c;
  double rank = 0;  // relevance; lower is better
};

// The text of one case in the search indexes.
struct SearchText {
  std::string subject, senders, documents;
};

class DiariumRepo {
 public:
  virtual ~DiariumRepo() = default;

  // Draws the next number of (series, year): 1 for a new year.
  virtual Result<int> dnrDraw(const std::string& series, int year) = 0;
  // Makes sure later draws come after `number` (imports keep old numbers).
  virtual Result<void> dnrBumpTo(const std::string& series, int year, int number) = 0;

  virtual Result<std::int64_t> caseInsert(const Case& c, bool imported) = 0;
  virtual Result<std::optional<Case>> caseById(std::int64_t id) = 0;
  virtual Result<std::optional<Case>> caseByDnr(const std::string& dnr) = 0;
  virtual Result<bool> caseSeriesNumberTaken(const std::string& series, int year,
                                             int number) = 0;
  // Writes the mutable columns and senders and bumps the version.
  virtual Result<void> caseUpdate(const Case& c) = 0;

  virtual Result<std::vector<CaseListRow>> caseList(const CaseListParams& p) = 0;
  // The cases with case number n that pass p's filters and scope (p.words,
  // the cursor and the limit are not used), newest first, at most `max`. A
  // case number exists once per series and year, so these are few.
  virtual Result<std::vector<CaseListRow>> caseListByNumber(const CaseListParams& p,
                                                            const CaseNumber& n, int max) = 0;
  // Whether `words` match more than `n` cases (in the public or the full
  // index). Reads at most n + 1 hits, never ranks.
  virtual Result<bool> searchMatchesMoreThan(const SearchWords& words, bool public_view,
                                             std::int64_t n) = 0;
  // Writes the case's rows in both search indexes. kReplace replaces the rows
  // the case has; kNew is for a case inserted in this transaction, which has
  // none yet (case ids are never reused: cases are not deleted), so nothing
  // is looked up to be removed first.
  enum class IndexRows { kNew, kReplace };
  virtual Result<void> searchIndex(std::int64_t case_id, const SearchText& all,
                                   const SearchText& public_text, IndexRows rows) = 0;

  virtual Result<int> documentNextNumber(std::int64_t case_id) = 0;
  virtual Result<std::int64_t> documentInsert(const Document& d,
                                              const std::optional<std::string>& content) = 0;
  // Inserts `d` with its content streamed from `content` into the row in
  // chunks (SQLite's incremental blob I/O), never whole in memory; sets
  // d.size and d.sha256 from what was read, and returns the row id.
  virtual Result<std::int64_t> documentInsertStreamed(Document& d,
                                                      const ContentSource& content) = 0;
  virtual Result<std::vector<Document>> documentsOf(std::int64_t case_id) = 0;
  // The stored bytes and media type of a document, if it has content.
  virtual Result<std::optional<std::pair<std::string, std::string>>> documentContent(
      std::int64_t case_id, int number) = 0;

  virtual Result<void> correctionInsert(std::int64_t case_id, const Correction& c) = 0;
  virtual Result<std::vector<Correction>> correctionsOf(std::int64_t case_id) = 0;
};

}  // namespace kansli::store
