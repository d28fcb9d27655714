// Text helpers shared by the memo parser, the template expander and the writers.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "kansli/document.h"
#include "kansli/error.h"
#include "xml/xml.h"

namespace kansli::render {

// Whitespace runs (space, tab, CR, LF) become one space; other C0 control
// characters and DEL are dropped. Leading/trailing space is kept, because a run
// may sit between two inline elements; trimInlines() trims at block edges.
std::string collapseSpace(std::string_view s);

// Merges neighbouring text runs of the same emphasis, collapses doubled spaces
// across run boundaries and trims the ends of the whole run list.
void normalizeInlines(doc::Inlines& runs);

// The shipped schema `file` (memo.rng, template.rng) from shippedTemplatesDir(),
// compiled once per process.
Result<const xml::Schema*> shippedSchema(const std::string& file);

// Turns schema problems into one 422 error "name:line: message".
Error schemaError(const std::vector<xml::Problem>& problems, const std::string& what);

// A 422 error for `file` at `line`, with the field "line N".
Error errorAt(const std::string& file, int line, const std::string& message);

}  // namespace kansli::render
