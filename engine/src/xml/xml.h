// The XML layer: the only place in Kansli that includes libxml2.
//
// Every XML document from outside (memo drafts, templates, workflows, the
// organisation file) is parsed here, with the same hostile-input rules:
//   * no network access, no external entities, no DTD at all (a DOCTYPE is
//     refused before any entity could be declared, so XXE and entity-expansion
//     bombs never start);
//   * a size limit checked before parsing, and libxml2's default depth limit
//     (XML_PARSE_HUGE is never set);
//   * errors carry the file name and line ("memo.xml:12: ...").
//
// Documents are owned by Document (RAII); Element is a non-owning view into a
// Document and must not outlive it. A Document may be read from several threads
// at once; nothing here mutates shared state after xml::init().
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kansli/error.h"

struct _xmlDoc;
struct _xmlNode;
struct _xmlRelaxNG;

namespace kansli::xml {

// Call once at program start, before threads (xmlInitParser).
void init();

struct Problem {
  std::string file;
  int line = 0;
  std::string message;
  std::string str() const { return file + ":" + std::to_string(line) + ": " + message; }
};

class Element;

class Document {
 public:
  Document() = default;
  explicit Document(_xmlDoc* doc);
  Document(Document&&) noexcept = default;
  Document& operator=(Document&&) noexcept = default;

  explicit operator bool() const { return doc_ != nullptr; }
  Element root() const;
  _xmlDoc* raw() const { return doc_.get(); }
  const std::string& name() const { return name_; }
  void setName(std::string n) { name_ = std::move(n); }
  // The document serialised as UTF-8 XML, without the DOCTYPE-free doc's
  // declaration when `declaration` is false.
  std::string serialize(bool declaration = true) const;

 private:
  struct Deleter {
    void operator()(_xmlDoc* d) const;
  };
  std::unique_ptr<_xmlDoc, Deleter> doc_;
  std::string name_;
};

struct ParseLimits {
  std::size_t max_bytes = 4 * 1024 * 1024;
};

// Parses `data` (named `name` in errors). On failure returns Error{kUnprocessable}
// with one FieldError {"line N", message} per problem and message "name:line: ...".
Result<Document> parse(std::string_view data, const std::string& name,
                       const ParseLimits& limits = {});
Result<Document> parseFile(const std::string& path, const ParseLimits& limits = {});

// A node in a Document: an element or a run of text.
class Element {
 public:
  Element() = default;
  explicit Element(_xmlNode* n) : n_(n) {}
  explicit operator bool() const { return n_ != nullptr; }

  std::string name() const;  // local name
  int line() const;
  bool isText() const;       // a text or CDATA node
  std::optional<std::string> attr(const char* name) const;
  std::string attrOr(const char* name, std::string fallback) const;
  // All text below this node, concatenated.
  std::string text() const;
  // Child elements, optionally only those named `name`.
  std::vector<Element> children(std::string_view name = {}) const;
  // Child elements and non-blank text runs, in document order (mixed content).
  std::vector<Element> nodes() const;
  Element child(std::string_view name) const;  // first child element so named
  _xmlNode* raw() const { return n_; }

 private:
  _xmlNode* n_ = nullptr;
};

// A compiled RelaxNG schema. Thread-safe for validation after construction
// (each validate() creates its own validation context).
class Schema {
 public:
  static Result<Schema> load(const std::string& path);
  // Empty when valid; otherwise one problem per violation with its line.
  std::vector<Problem> validate(const Document& doc) const;

 private:
  struct Deleter {
    void operator()(_xmlRelaxNG* s) const;
  };
  std::shared_ptr<_xmlRelaxNG> schema_;
};

// ---- Building XML ------------------------------------------------------------
//
// A small tree-building API for the XML that Kansli writes (the DOCX and ODT
// parts). Names are qualified ("w:p", "text:h"); every prefix must be declared
// on the root by Builder's constructor ("xml" is predeclared), so an unknown
// prefix is a programming error reported by Builder::error(). Text and
// attribute values are escaped when serialised, so content can never become
// markup. The Builder owns its document; Node is a non-owning handle that must
// not outlive it. One Builder per thread.

struct Namespace {
  std::string prefix;
  std::string uri;
};

class Builder;

class Node {
 public:
  // Appends a child element and returns it.
  Node add(std::string_view qname);
  // Sets an attribute (qualified or plain name); returns *this for chaining.
  Node& set(std::string_view qname, std::string_view value);
  // Appends a text node.
  Node& text(std::string_view t);
  // Appends a child element holding `t`.
  Node addText(std::string_view qname, std::string_view t) {
    Node n = add(qname);
    n.text(t);
    return n;
  }

 private:
  friend class Builder;
  Node(Builder* b, _xmlNode* n) : b_(b), n_(n) {}
  Builder* b_ = nullptr;
  _xmlNode* n_ = nullptr;
};

class Builder {
 public:
  Builder(std::string_view root_qname, const std::vector<Namespace>& namespaces);
  Builder(const Builder&) = delete;
  Builder& operator=(const Builder&) = delete;

  Node root() { return Node(this, root_); }
  // `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` and the tree,
  // unindented (whitespace in mixed content is significant in office formats).
  std::string serialize() const;
  // The first misuse (an undeclared prefix), or empty.
  const std::string& error() const { return error_; }

 private:
  friend class Node;
  Document doc_;
  _xmlNode* root_ = nullptr;
  std::string error_;
};

// Escape for XML/HTML text and attribute values.
std::string escape(std::string_view s);

}  // namespace kansli::xml
