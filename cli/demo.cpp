#include "demo.h"

#include <openssl/rand.h>
#include <sys/stat.h>

#include <fstream>
#include <sstream>

#include "kansli/meetings.h"
#include "nacka/reference_case.h"

namespace kansli::cli {
namespace {

using namespace std::chrono;

std::string randomPassword() {
  static const char alphabet[] = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  unsigned char raw[16];
  RAND_bytes(raw, sizeof raw);
  std::string out;
  for (unsigned char c : raw) out += alphabet[c % (sizeof alphabet - 1)];
  return out;
}

struct DemoUser {
  const char* username;
  const char* name;
  Role role;
  const char* unit;
  const char* committee;
  const char* title;
  const char* email;
};

// One user per role. The officer and the unit head carry the names of the
// reference memo's signatories, with their titles (demo data; the e-mail
// addresses are made up in the municipality's form).
constexpr DemoUser kDemoUsers[] = {
    {"registrator", "Rebecka Registrator", Role::kRegistrator, nullptr, "SOCN", "Registrator",
     "rebecka.registrator@nacka.se"},
    {"handlaggare", reference::kOfficerName.data(), Role::kHandlaggare, "bfe-kvalitet", nullptr,
     "Kvalitetsutvecklare", "nina.vallin.nielsen@nacka.se"},
    {"enhetschef", reference::kUnitHeadName.data(), Role::kEnhetschef, "bfe", nullptr, "Enhetschef",
     "caroline.andreasson@nacka.se"},
    {"namndsekreterare", "Sara Sekreterare", Role::kNamndsekreterare, nullptr, "SOCN",
     "Nämndsekreterare", "sara.sekreterare@nacka.se"},
    {"ledamot", "Lars Ledamot", Role::kLedamot, nullptr, "SOCN", "Ordförande", ""},
    {"justerare", "Jenny Justerare", Role::kLedamot, nullptr, "SOCN", "Ledamot", ""},
    {"admin", "Ada Administratör", Role::kAdmin, nullptr, nullptr, "Systemförvaltare",
     "ada.administrator@nacka.se"},
};

std::string loginsPath(const std::string& data_dir) { return data_dir + "/demo-logins.txt"; }

std::vector<DemoLogin> readLogins(const std::string& data_dir) {
  std::ifstream in(loginsPath(data_dir));
  std::vector<DemoLogin> out;
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream ls(line);
    DemoLogin l;
    if (ls >> l.username >> l.role >> l.password) out.push_back(l);
  }
  return out;
}

Instant day(int y, unsigned m, unsigned d, int hour = 8) {
  return Instant{sys_days{year{y} / m / d}} + hours{hour};
}

std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

#define DEMO_TRY(expr, what)                                                       \
  do {                                                                             \
    auto&& demo_r_ = (expr);                                                       \
    if (!demo_r_) {                                                                \
      Error e = demo_r_.error();                                                   \
      e.message = std::string(what) + ": " + e.message;                            \
      return std::unexpected(e);                                                   \
    }                                                                              \
  } while (0)

// The reference case's life, step by step, on the days it happened.
Result<void> walkReferenceCase(Engine& s, FixedClock& clock, const std::string& home) {
  auto user = [&](const char* name) { return s.accounts().user(name); };
  auto reg = user("registrator");
  auto officer = user("handlaggare");
  auto head = user("enhetschef");
  auto secretary = user("namndsekreterare");
  auto chair = user("ledamot");
  auto adjuster = user("justerare");
  for (auto* u : {&reg, &officer, &head, &secretary, &chair, &adjuster}) {
    if (!*u) return std::unexpected(u->error());
  }

  // 2020-08-26: registered with its dnr from the 2020 diarium (an import keeps it).
  clock.set(day(2020, 8, 26));
  ImportRow row;
  row.line = 1;
  row.dnr = std::string(reference::kDnr);
  row.c.committee = std::string(reference::kCommittee);
  row.c.kind = std::string(reference::kKind);
  row.c.subject = std::string(reference::kSubject);
  row.c.received = std::string(reference::kReceived);
  row.c.senders = reference::senders();
  auto imported = s.diarium().importRows({row}, false, reg->actor(), {});
  DEMO_TRY(imported, "registrering");
  if (imported->imported != 1) {
    return std::unexpected(Error::internal("demo: referensärendet kunde inte registreras: " +
                                           (imported->bad_rows.empty() ? std::string("?")
                                                                       : imported->bad_rows[0].message)));
  }
  auto c = s.diarium().getCaseByDnr(std::string(reference::kDnr));
  DEMO_TRY(c, "referensärendet");
  const std::int64_t id = c->id;
  NewDocument initiative;
  initiative.direction = Direction::kInkommen;
  initiative.date = std::string(reference::kReceived);
  initiative.counterpart = std::string(reference::kInitiativeCounterpart);
  initiative.title = reference::initiativeTitle();
  DEMO_TRY(s.diarium().addDocument(id, initiative, *reg), "initiativet");

  auto takeV = [&](const User& u, const char* transition, std::optional<std::string> unit = {},
                   std::optional<std::string> officer_name = {}) -> Result<void> {
    KANSLI_ASSIGN_OR_RETURN(auto cur, s.diarium().getCase(id));
    TransitionRequest tr;
    tr.transition = transition;
    tr.expected_version = cur.version;
    tr.unit = std::move(unit);
    tr.officer = std::move(officer_name);
    KANSLI_TRY(s.caseFlow().take(id, tr, u));
    return ok();
  };

  clock.set(day(2020, 8, 27));
  DEMO_TRY(takeV(*reg, "tilldela_enhet", std::string(reference::kUnit)), "tilldela enhet");
  clock.set(day(2020, 8, 31));
  DEMO_TRY(takeV(*head, "tilldela_handlaggare", std::nullopt, "handlaggare"), "tilldela handläggare");

  clock.set(day(2020, 10, 2));
  DEMO_TRY(s.memos().saveDraft(id, readFile(home + "/" + std::string(reference::kMemoFile)),
                               *officer),
           "tjänsteskrivelsen");
  DEMO_TRY(takeV(*officer, "skicka_for_godkannande"), "skicka för godkännande");
  clock.set(day(2020, 10, 5));
  DEMO_TRY(takeV(*head, "godkann"), "godkänn");

  clock.set(day(2020, 10, 13));
  NewMeeting nm;
  nm.committee = std::string(reference::kCommittee);
  nm.date = std::string(reference::kMeetingDate);
  nm.time = std::string(reference::kMeetingTime);
  nm.end_time = "18:40";
  nm.place = std::string(reference::kMeetingPlace);
  nm.chair = "ledamot";
  nm.adjusters = {"justerare"};
  nm.adjust_date = "2020-10-29";
  nm.adjust_place = "Socialtjänstens kansli, Nacka stadshus";
  // The members who decide, a substitute serving for one who is away, and
  // the secretary keeping the minutes (demo names beside the initiative's).
  auto person = [](std::string name, std::string party, std::string role,
                   std::optional<std::string> username = {},
                   std::optional<std::string> substitute_for = {}) {
    Attendee a{std::move(name), std::move(role)};
    a.party = std::move(party);
    a.username = std::move(username);
    a.substitute_for = std::move(substitute_for);
    return a;
  };
  nm.attendance = {person("Lars Ledamot", "M", "ordförande", "ledamot"),
                   person("Jenny Justerare", "L", "ledamot", "justerare"),
                   person("Andreas Falk", "S", "ledamot"),
                   person("Maria Åberg", "S", "ledamot"),
                   person("Per Persson", "M", "ledamot"),
                   person("Karin Karlsson", "C", "ledamot"),
                   person("Eva Ek", "KD", "ersättare", std::nullopt, "Olle Olsson (KD)"),
                   person("Sara Sekreterare", "", "nämndsekreterare", "namndsekreterare")};
  nm.attendance.back().party.reset();
  auto meeting = s.meetings().create(nm, *secretary);
  DEMO_TRY(meeting, "sammanträdet");
  DEMO_TRY(s.meetings().addItem(meeting->id, std::nullopt, "Val av justerare", *secretary),
           "dagordningen");
  DEMO_TRY(s.meetings().addItem(meeting->id, id, std::nullopt, *secretary), "dagordningen");
  DEMO_TRY(s.meetings().sendNotice(meeting->id, *secretary), "kallelsen");

  clock.set(day(2020, 10, 27, 17));
  DecisionInput justering;
  justering.outcome = "noteras";
  justering.text = "Socialnämnden utser Jenny Justerare (L) att jämte ordföranden justera protokollet.";
  DEMO_TRY(s.meetings().recordDecision(meeting->id, 1, justering, *secretary), "beslut om justerare");
  DecisionInput decision;
  decision.outcome = "bifall";
  decision.basis = {"Tjänsteskrivelse 2020-10-05 från barn- och familjeenheten",
                    "Politikerinitiativ 2020-08-25 från Andreas Falk och Maria Åberg (S)"};
  decision.speakers = {"Andreas Falk (S)", "Per Persson (M)", "Karin Karlsson (C)"};
  decision.motions = {{"Andreas Falk (S)", "Bifall till enhetens förslag", {"Maria Åberg (S)"}},
                      {"Per Persson (M)", "Avslag på politikerinitiativet"}};
  decision.propositions = {
      "Ordföranden ställer proposition på Andreas Falks (S) yrkande om bifall och Per Perssons "
      "(M) yrkande om avslag och finner att socialnämnden beslutar enligt Andreas Falks (S) "
      "yrkande.",
      "Votering begärs och genomförs."};
  Voting voting;
  voting.proposition = "Ja för bifall till enhetens förslag, nej för avslag på politikerinitiativet";
  voting.ballots = {{"Lars Ledamot (M)", "ja"},   {"Jenny Justerare (L)", "ja"},
                    {"Andreas Falk (S)", "ja"},   {"Maria Åberg (S)", "ja"},
                    {"Per Persson (M)", "nej"},   {"Karin Karlsson (C)", "ja"},
                    {"Eva Ek (KD)", "avstar"}};
  voting.totals = Votes{5, 1, 1};
  voting.result =
      "Med 5 ja-röster mot 1 nej-röst, 1 avstår, beslutar socialnämnden enligt Andreas Falks (S) "
      "yrkande";
  decision.votings = {voting};
  decision.text =
      "Socialnämnden bifaller förslagen i politikerinitiativet på så sätt att barn- och "
      "familjeenheten i Nacka ska föra en dialog med människohandelssektionen inom "
      "Stockholmspolisen samt etablera en samverkan med uppsökande socialsekreterare "
      "prostitution i Stockholm stad i syfte att åstadkomma ett kunskaps- och "
      "erfarenhetsutbyte. Politikerinitiativet är med detta färdigbehandlat.";
  decision.reservations = {{"Per Persson (M)",
                            "Samverkan med polisen finns redan inom ramen för "
                            "socialjourens arbete; ett nytt uppdrag ger dubbelarbete utan att "
                            "fler barn nås."}};
  decision.notes = {{"Karin Karlsson (C)",
                     "Centerpartiet vill att nämnden följer upp samverkan inom ett år."}};
  decision.send_to = {"Barn- och familjeenheten", "Andreas Falk (S)", "Maria Åberg (S)", "Akt"};
  DEMO_TRY(s.meetings().recordDecision(meeting->id, 2, decision, *secretary), "beslutet");
  DEMO_TRY(s.meetings().drawMinutes(meeting->id, *secretary), "protokollet");

  // The demo's own seeding attests as the chair and the adjuster would,
  // each having confirmed it is them.
  clock.set(day(2020, 10, 29));
  const Confirmation seeded{"demodata", clock.now()};
  DEMO_TRY(s.meetings().attest(meeting->id, *chair, seeded), "justering (ordförande)");
  DEMO_TRY(s.meetings().attest(meeting->id, *adjuster, seeded), "justering (justerare)");
  clock.set(day(2020, 10, 30));
  DEMO_TRY(s.meetings().post(meeting->id, *secretary), "anslag");

  clock.set(day(2020, 11, 23));
  DEMO_TRY(takeV(*secretary, "avsluta"), "avsluta");
  return ok();
}

}  // namespace

