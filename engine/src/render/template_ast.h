// A loaded template, compiled from its XML into a small tree the expander walks.
// Built once by parseTemplate(); immutable afterwards, so shared freely.
#pragma once

#include <optional>
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
    kLine,       // a signer's line
    kSections,   // a group of the memo's sections goes here (group = index)
    kPageBreak,  // <page-break/>
    kCell,       // a grid cell: text = label, children = value
  };
  Kind kind = Kind::kText;
  int line = 0;
  std::string text;    // kText: the text; kValue/kIf/kEach: the path; kCell: label
  std::string alias;   // kEach
  std::string format;  // kValue: format; kParagraph: role
  std::string separator, last_separator;  // inline kEach
  std::string bullet;                     // kList
  bool absent = false;                    // kIf absent=…
  bool has_last_separator = false;
  bool keep_with_next = false;            // kParagraph, kList
  int level = 0;                          // kHeading; kSections: the group's index
  bool ordered = false;                   // kList
  double width_percent = 0;               // kCell
  doc::PageStyle page_style = doc::PageStyle::kNumberOfTotal;
  std::vector<TNode> children;
};

struct SectionSlot {
  bool others = false;  // <others/>: kind "other" and kinds the template does not list
  SectionRule rule;
  bool show_heading = true;
  bool new_page = false;
  std::vector<TNode> default_blocks;
  int line = 0;
};

// One <sections> element.
struct SectionGroup {
  int level = 2;
  bool upper = false;
  std::vector<SectionSlot> slots;
};

struct HeaderFieldT {
  std::string role;
  std::vector<TNode> content;
};

// A row of a band: a line of text, or a grid (kCell and kIf nodes).
struct BandRowT {
  bool grid = false;
  std::vector<TNode> nodes;
};

struct BandT {
  bool present = false;
  std::optional<doc::Image> logo;  // read and checked when the template was loaded
  std::vector<HeaderFieldT> fields;
  std::vector<BandRowT> rows;
};

struct TemplateAst {
  std::string name;
  std::string source;
  std::string lang = "sv";
  doc::Layout layout;
  std::optional<Numbering> numbering;  // <numbering series format>
  BandT header, first_header, footer, first_footer;
  std::vector<TNode> body;
  std::vector<SectionGroup> groups;
  bool has_sections = false;
  std::vector<SectionRule> rules;  // slots without <others/>, in order, for Template::sections()
  TemplateFiles files;             // what it was made from, for keeping a version
};

}  // namespace kansli::detail
