// The audit log names only someone who is there: a user of the database or
// the program itself (#14.1: anonymous requests wrote events in another
// user's name, and garbage bytes as an actor).
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <gtest/gtest.h>

#include <sstream>

#include "kansli/audit.h"
#include "kansli/diarium.h"
#include "store/store.h"
#include "store/tx.h"
#include "testing/engine_world.h"

namespace kansli::testing {
namespace {

class Audit : public ::testing::Test {
 protected:
  Result<std::int64_t> append(const audit::Actor& actor) {
    return world.engine().database().store().write([&](store::Tx& tx) {
      return audit::appendAudit(tx, world.clock().now(), {actor, "test.event", std::nullopt, "{}"});
    });
  }
  EngineWorld world;
};

TEST_F(Audit, AppendRefusesAnActorWhoIsNoUser) {
  int before = world.auditCount("test.event");
  auto r = append({"nobody", "admin"});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kInternal);
  EXPECT_EQ(world.auditCount("test.event"), before) << "nothing written";
}

TEST_F(Audit, AppendRefusesAnActorWhoseNameIsNotUtf8) {
  auto r = append({std::string("ad\xffmin"), "admin"});
  ASSERT_FALSE(r);
  auto nul = append({std::string("admin\0x", 7), "admin"});
  ASSERT_FALSE(nul) << "a NUL would show a different name than the one checked";
}

TEST_F(Audit, TheProgramAndTheUsersMayAct) {
  EXPECT_OK(append(audit::Actor::system()));
  EXPECT_OK(append(world.registrator.actor()));
  auto report = world.engine().database().verifyAudit();
  ASSERT_OK(report);
  EXPECT_FALSE(report->first_problem);
}

TEST_F(Audit, NoPersonMayBeRegisteredAsTheProgram) {
  auto u = world.engine().accounts().addUser({"system", "System", Role::kAdmin, {}, {}},
                                             "ett-långt-lösenord", audit::Actor::system());
  ASSERT_FALSE(u);
  EXPECT_EQ(u.error().code, ErrorCode::kInvalidInput);
}

TEST_F(Audit, ASignInWithANameNobodyHasIsTheProgramsEvent) {
  auto s = world.engine().accounts().signIn("okand", "fel-lösenord-igen");
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, ErrorCode::kUnauthenticated);
  EXPECT_EQ(world.auditCount("session.sign_in_failed", "system"), 1);
  EXPECT_EQ(world.auditCount("session.sign_in_failed", "okand"), 0);
}

TEST_F(Audit, EveryChangeOfOneRequestHasOneInstant) {
  std::int64_t id = world.registerReference();
  auto events = world.engine().diarium().history(id, Viewer::system());
  ASSERT_OK(events);
  ASSERT_FALSE(events->empty());
  auto c = world.engine().diarium().getCase(id);
  ASSERT_OK(c);
  EXPECT_EQ(events->front().action, "case.register");
  EXPECT_EQ(events->front().at, c->registered_at);
}

// The registration's and the document's audit details are written without a
// Poco object (issue #20); what they say, byte for byte, is what the Poco
// objects of before wrote, built here the old way.
TEST_F(Audit, TheRegistrationsDetailsAreTheJsonOfBefore) {
  NewCase nc;
  nc.committee = "SOCN";
  nc.kind = "politikerinitiativ";
  nc.subject = "Om \"trygghet\" i Fisksätra \\ Älta";
  nc.received = "2020-08-25";
  nc.senders = {{"Andreas Falk", "S", std::nullopt}, {"Eva Berg", std::nullopt, "Föreningen \"Grannar\""}};
  nc.secrecy = Secrecy{"OSL 26 kap. 1 §", {"subject", "senders"}, "Skyddad adress för \"sökande\""};
  auto c = world.engine().diarium().registerCase(nc, world.registrator.actor());
  ASSERT_OK(c);
  NewDocument d;
  d.direction = Direction::kInkommen;
  d.date = "2020-08-25";
  d.counterpart = "Eva \"Berg\"";
  d.title = "Skrivelse";
  d.secrecy = Secrecy{"OSL 26 kap. 1 §", {"counterpart"}, ""};
  auto doc = world.engine().diarium().addDocument(c->id, d, world.registrator);
  ASSERT_OK(doc);

  auto ordered = [] { return Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER); };
  auto text = [](const Poco::JSON::Object& o) {
    std::ostringstream out;
    o.stringify(out);
    return out.str();
  };
  auto secrecy = [&](const Secrecy& sec) {
    auto o = ordered();
    o.set("provision", sec.provision);
    Poco::JSON::Array fields;
    for (const auto& f : sec.fields) fields.add(f);
    o.set("fields", fields);
    if (!sec.reason.empty()) o.set("reason", sec.reason);
    return o;
  };
  auto registered = ordered();
  registered.set("dnr", c->dnr);
  registered.set("kind", nc.kind);
  registered.set("subject", nc.subject);
  registered.set("received", nc.received);
  Poco::JSON::Array senders;
  for (const auto& s : nc.senders) {
    auto o = ordered();
    o.set("name", s.name);
    if (s.party) o.set("party", *s.party);
    if (s.organisation) o.set("organisation", *s.organisation);
    senders.add(o);
  }
  registered.set("senders", senders);
  registered.set("state", c->state);
  registered.set("secrecy", secrecy(*nc.secrecy));
  auto document = ordered();
  document.set("number", doc->number);
  document.set("direction", std::string("inkommen"));
  document.set("date", d.date);
  document.set("title", d.title);
  document.set("counterpart", *d.counterpart);
  document.set("secrecy", secrecy(*d.secrecy));

  auto events = world.engine().diarium().history(c->id, Viewer::system());
  ASSERT_OK(events);
  ASSERT_EQ(events->size(), 2u);
  EXPECT_EQ((*events)[0].action, "case.register");
  EXPECT_EQ((*events)[0].detail, text(registered));
  EXPECT_EQ((*events)[1].action, "document.register");
  EXPECT_EQ((*events)[1].detail, text(document));
}

}  // namespace
}  // namespace kansli::testing
