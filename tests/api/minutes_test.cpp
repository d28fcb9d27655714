// The committee secretary's rules (issue #16, #14 item 9), over HTTP: what
// the protocol and the extract print, standing items, the meeting day,
// corrections before and rättelser after justering, agenda changes and the
// notice's versions, the people rules of a decision and of the justering.
// Every refusal is a 4xx that names the rule and changes nothing.
#include <gtest/gtest.h>

#include <Poco/JSON/Array.h>

#include <cstdlib>
#include <functional>
#include <tuple>

#include "testing/meeting_flow.h"

namespace kansli::testing {
namespace {

std::string pdfText(const std::string& pdf) {
  TempDir dir;
  writeFile(dir.file("a.pdf"), pdf);
  std::string cmd = "pdftotext -layout " + dir.file("a.pdf") + " " + dir.file("a.txt");
  if (std::system(cmd.c_str()) != 0) return "";
  return readFile(dir.file("a.txt"));
}

// The text of a zipped office document's main part (DOCX or ODT), tags removed.
std::string officeText(const std::string& bytes, const std::string& member) {
  TempDir dir;
  writeFile(dir.file("a.zip"), bytes);
  std::string cmd = "unzip -p " + dir.file("a.zip") + " " + member + " > " + dir.file("a.xml");
  if (std::system(cmd.c_str()) != 0) return "";
  std::string xml = readFile(dir.file("a.xml")), out;
  bool tag = false;
  for (char c : xml) {
    if (c == '<') tag = true;
    else if (c == '>') { tag = false; out += ' '; }
    else if (!tag) out += c;
  }
  return out;
}

// Pages of a PDF, by pdfinfo.
int pdfPages(const std::string& pdf) {
  TempDir dir;
  writeFile(dir.file("a.pdf"), pdf);
  std::string cmd = "pdfinfo " + dir.file("a.pdf") + " > " + dir.file("a.txt");
  if (std::system(cmd.c_str()) != 0) return -1;
  std::string info = readFile(dir.file("a.txt"));
  auto at = info.find("Pages:");
  return at == std::string::npos ? -1 : std::stoi(info.substr(at + 6));
}

std::string collapse(const std::string& s) {
  std::string out;
  bool space = false;
  for (char c : s) {
    if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
      space = true;
    } else {
      if (space && !out.empty()) out += ' ';
      space = false;
      out += c;
    }
  }
  return out;
}

class Minutes : public ::testing::Test {
 protected:
  // A case on the agenda of a meeting on 2020-10-20, the clock on that day.
  void SetUp() override {
    case_id = people.readyCase();
    m = people.meeting("2020-10-20");
    CommitteePeople::expect(
        people.secretary.post("/api/v1/meetings/" + m + "/items", "{\"case\":" + case_id + "}"), 201, "item");
    people.setDay(2020, 10, 20, 15);
  }
  HttpResult decide(const std::string& body, int item = 1) {
    return people.secretary.post("/api/v1/meetings/" + m + "/items/" + std::to_string(item) + "/decision", body);
  }
  std::string meetingJson() { return people.secretary.get("/api/v1/meetings/" + m).body; }

  TestServer server{dayAt(2020, 10, 5)};
  CommitteePeople people{server};
  std::string case_id, m;
};

const char* kFullDecision = R"j({
  "outcome": "bifall",
  "summary": "Andreas Falk och Maria Åberg (S) har väckt ett politikerinitiativ.\n\nEnheten föreslår bifall.",
  "basis": ["Tjänsteskrivelse 2020-10-05 från barn- och familjeenheten"],
  "proposal": {"heading": "Enhetens förslag", "text": "Socialnämnden föreslås besluta följande:",
               "clauses": ["Förslagen i politikerinitiativet bifalls."]},
  "speakers": ["ordf", "Lisa Larsson (M)"],
  "motions": [{"mover": "ordf", "text": "Bifall till enhetens förslag", "supporters": ["just"]},
              {"mover": "Lisa Larsson (M)", "text": "Avslag på initiativet"}],
  "propositions": ["Ordföranden ställer proposition på bifall och avslag och finner att nämnden bifaller."],
  "votings": [{"proposition": "Ja för bifall, nej för avslag",
               "ballots": [{"name": "ordf", "vote": "ja"}, {"name": "just", "vote": "ja"},
                           {"name": "Lisa Larsson (M)", "vote": "nej"}],
               "result": "Med 2 ja-röster mot 1 nej-röst bifaller socialnämnden förslaget"}],
  "text": "Socialnämnden bifaller förslagen i politikerinitiativet.",
  "reservations": [{"name": "Lisa Larsson (M)", "reason": "Förslaget saknar finansiering."}],
  "notes": [{"name": "just", "text": "Uppföljning önskas inom ett år."}],
  "send_to": ["Barn- och familjeenheten", "Andreas Falk (S)"]
})j";

