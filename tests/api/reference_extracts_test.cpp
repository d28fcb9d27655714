// The real protocol extracts in ../shared/reference/ (Sollentuna, Sala,
// Gotland), reproduced from data entered through the API alone: a case, its
// documents and memo, a meeting, a decision with its yrkanden and
// propositions, justering. The Sollentuna extract is measured the way the
// reference memo's golden test reads documents (the text of Kansli's PDF by
// pdftotext, words in order): at least 0.95 of its words must be there in
// order. Sala's and Gotland's structures (their headings and parts, in their
// order) are checked with their own template variants in samples/.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "testing/meeting_flow.h"
#include "testing/reference_text.h"

namespace kansli::testing {
namespace {

std::string pdfToText(const std::string& pdf) {
  TempDir dir;
  writeFile(dir.file("a.pdf"), pdf);
  std::string cmd = "pdftotext " + dir.file("a.pdf") + " " + dir.file("a.txt");
  if (std::system(cmd.c_str()) != 0) return "";
  return readFile(dir.file("a.txt"));
}

// A reference extract's text (tests/data/, copied from ../shared/reference/):
// what follows its header block.
std::string referenceBody(const std::string& file) {
  std::string t = readFile(sourceDir() + "/tests/data/" + file);
  auto at = t.find("\n\n");
  return at == std::string::npos ? t : t.substr(at + 2);
}

struct Committee {
  TestServer& server;
  Client reg, officer, head, secretary;
  Committee(TestServer& s, const std::string& committee, const std::string& unit)
      : server(s),
        reg(s.as("registrator", Role::kRegistrator)),
        officer(s.as("handlaggare", Role::kHandlaggare, unit)),
        head(s.as("enhetschef", Role::kEnhetschef, unit)),
        secretary(s.as("sekreterare", Role::kNamndsekreterare, {}, committee)) {}
  void signIn(const std::string& committee, const std::string& unit) {
    reg = server.as("registrator", Role::kRegistrator);
    officer = server.as("handlaggare", Role::kHandlaggare, unit);
    head = server.as("enhetschef", Role::kEnhetschef, unit);
    secretary = server.as("sekreterare", Role::kNamndsekreterare, {}, committee);
  }
  HttpResult take(Client& c, const std::string& id, const std::string& body) {
    auto cur = c.get("/api/v1/cases/" + id);
    return c.request("POST", "/api/v1/cases/" + id + "/transitions", body,
                     {{"Content-Type", "application/json"}, {"If-Match", cur.header("etag")}});
  }
};

TEST(ReferenceExtracts, SollentunaKommunstyrelsen20190408Paragraph52) {
  const std::string ref = "protokollsutdrag-sollentuna-KS-2018-0219.txt";
  TestServer server({.start = dayAt(2018, 1, 8),
                     .organisation_file = sourceDir() + "/samples/sollentuna/organisation.xml",
                     .templates = {sourceDir() + "/samples/sollentuna/protokollsutdrag.xml"}});
  Committee ks(server, "KS", "klk");
  // The case is number 219 of Kommunstyrelsen's 2018 series: 218 before it.
  for (int i = 1; i <= 218; ++i) {
    auto r = ks.reg.post("/api/v1/cases", R"({"committee":"KS","kind":"motion","subject":"Ärende )" +
                                              std::to_string(i) + R"(","received":"2018-01-08","senders":[{"name":"Motionär"}]})");
    ASSERT_EQ(r.status, 201) << r.body;
  }
  server.clock().set(dayAt(2018, 4, 20));
  ks.signIn("KS", "klk");
  auto created = ks.reg.post(
      "/api/v1/cases",
      R"j({"committee":"KS","kind":"motion","subject":"Svar på motion väckt av Mette Hildingsson (S) och Roger Sjöberg (S) om utvecklingsgrupp för förskolan",)j"
      R"j("received":"2018-04-19","senders":[{"name":"Mette Hildingsson","party":"S"},{"name":"Roger Sjöberg","party":"S"}]})j");
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(created.json()->getValue<std::string>("dnr"), "2018/0219 KS");
  std::string id = std::to_string(created.json()->getValue<int>("id"));
  ASSERT_EQ(ks.reg.post("/api/v1/cases/" + id + "/documents",
                        R"j({"direction":"inkommen","date":"2018-04-19","counterpart":"Mette Hildingsson (S) och Roger Sjöberg (S)","title":"Motion om utvecklingsgrupp för förskolan"})j").status, 201);
  ASSERT_EQ(ks.take(ks.reg, id, R"({"transition":"tilldela_enhet","unit":"klk"})").status, 200);
  ASSERT_EQ(ks.take(ks.head, id, R"({"transition":"tilldela_handlaggare","officer":"handlaggare"})").status, 200);
  server.clock().set(dayAt(2018, 11, 5));
  ks.signIn("KS", "klk");
  ASSERT_EQ(ks.officer.request("PUT", "/api/v1/cases/" + id + "/memo",
                               readFile(sourceDir() + "/samples/sollentuna/memo-KS-2018-0219.xml"),
                               {{"Content-Type", "application/xml"}}).status, 201);
  ASSERT_EQ(ks.take(ks.officer, id, R"({"transition":"skicka_for_godkannande"})").status, 200);
  auto approved = ks.take(ks.head, id, R"({"transition":"godkann"})");
  ASSERT_EQ(approved.status, 200) << approved.body;

