// A case as the API answers it (GET /api/v1/cases/{id}, a page of
// GET /api/v1/cases, registration, correction, transition, migration),
// written straight into the answer's body with JsonText: one writer for the
// read by id and the listing, so the two cannot drift. The JSON is what the
// former Poco object (obj() with these members, toJson) gave, byte for byte
// (tests/api/case_json_test.cpp). What the case holds is what the caller may
// see: the engine has masked it for the viewer already.
#pragma once

#include <string>

#include "http.h"
#include "kansli/case.h"
#include "kansli/organisation.h"

namespace kansli::api {

// The case's members, into an object the caller has opened (so an answer
// can add its own after them: a transition's "transition" and "from").
void writeCaseMembers(JsonText& j, const Case& c, const Organisation& org);
// {...the case...}
std::string caseJson(const Case& c, const Organisation& org);
// {"items":[case, ...],"next":cursor or null}
std::string casePageJson(const CasePage& page, const Organisation& org);

}  // namespace kansli::api
