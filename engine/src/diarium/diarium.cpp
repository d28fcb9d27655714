#include "kansli/diarium.h"

#include <Poco/Base64Decoder.h>
#include <Poco/Base64Encoder.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <algorithm>
#include <charconv>
#include <limits>
#include <set>
#include <sstream>

#include "kansli/digest.h"
#include "diarium/search_query.h"
#include "kansli/text.h"
#include "store/diarium_repo.h"
#include "store/store.h"
#include "store/tx.h"
#include "util/json.h"

namespace kansli {
namespace {

constexpr std::size_t kMaxSubject = 2000;
constexpr std::size_t kMaxName = 300;
constexpr std::size_t kMaxSenders = 100;

const std::set<std::string> kCaseSecretFields = {"subject", "senders"};
const std::set<std::string> kDocumentSecretFields = {"counterpart", "title", "content"};

Poco::JSON::Array sendersArray(const std::vector<Sender>& senders) {
  Poco::JSON::Array a;
  for (const auto& s : senders) {
    auto o = json::ordered();
    o.set("name", s.name);
    if (s.party) o.set("party", *s.party);
    if (s.organisation) o.set("organisation", *s.organisation);
    a.add(o);
  }
  return a;
}

// "Andreas Falk (S), Maria Åberg (S)" for the search index.
std::string sendersText(const std::vector<Sender>& senders) {
  std::string out;
  for (const auto& s : senders) {
    if (!out.empty()) out += ", ";
    out += s.name;
    if (s.party) out += " (" + *s.party + ")";
    if (s.organisation) out += " " + *s.organisation;
  }
  return out;
}

bool isSecret(const std::optional<Secrecy>& s, const std::string& field) {
  return s && std::find(s->fields.begin(), s->fields.end(), field) != s->fields.end();
}

std::string maskText(const std::string& what, const Secrecy& s) {
  return "Uppgift om " + what + " omfattas av sekretess enligt " + s.provision;
}

void checkText(std::vector<FieldError>& errors, const std::string& field, const std::string& v,
               std::size_t max, bool required) {
  if (!text::isValidUtf8(v)) {
    errors.push_back({field, "är inte giltig UTF-8"});
  } else if (required && text::trim(v).empty()) {
    errors.push_back({field, "får inte vara tomt"});
  } else if (v.size() > max) {
    errors.push_back({field, "är för långt (högst " + std::to_string(max) + " byte)"});
  }
}

void checkDate(std::vector<FieldError>& errors, const std::string& field, const std::string& v,
               const std::chrono::year_month_day& today) {
  std::chrono::year_month_day d;
  if (!parseDate(v, d)) {
    errors.push_back({field, "måste vara ett datum ÅÅÅÅ-MM-DD"});
  } else if (std::chrono::sys_days{d} > std::chrono::sys_days{today}) {
    errors.push_back({field, "datumet ligger i framtiden"});
  }
}

void checkSenders(std::vector<FieldError>& errors, const std::vector<Sender>& senders) {
  if (senders.empty()) errors.push_back({"senders", "minst en avsändare krävs"});
  if (senders.size() > kMaxSenders) errors.push_back({"senders", "för många avsändare"});
  for (size_t i = 0; i < senders.size() && i < kMaxSenders; ++i) {
    std::string f = "senders[" + std::to_string(i) + "]";
    checkText(errors, f + ".name", senders[i].name, kMaxName, true);
    if (senders[i].party) checkText(errors, f + ".party", *senders[i].party, 40, true);
    if (senders[i].organisation) {
      checkText(errors, f + ".organisation", *senders[i].organisation, kMaxName, true);
    }
  }
}

void checkSecrecy(std::vector<FieldError>& errors, const std::optional<Secrecy>& s,
                  const std::set<std::string>& allowed, const std::string& prefix) {
  if (!s) return;
  checkText(errors, prefix + ".provision", s->provision, 200, true);
  if (s->fields.empty()) {
    errors.push_back({prefix + ".fields", "ange vilka uppgifter som är sekretessbelagda"});
  }
  for (const auto& f : s->fields) {
    if (!allowed.count(f)) {
      std::string list;
      for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
      errors.push_back({prefix + ".fields", "okänt fält " + f + " (tillåtna: " + list + ")"});
    }
  }
}

std::string encodeCursor(const std::string& raw) {
  std::ostringstream ss;
  Poco::Base64Encoder enc(ss, Poco::BASE64_URL_ENCODING | Poco::BASE64_NO_PADDING);
  enc << raw;
  enc.close();
  return ss.str();
}

std::optional<std::string> decodeCursor(const std::string& c) {
  if (c.size() > 200) return std::nullopt;
  return text::decodeBase64(c, /*url=*/true);
}

Error invalidInput(std::vector<FieldError> errors) {
  return Error::invalid("uppgifterna är inte giltiga", std::move(errors));
}

}  // namespace

std::string sendersJson(const std::vector<Sender>& senders) {
  return json::str(sendersArray(senders));
}

std::string_view directionName(Direction d) {
  switch (d) {
    case Direction::kInkommen: return "inkommen";
    case Direction::kUpprattad: return "upprattad";
    case Direction::kUtgaende: return "utgaende";
  }
  return "inkommen";
}

std::optional<Direction> parseDirection(std::string_view s) {
  if (s == "inkommen") return Direction::kInkommen;
  if (s == "upprattad" || s == "upprättad") return Direction::kUpprattad;
  if (s == "utgaende" || s == "utgående") return Direction::kUtgaende;
  return std::nullopt;
}

Diarium::Diarium(store::Store& store, const Clock& clock, const Organisation& org,
                 WorkflowStarter starter, DiariumOptions options)
    : store_(store), clock_(clock), org_(org), starter_(std::move(starter)), options_(options) {}

Result<std::vector<FieldError>> Diarium::validate(const NewCase& c) const {
  std::vector<FieldError> errors;
  auto today = stockholmDate(clock_.now());
  if (c.committee.empty()) {
    errors.push_back({"committee", "fältet krävs"});
  } else if (const Committee* committee = org_.committee(c.committee); !committee) {
    errors.push_back({"committee", "okänd nämnd: " + c.committee});
  } else if (committee->dnr.has(DnrField::kClass)) {
    // Every part the committee's dnr format needs must come with the case,
    // or the dnr would not parse back ("2026/0001 KS-").
    if (!c.class_code || c.class_code->empty()) {
      errors.push_back({"class", "krävs: diarienumren i " + committee->name + " har en klassificeringskod (" +
                                     committee->dnr_format + ")"});
    } else if (auto fits = committee->dnr.check({committee->series, 2020, 1, *c.class_code, std::nullopt}); !fits) {
      errors.push_back({"class", fits.error().message});
    }
  } else if (c.class_code) {
    errors.push_back({"class", "diarienumren i " + committee->name + " har ingen klassificeringskod (" +
                                   committee->dnr_format + ")"});
  }
  if (c.kind.empty()) {
    errors.push_back({"kind", "fältet krävs"});
  } else if (!org_.kind(c.kind)) {
    std::string list;
    for (const auto& k : org_.kinds) list += (list.empty() ? "" : ", ") + k.id;
    errors.push_back({"kind", "okänd ärendetyp " + c.kind + " (kända: " + list + ")"});
  }
  checkText(errors, "subject", c.subject, kMaxSubject, true);
  checkDate(errors, "received", c.received, today);
  checkSenders(errors, c.senders);
  if (c.unit && !org_.unit(*c.unit)) errors.push_back({"unit", "okänd enhet: " + *c.unit});
  if (c.officer) checkText(errors, "officer", *c.officer, 64, true);
  checkSecrecy(errors, c.secrecy, kCaseSecretFields, "secrecy");
  return errors;
}

Result<Case> Diarium::registerCase(const NewCase& nc, const audit::Actor& actor) {
  KANSLI_ASSIGN_OR_RETURN(auto errors, validate(nc));
  if (!errors.empty()) return std::unexpected(invalidInput(std::move(errors)));
  KANSLI_ASSIGN_OR_RETURN(auto start, starter_(nc.kind, nc.received, formatDate(stockholmDate(clock_.now()))));
  const Committee& committee = *org_.committee(nc.committee);

  Case c;
  c.committee = committee.id;
  c.series = committee.series;
  c.year = int(stockholmDate(clock_.now()).year());
  c.kind = nc.kind;
  c.subject = text::trim(nc.subject);
  c.received = nc.received;
  c.senders = nc.senders;
  c.unit = nc.unit;
  c.officer = nc.officer;
  c.secrecy = nc.secrecy;
  c.state = start.initial_state;
  c.workflow_id = start.workflow_id;
  c.workflow_version = start.workflow_version;
  c.deadline = start.deadline;
  c.state_deadline = start.state_deadline;
  c.registered_at = formatInstant(clock_.now());
  c.registered_by = actor.username;

  return store_.write([&](store::Tx& tx) -> Result<Case> {
    Case stored = c;
    KANSLI_ASSIGN_OR_RETURN(auto number, tx.diarium().dnrDraw(stored.series, stored.year));
    stored.number = number;
    stored.dnr = committee.formatDnr(stored.year, stored.number, nc.class_code.value_or(""));
    // The promise of docs/dnr.md, kept at the one place dnrs are made.
    if (!committee.dnr.parse(stored.dnr)) {
      return std::unexpected(Error::internal("diarienumret \"" + stored.dnr + "\" kan inte läsas tillbaka med " +
                                             committee.dnr_format));
    }
    KANSLI_ASSIGN_OR_RETURN(auto id, tx.diarium().caseInsert(stored, false));
    stored.id = id;
    KANSLI_TRY(reindex(tx, stored, {}));
    audit::Detail detail;
    detail.set("dnr", stored.dnr);
    detail.set("kind", stored.kind);
    detail.set("subject", stored.subject);
    detail.set("received", stored.received);
    detail.set("senders", sendersArray(stored.senders));
    detail.set("state", stored.state);
    KANSLI_TRY(audit::appendAudit(tx, clock_, {actor, "case.register", stored.id, detail.json()}));
    return stored;
  });
}

Result<void> Diarium::reindex(store::Tx& tx, const Case& c, const std::vector<Document>& docs) {
  std::string titles, public_titles;
  for (const auto& d : docs) {
    titles += d.title + "\n";
    if (!isSecret(d.secrecy, "title")) public_titles += d.title + "\n";
  }
  std::string senders = sendersText(c.senders);
  return tx.diarium().searchIndex(c.id, {c.subject, senders, titles},
                                  {isSecret(c.secrecy, "subject") ? "" : c.subject,
                                   isSecret(c.secrecy, "senders") ? "" : senders, public_titles});
}

Result<Case> Diarium::getCase(std::int64_t id) const {
  KANSLI_ASSIGN_OR_RETURN(auto c, store_.read([&](store::Tx& tx) { return tx.diarium().caseById(id); }));
  if (!c) return std::unexpected(Error::notFound("ärendet finns inte"));
  return *c;
}

Result<Case> Diarium::caseFor(std::int64_t id, const User& viewer) const {
  auto c = getCase(id);
  if (!c) return c;
  switch (caseSight(viewer, *c, org_)) {
    case Sight::kHidden:
      return std::unexpected(Error::notFound("ärendet finns inte"));
    case Sight::kMasked:
      return maskForPublic(std::move(*c));
    case Sight::kFull:
      if (c->secrecy) {
        KANSLI_TRY(noteSecretReads({*c}, viewer));
      }
      return c;
  }
  return std::unexpected(Error::notFound("ärendet finns inte"));
}

Result<std::vector<Document>> Diarium::documentsFor(std::int64_t case_id, const User& viewer) const {
  KANSLI_ASSIGN_OR_RETURN(auto c, getCase(case_id));
  Sight sight = caseSight(viewer, c, org_);
  if (sight == Sight::kHidden) return std::unexpected(Error::notFound("ärendet finns inte"));
  auto docs = documents(case_id);
  if (!docs) return docs;
  bool secret_shown = false;
  for (auto& d : *docs) {
    if (!d.secrecy) continue;
    if (sight == Sight::kMasked) d = maskForPublic(std::move(d));
    else secret_shown = true;
  }
  if (secret_shown) {
    // A secret document in a case that is itself open: the read is still logged.
    Case logged = c;
    if (!logged.secrecy) logged.secrecy = Secrecy{};
    KANSLI_TRY(noteSecretReads({logged}, viewer));
  }
  return docs;
}

Result<std::pair<std::string, std::string>> Diarium::documentContentFor(std::int64_t case_id,
                                                                        int number,
                                                                        const User& viewer) const {
  KANSLI_ASSIGN_OR_RETURN(auto c, getCase(case_id));
  Sight sight = caseSight(viewer, c, org_);
  if (sight == Sight::kHidden) return std::unexpected(Error::notFound("ärendet finns inte"));
  KANSLI_ASSIGN_OR_RETURN(auto docs, documents(case_id));
  auto it = std::find_if(docs.begin(), docs.end(), [&](const Document& d) { return d.number == number; });
  if (it == docs.end()) return std::unexpected(Error::notFound("handlingen finns inte"));
  const bool secret = it->secrecy.has_value();
  if (secret && sight != Sight::kFull) {
    return std::unexpected(Error::forbidden("handlingen omfattas av sekretess (" +
                                            it->secrecy->provision + ")"));
  }
  auto content = documentContent(case_id, number);
  if (content && secret) {
    // Logged before the bytes leave: a read that cannot be logged is refused.
    audit::Detail detail;
    detail.set("document", number);
    detail.set("provision", it->secrecy->provision);
    KANSLI_TRY(audit::recordAudit(store_, clock_,
                                     {viewer.actor(), "document.secret_read", case_id, detail.json()}));
  }
  return content;
}

Result<void> Diarium::noteSecretReads(const std::vector<Case>& shown, const User& viewer) const {
  std::vector<std::int64_t> ids;
  for (const auto& c : shown) {
    if (c.secrecy) ids.push_back(c.id);
  }
  if (ids.empty()) return ok();
  return store_.write([&](store::Tx& tx) -> Result<void> {
    for (auto id : ids) {
      KANSLI_TRY(audit::appendAudit(tx, clock_, {viewer.actor(), "case.secret_read", id, "{}"}));
    }
    return ok();
  });
}

Result<Case> Diarium::getCaseByDnr(const std::string& dnr) const {
  KANSLI_ASSIGN_OR_RETURN(auto canonical, canonicalDnr(dnr));
  KANSLI_ASSIGN_OR_RETURN(auto c, store_.read([&](store::Tx& tx) { return tx.diarium().caseByDnr(canonical); }));
  if (!c) return std::unexpected(Error::notFound("inget ärende har diarienummer " + canonical));
  return *c;
}

Result<std::string> Diarium::canonicalDnr(const std::string& dnr) const {
  auto m = org_.findDnr(dnr);
  if (!m) {
    Error e = m.error();
    e.fields = {{"dnr", e.message}};
    if (e.code == ErrorCode::kNotFound || e.code == ErrorCode::kConflict) {
      e.code = ErrorCode::kInvalidInput;
    }
    return std::unexpected(e);
  }
  return m->committee->formatDnr(m->parts.year, m->parts.number, m->parts.class_code);
}

Result<CasePage> Diarium::listCases(const CaseQuery& query, bool public_view) const {
  CaseScope everything;
  everything.full = !public_view;
  return listCases(query, everything);
}

Result<CasePage> Diarium::listCases(const CaseQuery& query, const CaseScope& scope) const {
  if (scope.nothing) return CasePage{};
  // Whoever may not see secret parts searches and reads as the public does.
  const bool public_view = !scope.full;
  std::vector<FieldError> errors;
  CaseQuery q = query;
  if (q.limit < 1 || q.limit > 200) errors.push_back({"limit", "måste vara 1-200"});
  if (q.committee && !org_.committee(*q.committee)) {
    errors.push_back({"committee", "okänd nämnd: " + *q.committee});
  }
  if (q.kind && !org_.kind(*q.kind)) errors.push_back({"kind", "okänd ärendetyp: " + *q.kind});
  std::chrono::year_month_day d;
  if (q.received_from && !parseDate(*q.received_from, d)) {
    errors.push_back({"from", "måste vara ett datum ÅÅÅÅ-MM-DD"});
  }
  if (q.received_to && !parseDate(*q.received_to, d)) {
    errors.push_back({"to", "måste vara ett datum ÅÅÅÅ-MM-DD"});
  }
  if (q.dnr) {
    auto canonical = canonicalDnr(*q.dnr);
    if (!canonical) {
      errors.push_back({"dnr", canonical.error().message});
    } else {
      q.dnr = *canonical;
    }
  }
  store::CaseListParams p;
  p.query = &q;
  p.public_view = public_view;
  p.today = formatDate(stockholmDate(clock_.now()));
  p.scope_committee = scope.committee;
  if (scope.units) {
    p.scope_units = *scope.units;
    p.scope_officer = scope.officer;
  }
  std::optional<CaseNumberQuery> number;
  if (q.q) {
    if (q.q->size() > 500 || !text::isValidUtf8(*q.q)) {
      errors.push_back({"q", "sökfrågan är för lång eller inte giltig UTF-8"});
    } else {
      auto terms = parseSearch(*q.q, org_);
      p.words = terms.words;
      number = terms.case_number;
    }
  }
  // Cursors: "i<id>" a plain listing; with words "n<id>" newest first and
  // "r<rank>:<id>" by rank; with a case number first "d<id>" among the cases
  // it names, and "f" at the start of the full-text hits after them.
  bool number_phase = number.has_value();
  bool words_from_start = !q.cursor;
  if (q.cursor) {
    auto raw = decodeCursor(*q.cursor);
    bool ok = false;
    if (raw && !raw->empty()) {
      const std::string_view body = std::string_view(*raw).substr(1);
      constexpr std::int64_t kMaxId = std::numeric_limits<std::int64_t>::max();
      if ((*raw)[0] == 'i' && !p.words) {
        p.after_id = text::parseInteger(body, 0, kMaxId);
        ok = p.after_id.has_value();
      } else if ((*raw)[0] == 'd' && number) {
        p.after_id = text::parseInteger(body, 0, kMaxId);
        ok = p.after_id.has_value();
      } else if (*raw == "f" && number && p.words) {
        number_phase = false;
        words_from_start = true;
        ok = true;
      } else if ((*raw)[0] == 'n' && p.words) {
        p.after_id = text::parseInteger(body, 0, kMaxId);
        p.newest_first = true;
        number_phase = false;
        ok = p.after_id.has_value();
      } else if ((*raw)[0] == 'r' && p.words) {
        auto colon = body.find(':');
        double rank = 0;
        auto [end, ec] = std::from_chars(body.data(), body.data() + std::min(colon, body.size()), rank);
        if (colon != std::string_view::npos && ec == std::errc() && end == body.data() + colon) {
          p.after_rank = rank;
          p.after_id = text::parseInteger(body.substr(colon + 1), 0, kMaxId);
          number_phase = false;
          ok = p.after_id.has_value();
        }
      }
    }
    if (!ok) errors.push_back({"cursor", "ogiltig markör; använd värdet next från förra sidan"});
  }
  if (!errors.empty()) return std::unexpected(invalidInput(std::move(errors)));

  // The rows of this page (up to q.limit) and how the next page goes on.
  struct Rows {
    std::vector<store::CaseListRow> rows;
    std::optional<std::string> next_raw;  // the next cursor, before encoding
  };
  auto rows = store_.read([&](store::Tx& tx) -> Result<Rows> {
    Rows out;
    CaseQuery words_query = q;
    if (number) {
      // The cases the query names by number: first, newest first, and left
      // out of the full-text hits after them. One per series and year, so
      // few; the cap only bounds a pathological organisation.
      constexpr int kMaxNumberHits = 1000;
      KANSLI_ASSIGN_OR_RETURN(
          auto hits, tx.diarium().caseListByNumber(
                         p, store::CaseNumber{number->number, number->year, number->dnr},
                         kMaxNumberHits));
      for (const auto& h : hits) p.exclude_ids.push_back(h.c.id);
      if (number_phase) {
        std::size_t start = 0;
        while (p.after_id && start < hits.size() && hits[start].c.id >= *p.after_id) ++start;
        const auto limit = static_cast<std::size_t>(q.limit);
        std::size_t taken = 0;
        for (std::size_t i = start; i < hits.size() && taken < limit; ++i, ++taken) {
          out.rows.push_back(hits[i]);
        }
        if (start + limit < hits.size()) {
          out.next_raw = "d" + std::to_string(out.rows.back().c.id);
          return out;
        }
        if (!p.words) return out;
        // The full-text hits fill the rest of the page, from their start.
        p.after_id.reset();
        p.after_rank.reset();
        words_query.limit = static_cast<int>(limit - taken);
        words_from_start = true;
      }
    }
    // The order is chosen on the first page and carried by the cursor, so
    // one listing keeps one order even while new cases come in.
    if (p.words && words_from_start) {
      KANSLI_ASSIGN_OR_RETURN(auto many, tx.diarium().searchMatchesMoreThan(*p.words, public_view,
                                               static_cast<std::int64_t>(options_.ranked_search_limit)));
      p.newest_first = many;
    }
    store::CaseListParams wp = p;
    wp.query = &words_query;
    KANSLI_ASSIGN_OR_RETURN(auto more, tx.diarium().caseList(wp));
    const bool next_page = static_cast<int>(more.size()) > words_query.limit;
    if (next_page) more.pop_back();
    if (next_page) {
      if (more.empty()) {
        out.next_raw = "f";  // the page was full of case-number hits
      } else {
        const auto& last = more.back();
        if (p.words && p.newest_first) {
          out.next_raw = "n" + std::to_string(last.c.id);
        } else if (p.words) {
          char buf[64];
          std::snprintf(buf, sizeof buf, "r%.17g:%lld", last.rank,
                        static_cast<long long>(last.c.id));
          out.next_raw = buf;
        } else {
          out.next_raw = "i" + std::to_string(last.c.id);
        }
      }
    }
    for (auto& r : more) out.rows.push_back(std::move(r));
    return out;
  });
  if (!rows) return std::unexpected(rows.error());
  CasePage page;
  for (auto& r : rows->rows) page.items.push_back(public_view ? maskForPublic(r.c) : r.c);
  if (rows->next_raw) page.next = encodeCursor(*rows->next_raw);
  return page;
}

Case Diarium::maskForPublic(Case c) {
  if (!c.secrecy) return c;
  if (isSecret(c.secrecy, "subject")) c.subject = maskText("ärendemening", *c.secrecy);
  if (isSecret(c.secrecy, "senders")) {
    c.senders = {Sender{maskText("avsändare", *c.secrecy), std::nullopt, std::nullopt}};
  }
  c.officer.reset();
  return c;
}

Document Diarium::maskForPublic(Document d) {
  if (!d.secrecy) return d;
  if (isSecret(d.secrecy, "counterpart") && d.counterpart) {
    d.counterpart = maskText(d.direction == Direction::kUtgaende ? "mottagare" : "avsändare",
                             *d.secrecy);
  }
  if (isSecret(d.secrecy, "title")) d.title = maskText("handlingens rubrik", *d.secrecy);
  // A secret document's content is never public, whichever fields were named.
  d.sha256.reset();
  d.size.reset();
  d.media_type.reset();
  return d;
}

Result<Document> Diarium::addDocument(std::int64_t case_id, const NewDocument& nd,
                                      const audit::Actor& actor) {
  std::vector<FieldError> errors;
  auto today = stockholmDate(clock_.now());
  checkDate(errors, "date", nd.date, today);
  checkText(errors, "title", nd.title, kMaxSubject, true);
  if (nd.counterpart) checkText(errors, "counterpart", *nd.counterpart, kMaxName, true);
  if (nd.content || nd.content_stream) {
    const std::uint64_t size = nd.content ? nd.content->size() : nd.content_stream->size;
    if (size > options_.max_document_bytes) {
      errors.push_back({"content", "handlingen är större än " +
                                       std::to_string(options_.max_document_bytes) + " byte"});
    }
    if (!nd.media_type || nd.media_type->empty()) {
      errors.push_back({"media_type", "ange medietyp för innehållet"});
    }
  }
  if (nd.content && nd.content_stream) {
    errors.push_back({"content", "innehållet anges en gång"});
  }
  if (nd.media_type) checkText(errors, "media_type", *nd.media_type, 100, true);
  checkSecrecy(errors, nd.secrecy, kDocumentSecretFields, "secrecy");
  if (!errors.empty()) return std::unexpected(invalidInput(std::move(errors)));

  Document d;
  d.case_id = case_id;
  d.direction = nd.direction;
  d.date = nd.date;
  d.counterpart = nd.counterpart;
  d.title = text::trim(nd.title);
  d.media_type = nd.media_type;
  d.secrecy = nd.secrecy;
  if (nd.content) {
    d.size = static_cast<std::int64_t>(nd.content->size());
    d.sha256 = sha256Hex(*nd.content);
  }
  d.registered_at = formatInstant(clock_.now());
  d.registered_by = actor.username;

  return store_.write([&](store::Tx& tx) -> Result<Document> {
    KANSLI_ASSIGN_OR_RETURN(auto c, tx.diarium().caseById(case_id));
    if (!c) return std::unexpected(Error::notFound("ärendet finns inte"));
    Document stored = d;
    KANSLI_ASSIGN_OR_RETURN(auto n, tx.diarium().documentNextNumber(case_id));
    stored.number = n;
    std::int64_t id = 0;
    if (nd.content_stream) {
      // The content goes in chunks; its size and digest come from that pass.
      KANSLI_ASSIGN_OR_RETURN(id, tx.diarium().documentInsertStreamed(stored, *nd.content_stream));
    } else {
      KANSLI_ASSIGN_OR_RETURN(id, tx.diarium().documentInsert(stored, nd.content));
    }
    stored.id = id;
    KANSLI_TRY(tx.diarium().caseUpdate(*c));  // the case changed: new version
    KANSLI_ASSIGN_OR_RETURN(auto docs, tx.diarium().documentsOf(case_id));
    KANSLI_TRY(reindex(tx, *c, docs));
    audit::Detail detail;
    detail.set("number", stored.number);
    detail.set("direction", std::string(directionName(stored.direction)));
    detail.set("date", stored.date);
    detail.set("title", stored.title);
    if (stored.counterpart) detail.set("counterpart", *stored.counterpart);
    if (stored.sha256) detail.set("sha256", *stored.sha256);
    KANSLI_TRY(audit::appendAudit(tx, clock_,
                                 {actor, "document.register", case_id, detail.json()}));
    return stored;
  });
}

Result<Document> Diarium::addDocumentIn(store::Tx& tx, const Case& c, Document d,
                                        DocumentOrigin origin,
                                        const std::optional<std::string>& content) {
  d.case_id = c.id;
  if (origin == DocumentOrigin::kDrawnUp && c.secrecy && !d.secrecy) {
    d.secrecy = Secrecy{c.secrecy->provision, {"title", "content"}};
  }
  if (content) {
    d.size = static_cast<std::int64_t>(content->size());
    d.sha256 = sha256Hex(*content);
  }
  KANSLI_ASSIGN_OR_RETURN(d.number, tx.diarium().documentNextNumber(c.id));
  KANSLI_ASSIGN_OR_RETURN(d.id, tx.diarium().documentInsert(d, content));
  KANSLI_ASSIGN_OR_RETURN(auto docs, tx.diarium().documentsOf(c.id));
  KANSLI_TRY(reindex(tx, c, docs));
  return d;
}

Result<std::vector<Document>> Diarium::documents(std::int64_t case_id) const {
  return store_.read([&](store::Tx& tx) -> Result<std::vector<Document>> {
    KANSLI_ASSIGN_OR_RETURN(auto c, tx.diarium().caseById(case_id));
    if (!c) return std::unexpected(Error::notFound("ärendet finns inte"));
    return tx.diarium().documentsOf(case_id);
  });
}

Result<std::pair<std::string, std::string>> Diarium::documentContent(std::int64_t case_id,
                                                                     int number) const {
  KANSLI_ASSIGN_OR_RETURN(auto r, store_.read([&](store::Tx& tx) { return tx.diarium().documentContent(case_id, number); }));
  if (!r) return std::unexpected(Error::notFound("handlingen har inget lagrat innehåll"));
  return *r;
}

Result<Case> Diarium::correct(std::int64_t case_id, const CaseCorrection& cc,
                              const audit::Actor& actor) {
  std::vector<FieldError> errors;
  auto today = stockholmDate(clock_.now());
  checkText(errors, "reason", cc.reason, 2000, true);
  if (!cc.subject && !cc.received && !cc.senders && !cc.unit && !cc.officer) {
    errors.push_back({"fields", "ange minst en uppgift att rätta"});
  }
  if (cc.subject) checkText(errors, "subject", *cc.subject, kMaxSubject, true);
  if (cc.received) checkDate(errors, "received", *cc.received, today);
  if (cc.senders) checkSenders(errors, *cc.senders);
  if (cc.unit && !org_.unit(*cc.unit)) errors.push_back({"unit", "okänd enhet: " + *cc.unit});
  if (cc.officer) checkText(errors, "officer", *cc.officer, 64, true);
  if (!errors.empty()) return std::unexpected(invalidInput(std::move(errors)));

  return store_.write([&](store::Tx& tx) -> Result<Case> {
    KANSLI_ASSIGN_OR_RETURN(auto found, tx.diarium().caseById(case_id));
    if (!found) return std::unexpected(Error::notFound("ärendet finns inte"));
    Case c = *found;
    std::vector<Correction> changes;
    std::string now = formatInstant(clock_.now());
    auto quote = [](const std::string& s) { return json::quoted(s); };
    auto optQuote = [&](const std::optional<std::string>& s) {
      return s ? quote(*s) : std::string("null");
    };
    auto change = [&](const std::string& field, std::string before, std::string after) {
      if (before != after) {
        changes.push_back({field, std::move(before), std::move(after), cc.reason,
                           actor.username, now});
      }
    };
    if (cc.subject) {
      std::string v = text::trim(*cc.subject);
      change("subject", quote(c.subject), quote(v));
      c.subject = v;
    }
    if (cc.received) {
      change("received", quote(c.received), quote(*cc.received));
      c.received = *cc.received;
    }
    if (cc.senders) {
      change("senders", sendersJson(c.senders), sendersJson(*cc.senders));
      c.senders = *cc.senders;
    }
    if (cc.unit) {
      change("unit", optQuote(c.unit), quote(*cc.unit));
      c.unit = *cc.unit;
    }
    if (cc.officer) {
      change("officer", optQuote(c.officer), quote(*cc.officer));
      c.officer = *cc.officer;
    }
    if (changes.empty()) {
      return std::unexpected(Error::unprocessable("rättelsen ändrar ingenting"));
    }
    for (const auto& ch : changes) KANSLI_TRY(tx.diarium().correctionInsert(case_id, ch));
    KANSLI_TRY(tx.diarium().caseUpdate(c));
    KANSLI_ASSIGN_OR_RETURN(auto docs, tx.diarium().documentsOf(case_id));
    KANSLI_TRY(reindex(tx, c, docs));
    Poco::JSON::Array list;
    for (const auto& ch : changes) {
      auto o = json::ordered();
      o.set("field", ch.field);
      o.set("before", ch.before);
      o.set("after", ch.after);
      list.add(o);
    }
    audit::Detail detail;
    detail.set("reason", cc.reason);
    detail.set("changes", list);
    KANSLI_TRY(audit::appendAudit(tx, clock_, {actor, "case.correct", case_id, detail.json()}));
    c.version += 1;
    return c;
  });
}

Result<std::vector<audit::Event>> Diarium::history(std::int64_t case_id) const {
  return store_.read([&](store::Tx& tx) { return audit::caseEvents(tx, case_id); });
}

Result<std::vector<Correction>> Diarium::corrections(std::int64_t case_id) const {
  return store_.read([&](store::Tx& tx) { return tx.diarium().correctionsOf(case_id); });
}

Result<Diarium::ImportReport> Diarium::importRows(
    const std::vector<ImportRow>& rows, bool skip_bad, const audit::Actor& actor,
    const std::function<void(int, int)>& progress) {
  ImportReport report;
  std::vector<std::pair<const ImportRow*, Case>> good;
  std::set<std::string> seen;
  for (const auto& row : rows) {
    std::string where = "rad " + std::to_string(row.line);
    if (row.problem) {
      report.bad_rows.push_back({where, *row.problem});
      continue;
    }
    KANSLI_ASSIGN_OR_RETURN(auto errors, validate(row.c));
    std::string problems;
    for (const auto& e : errors) problems += (problems.empty() ? "" : "; ") + e.field + ": " + e.message;
    auto m = org_.findDnr(row.dnr);
    Case c;
    if (!m) {
      problems += (problems.empty() ? "" : "; ") + std::string("dnr: ") + m.error().message;
    } else if (m->committee->id != row.c.committee) {
      problems += (problems.empty() ? "" : "; ") + std::string("dnr: hör till ") +
                  m->committee->name + ", inte " + row.c.committee;
    } else {
      c.dnr = m->committee->formatDnr(m->parts.year, m->parts.number, m->parts.class_code);
      c.series = m->committee->series;
      c.year = m->parts.year;
      c.number = m->parts.number;
      if (!seen.insert(c.dnr).second) {
        problems += (problems.empty() ? "" : "; ") + std::string("dnr: ") + c.dnr +
                    " förekommer flera gånger i filen";
      }
    }
    if (!problems.empty()) {
      report.bad_rows.push_back({where, problems});
      continue;
    }
    auto start = starter_(row.c.kind, row.c.received, formatDate(stockholmDate(clock_.now())));
    if (!start) {
      report.bad_rows.push_back({where, start.error().message});
      continue;
    }
    c.committee = row.c.committee;
    c.kind = row.c.kind;
    c.subject = text::trim(row.c.subject);
    c.received = row.c.received;
    c.senders = row.c.senders;
    c.unit = row.c.unit;
    c.officer = row.c.officer;
    c.secrecy = row.c.secrecy;
    c.state = row.state.value_or(start->initial_state);
    if (std::find(start->states.begin(), start->states.end(), c.state) == start->states.end()) {
      std::string list;
      for (const auto& st : start->states) list += (list.empty() ? "" : ", ") + st;
      report.bad_rows.push_back({where, "state: okänt tillstånd " + c.state + " (kända: " + list + ")"});
      continue;
    }
    c.closed = std::find(start->final_states.begin(), start->final_states.end(), c.state) !=
               start->final_states.end();
    c.workflow_id = start->workflow_id;
    c.workflow_version = start->workflow_version;
    c.deadline = start->deadline;
    c.registered_at = formatInstant(clock_.now());
    c.registered_by = actor.username;
    good.emplace_back(&row, std::move(c));
  }
  if (!report.bad_rows.empty() && !skip_bad) return report;

  constexpr size_t kBatch = 500;
  int total = static_cast<int>(good.size());
  for (size_t i = 0; i < good.size(); i += kBatch) {
    size_t end = std::min(good.size(), i + kBatch);
    auto written = store_.write([&](store::Tx& tx) -> Result<std::vector<FieldError>> {
      std::vector<FieldError> taken;
      for (size_t j = i; j < end; ++j) {
        Case c = good[j].second;
        KANSLI_ASSIGN_OR_RETURN(auto exists, tx.diarium().caseSeriesNumberTaken(c.series, c.year, c.number));
        if (exists) {
          taken.push_back({"rad " + std::to_string(good[j].first->line),
                           "dnr: " + c.dnr + " finns redan i diariet"});
          continue;
        }
        KANSLI_ASSIGN_OR_RETURN(auto id, tx.diarium().caseInsert(c, true));
        c.id = id;
        KANSLI_TRY(tx.diarium().dnrBumpTo(c.series, c.year, c.number));
        KANSLI_TRY(reindex(tx, c, {}));
        audit::Detail detail;
        detail.set("dnr", c.dnr);
        detail.set("line", good[j].first->line);
        KANSLI_TRY(audit::appendAudit(tx, clock_, {actor, "case.import", c.id, detail.json()}));
      }
      if (!taken.empty() && !skip_bad) {
        return std::unexpected(Error{ErrorCode::kConflict, "importen avbröts", taken, {}});
      }
      return taken;
    });
    if (!written) {
      if (!written.error().fields.empty()) {
        report.bad_rows.insert(report.bad_rows.end(), written.error().fields.begin(),
                               written.error().fields.end());
        return report;
      }
      return std::unexpected(written.error());
    }
    report.imported += static_cast<int>(end - i - written->size());
    report.bad_rows.insert(report.bad_rows.end(), written->begin(), written->end());
    if (progress) progress(static_cast<int>(end), total);
  }
  return report;
}

}  // namespace kansli
