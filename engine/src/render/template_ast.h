// A loaded template, compiled from its XML into a small tree the expander walks.
// Built once by parseTemplate(); immutable afterwards, so shared freely.
#pragma once

#include <string>
#include <vector>

#include "kansli/document.h"
#include "kansli/render.h"

namespace kansli::detail {

struct TNode {
  enum class Kind {
    kText,        // literal text
    kValue,       // <value of=path format=…>
    kEm,          // <em>
    kIf,          // <if present|absent=path>
    kEach,        // <each in=path as=alias>
    kPageNumber,  // <page-number style=…>
    kHeading,
    kParagraph,
    kList,
    kItem,
    kSignatures,
    kSigner,
    kLine,      // a signer's line
    kSections,  // the memo's sections go here
  };
  Kind kind = Kind::kText;
  int line = 0;
  std::string text;    // kText: the text; kValue/kIf/kEach: the path
  std::string alias;   // kEach
  std::string format;  // kValue: format; kParagraph: role
  std::string separator, last_separator;  // inline kEach
  bool absent = false;                    // kIf absent=…
  bool has_last_separator = false;
  int level = 0;                          // kHeading
  bool ordered = false;                   // kList
  doc::PageStyle page_style = doc::PageStyle::kNumberOfTotal;
  std::vector<TNode> children;
};

struct SectionSlot {
  bool others = false;  // <others/>: kind "other" and kinds the template does not list
  SectionRule rule;
  std::vector<TNode> default_blocks;
  int line = 0;
};

struct HeaderFieldT {
  std::string role;
  std::vector<TNode> content;
};

struct TemplateAst {
  std::string name;
  std::string source;
  std::string lang = "sv";
  std::vector<HeaderFieldT> header;
  std::vector<std::vector<TNode>> footer;
  std::vector<TNode> body;
  int sections_level = 2;
  bool sections_upper = false;
  bool has_sections = false;
  std::vector<SectionSlot> slots;
  std::vector<SectionRule> rules;  // slots without <others/>, for Template::sections()
};

}  // namespace kansli::detail
