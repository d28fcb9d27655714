// Cases through their workflow over HTTP: every step by its role, every 4xx,
// version pinning, the race, memos and their approval.
#include <gtest/gtest.h>

#include <Poco/Base64Encoder.h>
#include <Poco/JSON/Array.h>
#include <Poco/SHA2Engine.h>

#include <atomic>
#include <filesystem>
#include <sstream>
#include <thread>

#include "testing/api_server.h"
#include "testing/reference_case.h"

namespace kansli::testing {
namespace {

class Workflow : public ::testing::Test {
 protected:
  // POST a transition with the case's current version.
  HttpResult take(const Client& c, const std::string& id, const std::string& body) {
    auto cur = c.get("/api/v1/cases/" + id);
    return c.request("POST", "/api/v1/cases/" + id + "/transitions", body,
                     {{"Content-Type", "application/json"}, {"If-Match", cur.header("etag")}});
  }
  std::string state(const std::string& id) {
    return reg.get("/api/v1/cases/" + id).json()->getValue<std::string>("state");
  }
  HttpResult putMemo(const Client& c, const std::string& id, const std::string& xml) {
    return c.request("PUT", "/api/v1/cases/" + id + "/memo", xml,
                     {{"Content-Type", "application/xml"}});
  }

  TestServer server;
  Client reg = server.as("rita", Role::kRegistrator);
  Client officer = server.as("nina", Role::kHandlaggare, "bfe");
  Client head = server.as("caroline", Role::kEnhetschef, "bfe");
  Client secretary = server.as("sara", Role::kNamndsekreterare, {}, "SOCN");
};

TEST_F(Workflow, WorkflowsAreListedWithStatesAndTransitions) {
  auto r = reg.get("/api/v1/workflows/politikerinitiativ");
  ASSERT_EQ(r.status, 200) << r.body;
  auto wf = r.json();
  EXPECT_EQ(wf->getArray("states")->getObject(0)->getValue<std::string>("id"), "registrerad");
  EXPECT_GT(wf->getArray("transitions")->size(), 8u);
  EXPECT_EQ(reg.get("/api/v1/workflows").json()->getArray("items")->size(), 3u);
  EXPECT_EQ(reg.get("/api/v1/workflows/finns-inte").status, 404);
}

TEST_F(Workflow, TheReferenceCaseWalksToTheCommitteeWithAReturnFromApproval) {
  std::string id = registerReferenceCase(reg);
  EXPECT_EQ(state(id), "registrerad");

  auto t1 = take(reg, id, R"({"transition":"tilldela_enhet","unit":"bfe"})");
  ASSERT_EQ(t1.status, 200) << t1.body;
  EXPECT_EQ(t1.json()->getValue<std::string>("state"), "tilldelad");
  EXPECT_EQ(t1.json()->getValue<std::string>("unit"), "bfe");

  auto t2 = take(head, id, R"({"transition":"tilldela_handlaggare","officer":"nina"})");
  ASSERT_EQ(t2.status, 200) << t2.body;
  EXPECT_EQ(state(id), "under_utredning");

  // Submitting without a memo: the guard says why.
  auto early = take(officer, id, R"({"transition":"skicka_for_godkannande"})");
  EXPECT_EQ(early.status, 422) << early.body;
  EXPECT_NE(early.body.find("memo-has-draft"), std::string::npos) << early.body;

  auto memo = putMemo(officer, id, referenceMemoXml());
  ASSERT_EQ(memo.status, 201) << memo.body;
  EXPECT_EQ(memo.json()->getValue<int>("version"), 1);

  ASSERT_EQ(take(officer, id, R"({"transition":"skicka_for_godkannande"})").status, 200);
  EXPECT_EQ(state(id), "for_godkannande");

  // Sent back: a comment is required.
  auto noComment = take(head, id, R"({"transition":"aterforvisa"})");
  EXPECT_EQ(noComment.status, 422) << noComment.body;
  auto back = take(head, id, R"({"transition":"aterforvisa","comment":"Lägg till statistiken"})");
  ASSERT_EQ(back.status, 200) << back.body;
  EXPECT_EQ(state(id), "under_utredning");

  auto v2 = putMemo(officer, id, referenceMemoXml());
  ASSERT_EQ(v2.status, 201);
  EXPECT_EQ(v2.json()->getValue<int>("version"), 2);
  ASSERT_EQ(take(officer, id, R"({"transition":"skicka_for_godkannande"})").status, 200);
  auto approve = take(head, id, R"({"transition":"godkann"})");
  ASSERT_EQ(approve.status, 200) << approve.body;
  EXPECT_EQ(state(id), "klar_for_namnd");

  auto versions = reg.get("/api/v1/cases/" + id + "/memo/versions").json()->getArray("items");
  ASSERT_EQ(versions->size(), 2u);
  EXPECT_FALSE(versions->getObject(0)->getValue<bool>("approved"));
  EXPECT_TRUE(versions->getObject(1)->getValue<bool>("approved"));
  EXPECT_EQ(versions->getObject(1)->getValue<std::string>("approved_by"), "caroline");

  // Approval registered the memo as a document of the case.
  auto docs = reg.get("/api/v1/cases/" + id + "/documents").json()->getArray("items");
  ASSERT_EQ(docs->size(), 2u);
  EXPECT_EQ(docs->getObject(1)->getValue<std::string>("direction"), "upprattad");

  // The history tells the whole story in order.
  auto h = reg.get("/api/v1/cases/" + id + "/history").json()->getArray("items");
  std::vector<std::string> actions;
  for (size_t i = 0; i < h->size(); ++i) {
    actions.push_back(h->getObject(static_cast<unsigned>(i))->getValue<std::string>("action"));
  }
  EXPECT_EQ(actions, (std::vector<std::string>{"case.register", "document.register",
                                               "case.transition", "case.transition", "memo.save",
                                               "case.transition", "case.transition", "memo.save",
                                               "case.transition", "case.transition"}));
}

TEST_F(Workflow, TransitionsSayWhichAreHeldBackAndWhy) {
  std::string id = registerReferenceCase(reg);
  ASSERT_EQ(take(reg, id, R"({"transition":"tilldela_enhet","unit":"bfe"})").status, 200);
  ASSERT_EQ(take(head, id, R"({"transition":"tilldela_handlaggare","officer":"nina"})").status, 200);
  auto r = officer.get("/api/v1/cases/" + id + "/transitions");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()->getArray("items")->size(), 0u) << r.body;
  auto blocked = r.json()->getArray("blocked");
  ASSERT_EQ(blocked->size(), 1u) << r.body;
  EXPECT_EQ(blocked->getObject(0)->getValue<std::string>("id"), "skicka_for_godkannande");
  EXPECT_EQ(blocked->getObject(0)->getArray("reasons")->getElement<std::string>(0),
            "Spara en version av tjänsteskrivelsen först.")
      << "the guard's description in workflows/politikerinitiativ.xml";
  // The unit head may change the officer; nothing of theirs is held back.
  auto h = head.get("/api/v1/cases/" + id + "/transitions");
  EXPECT_EQ(h.json()->getArray("blocked")->size(), 0u) << h.body;
  // Another unit's staff do not see the case at all.
  auto other = server.as("erik", Role::kHandlaggare, "eeb");
  EXPECT_EQ(other.get("/api/v1/cases/" + id + "/transitions").status, 404);
  // The workflow route shows the description with the guard.
  auto wf = officer.get("/api/v1/workflows/politikerinitiativ");
  EXPECT_NE(wf.body.find("Spara en version av tjänsteskrivelsen först."), std::string::npos);
  ASSERT_EQ(putMemo(officer, id, referenceMemoXml()).status, 201);
  r = officer.get("/api/v1/cases/" + id + "/transitions");
  EXPECT_EQ(r.json()->getArray("blocked")->size(), 0u) << r.body;
  EXPECT_EQ(r.json()->getArray("items")->size(), 1u) << r.body;
}

TEST_F(Workflow, NotFromThisStateIs409NamingTheAllowed) {
  std::string id = registerReferenceCase(reg);
  auto r = take(secretary, id, R"({"transition":"justera"})");
  ASSERT_EQ(r.status, 409) << r.body;
  auto allowed = r.json()->getArray("allowed");
  std::set<std::string> names;
  for (size_t i = 0; i < allowed->size(); ++i) names.insert(allowed->getElement<std::string>(static_cast<unsigned>(i)));
  EXPECT_TRUE(names.count("tilldela_enhet")) << r.body;
  EXPECT_TRUE(names.count("avskriv")) << r.body;
}

TEST_F(Workflow, WrongRoleIs403UnknownTransitionIs400) {
  std::string id = registerReferenceCase(reg);
  // Not yet assigned to a unit: no officer sees the case at all.
  EXPECT_EQ(take(officer, id, R"({"transition":"tilldela_enhet","unit":"bfe"})").status, 404);
  EXPECT_EQ(take(secretary, id, R"({"transition":"tilldela_enhet","unit":"bfe"})").status, 403);
  auto unknown = take(reg, id, R"({"transition":"flyga"})");
  EXPECT_EQ(unknown.status, 400);
  EXPECT_NE(unknown.body.find("\"transition\""), std::string::npos);
  EXPECT_EQ(state(id), "registrerad") << "refusals change nothing";
}

TEST_F(Workflow, IfMatchIsRequiredAndChecked) {
  std::string id = registerReferenceCase(reg);
  auto none = reg.request("POST", "/api/v1/cases/" + id + "/transitions",
                          R"({"transition":"tilldela_enhet","unit":"bfe"})",
                          {{"Content-Type", "application/json"}});
  EXPECT_EQ(none.status, 428) << none.body;
  auto bad = reg.request("POST", "/api/v1/cases/" + id + "/transitions",
                         R"({"transition":"tilldela_enhet","unit":"bfe"})",
                         {{"Content-Type", "application/json"}, {"If-Match", "nonsens"}});
  // An entity-tag that is not one of ours never matches (RFC 9110 13.1.1).
  EXPECT_EQ(bad.status, 412) << bad.body;
  auto stale = reg.request("POST", "/api/v1/cases/" + id + "/transitions",
                           R"({"transition":"tilldela_enhet","unit":"bfe"})",
                           {{"Content-Type", "application/json"}, {"If-Match", "\"1\""}});
  EXPECT_EQ(stale.status, 412) << "the document registration made the case version 2";
  EXPECT_EQ(state(id), "registrerad");
}

TEST_F(Workflow, TwoConcurrentTransitionsExactlyOneWins) {
  for (int round = 0; round < 5; ++round) {
    std::string id = registerReferenceCase(reg);
    std::string etag = reg.get("/api/v1/cases/" + id).header("etag");
    std::atomic<int> ok{0}, stale{0};
    auto go = [&] {
      auto r = reg.request("POST", "/api/v1/cases/" + id + "/transitions",
                           R"({"transition":"tilldela_enhet","unit":"bfe"})",
                           {{"Content-Type", "application/json"}, {"If-Match", etag}});
      if (r.status == 200) ++ok;
      if (r.status == 412) ++stale;
    };
    std::thread a(go), b(go);
    a.join();
    b.join();
    EXPECT_EQ(ok.load(), 1);
    EXPECT_EQ(stale.load(), 1);
  }
}

TEST_F(Workflow, OfficersOfAnotherUnitAreRefused) {
  std::string id = registerReferenceCase(reg);
  ASSERT_EQ(take(reg, id, R"({"transition":"tilldela_enhet","unit":"bfe"})").status, 200);
  auto other = server.as("olle", Role::kEnhetschef, "eeb");
  // Another unit's case is not found, as if it did not exist.
  EXPECT_EQ(take(other, id, R"({"transition":"tilldela_handlaggare","officer":"nina"})").status, 404);
  EXPECT_EQ(other.get("/api/v1/cases/" + id + "/transitions").status, 404);
  EXPECT_EQ(other.get("/api/v1/cases/" + id).status, 404);
  // An officer of the unit may not do the unit head's step.
  EXPECT_EQ(take(officer, id, R"({"transition":"tilldela_handlaggare","officer":"nina"})").status, 403);
  EXPECT_EQ(head.get("/api/v1/cases/" + id + "/transitions").json()->getArray("items")->size(), 1u);
}

TEST_F(Workflow, AvailableTransitionsFollowRoleAndGuards) {
  std::string id = registerReferenceCase(reg);
  auto r = reg.get("/api/v1/cases/" + id + "/transitions");
  ASSERT_EQ(r.status, 200);
  auto items = r.json()->getArray("items");
  std::set<std::string> ids;
  for (size_t i = 0; i < items->size(); ++i) {
    ids.insert(items->getObject(static_cast<unsigned>(i))->getValue<std::string>("id"));
  }
  EXPECT_EQ(ids, (std::set<std::string>{"tilldela_enhet", "avskriv"}));
  EXPECT_EQ(officer.get("/api/v1/cases/" + id + "/transitions").status, 404) << "not yet the unit's";
  assignUnit(reg, id);
  EXPECT_EQ(officer.get("/api/v1/cases/" + id + "/transitions").json()->getArray("items")->size(), 0u);
}

TEST_F(Workflow, WithdrawnInitiativesAreWrittenOffAndClosed) {
  std::string id = registerReferenceCase(reg);
  assignUnit(reg, id);
  auto r = take(reg, id, R"({"transition":"avskriv","comment":"Initiativtagarna har dragit tillbaka initiativet"})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()->getValue<std::string>("state"), "avskriven");
  EXPECT_TRUE(r.json()->getValue<bool>("closed"));
  EXPECT_EQ(putMemo(officer, id, referenceMemoXml()).status, 409) << "a closed case takes no memo";
}

TEST_F(Workflow, MotionsGetTheOneYearDeadlineAndShowAsOverdue) {
  auto r = reg.post("/api/v1/cases",
                    R"({"committee":"KS","kind":"motion","subject":"Fler parkbänkar","received":"2020-03-01",)"
                    R"("senders":[{"name":"Eva Ek","party":"V"}]})");
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.json()->getValue<std::string>("deadline"), "2021-03-01");
  EXPECT_EQ(reg.get("/api/v1/cases?overdue=true").json()->getArray("items")->size(), 0u);
  server.clock().advance(std::chrono::hours(24 * 200));
  reg = server.as("rita", Role::kRegistrator);
  auto overdue = reg.get("/api/v1/cases?overdue=true");
  ASSERT_EQ(overdue.status, 200);
  EXPECT_EQ(overdue.json()->getArray("items")->size(), 1u) << overdue.body;
}

TEST_F(Workflow, CasesStayOnTheirWorkflowVersion) {
  std::string id = registerReferenceCase(reg);
  auto c = reg.get("/api/v1/cases/" + id).json();
  EXPECT_EQ(c->getValue<std::string>("workflow"), "politikerinitiativ");
  EXPECT_EQ(c->getValue<int>("workflow_version"), 1);
  auto admin = server.as("ada", Role::kAdmin);
  auto none = admin.post("/api/v1/cases/" + id + "/migrate", R"({"version":2,"reason":"test"})");
  EXPECT_EQ(none.status, 400) << "there is no version 2: " << none.body;
  auto same = admin.post("/api/v1/cases/" + id + "/migrate", R"({"version":1,"reason":"omstart"})");
  ASSERT_EQ(same.status, 200) << same.body;
  auto h = reg.get("/api/v1/cases/" + id + "/history");
  EXPECT_NE(h.body.find("case.migrate"), std::string::npos);
}

TEST_F(Workflow, MemoBadInputIs422WithTheLineAndNothingIsSaved) {
  std::string id = registerReferenceCase(reg);
  take(reg, id, R"({"transition":"tilldela_enhet","unit":"bfe"})");
  take(head, id, R"({"transition":"tilldela_handlaggare","officer":"nina"})");
  auto notWellFormed = putMemo(officer, id, "<memo>\n<meta>\n</memo>");
  EXPECT_EQ(notWellFormed.status, 422);
  EXPECT_NE(notWellFormed.body.find(":3:"), std::string::npos) << notWellFormed.body;
  auto xxe = putMemo(officer, id,
                     "<?xml version='1.0'?><!DOCTYPE memo [<!ENTITY x SYSTEM 'file:///etc/passwd'>]><memo>&x;</memo>");
  EXPECT_EQ(xxe.status, 422);
  EXPECT_EQ(xxe.body.find("root:"), std::string::npos);
  std::string missingDoc = referenceMemoXml();
  auto pos = missingDoc.find("<docref n=\"1\"/>");
  ASSERT_NE(pos, std::string::npos);
  missingDoc.replace(pos, 15, "<docref n=\"9\"/>");
  auto badRef = putMemo(officer, id, missingDoc);
  EXPECT_EQ(badRef.status, 422) << badRef.body;
  EXPECT_EQ(reg.get("/api/v1/cases/" + id + "/memo").status, 404) << "nothing was saved";
}

// The approved version is the decision basis: no new draft until the case is
// sent back for investigation (minutes_test.cpp follows it through an
// återremiss); readers get the approved version.
TEST_F(Workflow, ApprovedMemoIsFrozenAndNoNewDraftIsStartedAfterApproval) {
  std::string id = registerReferenceCase(reg);
  take(reg, id, R"({"transition":"tilldela_enhet","unit":"bfe"})");
  take(head, id, R"({"transition":"tilldela_handlaggare","officer":"nina"})");
  ASSERT_EQ(putMemo(officer, id, referenceMemoXml()).status, 201);
  take(officer, id, R"({"transition":"skicka_for_godkannande"})");
  ASSERT_EQ(take(head, id, R"({"transition":"godkann"})").status, 200);
  std::string approvedText = reg.get("/api/v1/cases/" + id + "/memo?format=txt&version=1").body;

  std::string changed = referenceMemoXml();
  auto pos = changed.find("Cirka 60 procent");
  ASSERT_NE(pos, std::string::npos);
  changed.replace(pos, 16, "Cirka 70 procent");
  auto v2 = putMemo(officer, id, changed);
  EXPECT_EQ(v2.status, 409) << v2.body;
  EXPECT_NE(v2.body.find("beslutsunderlag"), std::string::npos) << v2.body;
  EXPECT_EQ(putMemo(head, id, changed).status, 409) << "the unit head neither";
  EXPECT_EQ(reg.get("/api/v1/cases/" + id + "/memo?format=txt").body, approvedText)
      << "readers get the approved version";
  auto versions = reg.get("/api/v1/cases/" + id + "/memo/versions").json()->getArray("items");
  EXPECT_EQ(versions->size(), 1u) << "nothing was saved";
}

// #17: an approved memo renders with the template it was approved with; a
// changed template changes drafts only. The second Memos, reading the
// municipality's templates from another directory, stands for the changed
// template (a process loads a template once per directory).
TEST_F(Workflow, AnApprovedMemoRendersWithItsTemplateAfterTheTemplateChanges) {
  std::string id = registerReferenceCase(reg);
  take(reg, id, R"({"transition":"tilldela_enhet","unit":"bfe"})");
  take(head, id, R"({"transition":"tilldela_handlaggare","officer":"nina"})");
  ASSERT_EQ(putMemo(officer, id, referenceMemoXml()).status, 201);
  take(officer, id, R"({"transition":"skicka_for_godkannande"})");
  ASSERT_EQ(take(head, id, R"({"transition":"godkann"})").status, 200);
  std::string approved = reg.get("/api/v1/cases/" + id + "/memo?format=txt&version=1").body;
  ASSERT_NE(approved.find("TJÄNSTESKRIVELSE"), std::string::npos) << approved.substr(0, 300);

  TempDir changed;
  std::string tmpl = readFile(sourceDir() + "/templates/tjansteskrivelse.xml");
  auto at = tmpl.find(">TJÄNSTESKRIVELSE<");
  ASSERT_NE(at, std::string::npos);
  tmpl.replace(at + 1, std::string("TJÄNSTESKRIVELSE").size(), "BESLUTSUNDERLAG");
  writeFile(changed.file("tjansteskrivelse.xml"), tmpl);
  Engine& e = server.engine();
  Memos later(e.database().store(), e.clock(), e.organisation(), changed.path());

  auto v1 = later.render(std::stoll(id), 1, Viewer::system());
  ASSERT_OK(v1);
  EXPECT_EQ(writeText(*v1), writeText(*server.engine().memos().render(std::stoll(id), 1, Viewer::system())));
  EXPECT_NE(writeText(*v1).find("TJÄNSTESKRIVELSE"), std::string::npos);
  EXPECT_EQ(writeText(*v1).find("BESLUTSUNDERLAG"), std::string::npos) << "the approved version keeps its template";
  // A draft (here: the officer's preview of one, which renders exactly as a
  // saved draft; the approved memo is the decision basis and takes no new
  // draft in this state) takes the template as it is now.
  User nina;
  nina.username = "nina";
  nina.role = Role::kHandlaggare;
  nina.unit = "bfe";
  auto draft = later.preview(std::stoll(id), referenceMemoXml(), nina);
  ASSERT_OK(draft);
  EXPECT_NE(writeText(*draft).find("BESLUTSUNDERLAG"), std::string::npos) << "a draft takes the template as it is now";
  // The approval says which template it kept.
  auto h = reg.get("/api/v1/cases/" + id + "/history").body;
  EXPECT_NE(h.find("template_sha256"), std::string::npos) << h;
}

// <numbering>: approval gives the memo the next number of its template's
// series for the year (docs/templates.md 6.2): 2020:1, then 2020:2, no gaps;
// a draft has none, and an approved memo keeps its number. The memos name
// the municipality's own template <memo template="utlatande"> (docs/templates.md 1).
TEST(WorkflowNumbering, ApprovalGivesTheTemplatesNextRunningNumber) {
  TestServerOptions options;
  options.prepare = [](const std::string& data_dir) {
    std::string tmpl = readFile(sourceDir() + "/templates/tjansteskrivelse.xml");
    auto name = tmpl.find(R"(name="tjansteskrivelse")");
    tmpl.replace(name, 23, R"(name="utlatande")");
    auto layout_end = tmpl.find("/>", tmpl.find("<layout"));
    tmpl.insert(layout_end + 2, "\n  <numbering series=\"utlatande\" format=\"{year}:{number}\"/>");
    auto at = tmpl.find(">TJÄNSTESKRIVELSE<");
    tmpl.replace(at + 1, std::string("TJÄNSTESKRIVELSE").size(),
                 R"(UTLÅTANDE <if present="memo.number"><value of="memo.number"/></if>)");
    std::filesystem::create_directories(data_dir + "/templates");
    writeFile(data_dir + "/templates/utlatande.xml", tmpl);
  };
  std::string memo = referenceMemoXml();
  memo.replace(memo.find("<memo>"), 6, R"(<memo template="utlatande">)");
  TestServer server(options);
  Client reg = server.as("rita", Role::kRegistrator);
  Client officer = server.as("nina", Role::kHandlaggare, "bfe");
  Client head = server.as("caroline", Role::kEnhetschef, "bfe");
  auto take = [](const Client& c, const std::string& id, const std::string& body) {
    auto cur = c.get("/api/v1/cases/" + id);
    return c.request("POST", "/api/v1/cases/" + id + "/transitions", body,
                     {{"Content-Type", "application/json"}, {"If-Match", cur.header("etag")}});
  };
  auto memoText = [&](const std::string& id, int v) {
    return reg.get("/api/v1/cases/" + id + "/memo?format=txt&version=" + std::to_string(v)).body;
  };
  std::vector<std::string> ids;
  for (int i = 0; i < 2; ++i) {
    std::string id = registerReferenceCase(reg);
    take(reg, id, R"({"transition":"tilldela_enhet","unit":"bfe"})");
    take(head, id, R"({"transition":"tilldela_handlaggare","officer":"nina"})");
    ASSERT_EQ(officer.request("PUT", "/api/v1/cases/" + id + "/memo", memo,
                              {{"Content-Type", "application/xml"}}).status, 201);
    EXPECT_NE(memoText(id, 1).find("UTLÅTANDE"), std::string::npos) << memoText(id, 1).substr(0, 300);
    EXPECT_EQ(memoText(id, 1).find("UTLÅTANDE 2020:"), std::string::npos) << "a draft has no number";
    ids.push_back(id);
  }
  // Approved in the other order than registered: the number is the approval's.
  for (int i = 1; i >= 0; --i) {
    take(officer, ids[i], R"({"transition":"skicka_for_godkannande"})");
    auto r = take(head, ids[i], R"({"transition":"godkann"})");
    ASSERT_EQ(r.status, 200) << r.body;
  }
  EXPECT_NE(memoText(ids[1], 1).find("UTLÅTANDE 2020:1\n"), std::string::npos) << memoText(ids[1], 1).substr(0, 300);
  EXPECT_NE(memoText(ids[0], 1).find("UTLÅTANDE 2020:2\n"), std::string::npos) << memoText(ids[0], 1).substr(0, 300);
  auto h = reg.get("/api/v1/cases/" + ids[0] + "/history").body;
  EXPECT_NE(h.find(R"("number":"2020:2")"), std::string::npos) << h;
}

TEST_F(Workflow, MemoRendersAsTextAndHtml) {
  std::string id = registerReferenceCase(reg);
  take(reg, id, R"({"transition":"tilldela_enhet","unit":"bfe"})");
  take(head, id, R"({"transition":"tilldela_handlaggare","officer":"nina"})");
  ASSERT_EQ(putMemo(officer, id, referenceMemoXml()).status, 201);
  auto txt = reg.get("/api/v1/cases/" + id + "/memo?format=txt");
  ASSERT_EQ(txt.status, 200) << txt.body;
  EXPECT_NE(txt.body.find("Dnr SOCN 2020/1"), std::string::npos) << txt.body.substr(0, 400);
  EXPECT_NE(txt.body.find("Politikerinitiativ den 25 augusti 2020 av Andreas Falk och Maria Åberg (S)"),
            std::string::npos);
  auto html = reg.get("/api/v1/cases/" + id + "/memo?format=html");
  ASSERT_EQ(html.status, 200);
  EXPECT_NE(html.body.find("lang=\"sv\""), std::string::npos);
  EXPECT_EQ(reg.get("/api/v1/cases/" + id + "/memo?format=exe").status, 400);
}

// Regression: the server's policy (style-src 'self') blocked the <style>
// element of every document served with ?format=html, so browsers showed it
// unstyled. A rendered document gets a policy of its own that allows exactly
// its own style element (by hash) and still runs no script; the web client's
// pages keep the strict policy.
TEST_F(Workflow, AnHtmlDocumentsOwnStyleIsAllowedByItsPolicyAndNoScriptIs) {
  std::string id = registerReferenceCase(reg);
  take(reg, id, R"({"transition":"tilldela_enhet","unit":"bfe"})");
  take(head, id, R"({"transition":"tilldela_handlaggare","officer":"nina"})");
  ASSERT_EQ(putMemo(officer, id, referenceMemoXml()).status, 201);
  auto html = reg.get("/api/v1/cases/" + id + "/memo?format=html");
  ASSERT_EQ(html.status, 200);
  auto open = html.body.find("<style>");
  auto close = html.body.find("</style>");
  ASSERT_NE(open, std::string::npos);
  ASSERT_NE(close, std::string::npos);
  std::string css = html.body.substr(open + 7, close - open - 7);
  Poco::SHA2Engine sha(Poco::SHA2Engine::SHA_256);
  sha.update(css);
  std::ostringstream b64;
  {
    Poco::Base64Encoder enc(b64);
    enc.rdbuf()->setLineLength(0);
    for (unsigned char c : sha.digest()) enc.put(static_cast<char>(c));
    enc.close();
  }
  std::string csp = html.header("content-security-policy");
  EXPECT_NE(csp.find("style-src 'sha256-" + b64.str() + "'"), std::string::npos) << csp;
  EXPECT_NE(csp.find("default-src 'none'"), std::string::npos) << csp;
  EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos) << csp;
  EXPECT_EQ(csp.find("script-src"), std::string::npos) << "scripts fall under default-src 'none': " << csp;
  // Other answers keep the server's policy.
  auto json = reg.get("/api/v1/cases/" + id);
  ASSERT_EQ(json.status, 200);
  EXPECT_NE(json.header("content-security-policy").find("style-src 'self'"), std::string::npos);
}

}  // namespace
}  // namespace kansli::testing