  // Kommunstyrelsen, 2019-04-08: the motion is § 52 of 2019.
  server.clock().set(dayAt(2019, 4, 8));
  ks.signIn("KS", "klk");
  auto chair = server.as("thunes", Role::kLedamot, {}, "KS");
  auto adjuster = server.as("jonsson", Role::kLedamot, {}, "KS");
  auto m = ks.secretary.post(
      "/api/v1/meetings",
      R"j({"committee":"KS","date":"2019-04-08","time":"14:00","place":"Kommunstyrelsens sessionssal",)j"
      R"j("chair":"thunes","adjusters":["jonsson"],"first_paragraph":52,"attendance":[)j"
      R"j({"name":"Henrik Thunes","party":"M","role":"ordförande","username":"thunes"},)j"
      R"j({"name":"Joakim Jonsson","party":"S","role":"ledamot","username":"jonsson"},)j"
      R"j({"name":"Dira Lindström","party":"V","role":"ledamot"},)j"
      R"j({"name":"Bo Ehlin","party":"SD","role":"ledamot"},)j"
      R"j({"name":"Kommunsekreteraren","role":"sekreterare"}]})j");
  ASSERT_EQ(m.status, 201) << m.body;
  std::string meeting = std::to_string(m.json()->getValue<int>("id"));
  ASSERT_EQ(ks.secretary.post("/api/v1/meetings/" + meeting + "/items", "{\"case\":" + id + "}").status, 201);
  auto d = ks.secretary.post("/api/v1/meetings/" + meeting + "/items/1/decision", R"j({
    "outcome": "avslag",
    "proposes_to": "KF",
    "basis": ["I ärendet föreligger tjänsteutlåtande 2018-11-05 från kommunledningskontoret."],
    "summary": "Mette Hildingsson (S) och Roger Sjöberg (S) har i kommunfullmäktige 2018-04-19, § 43, väckt en motion om utvecklingsgrupp för förskolan.\n\nMotionen har varit på remiss till barn- och utbildningsnämnden.",
    "proposal": {"heading": "Arbetsutskottets förslag",
                 "text": "Kommunstyrelsens arbetsutskott föreslår kommunstyrelsen föreslå kommunfullmäktige besluta följande:",
                 "clauses": ["Motion väckt av Mette Hildingsson (S) och Roger Sjöberg (S) om utvecklingsgrupp för förskolan avslås."]},
    "speakers": ["Joakim Jonsson (S)", "Dira Lindström (V)", "Bo Ehlin (SD)"],
    "motions": [{"mover": "Joakim Jonsson (S)", "supporters": ["Dira Lindström (V)"], "text": "bifall till motionen"},
                {"mover": "Bo Ehlin (SD)", "text": "bifall till arbetsutskottets förslag"}],
    "propositions": ["Ordförande Henrik Thunes (M) ställer förslagen mot varandra och finner att kommunstyrelsen bifaller kommunstyrelsens arbetsutskotts förslag."],
    "clauses": ["Motion väckt av Mette Hildingsson (S) och Roger Sjöberg (S) om utvecklingsgrupp för förskolan avslås."],
    "send_to": ["Akt"]})j");
  ASSERT_EQ(d.status, 201) << d.body;
  std::string decision = std::to_string(d.json()->getValue<int>("id"));
  ASSERT_EQ(ks.secretary.post("/api/v1/meetings/" + meeting + "/minutes", "{}").status, 200);
  for (const auto& [c, who] : {std::pair<Client*, std::string>{&chair, "thunes"},
                                std::pair<Client*, std::string>{&adjuster, "jonsson"}}) {
    ASSERT_EQ(c->post("/api/v1/session/confirm", R"({"password":")" + passwordOf(who) + R"("})").status, 200);
    ASSERT_EQ(c->post("/api/v1/meetings/" + meeting + "/attest", "{}").status, 200) << who;
  }

  auto pdf = ks.secretary.get("/api/v1/decisions/" + decision + "?format=pdf");
  ASSERT_EQ(pdf.status, 200);
  std::string extracted = pdfToText(pdf.body);
  // The reference's "(1)" and "(2)" are 5dok's page marks, not the extract's
  // words (its header block says so). Its page 2 holds nothing but the
  // running header and the signature boxes again (the original overflowed
  // by a line): page 1 is measured, and the whole reference is printed too.
  std::vector<std::string> want, whole;
  bool page_two = false;
  for (const auto& w : words(referenceBody(ref))) {
    if (w == "(2)") page_two = true;
    if (w == "(1)" || w == "(2)") continue;
    whole.push_back(w);
    if (!page_two) want.push_back(w);
  }
  const auto got = normalised(extracted, extractedFromPaged());
  double in_order = wordsInOrder(want, got);
  std::vector<std::string> missing = missedWords(want, got);
  std::string gone;
  for (const auto& w : missing) gone += " " + w;
  std::cout << "Sollentuna KS 2019-04-08 § 52: " << want.size() - missing.size() << " av "
            << want.size() << " ord i ordning (" << in_order << "); saknas:" << gone << "\n";
  std::cout << "  hela referensen, sida 2 medräknad: "
            << wordsInOrder(whole, normalised(extracted, extractedFromPaged())) << "\n";
  EXPECT_GE(in_order, 0.95) << extracted;
  auto txt = ks.secretary.get("/api/v1/decisions/" + decision + "?format=txt");
  std::cout << "  som text: " << wordsInOrder(want, words(txt.body)) << "\n";
}


