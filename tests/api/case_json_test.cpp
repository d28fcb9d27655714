// A case's JSON is written straight into the answer (api/case_json.h, issue
// #20) instead of through a Poco object per case. Clients see no difference:
// these tests compare it, byte for byte, with what the former Poco builder
// (kept here as the reference, as it was in routes_cases.cpp) wrote through
// jsonText, for a read by id, a page of a listing and a transition's answer, on
// generated cases: every optional member present or not, strings with every
// escape, known and unknown committees and kinds, secret cases as the full
// sight sees them and as masked for the public.
#include <gtest/gtest.h>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <random>
#include <string>

#include "case_json.h"
#include "http.h"
#include "kansli/diarium.h"
#include "kansli/organisation.h"
#include "testing/testing.h"

namespace kansli::api {
namespace {

// ---- the reference: the Poco builders as they were before ----------------

Poco::JSON::Object referenceSecrecy(const Secrecy& s) {
  auto o = obj();
  o.set("provision", s.provision);
  Poco::JSON::Array f;
  for (const auto& x : s.fields) f.add(x);
  o.set("fields", f);
  return o;
}

Poco::JSON::Array referenceSenders(const std::vector<Sender>& senders) {
  Poco::JSON::Array a;
  for (const auto& s : senders) {
    auto o = obj();
    o.set("name", s.name);
    if (s.party) o.set("party", *s.party);
    if (s.organisation) o.set("organisation", *s.organisation);
    a.add(o);
  }
  return a;
}

Poco::JSON::Object referenceCase(const Case& c, const Organisation& org) {
  auto o = obj();
  o.set("id", c.id);
  o.set("dnr", c.dnr);
  o.set("committee", c.committee);
  if (auto* cm = org.committee(c.committee)) o.set("committee_name", cm->name);
  o.set("kind", c.kind);
  if (auto* k = org.kind(c.kind)) o.set("kind_label", k->label);
  o.set("subject", c.subject);
  o.set("received", c.received);
  o.set("senders", referenceSenders(c.senders));
  if (c.unit) o.set("unit", *c.unit);
  if (c.officer) o.set("officer", *c.officer);
  o.set("state", c.state);
  o.set("workflow", c.workflow_id);
  o.set("workflow_version", c.workflow_version);
  o.set("version", c.version);
  if (c.deadline) o.set("deadline", *c.deadline);
  if (c.state_deadline) o.set("state_deadline", *c.state_deadline);
  o.set("closed", c.closed);
  if (c.secrecy) o.set("secrecy", referenceSecrecy(*c.secrecy));
  o.set("registered_at", c.registered_at);
  o.set("registered_by", c.registered_by);
  o.set("documents", c.document_count);
  return o;
}

Poco::JSON::Object referencePage(const CasePage& page, const Organisation& org) {
  Poco::JSON::Array items;
  for (const auto& c : page.items) items.add(referenceCase(c, org));
  auto o = obj();
  o.set("items", items);
  o.set("next", page.next ? Poco::Dynamic::Var(*page.next) : Poco::Dynamic::Var());
  return o;
}

// The public diarium's case (routes_cases.cpp's publicCaseJson before).
Poco::JSON::Object referencePublicCase(const Case& c, const Organisation& org) {
  auto o = obj();
  o.set("id", c.id);
  o.set("dnr", c.dnr);
  o.set("committee", c.committee);
  if (auto* cm = org.committee(c.committee)) o.set("committee_name", cm->name);
  o.set("kind", c.kind);
  o.set("subject", c.subject);
  o.set("received", c.received);
  o.set("senders", referenceSenders(c.senders));
  o.set("state", c.state);
  o.set("closed", c.closed);
  if (c.secrecy) o.set("secrecy", c.secrecy->provision);
  return o;
}

Poco::JSON::Object referenceDocument(const Document& d) {
  auto o = obj();
  o.set("number", d.number);
  o.set("direction", std::string(directionName(d.direction)));
  o.set("date", d.date);
  if (d.counterpart) o.set("counterpart", *d.counterpart);
  o.set("title", d.title);
  if (d.media_type) o.set("media_type", *d.media_type);
  if (d.size) o.set("size", *d.size);
  if (d.sha256) o.set("sha256", *d.sha256);
  if (d.secrecy) o.set("secrecy", referenceSecrecy(*d.secrecy));
  if (d.kind) o.set("kind", *d.kind);
  o.set("registered_at", d.registered_at);
  o.set("registered_by", d.registered_by);
  return o;
}

// ---- generated cases ------------------------------------------------------

class CaseJson : public ::testing::Test {
 protected:
  void SetUp() override {
    auto org = loadOrganisation(testing::sourceDir() + "/samples/nacka/organisation.xml",
                                testing::sourceDir() + "/schemas/organisation.rng");
    ASSERT_TRUE(org) << org.error().message;
    org_ = std::move(*org);
    ASSERT_FALSE(org_.committees.empty());
  }

