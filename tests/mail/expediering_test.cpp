// Expediering by e-mail against a real SMTP server on loopback (aiosmtpd):
// after justering each "Beslutet skickas till" recipient with an address gets
// the extract as PDF, the others are on the post list; every sending is an
// utgående handling in the case and an audit event; failures are retried with
// backoff and shown to the secretary; nothing is ever sent twice.
#include <gtest/gtest.h>

#include <Poco/JSON/Array.h>

#include <cstdio>
#include <fstream>
#include <iostream>

#include "testing/meeting_flow.h"
#include "testing/process.h"
#include "testing/smtp_sink.h"

namespace kansli::testing {
namespace {

// The text of a PDF, by pdftotext (poppler-utils).
std::string pdfText(const std::string& pdf) {
  TempDir dir;
  writeFile(dir.file("a.pdf"), pdf);
  std::string cmd = "pdftotext -layout " + dir.file("a.pdf") + " " + dir.file("a.txt");
  if (std::system(cmd.c_str()) != 0) return "";
  return readFile(dir.file("a.txt"));
}

Poco::JSON::Object::Ptr findRecipient(const HttpResult& list, const std::string& name) {
  auto items = list.json()->getArray("items");
  for (size_t i = 0; i < items->size(); ++i) {
    auto o = items->getObject(static_cast<unsigned>(i));
    if (o->getValue<std::string>("recipient") == name) return o;
  }
  return nullptr;
}

class Expediering : public ::testing::Test {
 protected:
  // The reference case decided at a meeting on 2020-10-20 and attested; the
  // decision is sent to `send_to` (JSON strings). Answers the meeting's id.
  std::string attestedMeeting(const std::string& send_to,
                              const std::string& case_body = referenceCaseBody()) {
    case_id = people.readyCase(case_body);
    std::string m = people.meeting("2020-10-20");
    CommitteePeople::expect(
        people.secretary.post("/api/v1/meetings/" + m + "/items", "{\"case\":" + case_id + "}"), 201,
        "item");
    people.setDay(2020, 10, 20, 15);
    auto d = people.secretary.post(
        "/api/v1/meetings/" + m + "/items/1/decision",
        R"({"outcome":"bifall","text":"Socialnämnden bifaller förslagen i politikerinitiativet.","send_to":)" +
            send_to + "}");
    CommitteePeople::expect(d, 201, "decision");
    people.drawAndAttest(m);
    return m;
  }
  HttpResult outbox(const std::string& meeting) {
    return people.secretary.get("/api/v1/meetings/" + meeting + "/expediering");
  }
  api::SmtpConfig smtpTo(const SmtpSink& sink) {
    api::SmtpConfig c;
    c.host = "127.0.0.1";
    c.port = sink.port();
    c.from = "socialnamnden@nacka.example";
    c.from_name = "Socialnämnden, Nacka kommun";
    c.timeout = std::chrono::seconds(10);
    return c;
  }