// Whether `markers` appear in `text` in this order (whitespace collapsed);
// the first that does not, or empty.
std::string firstOutOfOrder(const std::string& raw, const std::vector<std::string>& markers) {
  std::string text;
  bool space = false;
  for (char c : raw) {
    if (c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f') {
      space = true;
    } else {
      if (space && !text.empty()) text += ' ';
      space = false;
      text += c;
    }
  }
  std::size_t at = 0;
  for (const auto& m : markers) {
    auto found = text.find(m, at);
    if (found == std::string::npos) return m;
    at = found + m.size();
  }
  return "";
}

// A case through a committee of another municipality to an attested
// decision: registration, the unit and officer, a memo, approval, a meeting
// with `first_paragraph`, the decision `decision_json`, justering. Answers
// the extract as PDF text.
std::string attestedExtract(TestServer& server, const std::string& committee,
                            const std::string& unit, const std::string& case_json,
                            const std::vector<std::string>& before_unit,
                            const std::string& meeting_date, int first_paragraph,
                            const std::string& decision_json) {
  Committee c(server, committee, unit);
  auto created = c.reg.post("/api/v1/cases", case_json);
  if (created.status != 201) throw std::runtime_error(created.body);
  std::string id = std::to_string(created.json()->getValue<int>("id"));
  for (const auto& t : before_unit) {
    auto r = c.take(c.reg, id, R"({"transition":")" + t + R"("})");
    if (r.status != 200) throw std::runtime_error(t + ": " + r.body);
  }
  CommitteePeople::expect(c.take(c.reg, id, R"({"transition":"tilldela_enhet","unit":")" + unit + R"("})"), 200, "unit");
  CommitteePeople::expect(c.take(c.head, id, R"({"transition":"tilldela_handlaggare","officer":"handlaggare"})"), 200, "officer");
  CommitteePeople::expect(c.officer.request("PUT", "/api/v1/cases/" + id + "/memo",
                                            readFile(sourceDir() + "/samples/sollentuna/memo-KS-2018-0219.xml"),
                                            {{"Content-Type", "application/xml"}}), 201, "memo");
  CommitteePeople::expect(c.take(c.officer, id, R"({"transition":"skicka_for_godkannande"})"), 200, "skicka");
  CommitteePeople::expect(c.take(c.head, id, R"({"transition":"godkann"})"), 200, "godkann");
  std::chrono::year_month_day day;
  parseDate(meeting_date, day);
  server.clock().set(Instant{std::chrono::sys_days{day}} + std::chrono::hours(9));
  c.signIn(committee, unit);
  auto chair = server.as("ordf", Role::kLedamot, {}, committee);
  auto adjuster = server.as("just", Role::kLedamot, {}, committee);
  auto m = c.secretary.post("/api/v1/meetings",
                            R"({"committee":")" + committee + R"(","date":")" + meeting_date +
                                R"(","chair":"ordf","adjusters":["just"],"first_paragraph":)" +
                                std::to_string(first_paragraph) +
                                R"(,"attendance":[{"name":"ordf","username":"ordf","role":"ordförande"},)"
                                R"({"name":"just","username":"just","role":"ledamot"}]})");
  CommitteePeople::expect(m, 201, "meeting");
  std::string meeting = std::to_string(m.json()->getValue<int>("id"));
  CommitteePeople::expect(c.secretary.post("/api/v1/meetings/" + meeting + "/items", "{\"case\":" + id + "}"), 201, "item");
  auto d = c.secretary.post("/api/v1/meetings/" + meeting + "/items/1/decision", decision_json);
  CommitteePeople::expect(d, 201, "decision");
  CommitteePeople::expect(c.secretary.post("/api/v1/meetings/" + meeting + "/minutes", "{}"), 200, "minutes");
  for (const auto& [client, who] : {std::pair<Client*, std::string>{&chair, "ordf"},
                                    std::pair<Client*, std::string>{&adjuster, "just"}}) {
    CommitteePeople::expect(client->post("/api/v1/session/confirm", R"({"password":")" + passwordOf(who) + R"("})"), 200, "confirm");
    CommitteePeople::expect(client->post("/api/v1/meetings/" + meeting + "/attest", "{}"), 200, "attest");
  }
  auto pdf = c.secretary.get("/api/v1/decisions/" + std::to_string(d.json()->getValue<int>("id")) + "?format=pdf");
  CommitteePeople::expect(pdf, 200, "extract");
  return pdfToText(pdf.body);
}

