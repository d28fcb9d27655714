#include "kansli/reminders.h"

#include <algorithm>

#include "kansli/access.h"

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
    KANSLI_ASSIGN_OR_RETURN(auto p, diarium_.listCases(q, false));
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
        out.push_back({"frist", c.id, c.dnr, s.subject, *date, left, std::move(what)});
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
      out.push_back({"motion", c.id, c.dnr, s.subject, *c.deadline, daysBetween(today, d),
                     "Motionen ska vara beslutad inom ett år från att den väcktes (KL 5 kap. 35 §)"});
    }
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const Reminder& a, const Reminder& b) { return a.deadline < b.deadline; });
  return out;
}

}  // namespace kansli