TEST_F(Minutes, TheProtocolAndTheExtractPrintWhatWasSaidVotedAndDecided) {
  auto d = decide(kFullDecision);
  ASSERT_EQ(d.status, 201) << d.body;
  std::string decision = std::to_string(d.json()->getValue<int>("id"));
  people.drawAndAttest(m);
  const std::vector<std::string> expected = {
      "Andreas Falk och Maria Åberg (S) har väckt ett politikerinitiativ.",
      "Beslutsunderlag",
      "Tjänsteskrivelse 2020-10-05 från barn- och familjeenheten",
      "Enhetens förslag",
      "Under överläggningen yttrar sig ordf och Lisa Larsson (M).",
      "ordf med instämmande av just yrkar bifall till enhetens förslag.",
      "Lisa Larsson (M) yrkar avslag på initiativet.",
      "Ordföranden ställer proposition på bifall och avslag",
      "Propositionsordning: Ja för bifall, nej för avslag",
      "Lisa Larsson (M): Nej",
      "Resultat: 2 ja, 1 nej, 0 avstår.",
      "Socialnämndens beslut",
      "Socialnämnden bifaller förslagen i politikerinitiativet.",
      "Lisa Larsson (M) reserverar sig mot beslutet: Förslaget saknar finansiering.",
      "just lämnar följande protokollsanteckning: Uppföljning önskas inom ett år.",
      "Barn- och familjeenheten"};
  auto protocol = people.secretary.get("/api/v1/meetings/" + m + "/protocol?format=txt");
  ASSERT_EQ(protocol.status, 200) << protocol.body;
  auto extract = people.secretary.get("/api/v1/decisions/" + decision + "?format=txt");
  ASSERT_EQ(extract.status, 200) << extract.body;
  for (const auto& line : expected) {
    EXPECT_NE(collapse(protocol.body).find(line), std::string::npos) << line << " in\n" << protocol.body;
    EXPECT_NE(collapse(extract.body).find(line), std::string::npos) << line << " in\n" << extract.body;
  }
  // The same in every format of the extract.
  auto readers = std::vector<std::pair<std::string, std::function<std::string(const std::string&)>>>{
      {"html", [](const std::string& b) { return b; }},
      {"pdf", pdfText},
      {"docx", [](const std::string& b) { return officeText(b, "word/document.xml"); }},
      {"odt", [](const std::string& b) { return officeText(b, "content.xml"); }}};
  for (const auto& [format, read] : readers) {
    auto r = people.secretary.get("/api/v1/decisions/" + decision + "?format=" + format);
    ASSERT_EQ(r.status, 200) << format;
    std::string text = collapse(read(r.body));
    for (const char* line : {"yrkar avslag på initiativet", "Propositionsordning",
                             "reserverar sig mot beslutet", "protokollsanteckning"}) {
      EXPECT_NE(text.find(line), std::string::npos) << format << ": " << line << " in\n" << text;
    }
  }
}

