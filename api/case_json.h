// A case and a document as the API answers them (GET /api/v1/cases/{id}, a
// page of GET /api/v1/cases, registration, correction, transition,
// migration, the documents' routes, and the public diarium's case and page),
// written straight into the answer's body with JsonText: one writer for each
// member list, so a read by id and a listing cannot drift. The JSON is what the
// former Poco object (obj() with these members, jsonText) gave, byte for byte
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
// The members the public diarium shows of a case (masked for anonymous
// callers by the engine): no officer, unit, workflow or who registered it,
// and of its secrecy only the provision.
void writePublicCaseMembers(JsonText& j, const Case& c, const Organisation& org);
// Whether a document's JSON names who registered it (staff) or not (public).
enum class DocumentAudience { kStaff, kPublic };
void writeDocumentMembers(JsonText& j, const Document& d, DocumentAudience audience);
// {...the case...}
std::string caseJson(const Case& c, const Organisation& org);
// {...the document...}, as staff see it.
std::string documentJson(const Document& d);
// {"items":[case, ...],"next":cursor or null}, each case's members written
// by `members`.
using CaseMembers = void (*)(JsonText&, const Case&, const Organisation&);
std::string casePageJson(const CasePage& page, const Organisation& org,
                         CaseMembers members = writeCaseMembers);

}  // namespace kansli::api
