#include <Poco/JSON/Array.h>

#include <algorithm>
#include <map>
#include <memory>
#include <sstream>

#include "kansli/digest.h"
#include "kansli/mutex.h"
#include "kansli/text.h"
#include "store/diarium_repo.h"
#include "store/sqlite/sqlite.h"

namespace kansli::store {
namespace {

std::string joinFields(const std::vector<std::string>& f) { return text::joinList(f); }
std::vector<std::string> splitFields(const std::string& s) { return text::splitList(s); }

// ["a","b"]: a list for json_each.
std::string jsonArray(const std::vector<std::string>& items) {
  Poco::JSON::Array a;
  for (const auto& i : items) a.add(i);
  std::ostringstream out;
  a.stringify(out);
  return out.str();
}

std::optional<Secrecy> secrecyFrom(const Stmt& s, int provision_col, int fields_col) {
  if (s.isNull(provision_col)) return std::nullopt;
  return Secrecy{s.str(provision_col), splitFields(s.str(fields_col))};
}

#define KANSLI_CASE_COLUMNS                                                                    \
  "c.id, c.dnr, c.committee, c.series, c.year, c.number, c.kind, c.subject, c.received,"     \
  " c.unit, c.officer, c.state, c.workflow_id, c.workflow_version, c.version, c.deadline,"   \
  " c.secrecy_provision, c.secret_fields, c.registered_at, c.registered_by, c.closed,"       \
  " (SELECT count(*) FROM documents d WHERE d.case_id = c.id), c.state_deadline"

Case caseFrom(const Stmt& s) {
  Case c;
  c.id = s.i64(0);
  c.dnr = s.str(1);
  c.committee = s.str(2);
  c.series = s.str(3);
  c.year = static_cast<int>(s.i64(4));
  c.number = static_cast<int>(s.i64(5));
  c.kind = s.str(6);
  c.subject = s.str(7);
  c.received = s.str(8);
  c.unit = s.optStr(9);
  c.officer = s.optStr(10);
  c.state = s.str(11);
  c.workflow_id = s.str(12);
  c.workflow_version = static_cast<int>(s.i64(13));
  c.version = s.i64(14);
  c.deadline = s.optStr(15);
  c.secrecy = secrecyFrom(s, 16, 17);
  c.registered_at = s.str(18);
  c.registered_by = s.str(19);
  c.closed = s.i64(20) != 0;
  c.document_count = static_cast<int>(s.i64(21));
  c.state_deadline = s.optStr(22);
  return c;
}

Result<void> loadSenders(SqliteTx& tx, Case& c) {
  KANSLI_ASSIGN_OR_RETURN(auto s, tx.prepare(
      "SELECT name, party, organisation FROM case_senders WHERE case_id = ? ORDER BY position"));
  s.bind(1, c.id);
  c.senders.clear();
  while (true) {
    KANSLI_ASSIGN_OR_RETURN(auto row, s.step());
    if (!row) return {};
    c.senders.push_back({s.str(0), s.optStr(1), s.optStr(2)});
  }
}

// The senders of a whole page in one statement instead of one per case. The
// statement has a fixed number of placeholders (the largest page, 200, plus
// the one that tells whether there is a next page), so it is prepared once;
// the ones a smaller page leaves unbound are NULL and match nothing.
constexpr int kSenderBatch = 201;

Result<void> loadSenders(SqliteTx& tx, std::vector<CaseListRow>& rows) {
  static const std::string kSql = [] {
    std::string sql =
        "SELECT case_id, name, party, organisation FROM case_senders WHERE case_id IN (";
    for (int i = 0; i < kSenderBatch; ++i) sql += i ? ",?" : "?";
    return sql + ") ORDER BY case_id, position";
  }();
  for (std::size_t first = 0; first < rows.size(); first += kSenderBatch) {
    std::size_t end = std::min(rows.size(), first + kSenderBatch);
    std::map<std::int64_t, Case*> byId;
    KANSLI_ASSIGN_OR_RETURN(auto s, tx.prepare(kSql.c_str()));
    for (std::size_t i = first; i < end; ++i) {
      s.bind(static_cast<int>(i - first + 1), rows[i].c.id);
      rows[i].c.senders.clear();
      byId[rows[i].c.id] = &rows[i].c;
    }
    while (true) {
      KANSLI_ASSIGN_OR_RETURN(auto row, s.step());
      if (!row) break;
      auto it = byId.find(s.i64(0));
      if (it != byId.end()) it->second->senders.push_back({s.str(1), s.optStr(2), s.optStr(3)});
    }
  }
  return {};
}

// The case's senders in their order. A new case has none to replace, so
// registration skips the DELETE (a search of the senders' index).
enum class SendersWrite { kNewCase, kReplace };

Result<void> writeSenders(SqliteTx& tx, const Case& c, SendersWrite how) {
  if (how == SendersWrite::kReplace) {
    KANSLI_ASSIGN_OR_RETURN(auto del, tx.prepare("DELETE FROM case_senders WHERE case_id = ?"));
    del.bind(1, c.id);
    KANSLI_TRY(del.run());
  }
  int pos = 0;
  for (const auto& sender : c.senders) {
    KANSLI_ASSIGN_OR_RETURN(auto ins, tx.prepare(
        "INSERT INTO case_senders(case_id, position, name, party, organisation)"
        " VALUES(?,?,?,?,?)"));
    ins.bind(1, c.id).bind(2, pos++).bind(3, sender.name).bind(4, sender.party);
    ins.bind(5, sender.organisation);
    KANSLI_TRY(ins.run());
  }
  return {};
}

Result<std::optional<Case>> oneCase(SqliteTx& tx, Stmt& s) {
  KANSLI_ASSIGN_OR_RETURN(auto row, s.step());
  if (!row) return std::optional<Case>{};
  Case c = caseFrom(s);
  KANSLI_TRY(loadSenders(tx, c));
  return std::optional<Case>{std::move(c)};
}

class SqliteDiarium final : public DiariumRepo {
 public:
  explicit SqliteDiarium(SqliteTx& tx) : tx_(tx) {}
  Result<int> dnrDraw(const std::string& series, int year) override;
  Result<void> dnrBumpTo(const std::string& series, int year, int number) override;
  Result<std::int64_t> caseInsert(const Case& c, bool imported) override;
  Result<std::optional<Case>> caseById(std::int64_t id) override;
  Result<std::optional<Case>> caseByDnr(const std::string& dnr) override;
  Result<bool> caseSeriesNumberTaken(const std::string& series, int year, int number) override;
  Result<void> caseUpdate(const Case& c) override;
  Result<std::vector<CaseListRow>> caseList(const CaseListParams& p) override;
  Result<std::vector<CaseListRow>> caseListByNumber(const CaseListParams& p, const CaseNumber& n,
                                                    int max) override;
  Result<bool> searchMatchesMoreThan(const SearchWords& words, bool public_view, std::int64_t n) override;
  Result<void> searchIndex(std::int64_t case_id, const SearchText& all, const SearchText& public_text,
                           IndexRows rows) override;
  Result<int> documentNextNumber(std::int64_t case_id) override;
  Result<std::int64_t> documentInsert(const Document& d, const std::optional<std::string>& content) override;
  Result<std::int64_t> documentInsertStreamed(Document& d, const ContentSource& content) override;
  Result<std::vector<Document>> documentsOf(std::int64_t case_id) override;
  Result<std::optional<std::pair<std::string, std::string>>> documentContent( std::int64_t case_id, int number) override;
  Result<void> correctionInsert(std::int64_t case_id, const Correction& c) override;
  Result<std::vector<Correction>> correctionsOf(std::int64_t case_id) override;