  std::string text() {
    std::string s;
    const int n = static_cast<int>(rng_() % 20);
    for (int i = 0; i < n; ++i) {
      switch (rng_() % 7) {
        case 0: s += static_cast<char>(rng_() % 32); break;  // control bytes
        case 1: s += "\"\\/"[rng_() % 3]; break;
        case 2: s += "ÅÄÖé€ §"; break;
        case 3: s += static_cast<char>(0x80 + rng_() % 128); break;  // stray bytes
        case 4: s += "\xF0\x9F\x98\x80"; break;
        default: s += static_cast<char>('a' + rng_() % 26);
      }
    }
    return s;
  }
  std::optional<std::string> maybe() {
    if (rng_() % 2) return std::nullopt;
    return text();
  }

  Case generated() {
    Case c;
    c.id = static_cast<std::int64_t>(rng_() % 3 == 0 ? rng_() : rng_() % 1000) +
           (rng_() % 5 == 0 ? (std::int64_t{1} << 40) : 0);
    c.dnr = text();
    // A known committee and kind (their names are written) or unknown ones.
    c.committee = rng_() % 4 ? org_.committees[rng_() % org_.committees.size()].id : text();
    c.kind = rng_() % 4 && !org_.kinds.empty() ? org_.kinds[rng_() % org_.kinds.size()].id : text();
    c.subject = text();
    c.received = text();
    for (int k = static_cast<int>(rng_() % 4); k > 0; --k) {
      c.senders.push_back(Sender{text(), maybe(), maybe()});
    }
    c.unit = maybe();
    c.officer = maybe();
    c.state = text();
    c.workflow_id = text();
    c.workflow_version = static_cast<int>(rng_() % 100);
    c.version = static_cast<std::int64_t>(rng_() % 100000) + 1;
    c.deadline = maybe();
    c.state_deadline = maybe();
    if (rng_() % 2) {
      Secrecy s;
      s.provision = text();
      for (int k = static_cast<int>(rng_() % 3); k > 0; --k) {
        s.fields.push_back(rng_() % 2 ? text() : (rng_() % 2 ? "subject" : "senders"));
      }
      c.secrecy = s;
    }
    c.registered_at = text();
    c.registered_by = text();
    c.closed = rng_() % 2 == 0;
    c.document_count = static_cast<int>(rng_() % 50);
    return c;
  }

  Document generatedDocument() {
    Document d;
    d.number = static_cast<int>(rng_() % 1000) + 1;
    d.direction = static_cast<Direction>(rng_() % 3);
    d.date = text();
    d.counterpart = maybe();
    d.title = text();
    d.media_type = maybe();
    if (rng_() % 2) d.size = static_cast<std::int64_t>(rng_()) * 977;
    d.sha256 = maybe();
    if (rng_() % 2) d.secrecy = Secrecy{text(), {text(), "title"}};
    d.kind = maybe();
    d.registered_at = text();
    d.registered_by = text();
    return d;
  }

