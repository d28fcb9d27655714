// Diarium::listCases: the filters, the search box and keyset pages of a
// listing, scoped to what the viewer sees (kansli/access.h).
//
// The search box reads a query two ways (diarium/search_query.h): the cases
// it names by case number come first, newest first; then the full-text hits
// without them, by relevance or newest first. One cursor walks both parts:
// "d<id>" among the case-number hits, "f" at the start of the full-text
// hits; "i<id>" a plain listing; "n<id>" newest first and "r<rank>:<id>" by
// rank among the full-text hits.
#include <Poco/Base64Encoder.h>

#include <charconv>
#include <cstdio>
#include <limits>
#include <sstream>

#include "access/seen.h"
#include "diarium/search_query.h"
#include "kansli/diarium.h"
#include "kansli/text.h"
#include "store/diarium_repo.h"
#include "store/store.h"
#include "store/tx.h"

namespace kansli {

// How one page of a listing is read.
struct Diarium::ListPlan {
  store::CaseListParams p;
  std::optional<CaseNumberQuery> number;  // the cases the query names by number
  bool number_phase = false;              // the page starts among those
  bool words_from_start = true;           // the full-text part starts at its first hit
};

namespace {

// The cases a case number names: first, and few (one per series and year);
// the cap only bounds a pathological organisation.
constexpr int kMaxNumberHits = 1000;

std::string encodeCursor(const std::string& raw) {
  std::ostringstream ss;
  Poco::Base64Encoder enc(ss, Poco::BASE64_URL_ENCODING | Poco::BASE64_NO_PADDING);
  enc << raw;
  enc.close();
  return ss.str();
}

std::string wordsCursor(const store::CaseListRow& last, const store::CaseListParams& p) {
  if (p.words && p.newest_first) return "n" + std::to_string(last.c.id);
  if (p.words) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "r%.17g:%lld", last.rank, static_cast<long long>(last.c.id));
    return buf;
  }
  return "i" + std::to_string(last.c.id);
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

// The rows of one page (up to its limit) and the raw cursor of the next.
struct Diarium::PageRows {
  std::vector<store::CaseListRow> rows;
  std::optional<std::string> next;
};

// Reads a cursor into the plan; false when it is not one this query can
// have made.
bool Diarium::readCursor(const std::string& cursor, ListPlan& plan) {
  store::CaseListParams& p = plan.p;
  if (cursor.size() > 200) return false;
  auto raw = text::decodeBase64(cursor, /*url=*/true);
  if (!raw || raw->empty()) return false;
  plan.words_from_start = false;
  const std::string_view body = std::string_view(*raw).substr(1);
  constexpr std::int64_t kMaxId = std::numeric_limits<std::int64_t>::max();
  const char order = (*raw)[0];
  if (order == 'i' && !p.words) {
    p.after_id = text::parseInteger(body, 0, kMaxId);
  } else if (order == 'd' && plan.number) {
    p.after_id = text::parseInteger(body, 0, kMaxId);
  } else if (*raw == "f" && plan.number && p.words) {
    plan.number_phase = false;
    plan.words_from_start = true;
    return true;
  } else if (order == 'n' && p.words) {
    p.after_id = text::parseInteger(body, 0, kMaxId);
    p.newest_first = true;
    plan.number_phase = false;
  } else if (order == 'r' && p.words) {
    auto colon = body.find(':');
    if (colon == std::string_view::npos) return false;
    double rank = 0;
    auto [end, ec] = std::from_chars(body.data(), body.data() + colon, rank);
    if (ec != std::errc() || end != body.data() + colon) return false;
    p.after_rank = rank;
    p.after_id = text::parseInteger(body.substr(colon + 1), 0, kMaxId);
    plan.number_phase = false;
  }
  return p.after_id.has_value();
}

Result<Diarium::ListPlan> Diarium::listPlan(CaseQuery& query, const CaseScope& scope,
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
  ListPlan plan;
  store::CaseListParams& p = plan.p;
  p.query = &query;
  // Whoever may not see secret parts searches and reads as the public does.
  p.public_view = !scope.full;
  p.officer_needs_open_case = !scope.full;  // a masked officer is not searchable
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
      auto terms = parseSearch(*query.q, org_);
      p.words = terms.words;
      plan.number = terms.case_number;
    }
  }
  plan.number_phase = plan.number.has_value();
  if (query.cursor && !readCursor(*query.cursor, plan)) {
    errors.push_back({"cursor", "ogiltig markör; använd värdet next från förra sidan"});
  }
  if (!errors.empty()) {
    return std::unexpected(Error::invalid("uppgifterna är inte giltiga", std::move(errors)));
  }
  return plan;
}

