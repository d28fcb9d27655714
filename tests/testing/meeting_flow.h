// A committee's people and the steps of a meeting, as the API tests take
// them: the reference case made ready for the committee, a meeting of
// Socialnämnden with its chair and adjuster present, a decision, the minutes
// and the justering. One place for the rules every test must follow to hold
// a meeting at all (who may attest, re-authentication, the meeting day).
#pragma once

#include <chrono>
#include <string>

#include "testing/api_server.h"
#include "testing/reference_case.h"

namespace kansli::testing {

inline Instant dayAt(int y, unsigned m, unsigned d, int hour_utc = 9) {
  using namespace std::chrono;
  return Instant{sys_days{year{y} / m / d}} + hours{hour_utc};
}

// The password TestServer::as gives `username`.
inline std::string passwordOf(const std::string& username) {
  return "ett-långt-lösenord-" + username;
}

struct CommitteePeople {
  explicit CommitteePeople(TestServer& s) : server(s) { signIn(); }

  // Everyone signed in again (after the clock moved past their tokens).
  void signIn() {
    reg = server.as("rita", Role::kRegistrator);
    officer = server.as("nina", Role::kHandlaggare, "bfe");
    head = server.as("caroline", Role::kEnhetschef, "bfe");
    secretary = server.as("sara", Role::kNamndsekreterare, {}, "SOCN");
    chair = server.as("ordf", Role::kLedamot, {}, "SOCN");
    adjuster = server.as("just", Role::kLedamot, {}, "SOCN");
  }
  void setDay(int y, unsigned m, unsigned d, int hour_utc = 9) {
    server.clock().set(dayAt(y, m, d, hour_utc));
    signIn();
  }

  HttpResult take(Client& c, const std::string& id, const std::string& body) {
    auto cur = c.get("/api/v1/cases/" + id);
    return c.request("POST", "/api/v1/cases/" + id + "/transitions", body,
                     {{"Content-Type", "application/json"}, {"If-Match", cur.header("etag")}});
  }
  std::string state(const std::string& id) {
    return reg.get("/api/v1/cases/" + id).json()->getValue<std::string>("state");
  }

  // Registration to an approved memo; `case_body` defaults to the reference case.
  std::string readyCase(const std::string& case_body = referenceCaseBody()) {
    auto r = reg.post("/api/v1/cases", case_body);
    if (r.status != 201) throw std::runtime_error("register: " + r.body);
    std::string id = std::to_string(r.json()->getValue<int>("id"));
    expect(reg.post("/api/v1/cases/" + id + "/documents", referenceDocumentBody()), 201, "document");
    expect(take(reg, id, R"({"transition":"tilldela_enhet","unit":"bfe"})"), 200, "tilldela_enhet");
    expect(take(head, id, R"({"transition":"tilldela_handlaggare","officer":"nina"})"), 200,
           "tilldela_handlaggare");
    expect(officer.request("PUT", "/api/v1/cases/" + id + "/memo", referenceMemoXml(),
                           {{"Content-Type", "application/xml"}}),
           201, "memo");
    expect(take(officer, id, R"({"transition":"skicka_for_godkannande"})"), 200, "skicka");
    expect(take(head, id, R"({"transition":"godkann"})"), 200, "godkann");
    return id;
  }

  // A meeting of Socialnämnden on `date` with ordf in the chair, just as
  // adjuster, both present, and the secretary keeping the minutes.
  std::string meeting(const std::string& date, const std::string& extra = "") {
    auto r = secretary.post(
        "/api/v1/meetings",
        R"({"committee":"SOCN","date":")" + date +
            R"(","time":"13:00","place":"Nacka stadshus, sammanträdesrum Jelgava",)"
            R"("chair":"ordf","adjusters":["just"],"attendance":[)"
            R"({"name":"ordf","username":"ordf","role":"ordförande"},)"
            R"({"name":"just","username":"just","role":"ledamot"},)"
            R"j({"name":"Lisa Larsson (M)","role":"ledamot"},)j"
            R"({"name":"Sara Sekreterare","role":"sekreterare"}])" +
            extra + "}");
    if (r.status != 201) throw std::runtime_error("meeting: " + r.body);
    return std::to_string(r.json()->getValue<int>("id"));
  }

  // Justering by `c` (who must be the chair or an adjuster): the password
  // again, then the attestation.
  HttpResult attest(Client& c, const std::string& meeting_id, const std::string& username) {
    auto confirmed = c.post("/api/v1/session/confirm",
                            R"({"password":")" + passwordOf(username) + R"("})");
    if (confirmed.status != 200) return confirmed;
    return c.post("/api/v1/meetings/" + meeting_id + "/attest", "{}");
  }

  // Minutes drawn and attested by the chair and the adjuster.
  void drawAndAttest(const std::string& meeting_id) {
    expect(secretary.post("/api/v1/meetings/" + meeting_id + "/minutes", "{}"), 200, "minutes");
    expect(attest(chair, meeting_id, "ordf"), 200, "attest (ordf)");
    expect(attest(adjuster, meeting_id, "just"), 200, "attest (just)");
  }

  static void expect(const HttpResult& r, int status, const std::string& what) {
    if (r.status != status) {
      throw std::runtime_error(what + ": " + std::to_string(r.status) + " " + r.body);
    }
  }

  TestServer& server;
  Client reg{0}, officer{0}, head{0}, secretary{0}, chair{0}, adjuster{0};
};

}  // namespace kansli::testing
