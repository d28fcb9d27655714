// The reference case SOCN 2020/262 as the API tests register it: the
// initiative of 2020-08-25 from Andreas Falk and Maria Åberg (S) and its
// document, the memo from samples/.
#pragma once

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <sstream>
#include <string>

#include "nacka/reference_case.h"
#include "testing/api_server.h"

namespace kansli::testing {

inline const std::string kReferenceSubject(reference::kSubject);

inline std::string referenceCaseBody() {
  Poco::JSON::Object o(Poco::JSON_PRESERVE_KEY_ORDER);
  o.set("committee", std::string(reference::kCommittee));
  o.set("kind", std::string(reference::kKind));
  o.set("subject", kReferenceSubject);
  o.set("received", std::string(reference::kReceived));
  Poco::JSON::Array senders;
  for (const auto& s : reference::senders()) {
    Poco::JSON::Object so(Poco::JSON_PRESERVE_KEY_ORDER);
    so.set("name", s.name);
    if (s.party) so.set("party", *s.party);
    senders.add(so);
  }
  o.set("senders", senders);
  std::ostringstream out;
  o.stringify(out);
  return out.str();
}

inline std::string referenceDocumentBody() {
  Poco::JSON::Object o(Poco::JSON_PRESERVE_KEY_ORDER);
  o.set("direction", "inkommen");
  o.set("date", std::string(reference::kReceived));
  o.set("counterpart", std::string(reference::kInitiativeCounterpart));
  o.set("title", reference::initiativeTitle());
  std::ostringstream out;
  o.stringify(out);
  return out.str();
}

inline std::string referenceMemoXml() {
  return readFile(sourceDir() + "/" + std::string(reference::kMemoFile));
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