// The case-number part of a page: the hits after the cursor. Returns true
// when it fills the page (the next cursor set); false when the full-text
// part is to fill the rest.
Result<bool> Diarium::numberHits(store::Tx& tx, ListPlan& plan, CaseQuery& words_query,
                                 PageRows& out) const {
  store::CaseListParams& p = plan.p;
  KANSLI_ASSIGN_OR_RETURN(
      auto hits, tx.diarium().caseListByNumber(
                     p, store::CaseNumber{plan.number->number, plan.number->year, plan.number->dnr},
                     kMaxNumberHits));
  for (const auto& h : hits) p.exclude_ids.push_back(h.c.id);  // not again among the words
  if (!plan.number_phase) return false;
  std::size_t start = 0;
  while (p.after_id && start < hits.size() && hits[start].c.id >= *p.after_id) ++start;
  const auto limit = static_cast<std::size_t>(words_query.limit);
  std::size_t taken = 0;
  for (std::size_t i = start; i < hits.size() && taken < limit; ++i, ++taken) {
    out.rows.push_back(hits[i]);
  }
  if (start + limit < hits.size()) {
    out.next = "d" + std::to_string(out.rows.back().c.id);
    return true;
  }
  if (!p.words) return true;
  // The full-text hits fill the rest of the page, from their start.
  p.after_id.reset();
  p.after_rank.reset();
  words_query.limit = static_cast<int>(limit - taken);
  plan.words_from_start = true;
  return false;
}

// The plain listing or the full-text part of a page.
Result<void> Diarium::wordHits(store::Tx& tx, ListPlan& plan, const CaseQuery& words_query,
                               PageRows& out) const {
  store::CaseListParams& p = plan.p;
  // The order is chosen on the first page and carried by the cursor, so one
  // listing keeps one order even while new cases come in.
  if (p.words && plan.words_from_start) {
    KANSLI_ASSIGN_OR_RETURN(
        p.newest_first,
        tx.diarium().searchMatchesMoreThan(*p.words, p.public_view,
                                           static_cast<std::int64_t>(options_.ranked_search_limit)));
  }
  store::CaseListParams wp = p;
  wp.query = &words_query;
  KANSLI_ASSIGN_OR_RETURN(auto more, tx.diarium().caseList(wp));
  if (static_cast<int>(more.size()) > words_query.limit) {
    more.pop_back();
    // Empty: the page was full of case-number hits.
    out.next = more.empty() ? std::string("f") : wordsCursor(more.back(), p);
  }
  for (auto& r : more) out.rows.push_back(std::move(r));
  return ok();
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
  KANSLI_ASSIGN_OR_RETURN(auto plan, listPlan(q, scope, now));
  auto load = [&](store::Tx& tx) -> Result<PageRows> {
    PageRows out;
    CaseQuery words_query = q;
    if (plan.number) {
      KANSLI_ASSIGN_OR_RETURN(auto full, numberHits(tx, plan, words_query, out));
      if (full) return out;
    }
    KANSLI_TRY(wordHits(tx, plan, words_query, out));
    return out;
  };
  // The search indexes may lag behind the cases (store.h): a search sees
  // every case whose write was answered before it began.
  if (plan.p.words) KANSLI_TRY(store_.awaitSearchIndex());
  KANSLI_ASSIGN_OR_RETURN(auto rows, store_.read(load));
  CasePage page;
  std::vector<std::int64_t> secret_shown;
  page.items.reserve(rows.rows.size());
  for (auto& r : rows.rows) {
    if (scope.full && r.c.secrecy) secret_shown.push_back(r.c.id);
    page.items.push_back(scope.full ? std::move(r.c) : maskForPublic(std::move(r.c)));
  }
  if (rows.next) page.next = encodeCursor(*rows.next);
  // Secret parts shown in a listing are read like any other: logged first.
  KANSLI_TRY(recordSecretReads(store_, now, viewer, secret_shown));
  return page;
}

}  // namespace kansli