TEST(ReferenceExtracts, SalaKommunstyrelsenOnAMotionHasItsStructure) {
  TestServer server({.start = dayAt(2014, 8, 15),
                     .organisation_file = sourceDir() + "/samples/sala/organisation.xml",
                     .templates = {sourceDir() + "/samples/sala/protokollsutdrag.xml"}});
  std::string text = attestedExtract(
      server, "KS", "ksf",
      R"j({"committee":"KS","kind":"motion","subject":"Svar på motion om att få bort tung genomfartstrafik på Särskogsleden","received":"2014-08-14","senders":[{"name":"Emil Andersson","party":"S"},{"name":"Ulrika Spåreho","party":"S"}]})j",
      {}, "2015-01-08", 10,
      R"j({"outcome":"besvarad","proposes_to":"KF",
        "summary":"Emil Andersson (S) och Ulrika Spåreho (S) inkom den 14 augusti 2014 med rubricerad motion. Motionärerna föreslår att Sala kommun utreder möjligheten att begränsa fordonshöjden på Särskogsleden i enlighet med motionens förslag.",
        "basis":["Bilaga KS 2014/251/1, svar på motionen från kommunstyrelsens ordförande","Bilaga KS 2014/251/2, yttrande från kommunstyrelsens förvaltning, tekniska kontoret","Bilaga KS 2014/251/3, motion","Ledningsutskottets beslut § 265"],
        "motions":[{"mover":"ordf","text":"bifall till ledningsutskottets förslag att kommunstyrelsen hemställer att kommunfullmäktige beslutar att anse motionen besvarad"}],
        "text":"Kommunstyrelsen hemställer att kommunfullmäktige beslutar att anse motionen besvarad.",
        "send_to":["kommunfullmäktige"]})j");
  // The letterhead's fields (where pdftotext reads them depends on their
  // place in the box), then the paragraph in the reference's order.
  for (const char* field : {"SAMMANTRÄDESPROTOKOLL", "KOMMUNSTYRELSEN", "Sammanträdesdatum 2015-01-08"}) {
    EXPECT_NE(text.find(field), std::string::npos) << field << "\n" << text;
  }
  const std::vector<std::string> structure = {
      "§ 10 Svar på motion om att få bort tung genomfartstrafik på Särskogsleden",
      "Dnr 2014/1", "INLEDNING", "Emil Andersson (S) och Ulrika Spåreho (S) inkom den 14 augusti 2014 med rubricerad motion.",
      "Beredning", "Bilaga KS 2014/251/1, svar på motionen från kommunstyrelsens ordförande",
      "Bilaga KS 2014/251/3, motion", "Ledningsutskottets beslut § 265", "Yrkanden",
      "yrkar bifall till ledningsutskottets förslag att kommunstyrelsen hemställer att kommunfullmäktige beslutar att anse motionen besvarad.",
      "BESLUT", "Kommunstyrelsen hemställer att kommunfullmäktige beslutar att anse motionen besvarad.",
      "Utdrag", "kommunfullmäktige", "Utdragsbestyrkande"};
  EXPECT_EQ(firstOutOfOrder(text, structure), "") << text;
}

