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
  TestServer server(dayAt(2018, 1, 8),
                    {.organisation_file = sourceDir() + "/samples/sollentuna/organisation.xml",
                     .templates = {sourceDir() + "/samples/sollentuna/protokollsutdrag.xml"}});
  Committee ks(server, "KS", "klk");
  // The case is number 219 of Kommunstyrelsen's 2018 series: 218 before it.
  for (int i = 1; i <= 218; ++i) {
    auto r = ks.reg.post("/api/v1/cases", R"({"committee":"KS","kind":"motion","subject":"Ärende )" +
                                              std::to_string(i) + R"(","received":"2018-01-08"})");
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
  // words (its header block says so); the rest is measured as it stands.
  std::vector<std::string> want;
  for (const auto& w : words(referenceBody(ref))) {
    if (w != "(1)" && w != "(2)") want.push_back(w);
  }
  std::vector<std::string> missing;
  double in_order = wordsInOrder(want, normalised(extracted, extractedFromPaged()), &missing);
  std::string gone;
  for (const auto& w : missing) gone += " " + w;
  std::cout << "Sollentuna KS 2019-04-08 § 52: " << want.size() - missing.size() << " av "
            << want.size() << " ord i ordning (" << in_order << "); saknas:" << gone << "\n";
  EXPECT_GE(in_order, 0.95) << extracted;
  auto txt = ks.secretary.get("/api/v1/decisions/" + decision + "?format=txt");
  std::cout << "  som text: " << wordsInOrder(want, words(txt.body)) << "\n";
}

}  // namespace
}  // namespace kansli::testing
