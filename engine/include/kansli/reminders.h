// Bevakning: reminders of deadlines, to the people who must act on them.
//
//   * An officer (handläggare) is reminded of their open cases whose deadline
//     (the case's own, e.g. a motion's year, or the current step's frist) falls
//     within `days_ahead` days or has passed.
//   * A committee secretary is warned when a motion of their committee comes
//     within `motion_warning_months` of its one-year limit (kommunallagen 5 kap.
//     35 §: a motion should be decided within a year of being raised, or the
//     council told why), and after it.
//
// forUser() answers a user's reminders now (the web client's list). With
// e-mail configured, queueDue() puts each officer's daily digest and each
// motion warning in the outbox (kansli/mail.h), once per day and person (a
// warning once per motion and deadline), from `send_hour` (Europe/Stockholm).
// A subject that is secret (OSL) is never written in an e-mail: the digest
// names the dnr and says the subject is secret.
//
// Thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "kansli/accounts.h"
#include "kansli/diarium.h"
#include "kansli/mail.h"
#include "kansli/workflow.h"

namespace kansli {

struct ReminderOptions {
  int days_ahead = 7;
  int motion_warning_months = 2;
  int send_hour = 7;
};

struct Reminder {
  std::string kind;  // "frist" or "motion"
  std::int64_t case_id = 0;
  std::string dnr;
  std::string subject;  // masked when the reader sees the case masked
  std::string deadline;  // YYYY-MM-DD
  int days_left = 0;     // negative: passed
  bool secret_subject = false;  // the subject is secret (OSL): never in an e-mail
  std::string what;      // "Frist i läget Under utredning", "Beslut inom ett år (KL 5 kap. 35 §)"
};

class Reminders {
 public:
  Reminders(store::Store& store, const Clock& clock, const Organisation& org,
            const workflow::WorkflowSet& workflows, Diarium& diarium, Accounts& accounts,
            Outbox& outbox, ReminderOptions options = {});

  // The user's reminders today, soonest deadline first.
  Result<std::vector<Reminder>> forUser(const User& user) const;
  // Queues today's digests and warnings for users with an e-mail address
  // (once `send_hour` has passed); answers how many messages were new.
  Result<int> queueDue();
  const ReminderOptions& options() const { return options_; }

 private:
  Result<std::vector<Case>> casesOf(const CaseQuery& q) const;

  store::Store& store_;
  const Clock& clock_;
  const Organisation& org_;
  const workflow::WorkflowSet& workflows_;
  Diarium& diarium_;
  Accounts& accounts_;
  Outbox& outbox_;
  ReminderOptions options_;
};

}  // namespace kansli