TEST(ReferenceExtracts, GotlandKommunfullmaktigeOnACitizensProposalHasItsStructure) {
  TestServer server({.start = dayAt(2006, 11, 15),
                     .organisation_file = sourceDir() + "/samples/gotland/organisation.xml",
                     .templates = {sourceDir() + "/samples/gotland/protokollsutdrag.xml"}});
  std::string text = attestedExtract(
      server, "KF", "lk",
      R"j({"committee":"KF","kind":"medborgarforslag","subject":"Medborgarförslag. Belysningen i Tallunden","received":"2006-11-15","senders":[{"name":"Inger Harstäde"}]})j",
      {"overlamna"}, "2007-04-23", 136,
      R"j({"outcome":"bifall",
        "basis":["Kommunstyrelsen 2007-03-29, § 68","Medborgarförslag 2006-11-15","Tekniska nämnden 2007-01-24, § 18","Ledningskontoret 2007-02-08"],
        "summary":"I ett medborgarförslag har Inger Harstäde föreslagit att belysning sätts upp i Tallunden som är en mörk plats belägen mellan Söderväg och Stenkumlaväg. Tryggheten skulle öka med belysning i parken.\n\nKommunstyrelsen har tillstyrkt tekniska nämndens förslag.",
        "clauses":["Medborgarförslaget bifalls med hänvisning till tekniska nämndens beslut."]})j");
  for (const char* field : {"SAMMANTRÄDESPROTOKOLL", "Kommunfullmäktige", "2007-04-23"}) {
    EXPECT_NE(text.find(field), std::string::npos) << field << "\n" << text;
  }
  const std::vector<std::string> structure = {
      "KF § 136",
      "Medborgarförslag. Belysningen i Tallunden", "KS2006/0001", "Kommunstyrelsen 2007-03-29, § 68",
      "Medborgarförslag 2006-11-15", "Tekniska nämnden 2007-01-24, § 18", "Ledningskontoret 2007-02-08",
      "I ett medborgarförslag har Inger Harstäde föreslagit att belysning sätts upp i Tallunden",
      "Kommunstyrelsen har tillstyrkt tekniska nämndens förslag.", "Kommunfullmäktiges beslut",
      "Medborgarförslaget bifalls med hänvisning till tekniska nämndens beslut."};
  EXPECT_EQ(firstOutOfOrder(text, structure), "") << text;
}

}  // namespace
}  // namespace kansli::testing
