#include "testing/engine_world.h"

#include "nacka/reference_case.h"
#include "store/audit_repo.h"
#include "store/store.h"
#include "store/tx.h"
#include "testing/database.h"

namespace kansli::testing {

EngineWorld::EngineWorld(Instant start) : clock_(start) {
  EngineConfig ec;
  ec.data_dir = dir_.path().string();
  ec.database_url = databaseUrlFor(ec.data_dir);  // the PostgreSQL pass (testing/database.h)
  ec.home = sourceDir();
  ec.organisation_file = sourceDir() + "/samples/nacka/organisation.xml";
  ec.accounts.pbkdf2_iterations = 1000;
  ec.readers = 2;
  auto e = Engine::open(ec, clock_);
  if (!e) throw std::runtime_error("engine: " + e.error().message);
  engine_ = std::move(*e);
  registrator = addUser("registrator", Role::kRegistrator, {}, "SOCN");
  officer = addUser("handlaggare", Role::kHandlaggare, "bfe-kvalitet", {});
  colleague = addUser("kollega", Role::kHandlaggare, "bfe-kvalitet", {});
  head = addUser("enhetschef", Role::kEnhetschef, "bfe", {});
  secretary = addUser("namndsekreterare", Role::kNamndsekreterare, {}, "SOCN");
  chair = addUser("ledamot", Role::kLedamot, {}, "SOCN");
  adjuster = addUser("justerare", Role::kLedamot, {}, "SOCN");
  admin = addUser("admin", Role::kAdmin, {}, {});
  stranger = addUser("framling", Role::kHandlaggare, "eeb", {});
}

EngineWorld::~EngineWorld() { engine_.reset(); }

User EngineWorld::addUser(const std::string& username, Role role, std::optional<std::string> unit,
                          std::optional<std::string> committee) {
  auto u = engine_->accounts().addUser({username, username, role, unit, committee},
                                       "ett-långt-lösenord-" + username, audit::Actor::system());
  if (!u) throw std::runtime_error("addUser " + username + ": " + u.error().message);
  return *u;
}

std::int64_t EngineWorld::registerReference(std::optional<Secrecy> secrecy,
                                            std::optional<std::string> subject) {
  NewCase nc;
  nc.committee = std::string(reference::kCommittee);
  nc.kind = std::string(reference::kKind);
  nc.subject = subject.value_or(std::string(reference::kSubject));
  nc.received = std::string(reference::kReceived);
  nc.senders = reference::senders();
  nc.secrecy = secrecy;
  auto c = engine_->diarium().registerCase(nc, registrator.actor());
  if (!c) throw std::runtime_error("register: " + c.error().message);
  NewDocument d;
  d.direction = Direction::kInkommen;
  d.date = std::string(reference::kReceived);
  d.counterpart = std::string(reference::kInitiativeCounterpart);
  d.title = "Politikerinitiativ - " + nc.subject;
  // The initiative names the secret subject and senders: as secret as they.
  if (secrecy) d.secrecy = Secrecy{secrecy->provision, {"counterpart", "title"}};
  auto doc = engine_->diarium().addDocument(c->id, d, registrator);
  if (!doc) throw std::runtime_error("document: " + doc.error().message);
  return c->id;
}

void EngineWorld::take(std::int64_t id, const User& user, const std::string& transition,
                       std::optional<std::string> unit, std::optional<std::string> officer_name) {
  auto c = engine_->diarium().getCase(id);
  ASSERT_TRUE(c.has_value()) << c.error().message;
  TransitionRequest tr;
  tr.transition = transition;
  tr.expected_version = c->version;
  tr.unit = std::move(unit);
  tr.officer = std::move(officer_name);
  auto r = engine_->caseFlow().take(id, tr, user);
  if (!r) ADD_FAILURE() << transition << ": " << r.error().message;
}

void EngineWorld::prepareForCommittee(std::int64_t id, std::optional<std::string> memo) {
  take(id, registrator, "tilldela_enhet", std::string(reference::kUnit));
  take(id, head, "tilldela_handlaggare", std::nullopt, officer.username);
  auto saved = engine_->memos().saveDraft(id, memo.value_or(referenceMemo()), officer);
  ASSERT_TRUE(saved.has_value()) << saved.error().message;
  take(id, officer, "skicka_for_godkannande");
  take(id, head, "godkann");
}

std::int64_t EngineWorld::decideAndPost(std::int64_t id,
                                        std::optional<std::string> decision_text) {
  NewMeeting nm;
  nm.committee = std::string(reference::kCommittee);
  // Held today: a decision is recorded on the meeting day, not before.
  nm.date = formatDate(stockholmDate(clock_.now()));
  nm.place = std::string(reference::kMeetingPlace);
  nm.chair = chair.username;
  nm.adjusters = {adjuster.username};
  nm.attendance = {{chair.display_name, "ordförande"}, {adjuster.display_name, "ledamot"}};
  auto m = engine_->meetings().create(nm, secretary);
  if (!m) throw std::runtime_error("meeting: " + m.error().message);
  auto added = engine_->meetings().addItem(m->id, id, std::nullopt, secretary);
  if (!added) throw std::runtime_error("agenda: " + added.error().message);
  DecisionInput d;
  d.outcome = "bifall";
  d.text = decision_text.value_or(std::string(reference::kDecisionText));
  d.send_to = reference::decisionSendTo();
  auto must = [](const auto& r, const char* what) {
    if (!r) throw std::runtime_error(std::string(what) + ": " + r.error().message);
  };
  must(engine_->meetings().recordDecision(m->id, 1, d, secretary), "decision");
  must(engine_->meetings().drawMinutes(m->id, secretary), "minutes");
  // Justering is a signature: each confirms their password first.
  const Confirmation confirmed{"lösenord", clock_.now()};
  must(engine_->meetings().attest(m->id, chair, confirmed), "attest (chair)");
  must(engine_->meetings().attest(m->id, adjuster, confirmed), "attest (adjuster)");
  must(engine_->meetings().post(m->id, secretary), "post");
  return m->id;
}

int EngineWorld::auditCount(const std::string& action, std::optional<std::string> actor) {
  int n = 0;
  auto scanned = engine_->database().store().read([&](store::Tx& tx) {
    return tx.audit().scan([&](const audit::Event& e) {
      if (e.action == action && (!actor || e.actor == *actor)) ++n;
      return true;
    });
  });
  if (!scanned) throw std::runtime_error("audit: " + scanned.error().message);
  return n;
}

std::string EngineWorld::referenceMemo() {
  return readFile(sourceDir() + "/" + std::string(reference::kMemoFile));
}

std::string memoWithWord(const std::string& word) {
  std::string xml = EngineWorld::referenceMemo();
  auto at = xml.find("</p>");
  if (at == std::string::npos) throw std::runtime_error("the reference memo has no paragraph");
  xml.insert(at, " " + word);
  return xml;
}

}  // namespace kansli::testing