 private:
  SqliteTx& tx_;
};

}  // namespace

// Read, then write the next number: the writer is the only one drawing, in
// its transaction. Not an upsert with RETURNING, which builds a temporary
// table for its one row: 30,000 instructions a draw against 15,000 for
// these two statements (issue #20, bench/README session 7).
Result<int> SqliteDiarium::dnrDraw(const std::string& series, int year) {
  std::optional<std::int64_t> last_number;
  {
    KANSLI_ASSIGN_OR_RETURN(auto last, tx_.prepare(
        "SELECT last_number FROM dnr_sequences WHERE series = ? AND year = ?"));
    last.bind(1, series).bind(2, year);
    KANSLI_ASSIGN_OR_RETURN(bool known, last.step());
    if (known) last_number = last.i64(0);
  }  // the statement is reset before the table is written
  if (!last_number) {  // the series' first number this year
    KANSLI_ASSIGN_OR_RETURN(auto first, tx_.prepare(
        "INSERT INTO dnr_sequences(series, year, last_number) VALUES(?, ?, 1)"));
    first.bind(1, series).bind(2, year);
    KANSLI_TRY(first.run());
    return 1;
  }
  const std::int64_t n = *last_number + 1;
  KANSLI_ASSIGN_OR_RETURN(auto next, tx_.prepare(
      "UPDATE dnr_sequences SET last_number = ? WHERE series = ? AND year = ?"));
  next.bind(1, n).bind(2, series).bind(3, year);
  KANSLI_TRY(next.run());
  return static_cast<int>(n);
}

Result<void> SqliteDiarium::dnrBumpTo(const std::string& series, int year, int number) {
  KANSLI_ASSIGN_OR_RETURN(auto s, tx_.prepare(
      "INSERT INTO dnr_sequences(series, year, last_number) VALUES(?, ?, ?)"
      " ON CONFLICT(series, year) DO UPDATE SET last_number = max(last_number, excluded.last_number)"));
  s.bind(1, series).bind(2, year).bind(3, number);
  return s.run();
}

Result<std::int64_t> SqliteDiarium::caseInsert(const Case& c, bool imported) {
  KANSLI_ASSIGN_OR_RETURN(auto s, tx_.prepare(
      "INSERT INTO cases(dnr, committee, series, year, number, kind, subject, received, unit,"
      " officer, state, workflow_id, workflow_version, version, deadline, secrecy_provision,"
      " secret_fields, registered_at, registered_by, imported, closed, state_deadline)"
      " VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,1,?,?,?,?,?,?,?,?)"));
  s.bind(1, c.dnr).bind(2, c.committee).bind(3, c.series).bind(4, c.year).bind(5, c.number);
  s.bind(6, c.kind).bind(7, c.subject).bind(8, c.received).bind(9, c.unit).bind(10, c.officer);
  s.bind(11, c.state).bind(12, c.workflow_id).bind(13, c.workflow_version).bind(14, c.deadline);
  if (c.secrecy) {
    s.bind(15, c.secrecy->provision).bind(16, joinFields(c.secrecy->fields));
  } else {
    s.bindNull(15).bind(16, "");
  }
  s.bind(17, c.registered_at).bind(18, c.registered_by).bind(19, imported ? 1 : 0);
  s.bind(20, c.closed ? 1 : 0).bind(21, c.state_deadline);
  KANSLI_TRY(s.run());
  Case stored = c;
  stored.id = tx_.lastInsertId();
  KANSLI_TRY(writeSenders(tx_, stored, SendersWrite::kNewCase));
  return stored.id;
}

Result<std::optional<Case>> SqliteDiarium::caseById(std::int64_t id) {
  KANSLI_ASSIGN_OR_RETURN(auto s, tx_.prepare("SELECT " KANSLI_CASE_COLUMNS " FROM cases c WHERE c.id = ?"));
  s.bind(1, id);
  return oneCase(tx_, s);
}

Result<std::optional<Case>> SqliteDiarium::caseByDnr(const std::string& dnr) {
  KANSLI_ASSIGN_OR_RETURN(auto s, tx_.prepare("SELECT " KANSLI_CASE_COLUMNS " FROM cases c WHERE c.dnr = ?"));
  s.bind(1, dnr);
  return oneCase(tx_, s);
}

Result<bool> SqliteDiarium::caseSeriesNumberTaken(const std::string& series, int year, int number) {
  KANSLI_ASSIGN_OR_RETURN(auto s, tx_.prepare("SELECT 1 FROM cases WHERE series = ? AND year = ? AND number = ?"));
  s.bind(1, series).bind(2, year).bind(3, number);
  KANSLI_ASSIGN_OR_RETURN(auto row, s.step());
  return row;
}

namespace {

// The mutable columns of cases, in caseUpdate's order (secrecy_provision and
// secret_fields travel together).
enum CaseColumn : unsigned {
  kColSubject, kColReceived, kColUnit, kColOfficer, kColState, kColDeadline, kColSecrecy,
  kColClosed, kColWorkflowId, kColWorkflowVersion, kColStateDeadline, kCaseColumns
};

// "UPDATE cases SET <the columns in mask> ..., version = version + 1 WHERE id = ?",
// made once per set of columns. The statement cache is keyed by the SQL's
// address, so each text lives as long as the program (at most 2^11 of them;
// a transition uses one or two).
Mutex g_update_sql_mu;  // writer threads of several stores (tests) may ask at once
std::map<unsigned, std::string> g_update_sql KANSLI_GUARDED_BY(g_update_sql_mu);

const char* caseUpdateSql(unsigned mask) {
  static const char* const kSet[kCaseColumns] = {
      "subject = ?", "received = ?", "unit = ?", "officer = ?", "state = ?", "deadline = ?",
      "secrecy_provision = ?, secret_fields = ?", "closed = ?", "workflow_id = ?",
      "workflow_version = ?", "state_deadline = ?"};
  MutexLock lock(g_update_sql_mu);
  auto [it, fresh] = g_update_sql.try_emplace(mask);
  if (fresh) {
    std::string sql = "UPDATE cases SET ";
    for (unsigned col = 0; col < kCaseColumns; ++col) {
      if (mask & (1u << col)) sql += std::string(kSet[col]) + ", ";
    }
    sql += "version = version + 1 WHERE id = ?";
    it->second = std::move(sql);
  }
  return it->second.c_str();
}

bool sameSenders(const std::vector<Sender>& a, const std::vector<Sender>& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](const Sender& x, const Sender& y) {
    return x.name == y.name && x.party == y.party && x.organisation == y.organisation;
  });
}

}  // namespace

