#include "kansli/reminders.h"

#include <algorithm>

#include "kansli/access.h"
#include "store/store.h"
#include "store/tx.h"

namespace kansli {
namespace {

using namespace std::chrono;

int daysBetween(const year_month_day& from, const year_month_day& to) {
  return static_cast<int>((sys_days{to} - sys_days{from}).count());
}

// `d` minus whole months, clamped to the end of a short month.
year_month_day monthsBefore(year_month_day d, int n) {
  year_month_day m = d - months{n};
  if (!m.ok()) m = year_month_day{m.year() / m.month() / last};
  return m;
}

}  // namespace

Reminders::Reminders(store::Store& store, const Clock& clock, const Organisation& org,
                     const workflow::WorkflowSet& workflows, Diarium& diarium, Accounts& accounts,
                     Outbox& outbox, ReminderOptions options)
    : store_(store), clock_(clock), org_(org), workflows_(workflows), diarium_(diarium),
      accounts_(accounts), outbox_(outbox), options_(options) {}

Result<std::vector<Case>> Reminders::casesOf(const CaseQuery& query) const {
  std::vector<Case> out;
  CaseQuery q = query;
  q.limit = 200;
  for (int page = 0; page < 50; ++page) {
    KANSLI_ASSIGN_OR_RETURN(auto p, diarium_.listCases(q, Viewer::system()));
    for (auto& c : p.items) {
      if (!c.closed) out.push_back(std::move(c));
    }
    if (!p.next) break;
    q.cursor = p.next;
  }
  return out;
}

Result<std::vector<Reminder>> Reminders::forUser(const User& user) const {
  const year_month_day today = stockholmDate(clock_.now());
  std::vector<Reminder> out;
  auto shown = [&](const Case& c) {
    return caseSight(user, c, org_) == Sight::kFull ? c : Diarium::maskForPublic(c);
  };
  if (user.role == Role::kHandlaggare) {
    CaseQuery q;
    q.officer = user.username;
    KANSLI_ASSIGN_OR_RETURN(auto cases, casesOf(q));
    for (const auto& c : cases) {
      const workflow::Workflow* wf = workflows_.find(c.workflow_id, c.workflow_version);
      auto consider = [&](const std::optional<std::string>& date, std::string what) {
        year_month_day d;
        if (!date || !parseDate(*date, d)) return;
        int left = daysBetween(today, d);
        if (left > options_.days_ahead) return;
        Case s = shown(c);
        const bool secret = c.secrecy && std::find(c.secrecy->fields.begin(), c.secrecy->fields.end(),
                                                   "subject") != c.secrecy->fields.end();
        out.push_back({"frist", c.id, c.dnr, s.subject, *date, left, secret, std::move(what)});
      };
      std::string case_label = wf && wf->case_deadline ? wf->case_deadline->label : "Ärendets frist";
      consider(c.deadline, case_label.empty() ? "Ärendets frist" : case_label);
      const workflow::State* st = wf ? wf->state(c.state) : nullptr;
      consider(c.state_deadline, "Frist i läget " + (st ? st->label : c.state));
    }
  } else if (user.role == Role::kNamndsekreterare) {
    CaseQuery q;
    q.kind = "motion";
    q.committee = user.committee;
    KANSLI_ASSIGN_OR_RETURN(auto cases, casesOf(q));
    for (const auto& c : cases) {
      year_month_day d;
      if (!c.deadline || !parseDate(*c.deadline, d)) continue;
      if (daysBetween(monthsBefore(d, options_.motion_warning_months), today) < 0) continue;
      Case s = shown(c);
      const bool secret = c.secrecy && std::find(c.secrecy->fields.begin(), c.secrecy->fields.end(),
                                                 "subject") != c.secrecy->fields.end();
      out.push_back({"motion", c.id, c.dnr, s.subject, *c.deadline, daysBetween(today, d), secret,
                     "Motionen ska vara beslutad inom ett år från att den väcktes (KL 5 kap. 35 §)"});
    }
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const Reminder& a, const Reminder& b) { return a.deadline < b.deadline; });
  return out;
}

