// Internals of the workflow loader, shared by loader.cpp and the fuzz target.
//
// checkDocument() is the whole per-file check: well-formedness (xml::parse's
// hostile-input rules), the RelaxNG schema when one is given, then the
// semantic and graph checks. The semantic pass never trusts the schema to have
// passed: it skips what is missing or malformed (the schema reports that) so
// that it can run, and report, on any input.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "kansli/workflow.h"
#include "xml/xml.h"

namespace kansli::workflow::internal {

struct FileResult {
  Workflow workflow;        // as far as it could be read
  bool identified = false;  // id and version were read (for cross-file checks)
  std::vector<Problem> problems;
};

// `schema` may be null: then only the semantic checks run (fuzzing).
FileResult checkDocument(std::string_view xml, const std::string& name, const xml::Schema* schema);

// Problems across files: the same id and version twice, one case kind served
// by two different workflows (latest versions). Appends to `problems`.
void checkAcrossFiles(const std::vector<const FileResult*>& files, std::vector<Problem>& problems);

}  // namespace kansli::workflow::internal