// Writes only the columns and senders that differ from the row as it is
// (issue #20): SQLite rewrites the entries of every index over a column an
// UPDATE names, whether its value changed or not, and a transition changes
// two or three of the twelve mutable columns (seven of them indexed) and
// no sender. Reading the row first (its page is in the cache: the caller
// has just read it) costs far less than those index writes.
Result<void> SqliteDiarium::caseUpdate(const Case& c) {
  Case before;
  {
    KANSLI_ASSIGN_OR_RETURN(auto s, tx_.prepare(
        "SELECT subject, received, unit, officer, state, deadline, secrecy_provision,"
        " secret_fields, closed, workflow_id, workflow_version, state_deadline"
        " FROM cases WHERE id = ?"));
    s.bind(1, c.id);
    KANSLI_ASSIGN_OR_RETURN(auto row, s.step());
    if (!row) return {};  // as an UPDATE of no row: nothing to write
    before.subject = s.str(0);
    before.received = s.str(1);
    before.unit = s.optStr(2);
    before.officer = s.optStr(3);
    before.state = s.str(4);
    before.deadline = s.optStr(5);
    before.secrecy = secrecyFrom(s, 6, 7);
    before.closed = s.i64(8) != 0;
    before.workflow_id = s.str(9);
    before.workflow_version = static_cast<int>(s.i64(10));
    before.state_deadline = s.optStr(11);
    (void)s.step();
  }
  {
    KANSLI_ASSIGN_OR_RETURN(auto s, tx_.prepare(
        "SELECT name, party, organisation FROM case_senders WHERE case_id = ? ORDER BY position"));
    s.bind(1, c.id);
    while (true) {
      KANSLI_ASSIGN_OR_RETURN(auto row, s.step());
      if (!row) break;
      before.senders.push_back({s.str(0), s.optStr(1), s.optStr(2)});
    }
  }
  auto secretFields = [](const Case& k) { return k.secrecy ? joinFields(k.secrecy->fields) : ""; };
  auto provision = [](const Case& k) {
    return k.secrecy ? std::optional<std::string>(k.secrecy->provision) : std::nullopt;
  };
  unsigned mask = 0;
  auto mark = [&](CaseColumn col, bool differs) { if (differs) mask |= 1u << col; };
  mark(kColSubject, before.subject != c.subject);
  mark(kColReceived, before.received != c.received);
  mark(kColUnit, before.unit != c.unit);
  mark(kColOfficer, before.officer != c.officer);
  mark(kColState, before.state != c.state);
  mark(kColDeadline, before.deadline != c.deadline);
  mark(kColSecrecy, provision(before) != provision(c) || secretFields(before) != secretFields(c));
  mark(kColClosed, before.closed != c.closed);
  mark(kColWorkflowId, before.workflow_id != c.workflow_id);
  mark(kColWorkflowVersion, before.workflow_version != c.workflow_version);
  mark(kColStateDeadline, before.state_deadline != c.state_deadline);
  KANSLI_ASSIGN_OR_RETURN(auto s, tx_.prepare(caseUpdateSql(mask)));
  int i = 0;
  for (unsigned col = 0; col < kCaseColumns; ++col) {
    if (!(mask & (1u << col))) continue;
    switch (static_cast<CaseColumn>(col)) {
      case kColSubject: s.bind(++i, c.subject); break;
      case kColReceived: s.bind(++i, c.received); break;
      case kColUnit: s.bind(++i, c.unit); break;
      case kColOfficer: s.bind(++i, c.officer); break;
      case kColState: s.bind(++i, c.state); break;
      case kColDeadline: s.bind(++i, c.deadline); break;
      case kColSecrecy:
        if (c.secrecy) {
          s.bind(++i, c.secrecy->provision);
          s.bind(++i, joinFields(c.secrecy->fields));
        } else {
          s.bindNull(++i);
          s.bind(++i, "");
        }
        break;
      case kColClosed: s.bind(++i, c.closed ? 1 : 0); break;
      case kColWorkflowId: s.bind(++i, c.workflow_id); break;
      case kColWorkflowVersion: s.bind(++i, c.workflow_version); break;
      case kColStateDeadline: s.bind(++i, c.state_deadline); break;
      case kCaseColumns: break;
    }
  }
  s.bind(++i, c.id);
  KANSLI_TRY(s.run());
  if (sameSenders(before.senders, c.senders)) return {};
  return writeSenders(tx_, c, SendersWrite::kReplace);
}

