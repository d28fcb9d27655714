#include "xml/xml.h"

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/relaxng.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlsave.h>

#include <fstream>
#include <mutex>
#include <sstream>

namespace kansli::xml {
namespace {

// Silences libxml2's default printing to stderr; errors are collected per call.
void silentGenericError(void*, const char*, ...) {}

struct ParseState {
  bool doctype_seen = false;
  int doctype_line = 0;
};

// SAX hook: a DOCTYPE of any kind is refused before its subset is read.
void refuseDoctype(void* ctx, const xmlChar*, const xmlChar*, const xmlChar*) {
  auto* ctxt = static_cast<xmlParserCtxtPtr>(ctx);
  auto* state = static_cast<ParseState*>(ctxt->_private);
  state->doctype_seen = true;
  state->doctype_line = ctxt->input ? ctxt->input->line : 0;
  xmlStopParser(ctxt);
}

std::string trimMessage(const char* m) {
  std::string s = m ? m : "okänt fel";
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

bool isBlank(const xmlChar* s) {
  if (!s) return true;
  for (; *s; ++s) {
    if (*s != ' ' && *s != '\n' && *s != '\t' && *s != '\r') return false;
  }
  return true;
}

}  // namespace

void init() {
  static std::once_flag once;
  std::call_once(once, [] {
    xmlInitParser();
    xmlSetGenericErrorFunc(nullptr, silentGenericError);
    // Never substitute entities or load external DTDs, whatever a caller asks.
    xmlSubstituteEntitiesDefault(0);
    xmlLoadExtDtdDefaultValue = 0;
  });
}

void Document::Deleter::operator()(_xmlDoc* d) const { xmlFreeDoc(d); }
Document::Document(_xmlDoc* doc) : doc_(doc) {}

Element Document::root() const { return Element(doc_ ? xmlDocGetRootElement(doc_.get()) : nullptr); }

std::string Document::serialize(bool declaration) const {
  if (!doc_) return {};
  xmlChar* mem = nullptr;
  int size = 0;
  if (declaration) {
    xmlDocDumpMemoryEnc(doc_.get(), &mem, &size, "UTF-8");
    std::string out(reinterpret_cast<const char*>(mem), static_cast<size_t>(size));
    xmlFree(mem);
    return out;
  }
  xmlBufferPtr buf = xmlBufferCreate();
  xmlNodeDump(buf, doc_.get(), xmlDocGetRootElement(doc_.get()), 0, 0);
  std::string out(reinterpret_cast<const char*>(xmlBufferContent(buf)),
                  static_cast<size_t>(xmlBufferLength(buf)));
  xmlBufferFree(buf);
  return out;
}

Result<Document> parse(std::string_view data, const std::string& name, const ParseLimits& limits) {
  init();
  if (data.size() > limits.max_bytes) {
    return std::unexpected(Error{ErrorCode::kTooLarge,
                                 name + ": dokumentet är större än " +
                                     std::to_string(limits.max_bytes) + " byte",
                                 {},
                                 {}});
  }
  xmlParserCtxtPtr ctxt =
      xmlCreatePushParserCtxt(nullptr, nullptr, nullptr, 0, name.c_str());
  if (!ctxt) return std::unexpected(Error::internal("kunde inte skapa XML-tolk"));
  ParseState state;
  ctxt->_private = &state;
  ctxt->sax->internalSubset = refuseDoctype;
  ctxt->sax->externalSubset = nullptr;
  ctxt->sax->resolveEntity = nullptr;
  ctxt->sax->getEntity = nullptr;
  ctxt->sax->entityDecl = nullptr;
  xmlCtxtUseOptions(ctxt, XML_PARSE_NONET);
  ctxt->sax->warning = nullptr;

  int rc = xmlParseChunk(ctxt, data.data(), static_cast<int>(data.size()), 1);
  Error err;
  bool failed = false;
  if (state.doctype_seen) {
    failed = true;
    err = Error::unprocessable(name + ":" + std::to_string(state.doctype_line) +
                                   ": DOCTYPE är inte tillåten",
                               {{"line " + std::to_string(state.doctype_line),
                                 "DOCTYPE är inte tillåten"}});
  } else if (rc != 0 || !ctxt->wellFormed) {
    failed = true;
    const xmlError* e = xmlCtxtGetLastError(ctxt);
    int line = e ? e->line : 0;
    std::string msg = trimMessage(e ? e->message : nullptr);
    err = Error::unprocessable(name + ":" + std::to_string(line) + ": " + msg,
                               {{"line " + std::to_string(line), msg}});
  }
  xmlDocPtr doc = ctxt->myDoc;
  ctxt->myDoc = nullptr;
  xmlFreeParserCtxt(ctxt);
  if (failed) {
    if (doc) xmlFreeDoc(doc);
    return std::unexpected(std::move(err));
  }
  Document d(doc);
  d.setName(name);
  return d;
}

Result<Document> parseFile(const std::string& path, const ParseLimits& limits) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::unexpected(Error::notFound(path + ": filen kan inte läsas"));
  std::ostringstream ss;
  ss << in.rdbuf();
  return parse(ss.str(), path, limits);
}

std::string Element::name() const {
  return n_ && n_->name ? reinterpret_cast<const char*>(n_->name) : "";
}
int Element::line() const { return n_ ? static_cast<int>(xmlGetLineNo(n_)) : 0; }
bool Element::isText() const {
  return n_ && (n_->type == XML_TEXT_NODE || n_->type == XML_CDATA_SECTION_NODE);
}

std::optional<std::string> Element::attr(const char* name) const {
  if (!n_ || n_->type != XML_ELEMENT_NODE) return std::nullopt;
  xmlChar* v = xmlGetProp(n_, reinterpret_cast<const xmlChar*>(name));
  if (!v) return std::nullopt;
  std::string s(reinterpret_cast<const char*>(v));
  xmlFree(v);
  return s;
}

std::string Element::attrOr(const char* name, std::string fallback) const {
  auto v = attr(name);
  return v ? *v : std::move(fallback);
}

std::string Element::text() const {
  if (!n_) return {};
  xmlChar* v = xmlNodeGetContent(n_);
  if (!v) return {};
  std::string s(reinterpret_cast<const char*>(v));
  xmlFree(v);
  return s;
}

std::vector<Element> Element::children(std::string_view name) const {
  std::vector<Element> out;
  if (!n_) return out;
  for (xmlNodePtr c = n_->children; c; c = c->next) {
    if (c->type != XML_ELEMENT_NODE) continue;
    if (!name.empty() && name != reinterpret_cast<const char*>(c->name)) continue;
    out.emplace_back(c);
  }
  return out;
}

std::vector<Element> Element::nodes() const {
  std::vector<Element> out;
  if (!n_) return out;
  for (xmlNodePtr c = n_->children; c; c = c->next) {
    if (c->type == XML_ELEMENT_NODE) {
      out.emplace_back(c);
    } else if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) &&
               !isBlank(c->content)) {
      out.emplace_back(c);
    } else if (c->type == XML_TEXT_NODE && c->content && *c->content && c->prev && c->next) {
      // Blank text between two inline elements is a real space ("<em>a</em> <em>b</em>").
      out.emplace_back(c);
    }
  }
  return out;
}