// Regression: the web form sent a yrkande written without "namn:" as both
// mover and text, and the protocol printed it twice.
TEST_F(Minutes, AYrkandeWithoutANameIsRefusedNotPrintedTwice) {
  auto r = decide(R"({"outcome":"bifall","text":"Bifall.","motions":[{"mover":"Bifall till förslaget","text":"Bifall till förslaget"}]})");
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_NE(r.body.find("motions[0].mover"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("saknar förslagsställare"), std::string::npos) << r.body;
  EXPECT_EQ(people.state(case_id), "pa_dagordning");
}

TEST_F(Minutes, StandingItemsTakeNoOutcomeOrNoterasNotBifall) {
  ASSERT_EQ(people.secretary.post("/api/v1/meetings/" + m + "/items", R"({"title":"Val av justerare"})").status, 201);
  ASSERT_EQ(people.secretary.post("/api/v1/meetings/" + m + "/items",
                                  R"({"title":"Delegationsbeslut september","kind":"delegationsbeslut"})").status, 201);
  auto json = people.secretary.get("/api/v1/meetings/" + m).json()->getArray("items");
  EXPECT_EQ(json->getObject(1)->getValue<std::string>("kind"), "val_av_justerare");
  EXPECT_EQ(json->getObject(2)->getValue<std::string>("kind_label"), "Anmälan av delegationsbeslut");
  auto bifall = decide(R"({"outcome":"bifall","text":"Just utses."})", 2);
  EXPECT_EQ(bifall.status, 422) << bifall.body;
  EXPECT_NE(bifall.body.find("stående punkt"), std::string::npos);
  EXPECT_EQ(decide(R"({"outcome":"noteras","text":"just utses att jämte ordföranden justera protokollet."})", 2).status, 201);
  EXPECT_EQ(decide(R"({})", 3).status, 201) << "no outcome at all";
  // A case is decided with an outcome.
  auto noted = decide(R"({"outcome":"noteras","text":"Noteras."})", 1);
  EXPECT_EQ(noted.status, 422) << noted.body;
  EXPECT_EQ(people.state(case_id), "pa_dagordning");
  auto kind = people.secretary.post("/api/v1/meetings/" + m + "/items", R"({"title":"X","kind":"arende"})");
  EXPECT_EQ(kind.status, 400) << kind.body;
}

TEST_F(Minutes, ThoseWhoMoveVoteAndReserveAreServingAndNotDisqualified) {
  struct Refused {
    const char* body = "";
    int status = 0;
    const char* field = "";
  };
  for (const auto& r : std::vector<Refused>{
           {R"({"outcome":"bifall","text":"B.","votings":[{"proposition":"Ja/nej","ballots":[{"name":"Okänd Person","vote":"ja"}]}]})",
            422, "votings[0].ballots[0].name"},
           {R"({"outcome":"bifall","text":"B.","votings":[{"proposition":"Ja/nej","ballots":[{"name":"ordf","vote":"kanske"}]}]})",
            400, "votings[0].ballots[0].vote"},
           {R"({"outcome":"bifall","text":"B.","votings":[{"proposition":"Ja/nej","ballots":[{"name":"ordf","vote":"ja"}],"yes":3}]})",
            400, "votings[0]"},
           {R"j({"outcome":"bifall","text":"B.","disqualified":["Lisa Larsson (M)"],"votings":[{"proposition":"Ja/nej","ballots":[{"name":"Lisa Larsson (M)","vote":"nej"}]}]})j",
            422, "votings[0].ballots[0].name"},
           {R"({"outcome":"bifall","text":"B.","reservations":[{"name":"Sara Sekreterare"}]})", 422,
            "reservations[0].name"},
           {R"({"outcome":"bifall","text":"B.","motions":[{"mover":"Nisse Utomstående","text":"Avslag"}]})", 422,
            "motions[0].mover"},
           {R"({"outcome":"bifall","text":"B.","disqualified":["Någon Annan"]})", 422, "disqualified[0]"},
           {R"({"outcome":"bifall","text":"B.","proposes_to":"SOCN"})", 422, "proposes_to"}}) {
    auto res = decide(r.body);
    EXPECT_EQ(res.status, r.status) << r.body << "\n" << res.body;
    EXPECT_NE(res.body.find(r.field), std::string::npos) << r.body << "\n" << res.body;
  }
  EXPECT_EQ(people.state(case_id), "pa_dagordning") << "nothing changed";
  EXPECT_EQ(server.auditCount("decision.record"), 0);
}

TEST_F(Minutes, BeforeJusteringADecisionIsCorrectedByANewVersionWithWhoAndWhy) {
  ASSERT_EQ(decide(R"({"outcome":"bifall","text":"Socialnämnden bifaller initiativet."})").status, 201);
  const std::string url = "/api/v1/meetings/" + m + "/items/1/decision";
  auto no_reason = people.secretary.request("PUT", url, R"({"outcome":"bifall","text":"Rättad."})",
                                            {{"Content-Type", "application/json"}});
  EXPECT_EQ(no_reason.status, 400) << no_reason.body;
  EXPECT_NE(no_reason.body.find("reason"), std::string::npos);
  // An outcome that would move the case elsewhere is a new decision, not a correction.
  auto other = people.secretary.request(
      "PUT", url, R"({"outcome":"aterremiss","text":"Återremiss.","reason":"Fel utfall"})",
      {{"Content-Type", "application/json"}});
  EXPECT_EQ(other.status, 409) << other.body;
  auto fixed = people.secretary.request(
      "PUT", url,
      R"({"outcome":"delvis_bifall","text":"Socialnämnden bifaller initiativet delvis.","reason":"Skrivfel: beslutet var delvis bifall"})",
      {{"Content-Type", "application/json"}});
  ASSERT_EQ(fixed.status, 200) << fixed.body;
  auto j = fixed.json();
  EXPECT_EQ(j->getValue<int>("version"), 2);
  EXPECT_EQ(j->getValue<std::string>("outcome"), "delvis_bifall");
  auto history = j->getArray("history");
  ASSERT_EQ(history->size(), 1u);
  EXPECT_EQ(history->getObject(0)->getValue<std::string>("text"), "Socialnämnden bifaller initiativet.");
  EXPECT_EQ(history->getObject(0)->getValue<std::string>("replaced_by"), "sara");
  EXPECT_EQ(history->getObject(0)->getValue<std::string>("reason"), "Skrivfel: beslutet var delvis bifall");
  EXPECT_EQ(people.state(case_id), "beslutad");
  EXPECT_EQ(server.auditCount("decision.correct"), 1);
  people.drawAndAttest(m);
  auto after = people.secretary.request(
      "PUT", url, R"({"outcome":"bifall","text":"Igen.","reason":"Ändrade mig"})",
      {{"Content-Type", "application/json"}});
  EXPECT_EQ(after.status, 409) << after.body;
  EXPECT_NE(after.body.find("rättelse"), std::string::npos) << after.body;
}

TEST_F(Minutes, AfterJusteringOnlyARattelseWhichTheNextProtocolReports) {
  auto d = decide(R"({"outcome":"bifall","text":"Socialnämnden bifaller initiativet från 2019."})");
  ASSERT_EQ(d.status, 201);
  std::string decision = std::to_string(d.json()->getValue<int>("id"));
  const std::string url = "/api/v1/meetings/" + m + "/items/1/decision/rattelse";
  auto early = people.secretary.post(url, R"({"text":"… initiativet från 2020.","reason":"Skrivfel i årtalet"})");
  EXPECT_EQ(early.status, 409) << "before justering a new version is the way";
  people.drawAndAttest(m);
  auto r = people.secretary.post(url, R"({"text":"Socialnämnden bifaller initiativet från 2020.","reason":"Skrivfel i årtalet"})");
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.json()->getArray("rectifications")->size(), 1u);
  EXPECT_EQ(r.json()->getValue<std::string>("text"), "Socialnämnden bifaller initiativet från 2019.")
      << "the attested decision stays as it was";
  EXPECT_EQ(server.auditCount("decision.rectify"), 1);
  // The extract shows it; the next meeting's protocol reports it.
  auto extract = people.secretary.get("/api/v1/decisions/" + decision + "?format=txt");
  EXPECT_NE(collapse(extract.body).find("Socialnämnden bifaller initiativet från 2020. Skäl: Skrivfel i årtalet"),
            std::string::npos)
      << extract.body;
  people.setDay(2020, 11, 24);
  std::string next = people.meeting("2020-11-24");
  ASSERT_EQ(people.secretary.post("/api/v1/meetings/" + next + "/items", R"({"title":"Information från förvaltningen"})").status, 201);
  ASSERT_EQ(people.secretary.post("/api/v1/meetings/" + next + "/items/1/decision", R"({"outcome":"noteras"})").status, 201);
  ASSERT_EQ(people.secretary.post("/api/v1/meetings/" + next + "/minutes", "{}").status, 200);
  auto protocol = people.secretary.get("/api/v1/meetings/" + next + "/protocol?format=txt");
  EXPECT_NE(collapse(protocol.body).find("Anmälan om rättelser i tidigare protokoll"), std::string::npos) << protocol.body;
  EXPECT_NE(collapse(protocol.body).find("protokollet 2020-10-20 § 1: Socialnämnden bifaller initiativet från 2020."),
            std::string::npos)
      << protocol.body;
  auto again = people.secretary.get("/api/v1/decisions/" + decision).json();
  EXPECT_EQ(again->getArray("rectifications")->getObject(0)->getValue<std::string>("reported_date"), "2020-11-24");
}