#define KANSLI_CASE_FILTERS                                                  \
  " (?1 IS NULL OR c.committee = ?1) AND (?2 IS NULL OR c.kind = ?2)"       \
  " AND (?3 IS NULL OR c.state = ?3) AND (?4 IS NULL OR c.unit = ?4)"       \
  " AND (?5 IS NULL OR (c.officer = ?5 AND (?23 = 0 OR c.secrecy_provision IS NULL)))" \
  " AND (?6 IS NULL OR c.year = ?6)"                                        \
  " AND (?7 IS NULL OR c.received >= ?7) AND (?8 IS NULL OR c.received <= ?8)" \
  " AND (?9 = 0 OR (c.closed = 0 AND (c.deadline < ?10 OR c.state_deadline < ?10)))" \
  " AND (?11 IS NULL OR c.dnr = ?11)"                                       \
  " AND (?20 IS NULL OR c.committee = ?20)"                                 \
  " AND (?21 IS NULL OR c.unit IN (SELECT value FROM json_each(?21)) OR c.officer = ?22)" \
  " AND (?24 IS NULL OR c.id NOT IN (SELECT value FROM json_each(?24)))"

namespace {
// Binds the filters and the caller's sight shared by every case listing.
void bindCaseFilters(Stmt& s, const CaseListParams& p) {
  const CaseQuery& q = *p.query;
  s.bind(1, q.committee).bind(2, q.kind).bind(3, q.state).bind(4, q.unit).bind(5, q.officer);
  if (q.year) {
    s.bind(6, *q.year);
  } else {
    s.bindNull(6);
  }
  s.bind(7, q.received_from).bind(8, q.received_to).bind(9, q.overdue ? 1 : 0).bind(10, p.today);
  s.bind(11, q.dnr);
  // The caller's sight (kansli/access.h): only the cases they may see.
  s.bind(20, p.scope_committee).bind(22, p.scope_officer);
  s.bind(23, p.officer_needs_open_case ? 1 : 0);
  if (p.scope_units) {
    s.bind(21, jsonArray(*p.scope_units));  // read by json_each
  } else {
    s.bindNull(21);
  }
  if (p.exclude_ids.empty()) {
    s.bindNull(24);
  } else {
    std::string ids = "[";
    for (std::size_t i = 0; i < p.exclude_ids.size(); ++i) {
      ids += (i ? "," : "") + std::to_string(p.exclude_ids[i]);
    }
    s.bind(24, ids + "]");
  }
}
}  // namespace

