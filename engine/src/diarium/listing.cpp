// Diarium::listCases: the filters, full-text search and keyset pages of a
// listing, scoped to what the viewer sees (kansli/access.h).
#include <Poco/Base64Encoder.h>

#include <charconv>
#include <cstdio>
#include <limits>
#include <sstream>

#include "access/seen.h"
#include "kansli/diarium.h"
#include "kansli/text.h"
#include "store/diarium_repo.h"
#include "store/store.h"
#include "store/tx.h"

namespace kansli {
namespace {

std::string encodeCursor(const std::string& raw) {
  std::ostringstream ss;
  Poco::Base64Encoder enc(ss, Poco::BASE64_URL_ENCODING | Poco::BASE64_NO_PADDING);
  enc << raw;
  enc.close();
  return ss.str();
}

// The cursor names where the previous page ended and in which order: "i<id>"
// (no search, by id), "n<id>" (search, newest first), "r<rank>:<id>" (search,
// by relevance). false when it is not one of those for this query.
bool readCursor(const std::string& cursor, store::CaseListParams& p) {
  if (cursor.size() > 200) return false;
  auto raw = text::decodeBase64(cursor, /*url=*/true);
  if (!raw || raw->empty()) return false;
  const std::string_view body = std::string_view(*raw).substr(1);
  constexpr std::int64_t kMaxId = std::numeric_limits<std::int64_t>::max();
  const char order = (*raw)[0];
  if (order == 'i' && !p.words) {
    p.after_id = text::parseInteger(body, 0, kMaxId);
  } else if (order == 'n' && p.words) {
    p.after_id = text::parseInteger(body, 0, kMaxId);
    p.newest_first = true;
  } else if (order == 'r' && p.words) {
    auto colon = body.find(':');
    if (colon == std::string_view::npos) return false;
    double rank = 0;
    auto [end, ec] = std::from_chars(body.data(), body.data() + colon, rank);
    if (ec != std::errc() || end != body.data() + colon) return false;
    p.after_rank = rank;
    p.after_id = text::parseInteger(body.substr(colon + 1), 0, kMaxId);
  }
  return p.after_id.has_value();
}

std::string nextCursor(const store::CaseListRow& last, const store::CaseListParams& p) {
  if (p.words && p.newest_first) return encodeCursor("n" + std::to_string(last.c.id));
  if (p.words) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "r%.17g:%lld", last.rank, static_cast<long long>(last.c.id));
    return encodeCursor(buf);
  }
  return encodeCursor("i" + std::to_string(last.c.id));
}

void checkFilters(CaseQuery& q, const Organisation& org, std::vector<FieldError>& errors) {
  if (q.limit < 1 || q.limit > 200) errors.push_back({"limit", "måste vara 1-200"});
  if (q.committee && !org.committee(*q.committee)) {
    errors.push_back({"committee", "okänd nämnd: " + *q.committee});
  }
  if (q.kind && !org.kind(*q.kind)) errors.push_back({"kind", "okänd ärendetyp: " + *q.kind});
  std::chrono::year_month_day d;
  if (q.received_from && !parseDate(*q.received_from, d)) {
    errors.push_back({"from", "måste vara ett datum ÅÅÅÅ-MM-DD"});
  }
  if (q.received_to && !parseDate(*q.received_to, d)) {
    errors.push_back({"to", "måste vara ett datum ÅÅÅÅ-MM-DD"});
  }
}

}  // namespace

// `query` is the listing's own copy: a dnr filter is made canonical in it,
// and the parameters point at it.
Result<store::CaseListParams> Diarium::listParams(CaseQuery& query, const CaseScope& scope,
                                                  Instant now) const {
  std::vector<FieldError> errors;
  checkFilters(query, org_, errors);
  if (query.dnr) {
    auto canonical = canonicalDnr(*query.dnr);
    if (!canonical) {
      errors.push_back({"dnr", canonical.error().message});
    } else {
      query.dnr = *canonical;
    }
  }
  store::CaseListParams p;
  p.query = &query;
  // Whoever may not see secret parts searches and reads as the public does.
  p.public_view = !scope.full;
  p.today = formatDate(stockholmDate(now));
  p.scope_committee = scope.committee;
  if (scope.units) {
    p.scope_units = *scope.units;
    p.scope_officer = scope.officer;
  }
  if (query.q) {
    if (query.q->size() > 500 || !text::isValidUtf8(*query.q)) {
      errors.push_back({"q", "sökfrågan är för lång eller inte giltig UTF-8"});
    } else {
      p.words = store::parseSearchWords(*query.q);
    }
  }
  if (query.cursor && !readCursor(*query.cursor, p)) {
    errors.push_back({"cursor", "ogiltig markör; använd värdet next från förra sidan"});
  }
  if (!errors.empty()) {
    return std::unexpected(Error::invalid("uppgifterna är inte giltiga", std::move(errors)));
  }
  return p;
}

Result<CasePage> Diarium::listCases(const CaseQuery& query, const Viewer& viewer) const {
  const Instant now = clock_.now();
  const CaseScope scope = caseScope(viewer, org_);
  if (scope.nothing) return CasePage{};
  CaseQuery q = query;
  if (viewer.isPublic()) {
    // The public filters on what the public sees; officer and unit are internal.
    q.officer.reset();
    q.unit.reset();
  }
  KANSLI_ASSIGN_OR_RETURN(auto p, listParams(q, scope, now));
  p.officer_needs_open_case = !scope.full;  // a masked officer is not searchable
  auto load = [&](store::Tx& tx) -> Result<std::vector<store::CaseListRow>> {
    // The order is chosen on the first page and carried by the cursor, so
    // one listing keeps one order even while new cases come in.
    if (p.words && !q.cursor) {
      KANSLI_ASSIGN_OR_RETURN(
          p.newest_first,
          tx.diarium().searchMatchesMoreThan(
              *p.words, p.public_view, static_cast<std::int64_t>(options_.ranked_search_limit)));
    }
    return tx.diarium().caseList(p);
  };
  KANSLI_ASSIGN_OR_RETURN(auto rows, store_.read(load));
  CasePage page;
  const bool more = static_cast<int>(rows.size()) > q.limit;
  if (more) rows.pop_back();
  std::vector<std::int64_t> secret_shown;
  for (auto& r : rows) {
    if (scope.full && r.c.secrecy) secret_shown.push_back(r.c.id);
    page.items.push_back(scope.full ? r.c : maskForPublic(r.c));
  }
  if (more && !rows.empty()) page.next = nextCursor(rows.back(), p);
  // Secret parts shown in a listing are read like any other: logged first.
  KANSLI_TRY(recordSecretReads(store_, now, viewer, secret_shown));
  return page;
}

}  // namespace kansli