  Organisation org_;
  std::mt19937 rng_{20261130};
};

TEST_F(CaseJson, AReadByIdIsWhatThePocoObjectWasByteForByte) {
  for (int i = 0; i < 3000; ++i) {
    Case c = generated();
    ASSERT_EQ(caseJson(c, org_), jsonText(referenceCase(c, org_))) << "case " << i;
    // The masked view the engine hands a caller without sight of the secret.
    Case masked = Diarium::maskForPublic(c);
    ASSERT_EQ(caseJson(masked, org_), jsonText(referenceCase(masked, org_))) << "masked " << i;
  }
}

TEST_F(CaseJson, APageIsWhatThePocoObjectWasByteForByte) {
  CasePage empty;
  EXPECT_EQ(casePageJson(empty, org_), jsonText(referencePage(empty, org_)));
  EXPECT_EQ(casePageJson(empty, org_), R"({"items":[],"next":null})");
  for (int i = 0; i < 300; ++i) {
    CasePage page;
    for (int k = static_cast<int>(rng_() % 60); k > 0; --k) {
      Case c = generated();
      page.items.push_back(rng_() % 2 ? Diarium::maskForPublic(c) : c);
    }
    if (rng_() % 2) page.next = text();
    ASSERT_EQ(casePageJson(page, org_), jsonText(referencePage(page, org_))) << "page " << i;
  }
}

TEST_F(CaseJson, ATransitionsAnswerAddsItsMembersAfterTheCase) {
  for (int i = 0; i < 500; ++i) {
    Case c = generated();
    std::string transition = text(), from = text();
    auto reference = referenceCase(c, org_);
    reference.set("transition", transition);
    reference.set("from", from);
    std::string out;
    JsonText j(out);
    j.beginObject();
    writeCaseMembers(j, c, org_);
    j.member("transition", transition);
    j.member("from", from);
    j.endObject();
    ASSERT_EQ(out, jsonText(reference)) << "case " << i;
  }
}

TEST_F(CaseJson, ThePublicDiariumsCaseAndPageAreWhatThePocoObjectsWereByteForByte) {
  for (int i = 0; i < 1000; ++i) {
    Case c = Diarium::maskForPublic(generated());
    ASSERT_EQ(jsonText(referencePublicCase(c, org_)), [&] {
      std::string out;
      JsonText j(out);
      j.beginObject();
      writePublicCaseMembers(j, c, org_);
      j.endObject();
      return out;
    }()) << "case " << i;
  }
  for (int i = 0; i < 100; ++i) {
    CasePage page;
    Poco::JSON::Array items;
    for (int k = static_cast<int>(rng_() % 60); k > 0; --k) {
      page.items.push_back(Diarium::maskForPublic(generated()));
      items.add(referencePublicCase(page.items.back(), org_));
    }
    if (rng_() % 2) page.next = text();
    auto reference = obj();
    reference.set("items", items);
    reference.set("next", page.next ? Poco::Dynamic::Var(*page.next) : Poco::Dynamic::Var());
    ASSERT_EQ(casePageJson(page, org_, writePublicCaseMembers), jsonText(reference)) << "page " << i;
  }
}

TEST_F(CaseJson, ADocumentIsWhatThePocoObjectWasByteForByteAndThePublicOneNamesNoRegistrar) {
  for (int i = 0; i < 2000; ++i) {
    Document d = generatedDocument();
    auto reference = referenceDocument(d);
    ASSERT_EQ(documentJson(d), jsonText(reference)) << "document " << i;
    reference.remove("registered_by");
    std::string out;
    JsonText j(out);
    j.beginObject();
    writeDocumentMembers(j, d, DocumentAudience::kPublic);
    j.endObject();
    ASSERT_EQ(out, jsonText(reference)) << "public document " << i;
  }
}

// A secret subject and secret senders are masked by the engine before the
// writer sees the case; the writer must not bring them back (it writes only
// what the case holds).
TEST_F(CaseJson, AMaskedCaseCarriesNoSecretWord) {
  Case c = generated();
  c.subject = "Hemligt ord Zebraspindel";
  c.senders = {Sender{"Zebraspindel Svensson", std::nullopt, std::string("Zebraspindel AB")}};
  c.secrecy = Secrecy{"OSL 26 kap. 1 §", {"subject", "senders"}};
  std::string full = caseJson(c, org_);
  std::string masked = caseJson(Diarium::maskForPublic(c), org_);
  EXPECT_NE(full.find("Zebraspindel"), std::string::npos);
  EXPECT_EQ(masked.find("Zebraspindel"), std::string::npos) << masked;
  CasePage page;
  page.items = {Diarium::maskForPublic(c), Diarium::maskForPublic(c)};
  EXPECT_EQ(casePageJson(page, org_).find("Zebraspindel"), std::string::npos);
}

TEST(JsonText, PlacesCommasByWhatCameBefore) {
  std::string out;
  JsonText j(out);
  j.beginArray();
  j.integer(1);
  j.beginObject();
  j.member("a", "x");
  j.key("b");
  j.beginArray();
  j.endArray();
  j.key("c");
  j.beginObject();
  j.endObject();
  j.memberBool("d", false);
  j.key("e");
  j.null();
  j.endObject();
  j.string("");
  j.boolean(true);
  j.integer(-9'007'199'254'740'993);
  j.endArray();
  EXPECT_EQ(out, R"([1,{"a":"x","b":[],"c":{},"d":false,"e":null},"",true,-9007199254740993])");
}

}  // namespace
}  // namespace kansli::api