Result<std::vector<CaseListRow>> SqliteDiarium::caseList(const CaseListParams& p) {
  const CaseQuery& q = *p.query;
  static const char* const kPlain =
      "SELECT " KANSLI_CASE_COLUMNS ", 0.0 FROM cases c WHERE" KANSLI_CASE_FILTERS
      " AND (?12 IS NULL OR c.id < ?12) ORDER BY c.id DESC LIMIT ?13";
  // Ranked: bm25 for every hit, the filters on the case row, and the sort
  // for the page happen on (id, rank) pairs only; the page's columns
  // (with the correlated document count) are computed for its rows alone.
  // The diarium only ranks queries with few hits (see
  // searchMatchesMoreThan), so the bm25 work stays bounded.
#define KANSLI_RANKED_SEARCH(TABLE)                                               \
  "SELECT " KANSLI_CASE_COLUMNS ", t.r FROM"                                      \
  " (SELECT s.cid AS cid, s.r AS r FROM"                                          \
  "  (SELECT rowid AS cid, bm25(" TABLE ", 10.0, 5.0, 1.0) AS r"                  \
  "   FROM " TABLE " WHERE " TABLE " MATCH ?14) s"                                \
  "  CROSS JOIN cases c ON c.id = s.cid WHERE" KANSLI_CASE_FILTERS               \
  "  AND (?15 IS NULL OR s.r > ?15 OR (s.r = ?15 AND s.cid > ?12))"              \
  "  ORDER BY s.r, s.cid LIMIT ?13) t"                                            \
  " CROSS JOIN cases c ON c.id = t.cid ORDER BY t.r, t.cid"
  // Ranked without filters: no case row is read until the page is chosen.
  // (Joining every hit to its case, only to find that no filter applies,
  // costs more than ranking: random reads over the whole cases table.)
#define KANSLI_BM25(TABLE) "bm25(" TABLE ", 10.0, 5.0, 1.0)"
#define KANSLI_RANKED_SEARCH_UNFILTERED(TABLE)                                    \
  "SELECT " KANSLI_CASE_COLUMNS ", t.r FROM"                                      \
  " (SELECT rowid AS cid, " KANSLI_BM25(TABLE) " AS r FROM " TABLE                \
  "  WHERE " TABLE " MATCH ?14 AND (?15 IS NULL OR " KANSLI_BM25(TABLE) " > ?15"  \
  "   OR (" KANSLI_BM25(TABLE) " = ?15 AND rowid > ?12))"                         \
  "  ORDER BY r, cid LIMIT ?13) t"                                                \
  " CROSS JOIN cases c ON c.id = t.cid ORDER BY t.r, t.cid"
  // Newest first: FTS5 walks its doclist from the highest rowid down (the
  // ORDER BY and the rowid bound are handed to it) and stops after the page,
  // so the cost does not grow with the number of hits.
#define KANSLI_NEWEST_SEARCH(TABLE)                                               \
  "SELECT " KANSLI_CASE_COLUMNS ", 0.0 FROM " TABLE                               \
  " CROSS JOIN cases c ON c.id = " TABLE ".rowid"                                 \
  " WHERE " TABLE " MATCH ?14 AND" KANSLI_CASE_FILTERS                            \
  " AND " TABLE ".rowid < coalesce(?12, 9223372036854775807)"                     \
  " ORDER BY " TABLE ".rowid DESC LIMIT ?13"
  static const char* const kPublicSearch = KANSLI_RANKED_SEARCH("public_search");
  static const char* const kSearch = KANSLI_RANKED_SEARCH("case_search");
  static const char* const kPublicSearchAll = KANSLI_RANKED_SEARCH_UNFILTERED("public_search");
  static const char* const kSearchAll = KANSLI_RANKED_SEARCH_UNFILTERED("case_search");
  static const char* const kPublicNewest = KANSLI_NEWEST_SEARCH("public_search");
  static const char* const kNewest = KANSLI_NEWEST_SEARCH("case_search");
#undef KANSLI_RANKED_SEARCH
#undef KANSLI_RANKED_SEARCH_UNFILTERED
#undef KANSLI_BM25
#undef KANSLI_NEWEST_SEARCH
  // The caller's sight is a filter like any other: a scoped search must never
  // take the statement without filters (ObjectAccess tests catch it).
  const bool filtered = q.committee || q.kind || q.state || q.unit || q.officer || q.year ||
                        q.received_from || q.received_to || q.overdue || q.dnr ||
                        p.scope_committee || p.scope_units || !p.exclude_ids.empty();
  const char* sql = kPlain;
  if (p.words && p.newest_first) {
    sql = p.public_view ? kPublicNewest : kNewest;
  } else if (p.words && filtered) {
    sql = p.public_view ? kPublicSearch : kSearch;
  } else if (p.words) {
    sql = p.public_view ? kPublicSearchAll : kSearchAll;
  }
  KANSLI_ASSIGN_OR_RETURN(auto s, tx_.prepare(sql));
  // The statements without filters have no parameters for them.
  if (sql != kPublicSearchAll && sql != kSearchAll) bindCaseFilters(s, p);
  if (p.after_id) {
    s.bind(12, *p.after_id);
  } else {
    s.bindNull(12);
  }
  s.bind(13, q.limit + 1);  // one more tells whether there is a next page
  if (p.words) {
    s.bind(14, ftsMatch(*p.words));
    if (!p.newest_first) s.bind(15, p.after_rank);  // the newest-first statement has no ?15
  }
  std::vector<CaseListRow> out;
  while (true) {
    KANSLI_ASSIGN_OR_RETURN(auto row, s.step());
    if (!row) break;
    out.push_back({caseFrom(s), s.f64(23)});
  }
  KANSLI_TRY(loadSenders(tx_, out));
  return out;
}

