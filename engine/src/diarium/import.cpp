// Diarium::importRows: an old diarium read in, keeping its dnr. Every row is
// checked first (the bad ones named by line), by the rules a registration
// keeps too (a unit only of those working for the case's committee, an
// officer only of such a unit); the good ones are written in batches, each
// batch one transaction.
#include <algorithm>
#include <set>

#include "kansli/diarium.h"

#include "access/seen.h"
#include "kansli/text.h"
#include "store/diarium_repo.h"
#include "store/store.h"
#include "store/tx.h"

namespace kansli {

struct Diarium::ImportPlan {
  std::vector<std::pair<const ImportRow*, Case>> good;
  std::vector<FieldError> bad_rows;
};

namespace {

constexpr std::size_t kImportBatch = 500;

void addProblem(std::string& problems, const std::string& p) {
  problems += (problems.empty() ? "" : "; ") + p;
}

// A rule's refusal as the row's problem: "unit: Äldreenheten arbetar inte för …".
void addRefusal(std::string& problems, const Error& e) {
  if (e.fields.empty()) {
    addProblem(problems, e.message);
    return;
  }
  for (const auto& f : e.fields) addProblem(problems, f.field + ": " + f.message);
}

// The dnr of a row, read by the organisation's formats; problems otherwise.
void readDnr(const ImportRow& row, const Organisation& org, Case& c, std::set<std::string>& seen,
             std::string& problems) {
  auto m = org.findDnr(row.dnr);
  if (!m) {
    addProblem(problems, "dnr: " + m.error().message);
  } else if (m->committee->id != row.c.committee) {
    addProblem(problems, "dnr: hör till " + m->committee->name + ", inte " + row.c.committee);
  } else {
    c.dnr = m->committee->formatDnr(m->parts.year, m->parts.number, m->parts.class_code);
    c.series = m->committee->series;
    c.year = m->parts.year;
    c.number = m->parts.number;
    if (!seen.insert(c.dnr).second) {
      addProblem(problems, "dnr: " + c.dnr + " förekommer flera gånger i filen");
    }
  }
}

// The row's case on its workflow, in its state (the initial one unless named).
std::optional<std::string> placeOnWorkflow(const ImportRow& row, const workflow::Start& start,
                                           Case& c) {
  c.committee = row.c.committee;
  c.kind = row.c.kind;
  c.subject = text::trim(row.c.subject);
  c.received = row.c.received;
  c.senders = row.c.senders;
  c.unit = row.c.unit;
  c.officer = row.c.officer;
  c.secrecy = row.c.secrecy;
  c.state = row.state.value_or(start.initial_state);
  if (std::find(start.states.begin(), start.states.end(), c.state) == start.states.end()) {
    std::string list;
    for (const auto& st : start.states) list += (list.empty() ? "" : ", ") + st;
    return "state: okänt tillstånd " + c.state + " (kända: " + list + ")";
  }
  c.closed = std::find(start.final_states.begin(), start.final_states.end(), c.state) !=
             start.final_states.end();
  c.workflow_id = start.workflow_id;
  c.workflow_version = start.workflow_version;
  c.deadline = start.deadline;
  return std::nullopt;
}

}  // namespace

Result<Diarium::ImportPlan> Diarium::planImport(const std::vector<ImportRow>& rows,
                                                const audit::Actor& actor, Instant now) const {
  // One snapshot for the officers' accounts: a row is judged before anything
  // is written, so that with skip_bad false a refused officer imports nothing.
  return store_.read([&](store::Tx& tx) -> Result<ImportPlan> {
    return planImportIn(tx, rows, actor, now);
  });
}

Result<Diarium::ImportPlan> Diarium::planImportIn(store::Tx& tx, const std::vector<ImportRow>& rows,
                                                  const audit::Actor& actor, Instant now) const {
  ImportPlan plan;
  std::set<std::string> seen;
  const std::string today = formatDate(stockholmDate(now));
  for (const auto& row : rows) {
    std::string where = "rad " + std::to_string(row.line);
    if (row.problem) {
      plan.bad_rows.push_back({where, *row.problem});
      continue;
    }
    KANSLI_ASSIGN_OR_RETURN(auto errors, validate(row.c));
    std::string problems;
    for (const auto& e : errors) addProblem(problems, e.field + ": " + e.message);
    Case c;
    readDnr(row, org_, c, seen, problems);
    if (row.c.unit) {
      if (auto r = checkCaseUnit(*row.c.unit, row.c.committee, org_); !r) addRefusal(problems, r.error());
    }
    if (row.c.officer) {
      auto r = checkOfficer(tx, *row.c.officer, row.c.committee, org_);
      if (!r && r.error().code != ErrorCode::kInvalidInput && r.error().code != ErrorCode::kUnprocessable) {
        return std::unexpected(r.error());  // the store failed, not the row
      }
      if (!r) addRefusal(problems, r.error());
    }
    if (!problems.empty()) {
      plan.bad_rows.push_back({where, problems});
      continue;
    }
    auto start = starter_(row.c.kind, row.c.received, today);
    if (!start) {
      plan.bad_rows.push_back({where, start.error().message});
      continue;
    }
    if (auto problem = placeOnWorkflow(row, *start, c)) {
      plan.bad_rows.push_back({where, *problem});
      continue;
    }
    c.registered_at = formatInstant(now);
    c.registered_by = actor.username;
    plan.good.emplace_back(&row, std::move(c));
  }
  return plan;
}

Result<std::vector<FieldError>> Diarium::importBatch(const ImportPlan& plan, std::size_t from,
                                                     std::size_t to, bool skip_bad,
                                                     const audit::Actor& actor, Instant now) {
  return store_.write([&](store::Tx& tx) -> Result<std::vector<FieldError>> {
    std::vector<FieldError> taken;
    for (size_t j = from; j < to; ++j) {
      Case c = plan.good[j].second;
      const int line = plan.good[j].first->line;
      KANSLI_ASSIGN_OR_RETURN(auto exists,
                              tx.diarium().caseSeriesNumberTaken(c.series, c.year, c.number));
      if (exists) {
        taken.push_back({"rad " + std::to_string(line), "dnr: " + c.dnr + " finns redan i diariet"});
        continue;
      }
      KANSLI_ASSIGN_OR_RETURN(c.id, tx.diarium().caseInsert(c, true));
      KANSLI_TRY(tx.diarium().dnrBumpTo(c.series, c.year, c.number));
      KANSLI_TRY(reindex(tx, c, {}, /*new_case=*/true));
      audit::Detail detail;
      detail.set("dnr", c.dnr);
      detail.set("line", line);
      KANSLI_TRY(audit::appendAudit(tx, now, {actor, "case.import", c.id, detail.json()}));
    }
    if (!taken.empty() && !skip_bad) {
      return std::unexpected(Error{ErrorCode::kConflict, "importen avbröts", taken, {}});
    }
    return taken;
  });
}

Result<Diarium::ImportReport> Diarium::importRows(
    const std::vector<ImportRow>& rows, bool skip_bad, const audit::Actor& actor,
    const std::function<void(int, int)>& progress) {
  const Instant now = clock_.now();
  KANSLI_ASSIGN_OR_RETURN(auto plan, planImport(rows, actor, now));
  ImportReport report;
  report.bad_rows = plan.bad_rows;
  if (!report.bad_rows.empty() && !skip_bad) return report;

  const int total = static_cast<int>(plan.good.size());
  for (size_t i = 0; i < plan.good.size(); i += kImportBatch) {
    size_t end = std::min(plan.good.size(), i + kImportBatch);
    auto written = importBatch(plan, i, end, skip_bad, actor, now);
    if (!written) {
      // A dnr already in the diarium ends an all-or-nothing import, naming it.
      if (written.error().fields.empty()) return std::unexpected(written.error());
      report.bad_rows.insert(report.bad_rows.end(), written.error().fields.begin(),
                             written.error().fields.end());
      return report;
    }
    report.imported += static_cast<int>(end - i - written->size());
    report.bad_rows.insert(report.bad_rows.end(), written->begin(), written->end());
    if (progress) progress(static_cast<int>(end), total);
  }
  return report;
}

}  // namespace kansli