Result<std::vector<DemoLogin>> seedDemo(const EngineConfig& config) {
  FixedClock clock(day(2020, 8, 24));
  KANSLI_ASSIGN_OR_RETURN(auto engine, Engine::open(config, clock));
  Engine& s = *engine;
  KANSLI_ASSIGN_OR_RETURN(auto users, s.accounts().userCount());
  if (users > 0) return readLogins(config.data_dir);

  std::vector<DemoLogin> logins;
  const audit::Actor system = audit::Actor::system();
  for (const auto& d : kDemoUsers) {
    NewUser nu{d.username, d.name, d.role, std::nullopt, std::nullopt, d.title, d.email, ""};
    if (d.unit) nu.unit = d.unit;
    if (d.committee) nu.committee = d.committee;
    std::string password = randomPassword();
    KANSLI_TRY(s.accounts().addUser(nu, password, system));
    logins.push_back({d.username, std::string(roleName(d.role)), password});
  }
  {
    std::ofstream out(loginsPath(config.data_dir));
    for (const auto& l : logins) out << l.username << " " << l.role << " " << l.password << "\n";
  }
  ::chmod(loginsPath(config.data_dir).c_str(), 0600);
  KANSLI_TRY(walkReferenceCase(s, clock, config.home));
  return logins;
}

}  // namespace kansli::cli