Result<std::vector<CaseListRow>> SqliteDiarium::caseListByNumber(const CaseListParams& p,
                                                                const CaseNumber& n, int max) {
  // c.number = ?16 is the condition an index serves (cases_by_number,
  // migration 0007); the rest filter its few rows.
  KANSLI_ASSIGN_OR_RETURN(auto s, tx_.prepare("SELECT " KANSLI_CASE_COLUMNS ", 0.0 FROM cases c"
                       " WHERE c.number = ?16 AND (?17 IS NULL OR c.year = ?17)"
                       " AND (?18 IS NULL OR c.dnr = ?18) AND" KANSLI_CASE_FILTERS
                       " ORDER BY c.id DESC LIMIT ?13"));
  bindCaseFilters(s, p);
  s.bind(13, max).bind(16, n.number);
  if (n.year) {
    s.bind(17, *n.year);
  } else {
    s.bindNull(17);
  }
  s.bind(18, n.dnr);
  std::vector<CaseListRow> out;
  while (true) {
    KANSLI_ASSIGN_OR_RETURN(auto row, s.step());
    if (!row) break;
    out.push_back({caseFrom(s), 0.0});
  }
  KANSLI_TRY(loadSenders(tx_, out));
  return out;
}

Result<bool> SqliteDiarium::searchMatchesMoreThan(const SearchWords& words, bool public_view,
                                                  std::int64_t n) {
  KANSLI_ASSIGN_OR_RETURN(auto s, tx_.prepare(public_view ? "SELECT count(*) FROM (SELECT 1 FROM public_search"
                                    " WHERE public_search MATCH ?1 LIMIT ?2)"
                                  : "SELECT count(*) FROM (SELECT 1 FROM case_search"
                                    " WHERE case_search MATCH ?1 LIMIT ?2)"));
  s.bind(1, ftsMatch(words)).bind(2, n + 1);
  KANSLI_ASSIGN_OR_RETURN(auto row, s.step());
  return row && s.i64(0) > n;
}

}  // namespace kansli::store