TEST_F(Minutes, TheAgendaChangesUntilTheMinutesAndAfterTheNoticeAsANewVersion) {
  const std::string base = "/api/v1/meetings/" + m;
  ASSERT_EQ(people.secretary.post(base + "/items", R"({"title":"Val av justerare","position":1})").status, 201);
  auto j = people.secretary.get(base).json()->getArray("items");
  EXPECT_EQ(j->getObject(0)->getValue<std::string>("title"), "Val av justerare");
  EXPECT_EQ(j->getObject(1)->getValue<int>("case"), std::stoi(case_id));
  // Before the notice: no version to tell.
  auto sent = people.secretary.post(base + "/notice", "{}");
  ASSERT_EQ(sent.status, 200) << sent.body;
  EXPECT_EQ(sent.json()->getValue<int>("notice_version"), 1);
  EXPECT_EQ(people.secretary.post(base + "/notice", "{}").status, 409) << "nothing changed";
  // After it: each change waits for version 2.
  ASSERT_EQ(people.secretary.post(base + "/items", R"({"title":"Information om budgeten"})").status, 201);
  auto reordered = people.secretary.request("PUT", base + "/agenda/order", R"({"order":[2,1,3]})",
                                            {{"Content-Type", "application/json"}});
  ASSERT_EQ(reordered.status, 200) << reordered.body;
  EXPECT_EQ(reordered.json()->getArray("items")->getObject(0)->getValue<int>("case"), std::stoi(case_id));
  auto bad = people.secretary.request("PUT", base + "/agenda/order", R"({"order":[1,1,2]})",
                                      {{"Content-Type", "application/json"}});
  EXPECT_EQ(bad.status, 400);
  auto patched = people.secretary.request("PATCH", base, R"({"place":"Nacka stadshus, sal Tollare","time":"14:00"})",
                                          {{"Content-Type", "application/json"}});
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(patched.json()->getArray("pending_changes")->size(), 4u) << patched.body;
  auto v2 = people.secretary.post(base + "/notice", "{}");
  ASSERT_EQ(v2.status, 200);
  EXPECT_EQ(v2.json()->getValue<int>("notice_version"), 2);
  EXPECT_EQ(v2.json()->getArray("pending_changes")->size(), 0u);
  auto kallelse = people.secretary.get(base + "/agenda?format=txt");
  EXPECT_NE(kallelse.body.find("Ändrad kallelse, version 2"), std::string::npos) << kallelse.body;
  EXPECT_NE(kallelse.body.find("Platsen är ändrad: Nacka stadshus, sal Tollare"), std::string::npos);
  EXPECT_NE(kallelse.body.find("Punkterna har fått en ny ordning"), std::string::npos);
  // Removing the case: it is ready for a later meeting again.
  auto removed = people.secretary.request("DELETE", base + "/items/1");
  ASSERT_EQ(removed.status, 200) << removed.body;
  EXPECT_EQ(people.state(case_id), "klar_for_namnd");
  EXPECT_EQ(removed.json()->getArray("items")->size(), 2u);
  EXPECT_EQ(server.auditCount("meeting.agenda_remove"), 1);
  EXPECT_EQ(server.auditCount("meeting.notice"), 2);
  // Once the minutes are drawn, the agenda stays.
  ASSERT_EQ(people.secretary.post(base + "/items/1/decision", R"({"outcome":"noteras"})").status, 201);
  ASSERT_EQ(people.secretary.post(base + "/minutes", "{}").status, 200);
  EXPECT_EQ(people.secretary.request("DELETE", base + "/items/2").status, 409);
  EXPECT_EQ(people.secretary.request("PUT", base + "/agenda/order", R"({"order":[2,1]})",
                                     {{"Content-Type", "application/json"}}).status, 409);
}