Element Element::child(std::string_view name) const {
  if (!n_) return Element();
  for (xmlNodePtr c = n_->children; c; c = c->next) {
    if (c->type == XML_ELEMENT_NODE && name == reinterpret_cast<const char*>(c->name)) {
      return Element(c);
    }
  }
  return Element();
}

void Schema::Deleter::operator()(_xmlRelaxNG* s) const { xmlRelaxNGFree(s); }

namespace {
struct ProblemSink {
  std::vector<Problem>* out;
  std::string file;
};
void collectStructured(void* user, xmlErrorPtr e) {
  auto* sink = static_cast<ProblemSink*>(user);
  if (!e) return;
  sink->out->push_back({sink->file, e->line, trimMessage(e->message)});
}
}  // namespace

Result<Schema> Schema::load(const std::string& path) {
  init();
  std::vector<Problem> problems;
  ProblemSink sink{&problems, path};
  xmlRelaxNGParserCtxtPtr pctxt = xmlRelaxNGNewParserCtxt(path.c_str());
  if (!pctxt) return std::unexpected(Error::internal(path + ": schemat kan inte läsas"));
  xmlRelaxNGSetParserStructuredErrors(pctxt, collectStructured, &sink);
  xmlRelaxNGPtr rng = xmlRelaxNGParse(pctxt);
  xmlRelaxNGFreeParserCtxt(pctxt);
  if (!rng) {
    std::string msg = path + ": schemat är trasigt";
    if (!problems.empty()) msg = problems.front().str();
    return std::unexpected(Error::internal(msg));
  }
  Schema s;
  s.schema_.reset(rng, Deleter{});
  return s;
}