namespace kansli::store {

Result<void> SqliteDiarium::searchIndex(std::int64_t case_id, const SearchText& all,
                                        const SearchText& public_text, IndexRows rows) {
  // Through the writer's queue (SqliteTx::writeFts): the rows reach the
  // indexes in larger transactions, after the batch has committed.
  const bool replace = rows == IndexRows::kReplace;
  KANSLI_TRY(tx_.writeFts(SqliteTx::SearchTable::kCase, replace, case_id,
                          {all.subject, all.senders, all.documents}));
  return tx_.writeFts(SqliteTx::SearchTable::kPublic, replace, case_id,
                      {public_text.subject, public_text.senders, public_text.documents});
}

Result<int> SqliteDiarium::documentNextNumber(std::int64_t case_id) {
  KANSLI_ASSIGN_OR_RETURN(auto s, tx_.prepare("SELECT coalesce(max(number), 0) + 1 FROM documents WHERE case_id = ?"));
  s.bind(1, case_id);
  KANSLI_TRY(s.step());
  return static_cast<int>(s.i64(0));
}

Result<std::int64_t> SqliteDiarium::documentInsert(const Document& d,
                                    const std::optional<std::string>& content) {
  KANSLI_ASSIGN_OR_RETURN(auto s, tx_.prepare(
      "INSERT INTO documents(case_id, number, direction, date, counterpart, title, media_type,"
      " size, sha256, content, secrecy_provision, secret_fields, registered_at, registered_by,"
      " kind) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"));
  s.bind(1, d.case_id).bind(2, d.number).bind(3, std::string(directionName(d.direction)));
  s.bind(4, d.date).bind(5, d.counterpart).bind(6, d.title).bind(7, d.media_type);
  if (d.size) {
    s.bind(8, *d.size);
  } else {
    s.bindNull(8);
  }
  s.bind(9, d.sha256);
  if (content) {
    s.bindBlob(10, *content);
  } else {
    s.bindNull(10);
  }
  if (d.secrecy) {
    s.bind(11, d.secrecy->provision).bind(12, joinFields(d.secrecy->fields));
  } else {
    s.bindNull(11).bind(12, "");
  }
  s.bind(13, d.registered_at).bind(14, d.registered_by).bind(15, d.kind);
  KANSLI_TRY(s.run());
  return tx_.lastInsertId();
}

Result<std::vector<Document>> SqliteDiarium::documentsOf(std::int64_t case_id) {
  KANSLI_ASSIGN_OR_RETURN(auto s, tx_.prepare(
      "SELECT id, case_id, number, direction, date, counterpart, title, media_type, size, sha256,"
      " secrecy_provision, secret_fields, registered_at, registered_by, kind FROM documents"
      " WHERE case_id = ? ORDER BY number"));
  s.bind(1, case_id);
  std::vector<Document> out;
  while (true) {
    KANSLI_ASSIGN_OR_RETURN(auto row, s.step());
    if (!row) return out;
    Document d;
    d.id = s.i64(0);
    d.case_id = s.i64(1);
    d.number = static_cast<int>(s.i64(2));
    d.direction = parseDirection(s.str(3)).value_or(Direction::kInkommen);
    d.date = s.str(4);
    d.counterpart = s.optStr(5);
    d.title = s.str(6);
    d.media_type = s.optStr(7);
    if (!s.isNull(8)) d.size = s.i64(8);
    d.sha256 = s.optStr(9);
    d.secrecy = secrecyFrom(s, 10, 11);
    d.registered_at = s.str(12);
    d.registered_by = s.str(13);
    d.kind = s.optStr(14);
    out.push_back(std::move(d));
  }
}

Result<std::optional<std::pair<std::string, std::string>>> SqliteDiarium::documentContent(std::int64_t case_id,
                                                                           int number) {
  KANSLI_ASSIGN_OR_RETURN(auto s, tx_.prepare(
      "SELECT content, coalesce(media_type, 'application/octet-stream') FROM documents"
      " WHERE case_id = ? AND number = ? AND content IS NOT NULL"));
  s.bind(1, case_id).bind(2, number);
  KANSLI_ASSIGN_OR_RETURN(auto row, s.step());
  if (!row) return std::optional<std::pair<std::string, std::string>>{};
  return std::optional<std::pair<std::string, std::string>>{{s.blob(0), s.str(1)}};
}

Result<void> SqliteDiarium::correctionInsert(std::int64_t case_id, const Correction& c) {
  KANSLI_ASSIGN_OR_RETURN(auto s, tx_.prepare(
      "INSERT INTO corrections(case_id, field, before, after, reason, corrected_by, corrected_at)"
      " VALUES(?,?,?,?,?,?,?)"));
  s.bind(1, case_id).bind(2, c.field).bind(3, c.before).bind(4, c.after).bind(5, c.reason);
  s.bind(6, c.corrected_by).bind(7, c.corrected_at);
  return s.run();
}

Result<std::vector<Correction>> SqliteDiarium::correctionsOf(std::int64_t case_id) {
  KANSLI_ASSIGN_OR_RETURN(auto s, tx_.prepare(
      "SELECT field, before, after, reason, corrected_by, corrected_at FROM corrections"
      " WHERE case_id = ? ORDER BY id"));
  s.bind(1, case_id);
  std::vector<Correction> out;
  while (true) {
    KANSLI_ASSIGN_OR_RETURN(auto row, s.step());
    if (!row) return out;
    out.push_back({s.str(0), s.str(1), s.str(2), s.str(3), s.str(4), s.str(5)});
  }
}

Result<std::int64_t> SqliteDiarium::documentInsertStreamed(Document& d,
                                                          const ContentSource& content) {
  // SQLite's blob offsets are ints, and a value is at most SQLITE_MAX_LENGTH.
  if (content.size > 1'000'000'000ull) {
    return std::unexpected(Error{ErrorCode::kTooLarge, "handlingen är för stor", {}, {}});
  }
  auto s = tx_.prepare(
      "INSERT INTO documents(case_id, number, direction, date, counterpart, title, media_type,"
      " size, sha256, content, secrecy_provision, secret_fields, registered_at, registered_by,"
      " kind) VALUES(?,?,?,?,?,?,?,?,NULL,?,?,?,?,?,?)");
  if (!s) return std::unexpected(s.error());
  s->bind(1, d.case_id).bind(2, d.number).bind(3, std::string(directionName(d.direction)));
  s->bind(4, d.date).bind(5, d.counterpart).bind(6, d.title).bind(7, d.media_type);
  s->bind(8, static_cast<std::int64_t>(content.size));
  s->bindZeroBlob(9, content.size);
  if (d.secrecy) {
    s->bind(10, d.secrecy->provision).bind(11, joinFields(d.secrecy->fields));
  } else {
    s->bindNull(10).bind(11, "");
  }
  s->bind(12, d.registered_at).bind(13, d.registered_by).bind(14, d.kind);
  KANSLI_TRY(s->run());
  const std::int64_t id = tx_.lastInsertId();

  sqlite3_blob* raw = nullptr;
  if (sqlite3_blob_open(tx_.db(), "main", "documents", "content", id, 1, &raw) != SQLITE_OK) {
    sqlite3_blob_close(raw);
    return std::unexpected(sqliteError(tx_.db(), "handlingens innehåll"));
  }
  std::unique_ptr<sqlite3_blob, int (*)(sqlite3_blob*)> blob(raw, sqlite3_blob_close);
  Sha256 hash;
  std::string buf(std::min<std::uint64_t>(content.size, 1024 * 1024), '\0');
  std::uint64_t offset = 0;
  while (offset < content.size) {
    std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(buf.size(), content.size - offset));
    std::int64_t got = content.read(buf.data(), want, offset);
    if (got <= 0) {
      return std::unexpected(Error::internal("handlingens innehåll kunde inte läsas"));
    }
    if (sqlite3_blob_write(blob.get(), buf.data(), static_cast<int>(got), static_cast<int>(offset)) !=
        SQLITE_OK) {
      return std::unexpected(sqliteError(tx_.db(), "handlingens innehåll"));
    }
    hash.update(std::string_view(buf.data(), static_cast<std::size_t>(got)));
    offset += static_cast<std::uint64_t>(got);
  }
  blob.reset();
  d.size = static_cast<std::int64_t>(content.size);
  d.sha256 = hash.hexDigest();
  auto u = tx_.prepare("UPDATE documents SET sha256 = ? WHERE id = ?");
  if (!u) return std::unexpected(u.error());
  u->bind(1, *d.sha256).bind(2, id);
  KANSLI_TRY(u->run());
  return id;
}

std::unique_ptr<DiariumRepo> makeDiariumRepo(SqliteTx& tx) { return std::make_unique<SqliteDiarium>(tx); }

}  // namespace kansli::store