TEST_F(Minutes, TimePlaceAndAttendanceAreEditableUntilJustering) {
  const std::string base = "/api/v1/meetings/" + m;
  auto with_substitute = people.secretary.request(
      "PATCH", base,
      R"({"end_time":"16:30","attendance":[{"name":"ordf","username":"ordf","role":"ordförande"},)"
      R"({"name":"just","username":"just","role":"ledamot"},)"
      R"j({"name":"Eva Ek","party":"KD","role":"ersättare","substitute_for":"Lisa Larsson (M)"},)j"
      R"({"name":"Sara Sekreterare","role":"sekreterare"}]})",
      {{"Content-Type", "application/json"}});
  ASSERT_EQ(with_substitute.status, 200) << with_substitute.body;
  auto att = with_substitute.json()->getArray("attendance");
  EXPECT_EQ(att->getObject(2)->getValue<std::string>("presence"), "tjanstgorande_ersattare");
  // A substitute for someone who is there and serving.
  auto twice = people.secretary.request(
      "PATCH", base,
      R"({"attendance":[{"name":"ordf","username":"ordf","role":"ordförande"},)"
      R"({"name":"Eva Ek","role":"ersättare","substitute_for":"ordf"}]})",
      {{"Content-Type", "application/json"}});
  EXPECT_EQ(twice.status, 400) << twice.body;
  EXPECT_NE(twice.body.find("substitute_for"), std::string::npos);
  ASSERT_EQ(decide(R"({"outcome":"bifall","text":"B."})").status, 201);
  people.drawAndAttest(m);
  auto late = people.secretary.request("PATCH", base, R"({"place":"Annan sal"})",
                                       {{"Content-Type", "application/json"}});
  EXPECT_EQ(late.status, 409) << late.body;
  EXPECT_NE(late.body.find("justerat"), std::string::npos);
  auto protocol = people.secretary.get(base + "/protocol?format=txt");
  EXPECT_NE(collapse(protocol.body).find("Eva Ek (KD), ersättare för Lisa Larsson (M)"), std::string::npos)
      << protocol.body;
  EXPECT_NE(collapse(protocol.body).find("13.00–16.30"), std::string::npos) << protocol.body;
}

