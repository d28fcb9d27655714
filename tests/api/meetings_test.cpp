// The reference case from registration to closure through two meetings of
// Socialnämnden: återremiss at the first, the decision at the second, then
// justering, anslag, laga kraft and closing. Plus the rules a secretary can
// break, and what the public sees.
#include <gtest/gtest.h>

#include <Poco/JSON/Array.h>

#include "testing/api_server.h"
#include "testing/meeting_flow.h"
#include "testing/reference_case.h"

namespace kansli::testing {
namespace {

using namespace std::chrono;

Instant at(int y, unsigned m, unsigned d, int hour_utc = 9) {
  return Instant{sys_days{year{y} / m / d}} + hours{hour_utc};
}

class Meetings : public ::testing::Test {
 protected:
  HttpResult take(Client& c, const std::string& id, const std::string& body) {
    return people.take(c, id, body);
  }
  std::string state(const std::string& id) { return people.state(id); }
  void setDay(int y, unsigned m, unsigned d) { people.setDay(y, m, d); }
  // Registration to an approved memo: the case is ready for the committee.
  // With `secret_subject` the case's subject is secret (OSL).
  std::string readyCase(bool secret_subject = false) {
    std::string body = referenceCaseBody();
    if (secret_subject) {
      body.pop_back();  // the closing brace
      body += R"j(,"secrecy":{"provision":"OSL 26 kap. 1 §","fields":["subject"]}})j";
    }
    std::string id = people.readyCase(body);
    EXPECT_EQ(state(id), "klar_for_namnd");
    return id;
  }
  std::string meeting(const std::string& date) { return people.meeting(date); }
  HttpResult attest(Client& c, const std::string& m, const std::string& username) {
    return people.attest(c, m, username);
  }

