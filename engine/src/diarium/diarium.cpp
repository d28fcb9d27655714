#include "kansli/diarium.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <algorithm>

#include "access/seen.h"
#include "diarium/checks.h"
#include "kansli/digest.h"
#include "kansli/json_text.h"
#include "kansli/role.h"
#include "kansli/text.h"
#include "store/diarium_repo.h"
#include "store/store.h"
#include "store/tx.h"
#include "util/json.h"

namespace kansli {

using diarium::checkDate;
using diarium::checkSecrecy;
using diarium::checkSenders;
using diarium::checkText;
using diarium::invalidInput;
using diarium::kMaxName;
using diarium::kMaxSubject;

namespace {


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

// The secrecy as the registration's audit event keeps it: with the reason,
// which is kept nowhere else (a case's history shows event details only to
// those who see its secret parts).
// The registration's audit detail, written straight (no Poco object): it is
// made inside the write, on the one writer thread (issue #20).
std::string registrationDetail(const Case& c) {
  std::string out;
  out.reserve(256);
  JsonText j(out);
  j.beginObject();
  j.member("dnr", c.dnr);
  j.member("kind", c.kind);
  j.member("subject", c.subject);
  j.member("received", c.received);
  j.key("senders");
  writeSendersJson(j, c.senders);
  j.member("state", c.state);
  if (c.secrecy) {
    j.key("secrecy");
    writeSecrecyJson(j, *c.secrecy, /*with_reason=*/true);
  }
  j.endObject();
  return out;
}

bool isSecret(const std::optional<Secrecy>& s, const std::string& field) {
  return s && std::find(s->fields.begin(), s->fields.end(), field) != s->fields.end();
}

std::string maskText(const std::string& what, const Secrecy& s) {
  return "Uppgift om " + what + " omfattas av sekretess enligt " + s.provision;
}

// What a document the system draws up in a secret case keeps secret: its
// title (which may name the secret subject) and its content.
Secrecy drawnUpSecrecy(const Secrecy& case_secrecy) {
  return Secrecy{case_secrecy.provision, {"title", "content"}};
}

Result<std::vector<FieldError>> validateAt(const NewCase& c, const Organisation& org,
                                           std::chrono::year_month_day today) {
  std::vector<FieldError> errors;
  if (c.committee.empty()) {
    errors.push_back({"committee", "fältet krävs"});
  } else if (const Committee* committee = org.committee(c.committee); !committee) {
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
  } else if (!org.kind(c.kind)) {
    std::string list;
    for (const auto& k : org.kinds) list += (list.empty() ? "" : ", ") + k.id;
    errors.push_back({"kind", "okänd ärendetyp " + c.kind + " (kända: " + list + ")"});
  }
  checkText(errors, "subject", c.subject, kMaxSubject, true);
  checkDate(errors, "received", c.received, today);
  checkSenders(errors, c.senders);
  if (c.unit && !org.unit(*c.unit)) errors.push_back({"unit", "okänd enhet: " + *c.unit});
  if (c.officer) checkText(errors, "officer", *c.officer, 64, true);
  checkSecrecy(errors, c.secrecy, diarium::caseSecretFields(), "secrecy", org);
  return errors;
}

std::vector<FieldError> checkNewDocument(const NewDocument& nd, std::size_t max_bytes,
                                         std::chrono::year_month_day today,
                                         const Organisation& org) {
  std::vector<FieldError> errors;
  checkDate(errors, "date", nd.date, today);
  checkText(errors, "title", nd.title, kMaxSubject, true);
  if (nd.counterpart) checkText(errors, "counterpart", *nd.counterpart, kMaxName, true);
  if (nd.content || nd.content_stream) {
    const std::uint64_t size = nd.content ? nd.content->size() : nd.content_stream->size;
    if (size > max_bytes) {
      errors.push_back(
          {"content", "handlingen är större än " + std::to_string(max_bytes) + " byte"});
    }
    if (!nd.media_type || nd.media_type->empty()) {
      errors.push_back({"media_type", "ange medietyp för innehållet"});
    }
  }
  if (nd.content && nd.content_stream) {
    errors.push_back({"content", "innehållet anges en gång"});
  }
  if (nd.media_type) checkText(errors, "media_type", *nd.media_type, 100, true);
  checkSecrecy(errors, nd.secrecy, diarium::documentSecretFields(), "secrecy", org);
  return errors;
}

std::vector<FieldError> checkCorrection(const CaseCorrection& cc, const Organisation& org,
                                        std::chrono::year_month_day today) {
  std::vector<FieldError> errors;
  checkText(errors, "reason", cc.reason, 2000, true);
  if (!cc.subject && !cc.received && !cc.senders && !cc.unit && !cc.officer) {
    errors.push_back({"fields", "ange minst en uppgift att rätta"});
  }
  if (cc.subject) checkText(errors, "subject", *cc.subject, kMaxSubject, true);
  if (cc.received) checkDate(errors, "received", *cc.received, today);
  if (cc.senders) checkSenders(errors, *cc.senders);
  if (cc.unit && !org.unit(*cc.unit)) errors.push_back({"unit", "okänd enhet: " + *cc.unit});
  if (cc.officer) checkText(errors, "officer", *cc.officer, 64, true);
  return errors;
}

// Applies a correction to `c`, returning what changed (before/after as JSON).
std::vector<Correction> applyCorrection(Case& c, const CaseCorrection& cc,
                                        const std::string& by, const std::string& at) {
  std::vector<Correction> changes;
  auto optQuote = [](const std::optional<std::string>& s) {
    return s ? json::quoted(*s) : std::string("null");
  };
  auto change = [&](const std::string& field, std::string before, std::string after) {
    if (before != after) {
      changes.push_back({field, std::move(before), std::move(after), cc.reason, by, at});
    }
  };
  if (cc.subject) {
    std::string v = text::trim(*cc.subject);
    change("subject", json::quoted(c.subject), json::quoted(v));
    c.subject = v;
  }
  if (cc.received) {
    change("received", json::quoted(c.received), json::quoted(*cc.received));
    c.received = *cc.received;
  }
  if (cc.senders) {
    change("senders", sendersJson(c.senders), sendersJson(*cc.senders));
    c.senders = *cc.senders;
  }
  if (cc.unit) {
    change("unit", optQuote(c.unit), json::quoted(*cc.unit));
    c.unit = *cc.unit;
  }
  if (cc.officer) {
    change("officer", optQuote(c.officer), json::quoted(*cc.officer));
    c.officer = *cc.officer;
  }
  return changes;
}

audit::Detail correctionDetail(const CaseCorrection& cc, const std::vector<Correction>& changes) {
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
  return detail;
}

}  // namespace

void writeSendersJson(JsonText& j, const std::vector<Sender>& senders) {
  j.beginArray();
  for (const auto& s : senders) {
    j.beginObject();
    j.member("name", s.name);
    if (s.party) j.member("party", *s.party);
    if (s.organisation) j.member("organisation", *s.organisation);
    j.endObject();
  }
  j.endArray();
}

void writeSecrecyJson(JsonText& j, const Secrecy& s, bool with_reason) {
  j.beginObject();
  j.member("provision", s.provision);
  j.key("fields");
  j.beginArray();
  for (const auto& f : s.fields) j.string(f);
  j.endArray();
  if (with_reason && !s.reason.empty()) j.member("reason", s.reason);
  j.endObject();
}

std::string sendersJson(const std::vector<Sender>& senders) {
  std::string out;
  JsonText j(out);
  writeSendersJson(j, senders);
  return out;
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
  return validateAt(c, org_, stockholmDate(clock_.now()));
}

Result<Case> Diarium::registerCase(const NewCase& nc, const audit::Actor& actor) {
  // One instant for the whole registration: around New Year the dnr's year,
  // registered_at and the audit event must not disagree.
  const Instant now = clock_.now();
  const auto today = stockholmDate(now);
  KANSLI_ASSIGN_OR_RETURN(auto errors, validateAt(nc, org_, today));
  if (!errors.empty()) return std::unexpected(invalidInput(std::move(errors)));
  KANSLI_ASSIGN_OR_RETURN(auto start, starter_(nc.kind, nc.received, formatDate(today)));
  const Committee& committee = *org_.committee(nc.committee);

  Case c;
  c.committee = committee.id;
  c.series = committee.series;
  c.year = int(today.year());
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
  c.registered_at = formatInstant(now);
  c.registered_by = actor.username;

  return store_.write([&](store::Tx& tx) -> Result<Case> {
    if (c.unit) KANSLI_TRY(checkCaseUnit(*c.unit, c.committee, org_));
    if (c.officer) KANSLI_TRY(checkOfficer(tx, *c.officer, c.committee, org_));
    Case stored = c;
    KANSLI_ASSIGN_OR_RETURN(stored.number, tx.diarium().dnrDraw(stored.series, stored.year));
    stored.dnr = committee.formatDnr(stored.year, stored.number, nc.class_code.value_or(""));
    // The promise of docs/dnr.md, kept at the one place dnrs are made.
    if (!committee.dnr.parse(stored.dnr)) {
      return std::unexpected(Error::internal("diarienumret \"" + stored.dnr + "\" kan inte läsas tillbaka med " +
                                             committee.dnr_format));
    }
    KANSLI_ASSIGN_OR_RETURN(stored.id, tx.diarium().caseInsert(stored, false));
    KANSLI_TRY(reindex(tx, stored, {}, /*new_case=*/true));
    KANSLI_TRY(audit::appendAudit(tx, now,
                                  {actor, "case.register", stored.id, registrationDetail(stored)}));
    return stored;
  });
}

Result<void> Diarium::reindex(store::Tx& tx, const Case& c, const std::vector<Document>& docs,
                              bool new_case) {
  std::string titles, public_titles;
  for (const auto& d : docs) {
    titles += d.title + "\n";
    if (!isSecret(d.secrecy, "title")) public_titles += d.title + "\n";
  }
  std::string senders = sendersText(c.senders);
  return tx.diarium().searchIndex(c.id, {c.subject, senders, titles},
                                  {isSecret(c.secrecy, "subject") ? "" : c.subject,
                                   isSecret(c.secrecy, "senders") ? "" : senders, public_titles},
                                  new_case ? store::DiariumRepo::IndexRows::kNew
                                           : store::DiariumRepo::IndexRows::kReplace);
}

Result<Case> Diarium::getCase(std::int64_t id) const {
  auto load = [&](store::Tx& tx) { return tx.diarium().caseById(id); };
  KANSLI_ASSIGN_OR_RETURN(auto c, store_.read(load));
  if (!c) return std::unexpected(Error::notFound("ärendet finns inte"));
  return *c;
}

Result<Case> Diarium::caseFor(std::int64_t id, const Viewer& viewer) const {
  auto load = [&](store::Tx& tx) { return shownCase(tx, id, viewer, org_); };
  KANSLI_ASSIGN_OR_RETURN(auto shown, store_.read(load));
  if (shown.sight == Sight::kFull && shown.c.secrecy) {
    KANSLI_TRY(recordSecretReads(store_, clock_.now(), viewer, {id}));
  }
  return std::move(shown.c);
}

Result<CaseRecord> Diarium::recordFor(std::int64_t case_id, const Viewer& viewer) const {
  Sight sight = Sight::kMasked;
  auto record = store_.read([&](store::Tx& tx) -> Result<CaseRecord> {
    KANSLI_ASSIGN_OR_RETURN(auto seen, seeCase(tx, case_id, viewer, org_));
    KANSLI_ASSIGN_OR_RETURN(auto docs, tx.diarium().documentsOf(case_id));
    sight = seen.sight;
    return CaseRecord{std::move(seen.c), seeDocuments(std::move(docs), seen.sight)};
  });
  if (!record) return record;
  if (sight == Sight::kFull && holdsSecret(record->c, record->documents)) {
    // A secret document in a case that is itself open: the read is still logged.
    KANSLI_TRY(recordSecretReads(store_, clock_.now(), viewer, {case_id}));
  }
  return record;
}

Result<std::vector<Document>> Diarium::documentsFor(std::int64_t case_id,
                                                    const Viewer& viewer) const {
  KANSLI_ASSIGN_OR_RETURN(auto record, recordFor(case_id, viewer));
  return std::move(record.documents);
}

Result<std::pair<std::string, std::string>> Diarium::documentContentFor(std::int64_t case_id,
                                                                        int number,
                                                                        const Viewer& viewer) const {
  using Content = std::optional<std::pair<std::string, std::string>>;
  std::optional<Secrecy> secrecy;
  auto load = [&](store::Tx& tx) -> Result<Content> {
    KANSLI_ASSIGN_OR_RETURN(auto seen, seeCase(tx, case_id, viewer, org_));
    KANSLI_ASSIGN_OR_RETURN(auto docs, tx.diarium().documentsOf(case_id));
    auto it = std::find_if(docs.begin(), docs.end(),
                           [&](const Document& d) { return d.number == number; });
    if (it == docs.end()) return std::unexpected(Error::notFound("handlingen finns inte"));
    secrecy = it->secrecy;
    if (secrecy && seen.sight != Sight::kFull) {
      return std::unexpected(
          Error::forbidden("handlingen omfattas av sekretess (" + secrecy->provision + ")"));
    }
    return tx.diarium().documentContent(case_id, number);
  };
  KANSLI_ASSIGN_OR_RETURN(auto content, store_.read(load));
  if (!content) return std::unexpected(Error::notFound("handlingen har inget lagrat innehåll"));
  if (secrecy) {
    // Logged before the bytes leave: a read that cannot be logged is refused.
    audit::Detail detail;
    detail.set("document", number);
    detail.set("provision", secrecy->provision);
    KANSLI_TRY(audit::recordAudit(store_, clock_.now(), {viewer.actor(), "document.secret_read",
                                                         case_id, detail.json()}));
  }
  return std::move(*content);
}

Result<std::vector<audit::Event>> Diarium::history(std::int64_t case_id,
                                                   const Viewer& viewer) const {
  bool secret = false;
  bool case_secrecy = false;
  Sight sight = Sight::kMasked;
  auto load = [&](store::Tx& tx) -> Result<std::vector<audit::Event>> {
    KANSLI_ASSIGN_OR_RETURN(auto seen, seeCase(tx, case_id, viewer, org_));
    KANSLI_ASSIGN_OR_RETURN(auto docs, tx.diarium().documentsOf(case_id));
    secret = holdsSecret(seen.stored, docs);
    case_secrecy = seen.stored.secrecy.has_value();
    sight = seen.sight;
    return audit::caseEvents(tx, case_id);
  };
  KANSLI_ASSIGN_OR_RETURN(auto events, store_.read(load));
  if (secret && sight != Sight::kFull) {
    // Details carry before/after values and document titles; and the
    // identity of those who work on a case with secrecy (its officer, the
    // unit's staff) is secret with it, as the masked case names no officer.
    for (auto& e : events) {
      e.detail = "{}";
      if (case_secrecy && (e.role == roleName(Role::kHandlaggare) ||
                           e.role == roleName(Role::kEnhetschef))) {
        e.actor.clear();
      }
    }
  } else if (secret) {
    KANSLI_TRY(recordSecretReads(store_, clock_.now(), viewer, {case_id}));
  }
  return events;
}

Result<Case> Diarium::getCaseByDnr(const std::string& dnr) const {
  KANSLI_ASSIGN_OR_RETURN(auto canonical, canonicalDnr(dnr));
  auto load = [&](store::Tx& tx) { return tx.diarium().caseByDnr(canonical); };
  KANSLI_ASSIGN_OR_RETURN(auto c, store_.read(load));
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

Result<Document> Diarium::addDocumentIn(store::Tx& tx, const Case& c, Document d,
                                        DocumentOrigin origin,
                                        const std::optional<std::string>& content,
                                        const std::optional<ContentSource>& stream) {
  d.case_id = c.id;
  if (origin == DocumentOrigin::kDrawnUp && c.secrecy && !d.secrecy) {
    d.secrecy = drawnUpSecrecy(*c.secrecy);
  }
  KANSLI_ASSIGN_OR_RETURN(d.number, tx.diarium().documentNextNumber(c.id));
  if (stream) {
    // The content goes in chunks; its size and digest come from that pass.
    KANSLI_ASSIGN_OR_RETURN(d.id, tx.diarium().documentInsertStreamed(d, *stream));
  } else {
    KANSLI_ASSIGN_OR_RETURN(d.id, tx.diarium().documentInsert(d, content));
  }
  KANSLI_ASSIGN_OR_RETURN(auto docs, tx.diarium().documentsOf(c.id));
  KANSLI_TRY(reindex(tx, c, docs));
  return d;
}

Result<Document> Diarium::addDocument(std::int64_t case_id, const NewDocument& nd,
                                      const User& author) {
  const Instant now = clock_.now();
  auto errors = checkNewDocument(nd, options_.max_document_bytes, stockholmDate(now), org_);
  if (!errors.empty()) return std::unexpected(invalidInput(std::move(errors)));

  Document d;
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
  d.registered_at = formatInstant(now);
  d.registered_by = author.username;

  return store_.write([&](store::Tx& tx) -> Result<Document> {
    KANSLI_ASSIGN_OR_RETURN(auto seen, seeCase(tx, case_id, author, org_));
    KANSLI_ASSIGN_OR_RETURN(auto stored,
                            addDocumentIn(tx, seen.stored, d, DocumentOrigin::kRegistered,
                                          nd.content, nd.content_stream));
    KANSLI_TRY(tx.diarium().caseUpdate(seen.stored));  // the case changed: new version
    std::string detail;
    JsonText j(detail);
    j.beginObject();
    j.member("number", stored.number);
    j.member("direction", directionName(stored.direction));
    j.member("date", stored.date);
    j.member("title", stored.title);
    if (stored.counterpart) j.member("counterpart", *stored.counterpart);
    if (stored.sha256) j.member("sha256", *stored.sha256);
    if (stored.secrecy) {
      j.key("secrecy");
      writeSecrecyJson(j, *stored.secrecy, /*with_reason=*/true);
    }
    j.endObject();
    KANSLI_TRY(audit::appendAudit(tx, now, {author.actor(), "document.register", case_id,
                                            std::move(detail)}));
    return stored;
  });
}

Result<Case> Diarium::correct(std::int64_t case_id, const CaseCorrection& cc, const User& author) {
  const Instant now = clock_.now();
  auto errors = checkCorrection(cc, org_, stockholmDate(now));
  if (!errors.empty()) return std::unexpected(invalidInput(std::move(errors)));

  return store_.write([&](store::Tx& tx) -> Result<Case> {
    KANSLI_ASSIGN_OR_RETURN(auto seen, seeCase(tx, case_id, author, org_));
    Case c = seen.stored;
    if (cc.unit) KANSLI_TRY(checkCaseUnit(*cc.unit, c.committee, org_));
    if (cc.officer) KANSLI_TRY(checkOfficer(tx, *cc.officer, c.committee, org_));
    auto changes = applyCorrection(c, cc, author.username, formatInstant(now));
    if (changes.empty()) {
      return std::unexpected(Error::unprocessable("rättelsen ändrar ingenting"));
    }
    for (const auto& ch : changes) KANSLI_TRY(tx.diarium().correctionInsert(case_id, ch));
    KANSLI_TRY(tx.diarium().caseUpdate(c));
    KANSLI_ASSIGN_OR_RETURN(auto docs, tx.diarium().documentsOf(case_id));
    KANSLI_TRY(reindex(tx, c, docs));
    KANSLI_TRY(audit::appendAudit(tx, now, {author.actor(), "case.correct", case_id,
                                            correctionDetail(cc, changes).json()}));
    c.version += 1;
    if (seen.sight != Sight::kFull) return maskForPublic(std::move(c));
    if (c.secrecy) KANSLI_TRY(recordSecretReadsIn(tx, now, author, {case_id}));
    return c;
  });
}

Result<std::vector<Correction>> Diarium::corrections(std::int64_t case_id) const {
  return store_.read([&](store::Tx& tx) { return tx.diarium().correctionsOf(case_id); });
}

}  // namespace kansli