// #14 item 9: one person must not justera alone.
TEST_F(Minutes, OnePersonNeverAttestsAlone) {
  auto meetingWith = [&](const std::string& chair, const std::string& adjusters) {
    return people.secretary.post(
        "/api/v1/meetings", R"({"committee":"SOCN","date":"2020-10-20","chair":")" + chair +
                                R"(","adjusters":)" + adjusters + "}");
  };
  server.as("kalle", Role::kLedamot, {}, "KS");
  for (const auto& [chair, adjusters, why] : std::vector<std::tuple<std::string, std::string, std::string>>{
           {"sara", R"(["just"])", "sekreteraren"},
           {"ordf", R"(["ordf"])", "redan ordförande"},
           {"ordf", R"(["just","just"])", "redan ordförande eller justerare"},
           {"ordf", R"(["kalle"])", "inte ledamot eller ersättare i nämnden"},
           {"ordf", R"(["nobody"])", "ingen användare"}}) {
    auto r = meetingWith(chair, adjusters);
    EXPECT_EQ(r.status, 422) << chair << adjusters << ": " << r.body;
    EXPECT_NE(r.body.find(why), std::string::npos) << r.body;
  }
  // Present: an adjuster who is not at the meeting cannot attest it.
  ASSERT_EQ(decide(R"({"outcome":"bifall","text":"B."})").status, 201);
  auto absent = people.secretary.request(
      "PATCH", "/api/v1/meetings/" + m,
      R"({"attendance":[{"name":"ordf","username":"ordf","role":"ordförande"},{"name":"Sara Sekreterare","role":"sekreterare"}]})",
      {{"Content-Type", "application/json"}});
  ASSERT_EQ(absent.status, 200) << absent.body;
  auto minutes = people.secretary.post("/api/v1/meetings/" + m + "/minutes", "{}");
  EXPECT_EQ(minutes.status, 422) << minutes.body;
  EXPECT_NE(minutes.body.find("finns inte bland de tjänstgörande närvarande"), std::string::npos);
  // Without an adjuster at all.
  ASSERT_EQ(people.secretary.request("PATCH", "/api/v1/meetings/" + m,
                                     R"({"adjusters":[],"attendance":[{"name":"ordf","username":"ordf","role":"ordförande"}]})",
                                     {{"Content-Type", "application/json"}}).status, 200);
  auto alone = people.secretary.post("/api/v1/meetings/" + m + "/minutes", "{}");
  EXPECT_EQ(alone.status, 422) << alone.body;
  EXPECT_NE(alone.body.find("ordföranden justerar aldrig ensam"), std::string::npos);
  // Back as it should be.
  ASSERT_EQ(people.secretary.request(
                "PATCH", "/api/v1/meetings/" + m,
                R"({"adjusters":["just"],"attendance":[{"name":"ordf","username":"ordf","role":"ordförande"},{"name":"just","username":"just","role":"ledamot"}]})",
                {{"Content-Type", "application/json"}}).status, 200);
  ASSERT_EQ(people.secretary.post("/api/v1/meetings/" + m + "/minutes", "{}").status, 200);
  // Justering needs the password again, within five minutes.
  const std::string attest = "/api/v1/meetings/" + m + "/attest";
  auto unconfirmed = people.chair.post(attest, "{}");
  EXPECT_EQ(unconfirmed.status, 403) << unconfirmed.body;
  EXPECT_NE(unconfirmed.body.find("lösenord"), std::string::npos);
  auto wrong = people.chair.post("/api/v1/session/confirm", R"({"password":"fel-lösenord-helt-klart"})");
  EXPECT_EQ(wrong.status, 422) << wrong.body;
  EXPECT_EQ(server.auditCount("session.confirm_failed"), 1);
  ASSERT_EQ(people.chair.post("/api/v1/session/confirm", R"({"password":")" + passwordOf("ordf") + R"("})").status, 200);
  server.clock().advance(std::chrono::minutes(6));
  auto stale = people.chair.post(attest, "{}");
  EXPECT_EQ(stale.status, 403) << "the confirmation is six minutes old";
  auto confirm = people.chair.post("/api/v1/session/confirm", R"({"password":")" + passwordOf("ordf") + R"("})");
  ASSERT_EQ(confirm.status, 200);
  auto done = people.chair.post(attest, "{}");
  ASSERT_EQ(done.status, 200) << done.body;
  auto a = done.json()->getArray("attestations")->getObject(0);
  EXPECT_EQ(a->getValue<std::string>("method"), "lösenord");
  EXPECT_EQ(a->getValue<std::string>("confirmed_at"), confirm.json()->getValue<std::string>("confirmed_at"));
  EXPECT_FALSE(done.json()->getValue<bool>("attested")) << "the adjuster has not attested yet";
  // The secretary who keeps the minutes is not an adjuster, confirmed or not.
  ASSERT_EQ(people.secretary.post("/api/v1/session/confirm", R"({"password":")" + passwordOf("sara") + R"("})").status, 200);
  EXPECT_EQ(people.secretary.post(attest, "{}").status, 403);
}