  TestServer server{at(2020, 10, 5)};
  CommitteePeople people{server};
  Client& reg = people.reg;
  Client& officer = people.officer;
  Client& head = people.head;
  Client& secretary = people.secretary;
  Client& chair = people.chair;
  Client& adjuster = people.adjuster;
};

TEST_F(Meetings, TheReferenceCaseFromRegistrationToClosure) {
  std::string id = readyCase();

  // First meeting: återremiss.
  std::string m1 = meeting("2020-10-20");
  auto add = secretary.post("/api/v1/meetings/" + m1 + "/items", "{\"case\":" + id + "}");
  ASSERT_EQ(add.status, 201) << add.body;
  EXPECT_EQ(state(id), "pa_dagordning");
  auto agenda = secretary.get("/api/v1/meetings/" + m1 + "/agenda?format=txt");
  ASSERT_EQ(agenda.status, 200) << agenda.body;
  EXPECT_NE(agenda.body.find("Förebyggande åtgärder"), std::string::npos) << agenda.body;
  setDay(2020, 10, 20);
  auto re = secretary.post("/api/v1/meetings/" + m1 + "/items/1/decision",
                           R"({"outcome":"aterremiss","clauses":["ärendet återremitteras för komplettering med statistik"]})");
  ASSERT_EQ(re.status, 201) << re.body;
  EXPECT_EQ(state(id), "under_utredning");
  ASSERT_EQ(secretary.post("/api/v1/meetings/" + m1 + "/minutes", "{}").status, 200);
  ASSERT_EQ(attest(chair, m1, "ordf").status, 200);
  ASSERT_EQ(attest(adjuster, m1, "just").status, 200);

  // Back to the officer, a new memo version, a new approval.
  EXPECT_EQ(officer.request("PUT", "/api/v1/cases/" + id + "/memo", referenceMemoXml(),
                            {{"Content-Type", "application/xml"}}).status, 201);
  ASSERT_EQ(take(officer, id, R"({"transition":"skicka_for_godkannande"})").status, 200);
  ASSERT_EQ(take(head, id, R"({"transition":"godkann"})").status, 200);

  // Second meeting: a standing item first, then the decision following the memo.
  setDay(2020, 11, 24);
  std::string m2 = meeting("2020-11-24");
  ASSERT_EQ(secretary.post("/api/v1/meetings/" + m2 + "/items", R"({"title":"Val av justerare"})").status, 201);
  ASSERT_EQ(secretary.post("/api/v1/meetings/" + m2 + "/items", "{\"case\":" + id + "}").status, 201);
  auto dec = secretary.post(
      "/api/v1/meetings/" + m2 + "/items/2/decision",
      R"({"outcome":"bifall","text":"Socialnämnden bifaller förslagen i politikerinitiativet på så sätt att barn- och familjeenheten i Nacka ska föra en dialog med människohandelssektionen inom Stockholmspolisen samt etablera en samverkan med uppsökande socialsekreterare prostitution i Stockholm stad i syfte att åstadkomma ett kunskaps- och erfarenhetsutbyte. Politikerinitiativet är med detta färdigbehandlat.",)"
      R"j("motions":[{"mover":"Lisa Larsson (M)","text":"Bifall till förslaget"}],"send_to":["Barn- och familjeenheten","Andreas Falk (S)","Maria Åberg (S)"]})j");
  ASSERT_EQ(dec.status, 201) << dec.body;
  std::string decision = std::to_string(dec.json()->getValue<int>("id"));
  EXPECT_EQ(state(id), "beslutad");

  // The public sees nothing before justering.
  EXPECT_EQ(server.client().get("/api/v1/public/decisions/" + decision).status, 404);
  EXPECT_EQ(server.client().get("/api/v1/public/decisions?q=m%C3%A4nniskohandelssektionen&outcome=bifall")
                .json()->getArray("items")->size(), 0u);

  // Minutes: paragraphs in agenda order, continuing the year's numbering (m1 used § 1).
  auto minutes = secretary.post("/api/v1/meetings/" + m2 + "/minutes", "{}");
  ASSERT_EQ(minutes.status, 200) << minutes.body;
  auto items = minutes.json()->getArray("items");
  EXPECT_EQ(items->getObject(0)->getValue<int>("paragraph"), 2);
  EXPECT_EQ(items->getObject(1)->getValue<int>("paragraph"), 3);

  // Justering by the chair and the adjuster moves the case on.
  ASSERT_EQ(attest(chair, m2, "ordf").status, 200);
  EXPECT_EQ(state(id), "beslutad") << "one adjuster is still missing";
  ASSERT_EQ(attest(adjuster, m2, "just").status, 200);
  EXPECT_EQ(state(id), "justerad");

  // Anslag on 2020-12-03: appeals until 2020-12-28 (24-26 December are holidays).
  setDay(2020, 12, 3);
  auto posted = secretary.post("/api/v1/meetings/" + m2 + "/post", "{}");
  ASSERT_EQ(posted.status, 200) << posted.body;
  EXPECT_EQ(posted.json()->getValue<std::string>("appeal_until"), "2020-12-28");
  auto board = server.client().get("/api/v1/public/anslag");
  ASSERT_EQ(board.status, 200);
  ASSERT_EQ(board.json()->getArray("items")->size(), 1u);
  EXPECT_EQ(board.json()->getArray("items")->getObject(0)->getValue<std::string>("appeal_until"),
            "2020-12-28");

  // The public finds the decision by a word of the memo.
  auto found = server.client().get(
      "/api/v1/public/decisions?q=m%C3%A4nniskohandelssektionen&outcome=bifall");
  ASSERT_EQ(found.status, 200);
  auto hits = found.json()->getArray("items");
  ASSERT_EQ(hits->size(), 1u) << found.body;
  EXPECT_EQ(hits->getObject(0)->getValue<std::string>("dnr"), "SOCN 2020/1");
  EXPECT_EQ(hits->getObject(0)->getValue<int>("paragraph"), 3);

  // The extract.
  auto extract = server.client().get("/api/v1/public/decisions/" + decision + "?format=txt");
  ASSERT_EQ(extract.status, 200) << extract.body;
  for (const char* words : {"PROTOKOLLSUTDRAG", "§ 3", "Dnr SOCN 2020/1", "bifaller förslagen",
                            "Beslutet skickas till", "Barn- och familjeenheten", "Rätt utdraget intygar"}) {
    EXPECT_NE(extract.body.find(words), std::string::npos) << words << " in\n" << extract.body;
  }
  auto pdf = server.client().get("/api/v1/public/decisions/" + decision + "?format=pdf");
  EXPECT_EQ(pdf.status, 200);
  EXPECT_EQ(pdf.body.rfind("%PDF", 0), 0u);

  // Closing waits for laga kraft.
  auto early = take(secretary, id, R"({"transition":"avsluta"})");
  EXPECT_EQ(early.status, 422) << early.body;
  setDay(2020, 12, 29);
  auto closed = take(secretary, id, R"({"transition":"avsluta"})");
  ASSERT_EQ(closed.status, 200) << closed.body;
  EXPECT_EQ(closed.json()->getValue<std::string>("state"), "avslutad");
  EXPECT_TRUE(closed.json()->getValue<bool>("closed"));

  // The protocol extract was registered in the case, and the chain holds.
  auto docs = reg.get("/api/v1/cases/" + id + "/documents").json()->getArray("items");
  EXPECT_NE(docs->getObject(static_cast<unsigned>(docs->size() - 1))->getValue<std::string>("title").find("Protokollsutdrag"),
            std::string::npos);
  // Regression (#19): the documents a workflow registers are indexed like
  // any other, so the diarium finds the case by its extract.
  for (Client* who : {&reg, &secretary}) {
    auto search = who->get("/api/v1/cases?q=Protokollsutdrag");
    ASSERT_EQ(search.status, 200) << search.body;
    ASSERT_EQ(search.json()->getArray("items")->size(), 1u) << search.body;
    EXPECT_EQ(std::to_string(search.json()->getArray("items")->getObject(0)->getValue<int>("id")), id);
  }
  auto public_search = server.client().get("/api/v1/public/diarium?q=Protokollsutdrag");
  EXPECT_EQ(public_search.json()->getArray("items")->size(), 1u) << public_search.body;
  auto report = server.engine().database().verifyAudit();
  ASSERT_OK(report);
  EXPECT_FALSE(report->first_problem);
}

TEST_F(Meetings, AppealDaysFollowTheLaw) {
  struct Case {
    int y;
    unsigned m, d;
    const char* until;
  };
  for (const auto& c : {Case{2021, 6, 4, "2021-06-28"}, Case{2024, 3, 8, "2024-04-02"}}) {
    setDay(c.y, c.m, c.d);
    std::string id = readyCase();
    std::string m = meeting(formatDate(year_month_day{year{c.y} / c.m / c.d}));
    ASSERT_EQ(secretary.post("/api/v1/meetings/" + m + "/items", "{\"case\":" + id + "}").status, 201);
    ASSERT_EQ(secretary.post("/api/v1/meetings/" + m + "/items/1/decision",
                             R"({"outcome":"avslag","text":"Socialnämnden avslår initiativet."})").status, 201);
    ASSERT_EQ(secretary.post("/api/v1/meetings/" + m + "/minutes", "{}").status, 200);
    ASSERT_EQ(attest(chair, m, "ordf").status, 200);
    ASSERT_EQ(attest(adjuster, m, "just").status, 200);
    auto posted = secretary.post("/api/v1/meetings/" + m + "/post", "{}");
    ASSERT_EQ(posted.status, 200) << posted.body;
    EXPECT_EQ(posted.json()->getValue<std::string>("appeal_until"), c.until);
  }
}

TEST_F(Meetings, BordlaggningSendsTheCaseToTheNextMeeting) {
  std::string id = readyCase();
  std::string m = meeting("2020-10-20");
  ASSERT_EQ(secretary.post("/api/v1/meetings/" + m + "/items", "{\"case\":" + id + "}").status, 201);
  setDay(2020, 10, 20);
  auto r = secretary.post("/api/v1/meetings/" + m + "/items/1/decision",
                          R"({"outcome":"bordlaggning","text":"Ärendet bordläggs."})");
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(state(id), "klar_for_namnd");
  std::string next = meeting("2020-11-24");
  EXPECT_EQ(secretary.post("/api/v1/meetings/" + next + "/items", "{\"case\":" + id + "}").status, 201);
}

TEST_F(Meetings, TheRulesASecretaryCannotBreak) {
  std::string id = readyCase();
  std::string m = meeting("2020-10-20");
  // A case that is not ready.
  std::string fresh = registerReferenceCase(reg);
  auto notReady = secretary.post("/api/v1/meetings/" + m + "/items", "{\"case\":" + fresh + "}");
  EXPECT_EQ(notReady.status, 409) << notReady.body;
  // A meeting before the case was ready.
  std::string early = meeting("2020-09-01");
  auto before = secretary.post("/api/v1/meetings/" + early + "/items", "{\"case\":" + id + "}");
  EXPECT_EQ(before.status, 422) << before.body;
  EXPECT_EQ(state(id), "klar_for_namnd") << "nothing changed";

  ASSERT_EQ(secretary.post("/api/v1/meetings/" + m + "/items", "{\"case\":" + id + "}").status, 201);
  // A decision on an item not on the agenda.
  auto missing = secretary.post("/api/v1/meetings/" + m + "/items/7/decision",
                                R"({"outcome":"bifall","text":"X"})");
  EXPECT_EQ(missing.status, 404) << missing.body;
  // An unknown outcome, and no text.
  EXPECT_EQ(secretary.post("/api/v1/meetings/" + m + "/items/1/decision",
                           R"({"outcome":"kanske"})").status, 400);
  // Posting or attesting before the minutes exist.
  EXPECT_EQ(secretary.post("/api/v1/meetings/" + m + "/post", "{}").status, 409);
  EXPECT_EQ(attest(chair, m, "ordf").status, 409);
  // Minutes with an undecided item.
  EXPECT_EQ(secretary.post("/api/v1/meetings/" + m + "/minutes", "{}").status, 422);
  // A decision before the meeting day.
  auto early_decision = secretary.post("/api/v1/meetings/" + m + "/items/1/decision",
                                       R"({"outcome":"bifall","text":"Bifall."})");
  EXPECT_EQ(early_decision.status, 409) << early_decision.body;
  EXPECT_NE(early_decision.body.find("före sammanträdesdagen"), std::string::npos);
  EXPECT_EQ(state(id), "pa_dagordning") << "nothing changed";

  setDay(2020, 10, 20);
  ASSERT_EQ(secretary.post("/api/v1/meetings/" + m + "/items/1/decision",
                           R"({"outcome":"bifall","text":"Bifall."})").status, 201);
  // A second decision for one item.
  EXPECT_EQ(secretary.post("/api/v1/meetings/" + m + "/items/1/decision",
                           R"({"outcome":"avslag","text":"Avslag."})").status, 409);
  ASSERT_EQ(secretary.post("/api/v1/meetings/" + m + "/minutes", "{}").status, 200);
  // Attesting by someone who is not appointed.
  auto stranger = server.as("lisa", Role::kLedamot, {}, "SOCN");
  EXPECT_EQ(attest(stranger, m, "lisa").status, 403);
  // Posting unattested minutes.
  EXPECT_EQ(secretary.post("/api/v1/meetings/" + m + "/post", "{}").status, 409);
  ASSERT_EQ(attest(chair, m, "ordf").status, 200);
  EXPECT_EQ(attest(chair, m, "ordf").status, 409) << "once each";
  ASSERT_EQ(attest(adjuster, m, "just").status, 200);
  // Changing attested minutes.
  EXPECT_EQ(secretary.post("/api/v1/meetings/" + m + "/items/1/decision",
                           R"({"outcome":"avslag","text":"Avslag."})").status, 409);
  EXPECT_EQ(secretary.post("/api/v1/meetings/" + m + "/items", R"({"title":"Övrigt"})").status, 409);
  // Only secretaries run meetings.
  EXPECT_EQ(officer.post("/api/v1/meetings", R"({"committee":"SOCN","date":"2020-12-01"})").status, 403);
}

TEST_F(Meetings, ASecretSubjectIsMaskedInTheAgendaAndTheMinutes) {
  std::string id = readyCase(/*secret_subject=*/true);
  std::string m = meeting("2020-10-20");
  ASSERT_EQ(secretary.post("/api/v1/meetings/" + m + "/items", "{\"case\":" + id + "}").status, 201);
  for (const auto* c : {&secretary, &chair}) {
    auto agenda = c->get("/api/v1/meetings/" + m + "/agenda?format=txt");
    ASSERT_EQ(agenda.status, 200) << agenda.body;
    EXPECT_EQ(agenda.body.find("Förebyggande åtgärder"), std::string::npos) << agenda.body;
    EXPECT_NE(agenda.body.find("omfattas av sekretess enligt OSL 26 kap. 1 §"), std::string::npos)
        << agenda.body;
    auto json = c->get("/api/v1/meetings/" + m);
    EXPECT_EQ(json.body.find("Förebyggande åtgärder"), std::string::npos) << json.body;
  }
  // The secretary still reads the subject in the case itself.
  EXPECT_NE(secretary.get("/api/v1/cases/" + id).body.find("Förebyggande åtgärder"),
            std::string::npos);
}

TEST_F(Meetings, MinutesRenderInEveryFormat) {
  std::string id = readyCase();
  std::string m = meeting("2020-10-20");
  ASSERT_EQ(secretary.post("/api/v1/meetings/" + m + "/items", "{\"case\":" + id + "}").status, 201);
  setDay(2020, 10, 20);
  ASSERT_EQ(secretary.post("/api/v1/meetings/" + m + "/items/1/decision",
                           R"j({"outcome":"bifall","text":"Bifall.","reservations":[{"name":"Lisa Larsson (M)","reason":"Förslaget är för dyrt."}]})j").status, 201);
  ASSERT_EQ(secretary.post("/api/v1/meetings/" + m + "/minutes", "{}").status, 200);
  auto txt = secretary.get("/api/v1/meetings/" + m + "/protocol?format=txt");
  ASSERT_EQ(txt.status, 200) << txt.body;
  EXPECT_NE(txt.body.find("Lisa Larsson (M) reserverar sig mot beslutet: Förslaget är för dyrt."), std::string::npos) << txt.body;
  for (const char* f : {"html", "pdf", "docx", "odt"}) {
    auto r = secretary.get("/api/v1/meetings/" + m + "/protocol?format=" + f);
    EXPECT_EQ(r.status, 200) << f << ": " << r.body.substr(0, 300);
    EXPECT_NE(r.header("content-disposition").find("filename="), std::string::npos);
  }
}

TEST_F(Meetings, TheDecisionSearchFindsByCaseNumberFirst) {
  std::string id = readyCase();
  std::string dnr = reg.get("/api/v1/cases/" + id).json()->getValue<std::string>("dnr");
  ASSERT_EQ(dnr, "SOCN 2020/1");
  std::string m = meeting("2020-10-20");
  ASSERT_EQ(secretary.post("/api/v1/meetings/" + m + "/items", "{\"case\":" + id + "}").status, 201);
  ASSERT_EQ(secretary.post("/api/v1/meetings/" + m + "/items", R"({"title":"Anmälan av delegationsbeslut"})").status, 201);
  setDay(2020, 10, 20);
  auto on_case = secretary.post("/api/v1/meetings/" + m + "/items/1/decision",
                                R"({"outcome":"bifall","text":"Bifall till initiativet."})");
  ASSERT_EQ(on_case.status, 201) << on_case.body;
  // A decision whose text names 2020 and 1: a full-text hit of "2020/1".
  auto in_text = secretary.post(
      "/api/v1/meetings/" + m + "/items/2/decision",
      R"({"outcome":"noteras","text":"Delegationsbesluten för 2020, lista 1, läggs till handlingarna."})");
  ASSERT_EQ(in_text.status, 201) << in_text.body;
  auto case_decision = on_case.json()->getValue<int>("id");
  auto text_decision = in_text.json()->getValue<int>("id");
  auto ids = [&](const std::string& q) {
    auto r = secretary.get("/api/v1/decisions?q=" + q);
    EXPECT_EQ(r.status, 200) << r.body;
    std::vector<int> out;
    auto items = r.json()->getArray("items");
    for (size_t i = 0; i < items->size(); ++i) {
      out.push_back(items->getObject(static_cast<unsigned>(i))->getValue<int>("id"));
    }
    return out;
  };
  EXPECT_EQ(ids("SOCN%202020%2F1"), (std::vector<int>{case_decision}));
  EXPECT_EQ(ids("socn%202020%2F0001"), (std::vector<int>{case_decision}));
  EXPECT_EQ(ids("2020%2F1"), (std::vector<int>{case_decision, text_decision}))
      << "the case's decision first, then the text that names 2020 and 1";
  EXPECT_EQ(ids("1"), (std::vector<int>{case_decision, text_decision}));
  EXPECT_EQ(ids("delegationsbes"), (std::vector<int>{text_decision})) << "the last word is a prefix";
  EXPECT_TRUE(ids("%22delegationsbes%22").empty()) << "unless quoted";
  // The public finds nothing before justering, by number or by words.
  auto pub = server.client().get("/api/v1/public/decisions?q=SOCN%202020%2F1");
  ASSERT_EQ(pub.status, 200) << pub.body;
  EXPECT_EQ(pub.json()->getArray("items")->size(), 0u) << pub.body;
}

}  // namespace
}  // namespace kansli::testing
