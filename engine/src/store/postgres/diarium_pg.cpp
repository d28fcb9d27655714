#include <Poco/JSON/Array.h>

#include <algorithm>
#include <map>
#include <sstream>

#include "kansli/digest.h"
#include "kansli/text.h"
#include "store/diarium_repo.h"
#include "store/postgres/pg.h"

namespace kansli::store {
namespace {

std::string joinFields(const std::vector<std::string>& f) { return text::joinList(f); }
std::vector<std::string> splitFields(const std::string& s) { return text::splitList(s); }

// ["a","b"]: a list for json_array_elements_text.
std::string jsonArray(const std::vector<std::string>& items) {
  Poco::JSON::Array a;
  for (const auto& i : items) a.add(i);
  std::ostringstream out;
  a.stringify(out);
  return out.str();
}

std::optional<Secrecy> secrecyFrom(const PgStmt& s, int provision_col, int fields_col) {
  if (s.isNull(provision_col)) return std::nullopt;
  return Secrecy{s.str(provision_col), splitFields(s.str(fields_col))};
}

#define KANSLI_CASE_COLUMNS                                                                    \
  "c.id, c.dnr, c.committee, c.series, c.year, c.number, c.kind, c.subject, c.received,"     \
  " c.unit, c.officer, c.state, c.workflow_id, c.workflow_version, c.version, c.deadline,"   \
  " c.secrecy_provision, c.secret_fields, c.registered_at, c.registered_by, c.closed,"       \
  " (SELECT count(*) FROM documents d WHERE d.case_id = c.id), c.state_deadline"

Case caseFrom(const PgStmt& s) {
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

Result<void> loadSenders(PgTx& tx, Case& c) {
  auto s = tx.prepare(
      "SELECT name, party, organisation FROM case_senders WHERE case_id = $1 ORDER BY position");
  if (!s) return std::unexpected(s.error());
  s->bind(1, c.id);
  c.senders.clear();
  while (true) {
    auto row = s->step();
    if (!row) return std::unexpected(row.error());
    if (!*row) return {};
    c.senders.push_back({s->str(0), s->optStr(1), s->optStr(2)});
  }
}

// The senders of a whole page in one statement instead of one per case. The
// statement has a fixed number of placeholders (the largest page, 200, plus
// the one that tells whether there is a next page), so it is prepared once;
// the ones a smaller page leaves unbound are NULL and match nothing.
constexpr int kSenderBatch = 201;

Result<void> loadSenders(PgTx& tx, std::vector<CaseListRow>& rows) {
  static const std::string kSql = [] {
    std::string sql =
        "SELECT case_id, name, party, organisation FROM case_senders WHERE case_id IN (";
    for (int i = 0; i < kSenderBatch; ++i) sql += (i ? ",$" : "$") + std::to_string(i + 1);
    return sql + ") ORDER BY case_id, position";
  }();
  for (std::size_t first = 0; first < rows.size(); first += kSenderBatch) {
    std::size_t end = std::min(rows.size(), first + kSenderBatch);
    std::map<std::int64_t, Case*> byId;
    auto s = tx.prepare(kSql.c_str());
    if (!s) return std::unexpected(s.error());
    for (std::size_t i = first; i < end; ++i) {
      s->bind(static_cast<int>(i - first + 1), rows[i].c.id);
      rows[i].c.senders.clear();
      byId[rows[i].c.id] = &rows[i].c;
    }
    while (true) {
      auto row = s->step();
      if (!row) return std::unexpected(row.error());
      if (!*row) break;
      auto it = byId.find(s->i64(0));
      if (it != byId.end()) it->second->senders.push_back({s->str(1), s->optStr(2), s->optStr(3)});
    }
  }
  return {};
}

Result<void> writeSenders(PgTx& tx, const Case& c) {
  auto del = tx.prepare("DELETE FROM case_senders WHERE case_id = $1");
  if (!del) return std::unexpected(del.error());
  del->bind(1, c.id);
  KANSLI_TRY(del->run());
  int pos = 0;
  for (const auto& sender : c.senders) {
    auto ins = tx.prepare(
        "INSERT INTO case_senders(case_id, position, name, party, organisation)"
        " VALUES($1,$2,$3,$4,$5)");
    if (!ins) return std::unexpected(ins.error());
    ins->bind(1, c.id).bind(2, pos++).bind(3, sender.name).bind(4, sender.party);
    ins->bind(5, sender.organisation);
    KANSLI_TRY(ins->run());
  }
  return {};
}

Result<std::optional<Case>> oneCase(PgTx& tx, PgStmt& s) {
  auto row = s.step();
  if (!row) return std::unexpected(row.error());
  if (!*row) return std::optional<Case>{};
  Case c = caseFrom(s);
  KANSLI_TRY(loadSenders(tx, c));
  return std::optional<Case>{std::move(c)};
}

class PgDiarium final : public DiariumRepo {
 public:
  explicit PgDiarium(PgTx& tx) : tx_(tx) {}
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
  PgTx& tx_;
};

}  // namespace

Result<int> PgDiarium::dnrDraw(const std::string& series, int year) {
  auto s = tx_.prepare(
      "INSERT INTO dnr_sequences(series, year, last_number) VALUES($1, $2, 1)"
      " ON CONFLICT(series, year) DO UPDATE SET last_number = dnr_sequences.last_number + 1"
      " RETURNING last_number");
  if (!s) return std::unexpected(s.error());
  s->bind(1, series).bind(2, year);
  auto row = s->step();
  if (!row) return std::unexpected(row.error());
  return static_cast<int>(s->i64(0));
}

Result<void> PgDiarium::dnrBumpTo(const std::string& series, int year, int number) {
  auto s = tx_.prepare(
      "INSERT INTO dnr_sequences(series, year, last_number) VALUES($1, $2, $3)"
      " ON CONFLICT(series, year) DO UPDATE"
      " SET last_number = greatest(dnr_sequences.last_number, excluded.last_number)");
  if (!s) return std::unexpected(s.error());
  s->bind(1, series).bind(2, year).bind(3, number);
  return s->run();
}

Result<std::int64_t> PgDiarium::caseInsert(const Case& c, bool imported) {
  auto s = tx_.prepare(
      "INSERT INTO cases(dnr, committee, series, year, number, kind, subject, received, unit,"
      " officer, state, workflow_id, workflow_version, version, deadline, secrecy_provision,"
      " secret_fields, registered_at, registered_by, imported, closed, state_deadline)"
      " VALUES($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,1,$14,$15,$16,$17,$18,$19,$20,$21)"
      " RETURNING id");
  if (!s) return std::unexpected(s.error());
  s->bind(1, c.dnr).bind(2, c.committee).bind(3, c.series).bind(4, c.year).bind(5, c.number);
  s->bind(6, c.kind).bind(7, c.subject).bind(8, c.received).bind(9, c.unit).bind(10, c.officer);
  s->bind(11, c.state).bind(12, c.workflow_id).bind(13, c.workflow_version).bind(14, c.deadline);
  if (c.secrecy) {
    s->bind(15, c.secrecy->provision).bind(16, joinFields(c.secrecy->fields));
  } else {
    s->bindNull(15).bind(16, "");
  }
  s->bind(17, c.registered_at).bind(18, c.registered_by).bind(19, imported ? 1 : 0);
  s->bind(20, c.closed ? 1 : 0).bind(21, c.state_deadline);
  KANSLI_TRY(s->step());
  Case stored = c;
  stored.id = s->i64(0);
  KANSLI_TRY(writeSenders(tx_, stored));
  return stored.id;
}

Result<std::optional<Case>> PgDiarium::caseById(std::int64_t id) {
  auto s = tx_.prepare("SELECT " KANSLI_CASE_COLUMNS " FROM cases c WHERE c.id = $1");
  if (!s) return std::unexpected(s.error());
  s->bind(1, id);
  return oneCase(tx_, *s);
}

Result<std::optional<Case>> PgDiarium::caseByDnr(const std::string& dnr) {
  auto s = tx_.prepare("SELECT " KANSLI_CASE_COLUMNS " FROM cases c WHERE c.dnr = $1");
  if (!s) return std::unexpected(s.error());
  s->bind(1, dnr);
  return oneCase(tx_, *s);
}

Result<bool> PgDiarium::caseSeriesNumberTaken(const std::string& series, int year, int number) {
  auto s = tx_.prepare("SELECT 1 FROM cases WHERE series = $1 AND year = $2 AND number = $3");
  if (!s) return std::unexpected(s.error());
  s->bind(1, series).bind(2, year).bind(3, number);
  auto row = s->step();
  if (!row) return std::unexpected(row.error());
  return *row;
}

Result<void> PgDiarium::caseUpdate(const Case& c) {
  auto s = tx_.prepare(
      "UPDATE cases SET subject = $1, received = $2, unit = $3, officer = $4, state = $5,"
      " deadline = $6, secrecy_provision = $7, secret_fields = $8, closed = $9,"
      " workflow_id = $10, workflow_version = $11, state_deadline = $12, version = version + 1"
      " WHERE id = $13");
  if (!s) return std::unexpected(s.error());
  s->bind(1, c.subject).bind(2, c.received).bind(3, c.unit).bind(4, c.officer).bind(5, c.state);
  s->bind(6, c.deadline);
  if (c.secrecy) {
    s->bind(7, c.secrecy->provision).bind(8, joinFields(c.secrecy->fields));
  } else {
    s->bindNull(7).bind(8, "");
  }
  s->bind(9, c.closed ? 1 : 0).bind(10, c.workflow_id).bind(11, c.workflow_version);
  s->bind(12, c.state_deadline).bind(13, c.id);
  KANSLI_TRY(s->run());
  return writeSenders(tx_, c);
}

#define KANSLI_CASE_FILTERS                                                                   \
  " ($1::text IS NULL OR c.committee = $1) AND ($2::text IS NULL OR c.kind = $2)"            \
  " AND ($3::text IS NULL OR c.state = $3) AND ($4::text IS NULL OR c.unit = $4)"            \
  " AND ($5::text IS NULL OR (c.officer = $5 AND ($23::integer = 0 OR c.secrecy_provision IS NULL)))" \
  " AND ($6::integer IS NULL OR c.year = $6)"                                                \
  " AND ($7::text IS NULL OR c.received >= $7) AND ($8::text IS NULL OR c.received <= $8)"   \
  " AND ($9 = 0 OR (c.closed = 0 AND (c.deadline < $10 OR c.state_deadline < $10)))"         \
  " AND ($11::text IS NULL OR c.dnr = $11)"                                                  \
  " AND ($16::text IS NULL OR c.committee = $16)"                                            \
  " AND ($17::json IS NULL OR c.unit IN (SELECT json_array_elements_text($17))"              \
  "      OR c.officer = $18)"                                                                  \
  " AND ($19::json IS NULL OR c.id NOT IN (SELECT json_array_elements_text($19)::bigint))"

// A parameter a statement has no use for, named so that it has a type (every
// number up to the highest must occur in a PostgreSQL statement): always true.
#define KANSLI_UNUSED(N, TYPE) " AND ($" #N "::" TYPE " IS NULL OR TRUE)"
// The case-number parameters ($20-$22), which only caseListByNumber uses
// between the filters ($1-$19) and the officer's rule ($23).
#define KANSLI_NUMBER_UNUSED \
  KANSLI_UNUSED(20, "integer") KANSLI_UNUSED(21, "integer") KANSLI_UNUSED(22, "text")

// Binds the filters and the caller's sight shared by every case listing.
void bindCaseFilters(PgStmt& s, const CaseListParams& p) {
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
  s.bind(16, p.scope_committee).bind(18, p.scope_officer);
  // The officer filter matches only open cases for a caller who sees the
  // officer of a secret case masked (diarium_repo.h).
  s.bind(23, p.officer_needs_open_case ? 1 : 0);
  if (p.scope_units) {
    s.bind(17, jsonArray(*p.scope_units));
  } else {
    s.bindNull(17);
  }
  if (p.exclude_ids.empty()) {
    s.bindNull(19);
  } else {
    std::string ids = "[";
    for (std::size_t i = 0; i < p.exclude_ids.size(); ++i) {
      ids += (i ? "," : "") + std::to_string(p.exclude_ids[i]);
    }
    s.bind(19, ids + "]");
  }
}

// The search: a tsquery over the kansli_sv configuration ($14, built by
// pgTsQuery), the GIN index finding the hits. Relevance is ts_rank with
// weights subject 1.0, senders 0.5, documents 0.1 (the SQLite store's bm25
// weights 10, 5, 1), negated so that lower is better as bm25's. The
// statements keep the parameter numbers of the plain listing ($12 the id
// after which a page starts, $13 the limit, $15 the rank after which);
// a statement that has no use for one names it in a no-op so that every
// number has a type.
Result<std::vector<CaseListRow>> PgDiarium::caseList(const CaseListParams& p) {
  const CaseQuery& q = *p.query;
  static const char* const kPlain =
      "SELECT " KANSLI_CASE_COLUMNS ", 0.0::float8 FROM cases c WHERE" KANSLI_CASE_FILTERS
      " AND ($12::bigint IS NULL OR c.id < $12)" KANSLI_UNUSED(14, "text") KANSLI_UNUSED(15, "float8")
      KANSLI_NUMBER_UNUSED " ORDER BY c.id DESC LIMIT $13";
#define KANSLI_RANK "-ts_rank('{0.1, 0.2, 0.5, 1.0}', s.doc, q)::float8"
  // Ranked: every hit ranked, the page sorted on (rank, id) pairs, then the
  // page's own columns read.
#define KANSLI_RANKED_SEARCH(TABLE)                                                \
  "SELECT " KANSLI_CASE_COLUMNS ", t.r FROM"                                       \
  " (SELECT s.case_id AS cid, " KANSLI_RANK " AS r"                                \
  "  FROM " TABLE " s CROSS JOIN to_tsquery('kansli_sv', $14) q"                   \
  "  JOIN cases c ON c.id = s.case_id WHERE s.doc @@ q AND" KANSLI_CASE_FILTERS     \
  KANSLI_NUMBER_UNUSED                                                             \
  "  AND ($15::float8 IS NULL OR " KANSLI_RANK " > $15"                             \
  "       OR (" KANSLI_RANK " = $15 AND s.case_id > $12::bigint))"                  \
  "  ORDER BY r, cid LIMIT $13) t"                                                 \
  " JOIN cases c ON c.id = t.cid ORDER BY t.r, t.cid"
  // Ranked without filters: no case row is read until the page is chosen.
  // (The filters, all empty here, stand on the page's rows only, so that
  // their parameters have types.)
#define KANSLI_RANKED_SEARCH_UNFILTERED(TABLE)                                     \
  "SELECT " KANSLI_CASE_COLUMNS ", t.r FROM"                                       \
  " (SELECT s.case_id AS cid, " KANSLI_RANK " AS r"                                \
  "  FROM " TABLE " s CROSS JOIN to_tsquery('kansli_sv', $14) q WHERE s.doc @@ q"  \
  "  AND ($15::float8 IS NULL OR " KANSLI_RANK " > $15"                             \
  "       OR (" KANSLI_RANK " = $15 AND s.case_id > $12::bigint))"                  \
  "  ORDER BY r, cid LIMIT $13) t"                                                 \
  " JOIN cases c ON c.id = t.cid WHERE" KANSLI_CASE_FILTERS KANSLI_NUMBER_UNUSED   \
  " ORDER BY t.r, t.cid"
  // Newest first: the hits' ids from the index, the newest page of them.
#define KANSLI_NEWEST_SEARCH(TABLE)                                                \
  "SELECT " KANSLI_CASE_COLUMNS ", 0.0::float8 FROM " TABLE " s"                   \
  " JOIN cases c ON c.id = s.case_id"                                              \
  " WHERE s.doc @@ to_tsquery('kansli_sv', $14) AND" KANSLI_CASE_FILTERS            \
  " AND s.case_id < coalesce($12::bigint, 9223372036854775807)"                    \
  KANSLI_UNUSED(15, "float8") KANSLI_NUMBER_UNUSED " ORDER BY s.case_id DESC LIMIT $13"
  static const char* const kPublicSearch = KANSLI_RANKED_SEARCH("public_search");
  static const char* const kSearch = KANSLI_RANKED_SEARCH("case_search");
  static const char* const kPublicSearchAll = KANSLI_RANKED_SEARCH_UNFILTERED("public_search");
  static const char* const kSearchAll = KANSLI_RANKED_SEARCH_UNFILTERED("case_search");
  static const char* const kPublicNewest = KANSLI_NEWEST_SEARCH("public_search");
  static const char* const kNewest = KANSLI_NEWEST_SEARCH("case_search");
#undef KANSLI_RANKED_SEARCH
#undef KANSLI_RANKED_SEARCH_UNFILTERED
#undef KANSLI_RANK
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
  auto s = tx_.prepare(sql);
  if (!s) return std::unexpected(s.error());
  bindCaseFilters(*s, p);
  if (p.after_id) {
    s->bind(12, *p.after_id);
  } else {
    s->bindNull(12);
  }
  s->bind(13, q.limit + 1);  // one more tells whether there is a next page
  if (p.words) {
    s->bind(14, pgTsQuery(*p.words));
    if (!p.newest_first) s->bind(15, p.after_rank);
  }
  std::vector<CaseListRow> out;
  while (true) {
    auto row = s->step();
    if (!row) return std::unexpected(row.error());
    if (!*row) break;
    out.push_back({caseFrom(*s), s->f64(23)});
  }
  KANSLI_TRY(loadSenders(tx_, out));
  return out;
}

Result<std::vector<CaseListRow>> PgDiarium::caseListByNumber(const CaseListParams& p,
                                                            const CaseNumber& n, int max) {
  // c.number = $20 is the condition an index serves (cases_by_number,
  // migration 0007); the rest filter its few rows.
  auto s = tx_.prepare("SELECT " KANSLI_CASE_COLUMNS ", 0.0::float8 FROM cases c"
                       " WHERE c.number = $20 AND ($21::integer IS NULL OR c.year = $21)"
                       " AND ($22::text IS NULL OR c.dnr = $22) AND" KANSLI_CASE_FILTERS
                       KANSLI_UNUSED(12, "bigint") KANSLI_UNUSED(14, "text")
                       KANSLI_UNUSED(15, "float8") " ORDER BY c.id DESC LIMIT $13");
  if (!s) return std::unexpected(s.error());
  bindCaseFilters(*s, p);
  s->bind(13, max).bind(20, n.number);
  if (n.year) {
    s->bind(21, *n.year);
  } else {
    s->bindNull(21);
  }
  s->bind(22, n.dnr);
  std::vector<CaseListRow> out;
  while (true) {
    auto row = s->step();
    if (!row) return std::unexpected(row.error());
    if (!*row) break;
    out.push_back({caseFrom(*s), 0.0});
  }
  KANSLI_TRY(loadSenders(tx_, out));
  return out;
}

Result<bool> PgDiarium::searchMatchesMoreThan(const SearchWords& words, bool public_view,
                                                  std::int64_t n) {
  auto s = tx_.prepare(public_view ? "SELECT count(*) FROM (SELECT 1 FROM public_search"
                                    " WHERE doc @@ to_tsquery('kansli_sv', $1) LIMIT $2) h"
                                  : "SELECT count(*) FROM (SELECT 1 FROM case_search"
                                    " WHERE doc @@ to_tsquery('kansli_sv', $1) LIMIT $2) h");
  if (!s) return std::unexpected(s.error());
  s->bind(1, pgTsQuery(words)).bind(2, n + 1);
  auto row = s->step();
  if (!row) return std::unexpected(row.error());
  return *row && s->i64(0) > n;
}

}  // namespace kansli::store

namespace kansli::store {

Result<void> PgDiarium::searchIndex(std::int64_t case_id, const SearchText& all,
                                    const SearchText& public_text, IndexRows) {
  // One upsert serves a new case and a changed one alike.
#define KANSLI_SEARCH_UPSERT(TABLE)                                                     \
  "INSERT INTO " TABLE "(case_id, doc) VALUES($1,"                                      \
  " setweight(to_tsvector('kansli_sv', $2), 'A') || setweight(to_tsvector('kansli_sv', $3), 'B')" \
  " || setweight(to_tsvector('kansli_sv', $4), 'D'))"                                  \
  " ON CONFLICT (case_id) DO UPDATE SET doc = excluded.doc"
  for (int pub = 0; pub < 2; ++pub) {
    auto ins = pub ? tx_.prepare(KANSLI_SEARCH_UPSERT("public_search"))
                   : tx_.prepare(KANSLI_SEARCH_UPSERT("case_search"));
    if (!ins) return std::unexpected(ins.error());
    const SearchText& t = pub ? public_text : all;
    ins->bind(1, case_id).bind(2, pgSearchableText(t.subject));
    ins->bind(3, pgSearchableText(t.senders)).bind(4, pgSearchableText(t.documents));
    KANSLI_TRY(ins->run());
  }
#undef KANSLI_SEARCH_UPSERT
  return {};
}

Result<int> PgDiarium::documentNextNumber(std::int64_t case_id) {
  auto s = tx_.prepare("SELECT coalesce(max(number), 0) + 1 FROM documents WHERE case_id = $1");
  if (!s) return std::unexpected(s.error());
  s->bind(1, case_id);
  auto row = s->step();
  if (!row) return std::unexpected(row.error());
  return static_cast<int>(s->i64(0));
}

Result<std::int64_t> PgDiarium::documentInsert(const Document& d,
                                    const std::optional<std::string>& content) {
  auto s = tx_.prepare(
      "INSERT INTO documents(case_id, number, direction, date, counterpart, title, media_type,"
      " size, sha256, content, secrecy_provision, secret_fields, registered_at, registered_by,"
      " kind) VALUES($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15) RETURNING id");
  if (!s) return std::unexpected(s.error());
  s->bind(1, d.case_id).bind(2, d.number).bind(3, std::string(directionName(d.direction)));
  s->bind(4, d.date).bind(5, d.counterpart).bind(6, d.title).bind(7, d.media_type);
  if (d.size) {
    s->bind(8, *d.size);
  } else {
    s->bindNull(8);
  }
  s->bind(9, d.sha256);
  if (content) {
    s->bindBlob(10, *content);
  } else {
    s->bindNull(10);
  }
  if (d.secrecy) {
    s->bind(11, d.secrecy->provision).bind(12, joinFields(d.secrecy->fields));
  } else {
    s->bindNull(11).bind(12, "");
  }
  s->bind(13, d.registered_at).bind(14, d.registered_by).bind(15, d.kind);
  KANSLI_TRY(s->step());
  return s->i64(0);
}

Result<std::vector<Document>> PgDiarium::documentsOf(std::int64_t case_id) {
  auto s = tx_.prepare(
      "SELECT id, case_id, number, direction, date, counterpart, title, media_type, size, sha256,"
      " secrecy_provision, secret_fields, registered_at, registered_by, kind FROM documents"
      " WHERE case_id = $1 ORDER BY number");
  if (!s) return std::unexpected(s.error());
  s->bind(1, case_id);
  std::vector<Document> out;
  while (true) {
    auto row = s->step();
    if (!row) return std::unexpected(row.error());
    if (!*row) return out;
    Document d;
    d.id = s->i64(0);
    d.case_id = s->i64(1);
    d.number = static_cast<int>(s->i64(2));
    d.direction = parseDirection(s->str(3)).value_or(Direction::kInkommen);
    d.date = s->str(4);
    d.counterpart = s->optStr(5);
    d.title = s->str(6);
    d.media_type = s->optStr(7);
    if (!s->isNull(8)) d.size = s->i64(8);
    d.sha256 = s->optStr(9);
    d.secrecy = secrecyFrom(*s, 10, 11);
    d.registered_at = s->str(12);
    d.registered_by = s->str(13);
    d.kind = s->optStr(14);
    out.push_back(std::move(d));
  }
}

Result<std::optional<std::pair<std::string, std::string>>> PgDiarium::documentContent(std::int64_t case_id,
                                                                           int number) {
  auto s = tx_.prepare(
      "SELECT content, coalesce(media_type, 'application/octet-stream') FROM documents"
      " WHERE case_id = $1 AND number = $2 AND content IS NOT NULL");
  if (!s) return std::unexpected(s.error());
  s->bind(1, case_id).bind(2, number);
  auto row = s->step();
  if (!row) return std::unexpected(row.error());
  if (!*row) return std::optional<std::pair<std::string, std::string>>{};
  return std::optional<std::pair<std::string, std::string>>{{s->blob(0), s->str(1)}};
}

Result<void> PgDiarium::correctionInsert(std::int64_t case_id, const Correction& c) {
  auto s = tx_.prepare(
      "INSERT INTO corrections(case_id, field, before, after, reason, corrected_by, corrected_at)"
      " VALUES($1,$2,$3,$4,$5,$6,$7)");
  if (!s) return std::unexpected(s.error());
  s->bind(1, case_id).bind(2, c.field).bind(3, c.before).bind(4, c.after).bind(5, c.reason);
  s->bind(6, c.corrected_by).bind(7, c.corrected_at);
  return s->run();
}

Result<std::vector<Correction>> PgDiarium::correctionsOf(std::int64_t case_id) {
  auto s = tx_.prepare(
      "SELECT field, before, after, reason, corrected_by, corrected_at FROM corrections"
      " WHERE case_id = $1 ORDER BY id");
  if (!s) return std::unexpected(s.error());
  s->bind(1, case_id);
  std::vector<Correction> out;
  while (true) {
    auto row = s->step();
    if (!row) return std::unexpected(row.error());
    if (!*row) return out;
    out.push_back({s->str(0), s->str(1), s->str(2), s->str(3), s->str(4), s->str(5)});
  }
}

// The row goes in by COPY, its content sent in chunks as the hex text of a
// bytea as it is read, so the program never holds the whole file (the
// PostgreSQL counterpart of SQLite's incremental blob I/O). COPY has no
// RETURNING: the id is drawn from the identity sequence first.
Result<std::int64_t> PgDiarium::documentInsertStreamed(Document& d, const ContentSource& content) {
  if (content.size > 1'000'000'000ull) {
    return std::unexpected(Error{ErrorCode::kTooLarge, "handlingen är för stor", {}, {}});
  }
  auto next = tx_.prepare("SELECT nextval(pg_get_serial_sequence('documents', 'id'))");
  if (!next) return std::unexpected(next.error());
  KANSLI_TRY(next->step());
  const std::int64_t id = next->i64(0);
  PGconn* c = tx_.conn();
  {
    PgResultPtr r(PQexec(c,
        "COPY documents(id, case_id, number, direction, date, counterpart, title, media_type,"
        " size, sha256, content, secrecy_provision, secret_fields, registered_at, registered_by,"
        " kind) FROM STDIN"));
    if (PQresultStatus(r.get()) != PGRES_COPY_IN) return std::unexpected(pgError(c, r.get(), "COPY"));
  }
  auto field = [](std::string& out, const std::optional<std::string>& v) {
    if (v) {
      appendCopyText(out, *v);
    } else {
      out += "\\N";
    }
    out += '\t';
  };
  std::string buf = std::to_string(id) + '\t' + std::to_string(d.case_id) + '\t' +
                    std::to_string(d.number) + '\t';
  field(buf, std::string(directionName(d.direction)));
  field(buf, d.date);
  field(buf, d.counterpart);
  field(buf, d.title);
  field(buf, d.media_type);
  buf += std::to_string(content.size) + "\t\\N\t\\\\x";
  auto send = [&]() -> Result<void> {
    if (PQputCopyData(c, buf.data(), static_cast<int>(buf.size())) != 1) {
      return std::unexpected(pgError(c, nullptr, "COPY"));
    }
    buf.clear();
    return {};
  };
  auto abandon = [&](Error e) -> Result<std::int64_t> {
    PQputCopyEnd(c, "avbruten");
    while (PGresult* r = PQgetResult(c)) PQclear(r);
    return std::unexpected(std::move(e));
  };
  static const char* hex = "0123456789abcdef";
  Sha256 hash;
  std::string chunk(std::min<std::uint64_t>(content.size, 1024 * 1024), '\0');
  std::uint64_t offset = 0;
  while (offset < content.size) {
    auto want = static_cast<std::size_t>(std::min<std::uint64_t>(chunk.size(), content.size - offset));
    std::int64_t got = content.read(chunk.data(), want, offset);
    if (got <= 0) return abandon(Error::internal("handlingens innehåll kunde inte läsas"));
    for (std::int64_t i = 0; i < got; ++i) {
      auto b = static_cast<unsigned char>(chunk[static_cast<std::size_t>(i)]);
      buf += hex[b >> 4];
      buf += hex[b & 15];
    }
    hash.update(std::string_view(chunk.data(), static_cast<std::size_t>(got)));
    offset += static_cast<std::uint64_t>(got);
    if (auto sent = send(); !sent) return abandon(sent.error());
  }
  buf += '\t';
  if (d.secrecy) {
    field(buf, d.secrecy->provision);
    field(buf, joinFields(d.secrecy->fields));
  } else {
    field(buf, std::nullopt);
    field(buf, std::string());
  }
  field(buf, d.registered_at);
  field(buf, d.registered_by);
  buf.pop_back();  // the last field has no tab after it
  if (d.kind) {
    buf += '\t';
    appendCopyText(buf, *d.kind);
  } else {
    buf += "\t\\N";
  }
  buf += '\n';
  if (auto sent = send(); !sent) return abandon(sent.error());
  if (PQputCopyEnd(c, nullptr) != 1) return std::unexpected(pgError(c, nullptr, "COPY"));
  PgResultPtr done(PQgetResult(c));
  if (PQresultStatus(done.get()) != PGRES_COMMAND_OK) {
    Error e = pgError(c, done.get(), "COPY");
    while (PGresult* r = PQgetResult(c)) PQclear(r);
    return std::unexpected(e);
  }
  while (PGresult* r = PQgetResult(c)) PQclear(r);
  d.size = static_cast<std::int64_t>(content.size);
  d.sha256 = hash.hexDigest();
  auto u = tx_.prepare("UPDATE documents SET sha256 = $1 WHERE id = $2");
  if (!u) return std::unexpected(u.error());
  u->bind(1, *d.sha256).bind(2, id);
  KANSLI_TRY(u->run());
  return id;
}

std::unique_ptr<DiariumRepo> makePgDiariumRepo(PgTx& tx) { return std::make_unique<PgDiarium>(tx); }


}  // namespace kansli::store