TEST_F(Minutes, TheKallelseMedHandlingarIsOnePdfWithBookmarksAndAPublicVersion) {
  // A second, secret case on the agenda.
  std::string body = referenceCaseBody();
  body.pop_back();
  body += R"j(,"secrecy":{"provision":"OSL 26 kap. 1 §","fields":["subject"]}})j";
  people.setDay(2020, 10, 6);
  std::string secret = people.readyCase(body);
  ASSERT_EQ(people.secretary.post("/api/v1/meetings/" + m + "/items", "{\"case\":" + secret + "}").status, 201);
  ASSERT_EQ(people.secretary.post("/api/v1/meetings/" + m + "/notice", "{}").status, 200);

  auto full = people.secretary.get("/api/v1/meetings/" + m + "/agenda?format=pdf");
  ASSERT_EQ(full.status, 200) << full.body.substr(0, 300);
  TempDir dir;
  writeFile(dir.file("k.pdf"), full.body);
  std::string xml;
  {
    std::string cmd = "pdftohtml -xml -i -stdout -q " + dir.file("k.pdf") + " > " + dir.file("k.xml");
    ASSERT_EQ(std::system(cmd.c_str()), 0);
    xml = readFile(dir.file("k.xml"));
  }
  EXPECT_NE(xml.find("<outline"), std::string::npos) << "bookmarks";
  EXPECT_NE(xml.find("Kallelse och föredragningslista"), std::string::npos);
  EXPECT_NE(xml.find("Punkt 1: SOCN 2020/1"), std::string::npos) << xml.substr(0, 2000);
  EXPECT_NE(xml.find("Punkt 2: SOCN 2020/2"), std::string::npos);
  std::string text = pdfText(full.body);
  // Page numbers across the whole: the kallelse, then both memos.
  const int pages = pdfPages(full.body);
  ASSERT_GE(pages, 3);
  const std::string total = " (" + std::to_string(pages) + ")";
  EXPECT_NE(text.find("1" + total), std::string::npos) << text.substr(0, 500);
  EXPECT_NE(text.find(std::to_string(pages) + total), std::string::npos);
  EXPECT_NE(text.find("människohandelssektionen"), std::string::npos);
  EXPECT_GE(server.auditCount("case.secret_read"), 1) << "the secretary read the secret memo";

  // The public's version: the secret item masked and its memo left out.
  auto pub = server.client().get("/api/v1/public/meetings/" + m + "/agenda?format=pdf");
  ASSERT_EQ(pub.status, 200) << pub.body.substr(0, 300);
  std::string public_text = pdfText(pub.body);
  const int public_pages = pdfPages(pub.body);
  EXPECT_LT(public_pages, pages) << "the secret memo is left out";
  EXPECT_GT(public_pages, 1) << "the open memo is in";
  EXPECT_NE(public_text.find("1 (" + std::to_string(public_pages) + ")"), std::string::npos);
  EXPECT_NE(collapse(public_text).find("omfattas av sekretess enligt OSL 26 kap. 1 §"), std::string::npos)
      << public_text;
  // A member sees it as the public does (masked).
  auto member = people.chair.get("/api/v1/meetings/" + m + "/agenda?format=pdf");
  ASSERT_EQ(member.status, 200);
  EXPECT_EQ(pdfPages(member.body), public_pages);
  // Before the notice is sent, the public has no kallelse.
  std::string later = people.meeting("2020-11-24");
  EXPECT_EQ(server.client().get("/api/v1/public/meetings/" + later + "/agenda").status, 404);
}