  TestServer server{dayAt(2020, 10, 5)};
  CommitteePeople people{server};
  std::string case_id;
};

TEST_F(Expediering, ExtractsGoByEmailWithThePdfAndByPostWhereNoAddressIsKnown) {
  SmtpSink sink;
  auto& mail = server.enableMail(smtpTo(sink));
  std::string m = attestedMeeting(
      R"j(["Barn- och familjeenheten","Andreas Falk (S)","Ekonomienheten <ekonomi@nacka.example>","Akt"])j");

  // Queued at justering: two by e-mail, one on the post list, nothing to the file (Akt).
  auto before = outbox(m);
  ASSERT_EQ(before.status, 200) << before.body;
  EXPECT_TRUE(before.json()->getValue<bool>("mail_configured"));
  ASSERT_EQ(before.json()->getArray("items")->size(), 3u) << before.body;
  auto bfe = findRecipient(before, "Barn- och familjeenheten");
  ASSERT_TRUE(bfe);
  EXPECT_EQ(bfe->getValue<std::string>("status"), "queued");
  EXPECT_EQ(bfe->getValue<std::string>("address"), "barn-och-familj@nacka.example");
  auto falk = findRecipient(before, "Andreas Falk (S)");
  ASSERT_TRUE(falk);
  EXPECT_EQ(falk->getValue<std::string>("status"), "post");
  EXPECT_EQ(falk->getValue<std::string>("status_label"), "Skickas per post");

  auto round = mail.runOnce();
  ASSERT_OK(round);
  EXPECT_EQ(*round, 2);

  auto arrived = sink.messages();
  ASSERT_EQ(arrived.size(), 2u);
  std::cout << "SMTP-servern tog emot " << arrived.size() << " meddelanden:\n";
  for (const auto& msg : arrived) {
    std::cout << "  till " << msg.envelope_to.at(0) << " | " << msg.subject << " | bilaga "
              << (msg.attachments.empty() ? std::string("–")
                                          : msg.attachments[0].name + " (" +
                                                std::to_string(msg.attachments[0].bytes.size()) +
                                                " byte, " + msg.attachments[0].media_type + ")")
              << "\n";
    EXPECT_NE(msg.from.find("socialnamnden@nacka.example"), std::string::npos) << msg.from;
    EXPECT_EQ(msg.subject, "Protokollsutdrag Socialnämnden 2020-10-20 § 1, SOCN 2020/1");
    EXPECT_NE(msg.text.find("Här är utdrag ur protokollet från Socialnämndens sammanträde"),
              std::string::npos)
        << msg.text;
    EXPECT_FALSE(msg.message_id.empty());
    ASSERT_EQ(msg.attachments.size(), 1u);
    EXPECT_EQ(msg.attachments[0].media_type, "application/pdf");
    EXPECT_EQ(msg.attachments[0].bytes.rfind("%PDF-", 0), 0u);
    std::string text = pdfText(msg.attachments[0].bytes);
    EXPECT_NE(text.find("PROTOKOLLSUTDRAG"), std::string::npos) << text;
    EXPECT_NE(text.find("bifaller förslagen i politikerinitiativet"), std::string::npos) << text;
  }
  EXPECT_EQ(arrived[0].envelope_to, std::vector<std::string>{"barn-och-familj@nacka.example"});
  EXPECT_EQ(arrived[1].envelope_to, std::vector<std::string>{"ekonomi@nacka.example"});

  // Each sending is an utgående handling of the case with the PDF, and an audit event.
  auto docs = people.reg.get("/api/v1/cases/" + case_id + "/documents").json()->getArray("items");
  int outgoing = 0;
  for (size_t i = 0; i < docs->size(); ++i) {
    auto d = docs->getObject(static_cast<unsigned>(i));
    if (d->getValue<std::string>("direction") != "utgaende") continue;
    ++outgoing;
    EXPECT_NE(d->getValue<std::string>("title").find("Protokollsutdrag Socialnämnden"), std::string::npos);
    EXPECT_EQ(d->getValue<std::string>("media_type"), "application/pdf");
  }
  EXPECT_EQ(outgoing, 2);
  EXPECT_EQ(server.auditCount("mail.sent"), 2);
  auto after = outbox(m);
  EXPECT_EQ(findRecipient(after, "Barn- och familjeenheten")->getValue<std::string>("status"), "sent");
  EXPECT_TRUE(findRecipient(after, "Barn- och familjeenheten")->has("document"));
  std::string sent_id = std::to_string(findRecipient(after, "Barn- och familjeenheten")->getValue<int>("id"));
  EXPECT_EQ(people.secretary.post("/api/v1/outbox/" + sent_id + "/retry", "{}").status, 409)
      << "a sent message is never sent again";

  // The post list: the secretary prints the extract and marks it sent.
  std::string falk_id = std::to_string(falk->getValue<int>("id"));
  auto pdf = people.secretary.get("/api/v1/outbox/" + falk_id + "/attachment");
  ASSERT_EQ(pdf.status, 200);
  EXPECT_EQ(pdf.body.rfind("%PDF-", 0), 0u);
  auto posted = people.secretary.post("/api/v1/outbox/" + falk_id + "/posted", "{}");
  ASSERT_EQ(posted.status, 200) << posted.body;
  EXPECT_EQ(posted.json()->getValue<std::string>("status"), "posted");
  EXPECT_EQ(people.secretary.post("/api/v1/outbox/" + falk_id + "/posted", "{}").status, 409)
      << "once";
  EXPECT_EQ(server.auditCount("mail.posted"), 1);
}

TEST_F(Expediering, NothingIsSentTwiceNotAfterARoundNotAfterARestartOfTheLoop) {
  SmtpSink sink;
  server.enableMail(smtpTo(sink));
  std::string m = attestedMeeting(R"(["Barn- och familjeenheten"])");
  ASSERT_OK(server.mail().runOnce());
  ASSERT_EQ(sink.messages().size(), 1u);
  ASSERT_OK(server.mail().runOnce());
  // Asking for the list queues again: nothing new.
  ASSERT_EQ(outbox(m).json()->getArray("items")->size(), 1u);
  // A new delivery loop (as after a restart) finds nothing to send.
  auto& again = server.enableMail(smtpTo(sink));
  ASSERT_OK(again.runOnce());
  EXPECT_EQ(sink.messages().size(), 1u);
  EXPECT_EQ(server.auditCount("mail.sent"), 1);
}

TEST_F(Expediering, ATransientFailureIsRetriedWithBackoffAndShownToTheSecretary) {
  SmtpSink sink({.tempfail = 2});
  server.enableMail(smtpTo(sink));
  std::string m = attestedMeeting(R"(["Barn- och familjeenheten"])");
  ASSERT_OK(server.mail().runOnce());
  auto first = findRecipient(outbox(m), "Barn- och familjeenheten");
  EXPECT_EQ(first->getValue<std::string>("status"), "queued");
  EXPECT_EQ(first->getValue<std::string>("status_label"), "Väntar på nytt försök");
  EXPECT_EQ(first->getValue<int>("attempts"), 1);
  EXPECT_NE(first->getValue<std::string>("last_error").find("451"), std::string::npos)
      << first->getValue<std::string>("last_error");
  // One minute after the first attempt; the clock stands still, so not yet.
  EXPECT_EQ(first->getValue<std::string>("next_attempt_at"), "2020-10-20T15:01:00Z");
  EXPECT_FALSE(server.mail().state().delivering_ok);
  ASSERT_OK(server.mail().runOnce());
  EXPECT_EQ(findRecipient(outbox(m), "Barn- och familjeenheten")->getValue<int>("attempts"), 1);

  server.clock().advance(std::chrono::seconds(61));
  ASSERT_OK(server.mail().runOnce());
  auto second = findRecipient(outbox(m), "Barn- och familjeenheten");
  EXPECT_EQ(second->getValue<int>("attempts"), 2);
  EXPECT_EQ(second->getValue<std::string>("next_attempt_at"), "2020-10-20T15:03:01Z")
      << "two minutes after the second attempt";

  server.clock().advance(std::chrono::seconds(121));
  ASSERT_OK(server.mail().runOnce());
  auto third = findRecipient(outbox(m), "Barn- och familjeenheten");
  EXPECT_EQ(third->getValue<std::string>("status"), "sent");
  EXPECT_EQ(third->getValue<int>("attempts"), 3);
  EXPECT_EQ(sink.messages().size(), 1u);
  EXPECT_TRUE(server.mail().state().delivering_ok);
  EXPECT_EQ(server.auditCount("mail.retry_later"), 2);
}

TEST_F(Expediering, ARefusedAddressFailsAtOnceAndTheSecretaryMaySendItAgain) {
  SmtpSink sink({.reject = "fel"});
  server.enableMail(smtpTo(sink));
  std::string m = attestedMeeting(R"(["Fel adress <fel@nacka.example>"])");
  ASSERT_OK(server.mail().runOnce());
  auto failed = findRecipient(outbox(m), "Fel adress");
  ASSERT_TRUE(failed);
  EXPECT_EQ(failed->getValue<std::string>("status"), "failed");
  EXPECT_NE(failed->getValue<std::string>("last_error").find("550"), std::string::npos);
  std::string id = std::to_string(failed->getValue<int>("id"));
  // Not the officer's to touch; not another committee's secretary's either.
  EXPECT_EQ(people.officer.post("/api/v1/outbox/" + id + "/retry", "{}").status, 403);
  auto other = server.as("kjell", Role::kNamndsekreterare, {}, "KS");
  EXPECT_EQ(other.post("/api/v1/outbox/" + id + "/retry", "{}").status, 404);
  EXPECT_EQ(other.get("/api/v1/outbox/" + id).status, 404);
  auto retried = people.secretary.post("/api/v1/outbox/" + id + "/retry", "{}");
  ASSERT_EQ(retried.status, 200) << retried.body;
  EXPECT_EQ(retried.json()->getValue<std::string>("status"), "queued");
  EXPECT_EQ(people.secretary.post("/api/v1/outbox/" + id + "/retry", "{}").status, 200)
      << "waiting for its attempt: tried now";
  EXPECT_EQ(sink.messages().size(), 0u);
}

TEST_F(Expediering, StartTlsIsUsedWhenTheServerOffersIt) {
  TempDir certs;
  writeSelfSignedCertificate(certs.file("cert.pem"), certs.file("key.pem"), "localhost");
  SmtpSink sink({.tls_cert = certs.file("cert.pem"), .tls_key = certs.file("key.pem")});
  api::SmtpConfig c = smtpTo(sink);
  c.host = "localhost";
  c.ca_file = certs.file("cert.pem");
  server.enableMail(c);
  attestedMeeting(R"(["Barn- och familjeenheten"])");
  ASSERT_OK(server.mail().runOnce());
  auto arrived = sink.messages();
  ASSERT_EQ(arrived.size(), 1u);
  EXPECT_TRUE(arrived[0].tls) << "STARTTLS was offered and must have been used";
}

TEST_F(Expediering, AnUntrustedCertificateSendsNothing) {
  TempDir certs;
  writeSelfSignedCertificate(certs.file("cert.pem"), certs.file("key.pem"), "localhost");
  SmtpSink sink({.tls_cert = certs.file("cert.pem"), .tls_key = certs.file("key.pem")});
  api::SmtpConfig c = smtpTo(sink);
  c.host = "localhost";  // no ca_file: the self-signed certificate is not trusted
  server.enableMail(c);
  std::string m = attestedMeeting(R"(["Barn- och familjeenheten"])");
  ASSERT_OK(server.mail().runOnce());
  EXPECT_EQ(sink.messages().size(), 0u);
  EXPECT_EQ(findRecipient(outbox(m), "Barn- och familjeenheten")->getValue<std::string>("status"),
            "queued");
}

TEST_F(Expediering, TheExtractOfASecretCaseIsNeverEmailed) {
  SmtpSink sink;
  server.enableMail(smtpTo(sink));
  std::string body = referenceCaseBody();
  body.pop_back();
  body += R"j(,"secrecy":{"provision":"OSL 26 kap. 1 §","fields":["subject"]}})j";
  std::string m = attestedMeeting(R"(["Barn- och familjeenheten"])", body);
  ASSERT_OK(server.mail().runOnce());
  EXPECT_EQ(sink.messages().size(), 0u);
  auto entry = findRecipient(outbox(m), "Barn- och familjeenheten");
  EXPECT_EQ(entry->getValue<std::string>("status"), "post");
  EXPECT_NE(entry->getValue<std::string>("note").find("sekretess"), std::string::npos);
  EXPECT_EQ(entry->getValue<std::string>("subject").find("Förebyggande"), std::string::npos);
}

TEST_F(Expediering, WithoutSmtpTheServiceSaysSoAndTheExtractsWaitOnTheList) {
  auto health = server.client().get("/health");
  ASSERT_EQ(health.status, 200);
  EXPECT_FALSE(health.json()->getObject("mail")->getValue<bool>("configured")) << health.body;
  std::string m = attestedMeeting(R"(["Barn- och familjeenheten"])");
  auto list = outbox(m);
  EXPECT_FALSE(list.json()->getValue<bool>("mail_configured"));
  EXPECT_EQ(findRecipient(list, "Barn- och familjeenheten")->getValue<std::string>("status"),
            "queued");
}

// A delivery cut off by SIGKILL while the SMTP server holds the message: the
// restarted service never sends it on its own; the secretary sees it as
// uncertain and may send it again.
TEST(ExpedieringCrash, AMessageInterruptedByACrashIsNeverResentOnItsOwn) {
  TempDir dir;
  const std::string data = dir.file("data");
  std::vector<std::string> args{"serve", "--data-dir", data, "--port", "0", "--quiet", "--demo"};
  std::string password;
  auto signIn = [&](const ServerProcess& p) {
    if (password.empty()) {
      std::ifstream in(data + "/demo-logins.txt");
      for (std::string user, role, pw; in >> user >> role >> pw;) {
        if (user == "namndsekreterare") password = pw;
      }
    }
    Client c(p.port());
    auto r = c.post("/api/v1/session",
                    R"({"username":"namndsekreterare","password":")" + password + "\"}");
    if (r.status != 201) throw std::runtime_error(r.body);
    c.setToken(r.json()->getValue<std::string>("token"));
    return c;
  };
  auto statusOf = [](const Client& c) {
    auto r = c.get("/api/v1/meetings/1/expediering");
    auto e = findRecipient(r, "Barn- och familjeenheten");
    return e ? e->getValue<std::string>("status") : std::string("?") + r.body;
  };
  {
    SmtpSink stalls({.hang = true});
    auto with = args;
    with.insert(with.end(), {"--smtp-host", "127.0.0.1", "--smtp-port", std::to_string(stalls.port())});
    ServerProcess first(with);
    Client sec = signIn(first);
    std::string status;
    for (int i = 0; i < 200 && (status = statusOf(sec)) != "sending"; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ASSERT_EQ(status, "sending");
    first.kill9();
  }
  SmtpSink sink;
  auto with = args;
  with.insert(with.end(), {"--smtp-host", "127.0.0.1", "--smtp-port", std::to_string(sink.port())});
  ServerProcess second(with);
  Client sec = signIn(second);
  std::string status;
  for (int i = 0; i < 200 && (status = statusOf(sec)) != "uncertain"; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_EQ(status, "uncertain");
  // The others were sent; this one waits for the secretary.
  std::this_thread::sleep_for(std::chrono::seconds(1));
  for (const auto& m : sink.messages()) {
    EXPECT_NE(m.envelope_to.at(0), "barn-och-familj@nacka.example");
  }
  auto list = sec.get("/api/v1/meetings/1/expediering");
  auto e = findRecipient(list, "Barn- och familjeenheten");
  EXPECT_EQ(e->getValue<std::string>("status_label"), "Osäker: avbröts vid omstart");
  auto retried = sec.post("/api/v1/outbox/" + std::to_string(e->getValue<int>("id")) + "/retry", "{}");
  ASSERT_EQ(retried.status, 200) << retried.body;
  bool arrived = false;
  for (int i = 0; i < 200 && !arrived; ++i) {
    for (const auto& m : sink.messages()) {
      if (m.envelope_to.at(0) == "barn-och-familj@nacka.example") arrived = true;
    }
    if (!arrived) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_TRUE(arrived);
}

}  // namespace
}  // namespace kansli::testing

namespace kansli::testing {
namespace {

// A signed-in client for a user with a work e-mail address.
Client withEmail(TestServer& server, const std::string& username, Role role,
                 std::optional<std::string> unit, std::optional<std::string> committee,
                 const std::string& email) {
  NewUser nu{username, username, role, unit, committee};
  nu.email = email;
  auto added = server.service().accounts().addUser(nu, passwordOf(username), audit::Actor::system());
  if (!added && added.error().code != ErrorCode::kConflict) throw std::runtime_error(added.error().message);
  return server.as(username, role, unit, committee);
}

api::SmtpConfig smtpOf(const SmtpSink& sink) {
  api::SmtpConfig c;
  c.host = "127.0.0.1";
  c.port = sink.port();
  c.from = "kansli@nacka.example";
  c.timeout = std::chrono::seconds(10);
  return c;
}

TEST(ReminderMail, AnOfficersDailyDigestNamesDeadlinesAndNeverASecretSubject) {
  SmtpSink sink;
  TestServer server(dayAt(2020, 10, 5));
  withEmail(server, "nina", Role::kHandlaggare, "bfe", {}, "nina@nacka.example");
  CommitteePeople people(server);
  auto& mail = server.enableMail(smtpOf(sink));
  std::string secret_body = referenceCaseBody();
  secret_body.pop_back();
  secret_body += R"j(,"secrecy":{"provision":"OSL 26 kap. 1 §","fields":["subject"]}})j";
  for (const auto& body : {referenceCaseBody(), secret_body}) {
    auto r = people.reg.post("/api/v1/cases", body);
    ASSERT_EQ(r.status, 201) << r.body;
    std::string id = std::to_string(r.json()->getValue<int>("id"));
    ASSERT_EQ(people.reg.post("/api/v1/cases/" + id + "/documents", referenceDocumentBody()).status, 201);
    people.take(people.reg, id, R"({"transition":"tilldela_enhet","unit":"bfe"})");
    people.take(people.head, id, R"({"transition":"tilldela_handlaggare","officer":"nina"})");
    ASSERT_EQ(people.officer.request("PUT", "/api/v1/cases/" + id + "/memo", referenceMemoXml(),
                                     {{"Content-Type", "application/xml"}}).status, 201);
    ASSERT_EQ(people.take(people.officer, id, R"({"transition":"skicka_for_godkannande"})").status, 200);
  }
  ASSERT_OK(mail.runOnce());
  EXPECT_EQ(sink.messages().size(), 0u) << "14 days left: nothing yet";
  // 2020-10-13, 04:30 in Stockholm: before the day's digests.
  server.clock().set(dayAt(2020, 10, 13, 2) + std::chrono::minutes(30));
  ASSERT_OK(mail.runOnce());
  EXPECT_EQ(sink.messages().size(), 0u) << "before 07.00";
  server.clock().set(dayAt(2020, 10, 13, 9));
  ASSERT_OK(mail.runOnce());
  auto arrived = sink.messages();
  ASSERT_EQ(arrived.size(), 1u);
  const auto& digest = arrived[0];
  std::cout << "Bevakning: " << digest.subject << "\n" << digest.text << "\n";
  EXPECT_EQ(digest.envelope_to, std::vector<std::string>{"nina@nacka.example"});
  EXPECT_EQ(digest.subject, "Bevakning 2020-10-13: 2 ärenden med frist");
  EXPECT_NE(digest.text.find("SOCN 2020/1 Förebyggande åtgärder"), std::string::npos) << digest.text;
  EXPECT_NE(digest.text.find("SOCN 2020/2 (ärendemeningen omfattas av sekretess)"), std::string::npos);
  // The secret case's lines (its dnr to the next case's line) hold no word of its subject.
  const auto secret_at = digest.text.find("SOCN 2020/2");
  const std::string secret_lines =
      digest.text.substr(secret_at, digest.text.find("\n- ", secret_at) - secret_at);
  EXPECT_EQ(secret_lines.find("Förebyggande"), std::string::npos)
      << "the secret subject is not in the e-mail: " << secret_lines;
  EXPECT_EQ(digest.text.find("Förebyggande"), digest.text.rfind("Förebyggande"))
      << "the subject appears once, on the case that is not secret";
  EXPECT_NE(digest.text.find("Frist i läget För godkännande: 2020-10-19 (om 6 dagar)"), std::string::npos);
  // Once a day.
  ASSERT_OK(mail.runOnce());
  EXPECT_EQ(sink.messages().size(), 1u);
  server.clock().set(dayAt(2020, 10, 14, 9));
  ASSERT_OK(mail.runOnce());
  EXPECT_EQ(sink.messages().size(), 2u) << "the next day's digest";
}

TEST(ReminderMail, TheSecretaryIsWarnedOfAMotionTwoMonthsBeforeItsYearOnce) {
  SmtpSink sink;
  TestServer server(dayAt(2020, 1, 15));
  auto reg = server.as("rita", Role::kRegistrator);
  withEmail(server, "karin", Role::kNamndsekreterare, {}, "KF", "karin@nacka.example");
  auto& mail = server.enableMail(smtpOf(sink));
  ASSERT_EQ(reg.post("/api/v1/cases",
                     R"j({"committee":"KF","kind":"motion","subject":"Motion om fler parkbänkar",)j"
                     R"j("received":"2020-01-15","senders":[{"name":"Per Persson","party":"M"}]})j").status, 201);
  server.clock().set(dayAt(2020, 11, 14, 9));
  ASSERT_OK(mail.runOnce());
  EXPECT_EQ(sink.messages().size(), 0u);
  server.clock().set(dayAt(2020, 11, 15, 9));
  ASSERT_OK(mail.runOnce());
  auto arrived = sink.messages();
  ASSERT_EQ(arrived.size(), 1u);
  EXPECT_EQ(arrived[0].subject, "Motion KF 2020/1 ska vara beslutad senast 2021-01-15");
  EXPECT_NE(arrived[0].text.find("kommunallagen 5 kap. 35 §"), std::string::npos) << arrived[0].text;
  server.clock().set(dayAt(2020, 11, 16, 9));
  ASSERT_OK(mail.runOnce());
  EXPECT_EQ(sink.messages().size(), 1u) << "warned once for the motion and its deadline";
}

}  // namespace
}  // namespace kansli::testing
