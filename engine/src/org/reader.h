// Reading an Organisation out of a parsed XML document: the checks that
// loadOrganisation() and checkOrganisation() run, shared with the fuzz target
// (fuzz/organisation_fuzz.cpp), which parses in memory.
#pragma once

#include <vector>

#include "kansli/organisation.h"
#include "xml/xml.h"

namespace kansli::org {

// Validates `doc` against `schema` (skipped when null) and runs the checks a
// schema cannot express. Returns every problem, ordered by line; `out` holds
// the organisation read, complete only when no problem is returned. Never
// trusts the document to be schema-valid: without a schema, or with schema
// problems, it reads what is there and skips what is missing.
std::vector<xml::Problem> read(const xml::Document& doc, const xml::Schema* schema,
                               Organisation& out);

}  // namespace kansli::org