TEST_F(Minutes, TheApprovedMemoIsTheDecisionBasisAndANewDraftWaitsForAnAterremiss) {
  const std::string memo = "/api/v1/cases/" + case_id + "/memo";
  auto put = [&](Client& c) {
    return c.request("PUT", memo, referenceMemoXml(), {{"Content-Type", "application/xml"}});
  };
  auto refused = put(people.officer);
  EXPECT_EQ(refused.status, 409) << refused.body;
  EXPECT_NE(refused.body.find("beslutsunderlag"), std::string::npos);
  ASSERT_EQ(decide(R"({"outcome":"aterremiss","text":"Ärendet återremitteras för komplettering."})").status, 201);
  EXPECT_EQ(people.state(case_id), "under_utredning");
  auto v2 = put(people.officer);
  ASSERT_EQ(v2.status, 201) << v2.body;
  // Every reader gets the decision basis; the draft is marked wherever shown.
  auto basis = people.reg.get(memo + "?format=txt");
  ASSERT_EQ(basis.status, 200);
  EXPECT_EQ(basis.header("x-memo-version"), "1");
  EXPECT_EQ(basis.header("x-memo-status"), "godkand");
  EXPECT_EQ(basis.body.find("UTKAST"), std::string::npos);
  auto draft = people.officer.get(memo + "?format=txt&version=latest");
  EXPECT_EQ(draft.header("x-memo-version"), "2");
  EXPECT_NE(draft.body.find("UTKAST – version 2: inte godkänd, inte beslutsunderlag"), std::string::npos)
      << draft.body.substr(0, 300);
  EXPECT_NE(pdfText(people.officer.get(memo + "?format=pdf&version=2").body).find("UTKAST"), std::string::npos);
  auto versions = people.reg.get(memo + "/versions").json()->getArray("items");
  EXPECT_TRUE(versions->getObject(0)->getValue<bool>("decision_basis"));
  EXPECT_EQ(versions->getObject(1)->getValue<std::string>("status"), "utkast");
  EXPECT_FALSE(versions->getObject(1)->getValue<bool>("decision_basis"));
  // Approved again: the new version is the basis.
  ASSERT_EQ(people.take(people.officer, case_id, R"({"transition":"skicka_for_godkannande"})").status, 200);
  ASSERT_EQ(people.take(people.head, case_id, R"({"transition":"godkann"})").status, 200);
  auto now = people.reg.get(memo + "?format=txt");
  EXPECT_EQ(now.header("x-memo-version"), "2");
  EXPECT_EQ(now.body.find("UTKAST"), std::string::npos);
}

}  // namespace
}  // namespace kansli::testing