std::vector<Problem> Schema::validate(const Document& doc) const {
  std::vector<Problem> problems;
  ProblemSink sink{&problems, doc.name()};
  xmlRelaxNGValidCtxtPtr vctxt = xmlRelaxNGNewValidCtxt(schema_.get());
  xmlRelaxNGSetValidStructuredErrors(vctxt, collectStructured, &sink);
  int rc = xmlRelaxNGValidateDoc(vctxt, doc.raw());
  xmlRelaxNGFreeValidCtxt(vctxt);
  if (rc != 0 && problems.empty()) problems.push_back({doc.name(), 0, "ogiltigt enligt schemat"});
  return problems;
}

// ---- Builder -------------------------------------------------------------------

namespace {

// Splits "w:p" into its namespace (searched on the root) and local name.
xmlNsPtr resolvePrefix(xmlDocPtr doc, xmlNodePtr scope, std::string_view qname, std::string& local,
                       std::string& error) {
  auto colon = qname.find(':');
  if (colon == std::string_view::npos) {
    local = std::string(qname);
    return nullptr;
  }
  std::string prefix(qname.substr(0, colon));
  local = std::string(qname.substr(colon + 1));
  xmlNsPtr ns = xmlSearchNs(doc, scope, reinterpret_cast<const xmlChar*>(prefix.c_str()));
  if (!ns && error.empty()) error = "namnrymden \"" + prefix + "\" är inte deklarerad";
  return ns;
}

const xmlChar* X(const std::string& s) { return reinterpret_cast<const xmlChar*>(s.c_str()); }

}  // namespace

Builder::Builder(std::string_view root_qname, const std::vector<Namespace>& namespaces) {
  init();
  xmlDocPtr doc = xmlNewDoc(reinterpret_cast<const xmlChar*>("1.0"));
  doc_ = Document(doc);
  auto colon = root_qname.find(':');
  std::string local(colon == std::string_view::npos ? root_qname : root_qname.substr(colon + 1));
  root_ = xmlNewDocNode(doc, nullptr, X(local), nullptr);
  xmlDocSetRootElement(doc, root_);
  for (const auto& ns : namespaces) xmlNewNs(root_, X(ns.uri), X(ns.prefix));
  if (colon != std::string_view::npos) {
    std::string prefix(root_qname.substr(0, colon));
    xmlNsPtr ns = xmlSearchNs(doc, root_, X(prefix));
    if (!ns) error_ = "namnrymden \"" + prefix + "\" är inte deklarerad";
    xmlSetNs(root_, ns);
  }
}

std::string Builder::serialize() const {
  xmlDocPtr doc = doc_.raw();
  doc->standalone = 1;
  xmlChar* mem = nullptr;
  int size = 0;
  xmlDocDumpFormatMemoryEnc(doc, &mem, &size, "UTF-8", 0);
  std::string out(reinterpret_cast<const char*>(mem), static_cast<size_t>(size));
  xmlFree(mem);
  return out;
}

Node Node::add(std::string_view qname) {
  std::string local;
  xmlNsPtr ns = resolvePrefix(b_->doc_.raw(), b_->root_, qname, local, b_->error_);
  xmlNodePtr child = xmlNewDocNode(b_->doc_.raw(), ns, X(local), nullptr);
  xmlAddChild(n_, child);
  return Node(b_, child);
}

Node& Node::set(std::string_view qname, std::string_view value) {
  std::string local;
  xmlNsPtr ns = resolvePrefix(b_->doc_.raw(), b_->root_, qname, local, b_->error_);
  std::string v(value);
  if (ns) {
    xmlSetNsProp(n_, ns, X(local), X(v));
  } else {
    xmlSetProp(n_, X(local), X(v));
  }
  return *this;
}

Node& Node::text(std::string_view t) {
  xmlNodePtr tn = xmlNewDocTextLen(b_->doc_.raw(), reinterpret_cast<const xmlChar*>(t.data()),
                                   static_cast<int>(t.size()));
  xmlAddChild(n_, tn);
  return *this;
}

std::string escape(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 16);
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

}  // namespace kansli::xml