namespace {

// "om 6 dagar", "i dag", "passerad för 2 dagar sedan"
std::string whenText(int days_left) {
  if (days_left == 0) return "i dag";
  if (days_left == 1) return "i morgon";
  if (days_left > 0) return "om " + std::to_string(days_left) + " dagar";
  if (days_left == -1) return "passerad i går";
  return "passerad för " + std::to_string(-days_left) + " dagar sedan";
}

// A case as an e-mail may name it: its dnr, and its subject unless secret.
std::string caseLine(const Reminder& r) {
  return r.dnr + " " + (r.secret_subject ? std::string("(ärendemeningen omfattas av sekretess)") : r.subject);
}

}  // namespace

Result<int> Reminders::queueDue() {
  const Instant now = clock_.now();
  const year_month_day day = stockholmDate(now);
  // Not before the hour of the day's digests (Europe/Stockholm).
  if (stockholmDate(now - hours{options_.send_hour}) != day) return 0;
  const std::string today = formatDate(day);
  KANSLI_ASSIGN_OR_RETURN(auto users, accounts_.users());
  std::vector<NewMail> mails;
  for (const auto& info : users) {
    const User& u = info.user;
    if (info.disabled || u.email.empty()) continue;
    if (u.role != Role::kHandlaggare && u.role != Role::kNamndsekreterare) continue;
    KANSLI_ASSIGN_OR_RETURN(auto list, forUser(u));
    if (list.empty()) continue;
    if (u.role == Role::kHandlaggare) {
      NewMail m;
      m.kind = "paminnelse";
      m.dedupe_key = "paminnelse:" + u.username + ":" + today;
      m.recipient_name = u.display_name.empty() ? u.username : u.display_name;
      m.recipient_address = u.email;
      m.subject = "Bevakning " + today + ": " + std::to_string(list.size()) +
                  (list.size() == 1 ? " ärende" : " ärenden") + " med frist";
      m.body = "Hej!\n\nDessa av dina ärenden har en frist inom " +
               std::to_string(options_.days_ahead) + " dagar eller en frist som har passerat:\n\n";
      for (const auto& r : list) {
        m.body += "- " + caseLine(r) + "\n  " + r.what + ": " + r.deadline + " (" + whenText(r.days_left) + ")\n";
      }
      m.body += "\nMeddelandet är skickat från Kansli och kan inte besvaras.\n";
      mails.push_back(std::move(m));
    } else {
      for (const auto& r : list) {
        NewMail m;
        m.kind = "motionsvarning";
        m.dedupe_key = "motionsvarning:" + std::to_string(r.case_id) + ":" + r.deadline + ":" + u.username;
        m.committee = u.committee;
        m.case_id = r.case_id;
        m.recipient_name = u.display_name.empty() ? u.username : u.display_name;
        m.recipient_address = u.email;
        m.subject = "Motion " + r.dnr + " ska vara beslutad senast " + r.deadline;
        m.body = "Hej!\n\nMotionen " + caseLine(r) + " väcktes för snart ett år sedan. Enligt "
                 "kommunallagen 5 kap. 35 § ska en motion beredas så att fullmäktige kan besluta "
                 "inom ett år från att den väcktes; annars ska det anmälas till fullmäktige, som "
                 "kan avskriva den.\n\nSista dag: " + r.deadline + " (" + whenText(r.days_left) +
                 ").\n\nMeddelandet är skickat från Kansli och kan inte besvaras.\n";
        mails.push_back(std::move(m));
      }
    }
  }
  if (mails.empty()) return 0;
  return store_.write([&](store::Tx& tx) -> Result<int> {
    int queued = 0;
    for (const auto& m : mails) {
      KANSLI_ASSIGN_OR_RETURN(auto id, outbox_.enqueueIn(tx, m, audit::Actor::system()));
      if (id) ++queued;
    }
    return queued;
  });
}

}  // namespace kansli
