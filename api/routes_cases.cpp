// The diarium over HTTP: cases, documents, corrections, history, committees,
// and the public diarium.
#include <Poco/Base64Decoder.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <sstream>

#include <unistd.h>

#include "case_json.h"
#include "kansli/diarium.h"
#include "kansli/text.h"
#include "service.h"
#include "wire.h"

namespace kansli::api {
namespace {

std::string etag(const Case& c) { return "\"" + std::to_string(c.version) + "\""; }

std::optional<std::vector<Sender>> parseSenders(const Poco::JSON::Object::Ptr& body,
                                                std::vector<FieldError>& errors, bool required) {
  if (!body->has("senders") || body->isNull("senders")) {
    if (required) errors.push_back({"senders", "minst en avsändare krävs"});
    return std::nullopt;
  }
  auto arr = body->getArray("senders");
  if (!arr) {
    errors.push_back({"senders", "måste vara en lista"});
    return std::nullopt;
  }
  std::vector<Sender> out;
  for (size_t i = 0; i < arr->size() && i < 101; ++i) {
    std::string f = "senders[" + std::to_string(i) + "]";
    auto o = arr->getObject(static_cast<unsigned>(i));
    if (!o) {
      errors.push_back({f, "måste vara ett objekt {name, party?, organisation?}"});
      continue;
    }
    std::vector<FieldError> inner;
    Sender s;
    auto name = stringField(o, "name", inner, true, 300);
    s.party = stringField(o, "party", inner, false, 40);
    s.organisation = stringField(o, "organisation", inner, false, 300);
    for (auto& e : inner) errors.push_back({f + "." + e.field, e.message});
    if (name) s.name = *name;
    out.push_back(std::move(s));
  }
  return out;
}

std::optional<Secrecy> parseSecrecy(const Poco::JSON::Object::Ptr& body,
                                    std::vector<FieldError>& errors) {
  if (!body->has("secrecy") || body->isNull("secrecy")) return std::nullopt;
  auto o = body->getObject("secrecy");
  if (!o) {
    errors.push_back({"secrecy", "måste vara ett objekt {provision, fields}"});
    return std::nullopt;
  }
  Secrecy s;
  std::vector<FieldError> inner;
  auto provision = stringField(o, "provision", inner, true, 200);
  if (provision) s.provision = *provision;
  s.reason = stringField(o, "reason", inner, false, 2000).value_or("");
  auto fields = o->getArray("fields");
  if (!fields) {
    inner.push_back({"fields", "måste vara en lista"});
  } else {
    for (size_t i = 0; i < fields->size() && i < 10; ++i) {
      auto v = fields->get(static_cast<unsigned>(i));
      if (!v.isString()) {
        inner.push_back({"fields", "måste vara strängar"});
        break;
      }
      s.fields.push_back(v.convert<std::string>());
    }
  }
  for (auto& e : inner) errors.push_back({"secrecy." + e.field, e.message});
  return s;
}

Result<std::int64_t> caseIdParam(const Request& req) { return pathId(req, "id", "ärendet"); }

// A document's number from the route's {n}: the whole segment must be the
// number (std::stoi alone took "1abc" as 1).
Result<int> documentNumber(const Request& req) {
  auto n = text::parseInteger(req.params.at("n"), 0, 999'999'999);
  if (!n) return std::unexpected(Error::notFound("handlingen finns inte"));
  return static_cast<int>(*n);
}

// The JSON form of a document upload (content as base64) is parsed in
// memory: bodies above this go as a raw upload (the bytes as the body, their
// own Content-Type), which is spooled to disk.
constexpr std::uint64_t kMaxJsonDocumentBody = 8ull * 1024 * 1024;

bool isJsonType(const std::string& content_type) {
  std::string ct = text::trim(content_type.substr(0, content_type.find(';')));
  for (auto& c : ct) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  // curl's default form type is the JSON form too (parseJsonBody tolerates it).
  return ct.empty() || ct == "application/json" || ct == "application/x-www-form-urlencoded" ||
         (ct.size() > 5 && ct.substr(ct.size() - 5) == "+json");
}

Result<std::string> readBodyFile(const BodyFile& f) {
  std::string out(static_cast<std::size_t>(f.size), '\0');
  std::size_t done = 0;
  while (done < out.size()) {
    ssize_t n = ::pread(f.fd, out.data() + done, out.size() - done, static_cast<off_t>(done));
    if (n <= 0) return std::unexpected(Error::internal("kan inte läsa det mottagna innehållet"));
    done += static_cast<std::size_t>(n);
  }
  return out;
}

// Media types a browser may show in place: they run no script. Everything
// else (HTML, SVG, XML, anything unknown) is a download.
bool showsInline(const std::string& media_type) {
  std::string mt = text::trim(media_type.substr(0, media_type.find(';')));
  for (auto& c : mt) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return mt == "application/pdf" || mt == "image/png" || mt == "image/jpeg" ||
         mt == "image/gif" || mt == "text/plain";
}

// An integer query parameter in [lo, hi], named in the error as a range.
std::optional<int> intQuery(const Request& req, const std::string& name,
                            std::vector<FieldError>& errors, int lo, int hi) {
  auto n = queryInteger(req, name, lo, hi,
                        "måste vara ett heltal " + std::to_string(lo) + "-" + std::to_string(hi),
                        errors);
  if (!n) return std::nullopt;
  return static_cast<int>(*n);
}

Result<CaseQuery> caseQuery(const Request& req) {
  CaseQuery q;
  std::vector<FieldError> errors;
  auto nonEmpty = [&](const char* name) -> std::optional<std::string> {
    auto v = req.queryParam(name);
    if (!v || v->empty()) return std::nullopt;
    return v;
  };
  q.q = nonEmpty("q");
  q.committee = nonEmpty("committee");
  q.kind = nonEmpty("kind");
  q.state = nonEmpty("state");
  q.unit = nonEmpty("unit");
  q.officer = nonEmpty("officer");
  q.dnr = nonEmpty("dnr");
  q.received_from = nonEmpty("from");
  q.received_to = nonEmpty("to");
  q.cursor = nonEmpty("cursor");
  q.year = intQuery(req, "year", errors, 1900, 2200);
  q.limit = intQuery(req, "limit", errors, 1, 200).value_or(50);
  auto overdue = nonEmpty("overdue");
  if (overdue && *overdue != "true" && *overdue != "1" && *overdue != "false" && *overdue != "0") {
    errors.push_back({"overdue", "måste vara true, 1, false eller 0"});
  }
  q.overdue = overdue && (*overdue == "true" || *overdue == "1");
  for (const auto* date : {&q.received_from, &q.received_to}) {
    std::chrono::year_month_day ymd;
    if (*date && !parseDate(**date, ymd)) {
      errors.push_back({date == &q.received_from ? "from" : "to", "måste vara ett datum ÅÅÅÅ-MM-DD"});
    }
  }
  if (!errors.empty()) return std::unexpected(Error::invalid("ogiltiga sökvillkor", errors));
  return q;
}

}  // namespace

namespace {

std::string objectJson(const auto& write) {
  std::string out;
  out.reserve(512);
  JsonText j(out);
  j.beginObject();
  write(j);
  j.endObject();
  return out;
}

}  // namespace

void writeCaseMembers(JsonText& j, const Case& c, const Organisation& org) {
  j.member("id", c.id);
  j.member("dnr", c.dnr);
  j.member("committee", c.committee);
  if (auto* cm = org.committee(c.committee)) j.member("committee_name", cm->name);
  j.member("kind", c.kind);
  if (auto* k = org.kind(c.kind)) j.member("kind_label", k->label);
  j.member("subject", c.subject);
  j.member("received", c.received);
  j.key("senders");
  writeSendersJson(j, c.senders);
  if (c.unit) j.member("unit", *c.unit);
  if (c.officer) j.member("officer", *c.officer);
  j.member("state", c.state);
  j.member("workflow", c.workflow_id);
  j.member("workflow_version", c.workflow_version);
  j.member("version", c.version);
  if (c.deadline) j.member("deadline", *c.deadline);
  if (c.state_deadline) j.member("state_deadline", *c.state_deadline);
  j.memberBool("closed", c.closed);
  if (c.secrecy) {
    j.key("secrecy");
    writeSecrecyJson(j, *c.secrecy, /*with_reason=*/false);
  }
  j.member("registered_at", c.registered_at);
  j.member("registered_by", c.registered_by);
  j.member("documents", c.document_count);
}

void writePublicCaseMembers(JsonText& j, const Case& c, const Organisation& org) {
  j.member("id", c.id);
  j.member("dnr", c.dnr);
  j.member("committee", c.committee);
  if (auto* cm = org.committee(c.committee)) j.member("committee_name", cm->name);
  j.member("kind", c.kind);
  j.member("subject", c.subject);
  j.member("received", c.received);
  j.key("senders");
  writeSendersJson(j, c.senders);
  j.member("state", c.state);
  j.memberBool("closed", c.closed);
  if (c.secrecy) j.member("secrecy", c.secrecy->provision);
}

void writeDocumentMembers(JsonText& j, const Document& d, DocumentAudience audience) {
  j.member("number", d.number);
  j.member("direction", directionName(d.direction));
  j.member("date", d.date);
  if (d.counterpart) j.member("counterpart", *d.counterpart);
  j.member("title", d.title);
  if (d.media_type) j.member("media_type", *d.media_type);
  if (d.size) j.member("size", *d.size);
  if (d.sha256) j.member("sha256", *d.sha256);
  if (d.secrecy) {
    j.key("secrecy");
    writeSecrecyJson(j, *d.secrecy, /*with_reason=*/false);
  }
  if (d.kind) j.member("kind", *d.kind);
  j.member("registered_at", d.registered_at);
  if (audience == DocumentAudience::kStaff) j.member("registered_by", d.registered_by);
}

std::string caseJson(const Case& c, const Organisation& org) {
  return objectJson([&](JsonText& j) { writeCaseMembers(j, c, org); });
}

std::string documentJson(const Document& d) {
  return objectJson([&](JsonText& j) { writeDocumentMembers(j, d, DocumentAudience::kStaff); });
}

std::string casePageJson(const CasePage& page, const Organisation& org, CaseMembers members) {
  std::string out;
  out.reserve(128 + 512 * page.items.size());
  JsonText j(out);
  j.beginObject();
  j.key("items");
  j.beginArray();
  for (const auto& c : page.items) {
    j.beginObject();
    members(j, c, org);
    j.endObject();
  }
  j.endArray();
  j.key("next");
  if (page.next) {
    j.string(*page.next);
  } else {
    j.null();
  }
  j.endObject();
  return out;
}

namespace {

Response committees(Service& s, Request&, const User&) {
  Poco::JSON::Array list;
  for (const auto& c : s.organisation().committees) {
    auto o = obj();
    o.set("id", c.id);
    o.set("name", c.name);
    o.set("series", c.series);
    o.set("dnr_format", c.dnr_format);
    o.set("dnr_label", c.dnr_label);
    list.add(o);
  }
  auto o = obj();
  o.set("municipality", s.organisation().name);
  o.set("items", list);
  return Response::json(200, o);
}

NewCase newCase(const Poco::JSON::Object::Ptr& body, std::vector<FieldError>& errors) {
  NewCase nc;
  nc.committee = stringField(body, "committee", errors, true, 40).value_or("");
  nc.kind = stringField(body, "kind", errors, true, 40).value_or("");
  nc.subject = stringField(body, "subject", errors, true, 2000).value_or("");
  nc.received = stringField(body, "received", errors, true, 20).value_or("");
  nc.senders = parseSenders(body, errors, true).value_or(std::vector<Sender>{});
  nc.unit = stringField(body, "unit", errors, false, 64);
  nc.officer = stringField(body, "officer", errors, false, 64);
  nc.secrecy = parseSecrecy(body, errors);
  nc.class_code = stringField(body, "class", errors, false, 40);
  return nc;
}

Response registerCase(Service& s, Request& req, const User& user) {
  auto body = parseJsonBody(req);
  if (!body) return Response::problem(body.error());
  std::vector<FieldError> errors;
  NewCase nc = newCase(*body, errors);
  if (!errors.empty()) {
    // Name every bad field at once: add the engine's findings on the rest.
    auto more = s.diarium().validate(nc);
    if (more) {
      for (auto& e : *more) {
        bool named = std::any_of(errors.begin(), errors.end(), [&](const FieldError& f) {
          return f.field == e.field || f.field.rfind(e.field + ".", 0) == 0 ||
                 f.field.rfind(e.field + "[", 0) == 0;
        });
        if (!named) errors.push_back(std::move(e));
      }
    }
    return Response::problem(Error::invalid("uppgifterna är inte giltiga", errors));
  }
  auto c = s.diarium().registerCase(nc, user.actor());
  if (!c) return Response::problem(c.error());
  return Response::json(201, caseJson(*c, s.organisation()))
      .header("Location", "/api/v1/cases/" + std::to_string(c->id))
      .header("ETag", etag(*c));
}

Response listCases(Service& s, Request& req, const User& user) {
  auto q = caseQuery(req);
  if (!q) return Response::problem(q.error());
  auto page = s.diarium().listCases(*q, user);
  if (!page) return Response::problem(page.error());
  return Response::json(200, casePageJson(*page, s.organisation()));
}

Response getCase(Service& s, Request& req, const User& user) {
  auto id = caseIdParam(req);
  if (!id) return Response::problem(id.error());
  auto c = s.diarium().caseFor(*id, user);
  if (!c) return Response::problem(c.error());
  if (req.header("if-none-match") == etag(*c)) {
    Response res;
    res.status = 304;
    return res.header("ETag", etag(*c));
  }
  return Response::json(200, caseJson(*c, s.organisation())).header("ETag", etag(*c));
}

NewDocument newDocument(const Poco::JSON::Object::Ptr& body, std::vector<FieldError>& errors) {
  NewDocument d;
  auto direction = stringField(body, "direction", errors, true, 20);
  if (direction) {
    if (auto dir = parseDirection(*direction)) {
      d.direction = *dir;
    } else {
      errors.push_back({"direction", "måste vara inkommen, upprattad eller utgaende"});
    }
  }
  d.date = stringField(body, "date", errors, true, 20).value_or("");
  d.title = stringField(body, "title", errors, true, 2000).value_or("");
  d.counterpart = stringField(body, "counterpart", errors, false, 300);
  d.media_type = stringField(body, "media_type", errors, false, 100);
  if (d.media_type && !wire::isValidMediaType(*d.media_type)) {
    errors.push_back({"media_type", "måste vara en medietyp (RFC 6838), t.ex. application/pdf"});
  }
  auto content = stringField(body, "content_base64", errors, false, 64 * 1024 * 1024);
  if (content) {
    d.content = text::decodeBase64(*content);
    if (!d.content) errors.push_back({"content_base64", "är inte giltig base64"});
  }
  d.secrecy = parseSecrecy(body, errors);
  return d;
}

// "a, b,c" as at most ten trimmed, non-empty names.
std::vector<std::string> commaList(const std::string& list) {
  std::vector<std::string> out;
  for (std::size_t pos = 0; pos <= list.size();) {
    std::size_t comma = std::min(list.find(',', pos), list.size());
    std::string f = text::trim(list.substr(pos, comma - pos));
    if (!f.empty() && out.size() < 10) out.push_back(f);
    pos = comma + 1;
  }
  return out;
}

// The raw form of a document upload: the body is the document, its
// Content-Type the document's media type, the registration in the query.
NewDocument rawDocument(Request& req, std::vector<FieldError>& errors) {
  NewDocument d;
  const std::string content_type = req.header("content-type");
  if (!wire::isValidMediaType(content_type)) {
    errors.push_back({"Content-Type", "måste vara en medietyp (RFC 6838), t.ex. application/pdf"});
  } else {
    d.media_type = content_type;
  }
  auto q = [&](const char* name, bool required, std::size_t max_len) -> std::optional<std::string> {
    auto v = req.queryParam(name);
    if (!v || text::trim(*v).empty()) {
      if (required) errors.push_back({name, "fältet krävs"});
      return std::nullopt;
    }
    if (v->size() > max_len || !text::isValidUtf8(*v)) {
      errors.push_back({name, "är för långt eller inte giltig UTF-8"});
      return std::nullopt;
    }
    return v;
  };
  if (auto direction = q("direction", true, 20)) {
    if (auto dir = parseDirection(*direction)) {
      d.direction = *dir;
    } else {
      errors.push_back({"direction", "måste vara inkommen, upprattad eller utgaende"});
    }
  }
  d.date = q("date", true, 20).value_or("");
  d.title = q("title", true, 2000).value_or("");
  d.counterpart = q("counterpart", false, 300);
  if (auto provision = q("secrecy_provision", false, 200)) {
    d.secrecy = Secrecy{*provision, commaList(q("secrecy_fields", false, 200).value_or("")),
                        q("secrecy_reason", false, 2000).value_or("")};
  }
  if (req.body_file) {
    // Spooled to disk by the server: streamed from there into the database
    // in chunks, never held whole in memory.
    std::shared_ptr<BodyFile> file = req.body_file;
    d.content_stream = ContentSource{
        file->size, [file](char* buf, std::size_t n, std::uint64_t offset) -> std::int64_t {
          return ::pread(file->fd, buf, n, static_cast<off_t>(offset));
        }};
  } else {
    d.content = std::move(req.body);
  }
  return d;
}

// The JSON form (content as base64), read from the spool file when the
// server spooled it; refused above kMaxJsonDocumentBody.
Result<NewDocument> jsonDocument(Request& req, std::vector<FieldError>& errors) {
  if (req.body_file) {
    if (req.body_file->size > kMaxJsonDocumentBody) {
      return std::unexpected(Error{ErrorCode::kTooLarge,
                                   "JSON-formen tar högst " + std::to_string(kMaxJsonDocumentBody) +
                                       " byte; ladda upp större handlingar råa (innehållet "
                                       "som kropp med sin egen Content-Type)",
                                   {},
                                   {}});
    }
    KANSLI_ASSIGN_OR_RETURN(auto bytes, readBodyFile(*req.body_file));
    req.body = std::move(bytes);
  }
  KANSLI_ASSIGN_OR_RETURN(auto body, parseJsonBody(req));
  return newDocument(body, errors);
}

Response addDocument(Service& s, Request& req, const User& user) {
  auto id = caseIdParam(req);
  if (!id) return Response::problem(id.error());
  std::vector<FieldError> errors;
  NewDocument d;
  if (isJsonType(req.header("content-type"))) {
    auto parsed = jsonDocument(req, errors);
    if (!parsed) return Response::problem(parsed.error());
    d = std::move(*parsed);
  } else {
    d = rawDocument(req, errors);
  }
  if (!errors.empty()) {
    return Response::problem(Error::invalid("uppgifterna är inte giltiga", errors));
  }
  auto doc = s.diarium().addDocument(*id, d, user);
  if (!doc) return Response::problem(doc.error());
  return Response::json(201, documentJson(*doc))
      .header("Location", "/api/v1/cases/" + std::to_string(*id) + "/documents/" +
                              std::to_string(doc->number));
}

Response listDocuments(Service& s, Request& req, const User& user) {
  auto id = caseIdParam(req);
  if (!id) return Response::problem(id.error());
  auto docs = s.diarium().documentsFor(*id, user);
  if (!docs) return Response::problem(docs.error());
  return Response::json(200, objectJson([&](JsonText& j) {
    j.key("items");
    j.beginArray();
    for (const auto& d : *docs) {
      j.beginObject();
      writeDocumentMembers(j, d, DocumentAudience::kStaff);
      j.endObject();
    }
    j.endArray();
  }));
}

Response getDocument(Service& s, Request& req, const User& user) {
  auto id = caseIdParam(req);
  if (!id) return Response::problem(id.error());
  auto n = documentNumber(req);
  if (!n) return Response::problem(n.error());
  auto docs = s.diarium().documentsFor(*id, user);
  if (!docs) return Response::problem(docs.error());
  for (const auto& d : *docs) {
    if (d.number == *n) return Response::json(200, documentJson(d));
  }
  return Response::problem(Error::notFound("handlingen finns inte"));
}

Response documentContent(Service& s, Request& req, const User& user) {
  auto id = caseIdParam(req);
  if (!id) return Response::problem(id.error());
  auto n = documentNumber(req);
  if (!n) return Response::problem(n.error());
  auto content = s.diarium().documentContentFor(*id, *n, user);
  if (!content) return Response::problem(content.error());
  Response res;
  // A media type stored before types were checked at input is not trusted
  // into a header.
  res.content_type = wire::isValidMediaType(content->second) ? content->second
                                                             : "application/octet-stream";
  res.body = std::move(content->first);
  std::string name = "handling-" + std::to_string(*n);
  // Stored content is someone else's bytes: no script of it runs here.
  res.header("Content-Security-Policy", "sandbox; default-src 'none'");
  return res.header("Content-Disposition", (showsInline(res.content_type) ? "inline" : "attachment") +
                                               std::string("; filename=\"") + name + "\"");
}

Response correctCase(Service& s, Request& req, const User& user) {
  auto id = caseIdParam(req);
  if (!id) return Response::problem(id.error());
  auto body = parseJsonBody(req);
  if (!body) return Response::problem(body.error());
  std::vector<FieldError> errors;
  CaseCorrection cc;
  cc.reason = stringField(*body, "reason", errors, true, 2000).value_or("");
  cc.subject = stringField(*body, "subject", errors, false, 2000);
  cc.received = stringField(*body, "received", errors, false, 20);
  cc.senders = parseSenders(*body, errors, false);
  cc.unit = stringField(*body, "unit", errors, false, 64);
  cc.officer = stringField(*body, "officer", errors, false, 64);
  if (!errors.empty()) {
    return Response::problem(Error::invalid("rättelsen är inte giltig", errors));
  }
  auto c = s.diarium().correct(*id, cc, user);
  if (!c) return Response::problem(c.error());
  return Response::json(200, caseJson(*c, s.organisation())).header("ETag", etag(*c));
}

Response caseHistory(Service& s, Request& req, const User& user) {
  auto id = caseIdParam(req);
  if (!id) return Response::problem(id.error());
  auto events = s.diarium().history(*id, user);
  if (!events) return Response::problem(events.error());
  Poco::JSON::Array items;
  for (const auto& e : *events) {
    auto o = obj();
    o.set("seq", e.seq);
    o.set("at", e.at);
    o.set("actor", e.actor);
    o.set("role", e.role);
    o.set("action", e.action);
    Poco::JSON::Parser p;
    o.set("detail", p.parse(e.detail));
    items.add(o);
  }
  auto o = obj();
  o.set("items", items);
  return Response::json(200, o);
}

Response publicDiarium(Service& s, Request& req, const Visitor&) {
  auto q = caseQuery(req);
  if (!q) return Response::problem(q.error());
  auto page = s.diarium().listCases(*q, Viewer::anonymous());
  if (!page) return Response::problem(page.error());
  return Response::json(200, casePageJson(*page, s.organisation(), writePublicCaseMembers));
}

Response publicCase(Service& s, Request& req, const Visitor&) {
  auto id = caseIdParam(req);
  if (!id) return Response::problem(id.error());
  auto record = s.diarium().recordFor(*id, Viewer::anonymous());
  if (!record) return Response::problem(record.error());
  return Response::json(200, objectJson([&](JsonText& j) {
    writePublicCaseMembers(j, record->c, s.organisation());
    j.key("documents");
    j.beginArray();
    for (const auto& d : record->documents) {
      j.beginObject();
      writeDocumentMembers(j, d, DocumentAudience::kPublic);
      j.endObject();
    }
    j.endArray();
  }));
}

}  // namespace

void addCaseRoutes(Router& r, Service& s) {
  const auto registrators = Access::roles_({Role::kRegistrator});
  const auto staff = Access::roles_(
      {Role::kRegistrator, Role::kHandlaggare, Role::kEnhetschef, Role::kNamndsekreterare});
  const auto anyone = Access::signedIn();
  r.add("GET", "/api/v1/committees", anyone, handler(s, committees));
  r.add("POST", "/api/v1/cases", registrators, handler(s, registerCase));
  r.add("GET", "/api/v1/cases", anyone, handler(s, listCases));
  r.add("GET", "/api/v1/cases/{id}", anyone, handler(s, getCase));
  r.add("POST", "/api/v1/cases/{id}/documents", staff, handler(s, addDocument));
  // Documents are the one large body: up to ServerConfig::max_upload, spooled.
  r.acceptLargeBody("POST", "/api/v1/cases/{id}/documents");
  r.add("GET", "/api/v1/cases/{id}/documents", anyone, handler(s, listDocuments));
  r.add("GET", "/api/v1/cases/{id}/documents/{n}", anyone, handler(s, getDocument));
  r.add("GET", "/api/v1/cases/{id}/documents/{n}/content", anyone, handler(s, documentContent));
  r.add("POST", "/api/v1/cases/{id}/corrections", registrators, handler(s, correctCase));
  r.add("GET", "/api/v1/cases/{id}/history", anyone, handler(s, caseHistory));
  r.addPublic("GET", "/api/v1/public/diarium", handler(s, publicDiarium));
  r.addPublic("GET", "/api/v1/public/diarium/{id}", handler(s, publicCase));
}

}  // namespace kansli::api
