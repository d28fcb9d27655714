#include "kansli/audit.h"

#include <Poco/DigestEngine.h>
#include <Poco/SHA2Engine.h>

#include "store/repos.h"

namespace kansli::audit {

Result<void> recordAudit(store::Store& store, const Clock& clock, const Entry& e) {
  return store.write([&](store::Tx& tx) -> Result<void> {
    auto seq = appendAudit(tx, clock, e);
    if (!seq) return std::unexpected(seq.error());
    return ok();
  });
}

std::string chainHash(const Event& e, const std::string& prev_hash) {
  // Every field is length-prefixed so that no two different events can be
  // written as the same byte string.
  Poco::SHA2Engine sha(Poco::SHA2Engine::SHA_256);
  auto put = [&](const std::string& s) {
    std::string len = std::to_string(s.size()) + ":";
    sha.update(len);
    sha.update(s);
  };
  put(prev_hash);
  put(std::to_string(e.seq));
  put(e.at);
  put(e.actor);
  put(e.role);
  put(e.action);
  put(e.case_id ? std::to_string(*e.case_id) : "");
  put(e.detail);
  return Poco::DigestEngine::digestToHex(sha.digest());
}

Result<std::int64_t> appendAudit(store::Tx& tx, const Clock& clock, const Entry& entry) {
  auto tip = store::auditTip(tx);
  if (!tip) return std::unexpected(tip.error());
  Event e;
  e.seq = *tip ? (*tip)->seq + 1 : 1;
  e.prev_hash = *tip ? (*tip)->hash : kGenesisHash;
  e.at = formatInstant(clock.now());
  e.actor = entry.actor.username;
  e.role = entry.actor.role;
  e.action = entry.action;
  e.case_id = entry.case_id;
  e.detail = entry.detail;
  e.hash = chainHash(e, e.prev_hash);
  KANSLI_TRY(store::auditInsert(tx, e));
  return e.seq;
}

Result<std::vector<Event>> caseEvents(store::Tx& tx, std::int64_t case_id) {
  return store::auditByCase(tx, case_id);
}

Result<VerifyReport> verifyAuditChain(store::Store& store) {
  return store.read([](store::Tx& tx) -> Result<VerifyReport> {
    VerifyReport report;
    std::string prev = kGenesisHash;
    std::int64_t expected_seq = 1;
    auto scanned = store::auditScan(tx, [&](const Event& e) {
      ++report.events_checked;
      std::string problem;
      if (e.seq != expected_seq) {
        problem = "händelse " + std::to_string(e.seq) + ": väntade händelse " +
                  std::to_string(expected_seq) + " (en händelse saknas eller har flyttats)";
      } else if (e.prev_hash != prev) {
        problem = "händelse " + std::to_string(e.seq) +
                  ": pekar inte på föregående händelses hash (borttagen eller omkastad)";
      } else if (chainHash(e, e.prev_hash) != e.hash) {
        problem = "händelse " + std::to_string(e.seq) + ": innehållet stämmer inte med dess hash";
      }
      if (!problem.empty()) {
        report.first_problem = problem;
        report.first_broken_seq = e.seq;
        return false;
      }
      prev = e.hash;
      ++expected_seq;
      return true;
    });
    if (!scanned) return std::unexpected(scanned.error());
    return report;
  });
}

}  // namespace kansli::audit
