// The reference case SOCN 2020/262 as the API tests register it: the
// initiative of 2020-08-25 from Andreas Falk and Maria Åberg (S) and its
// document, the memo from samples/.
#pragma once

#include <string>

#include "testing/api_server.h"

namespace kansli::testing {

inline const char* kReferenceSubject =
    "Förebyggande åtgärder mot att barn ska fara illa vid sexköp och människohandel";

inline std::string referenceCaseBody() {
  return std::string(R"({"committee":"SOCN","kind":"politikerinitiativ","subject":")") +
         kReferenceSubject +
         R"(","received":"2020-08-25","senders":[{"name":"Andreas Falk","party":"S"},)"
         R"({"name":"Maria Åberg","party":"S"}]})";
}

inline std::string referenceDocumentBody() {
  return std::string(
             R"j({"direction":"inkommen","date":"2020-08-25","counterpart":"Andreas Falk och Maria Åberg (S)","title":"Politikerinitiativ - )j") +
         kReferenceSubject + R"("})";
}

inline std::string referenceMemoXml() {
  return readFile(sourceDir() + "/samples/nacka/memo-SOCN-2020-262.xml");
}

// Registers the case and its initiative document; returns the case id.
inline std::string registerReferenceCase(const Client& registrator) {
  auto r = registrator.post("/api/v1/cases", referenceCaseBody());
  if (r.status != 201) throw std::runtime_error("register: " + r.body);
  std::string id = std::to_string(r.json()->getValue<int>("id"));
  auto d = registrator.post("/api/v1/cases/" + id + "/documents", referenceDocumentBody());
  if (d.status != 201) throw std::runtime_error("document: " + d.body);
  return id;
}

// The registrator assigns the case to a unit (tilldela_enhet): from then on
// its officers and unit head see it (kansli/access.h).
inline void assignUnit(const Client& registrator, const std::string& id,
                       const std::string& unit = "bfe") {
  std::string etag = registrator.get("/api/v1/cases/" + id).header("etag");
  auto r = registrator.request("POST", "/api/v1/cases/" + id + "/transitions",
                               R"({"transition":"tilldela_enhet","unit":")" + unit + R"("})",
                               {{"Content-Type", "application/json"}, {"If-Match", etag}});
  if (r.status != 200) throw std::runtime_error("tilldela_enhet: " + r.body);
}

}  // namespace kansli::testing
