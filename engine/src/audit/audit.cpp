#include "kansli/audit.h"

#include <charconv>
#include <memory>
#include <string_view>

#include "kansli/digest.h"
#include "kansli/text.h"
#include "store/accounts_repo.h"
#include "store/audit_repo.h"
#include "store/store.h"
#include "store/tx.h"
#include "kansli/json_text.h"
#include "util/json.h"

namespace kansli::audit {

Detail::Detail() : object_(json::ordered()) {}

std::string Detail::json() const { return jsonText(object_); }

Result<void> recordAudit(store::Store& store, Instant at, const Entry& e) {
  return store.write([&](store::Tx& tx) -> Result<void> {
    KANSLI_TRY(appendAudit(tx, at, e));
    return ok();
  });
}

std::string chainHash(const Event& e, const std::string& prev_hash) {
  // `kansli audit verify` hashes every event: one hasher per thread, reset
  // for each event, so hashing allocates nothing.
  thread_local Sha256 sha;
  sha.reset();
  // Every field is length-prefixed so that no two different events can be
  // written as the same byte string.
  auto put = [&](std::string_view s) {
    char len[24];
    auto end = std::to_chars(len, len + sizeof len - 1, s.size()).ptr;
    *end++ = ':';
    sha.update(std::string_view(len, static_cast<std::size_t>(end - len)));
    sha.update(s);
  };
  auto number = [&](std::int64_t n) {
    char buf[24];
    auto end = std::to_chars(buf, buf + sizeof buf, n).ptr;
    put(std::string_view(buf, static_cast<std::size_t>(end - buf)));
  };
  put(prev_hash);
  number(e.seq);
  put(e.at);
  put(e.actor);
  put(e.role);
  put(e.action);
  if (e.case_id) {
    number(*e.case_id);
  } else {
    put("");
  }
  put(e.detail);
  return sha.hexDigest();
}

namespace {

// The actor must be someone: a user of this database, or the program. A
// caller that names anyone else is a bug (kInternal), and nothing is written.
Result<void> checkActor(store::Tx& tx, const Actor& actor) {
  if (!text::isValidUtf8(actor.username) || !text::isValidUtf8(actor.role)) {
    return std::unexpected(Error::internal("händelsens aktör är inte giltig UTF-8"));
  }
  if (actor.username == Actor::system().username) return ok();
  KANSLI_ASSIGN_OR_RETURN(bool known, tx.accounts().userExists(actor.username));
  if (!known) {
    return std::unexpected(
        Error::internal("händelsens aktör " + actor.username + " är ingen användare"));
  }
  return ok();
}

}  // namespace

Result<std::int64_t> appendAudit(store::Tx& tx, Instant at, const Entry& entry) {
  KANSLI_TRY(checkActor(tx, entry.actor));
  KANSLI_ASSIGN_OR_RETURN(auto tip, tx.audit().tip());
  Event e;
  e.seq = tip ? tip->seq + 1 : 1;
  e.prev_hash = tip ? tip->hash : kGenesisHash;
  e.at = formatInstant(at);
  e.actor = entry.actor.username;
  e.role = entry.actor.role;
  e.action = entry.action;
  e.case_id = entry.case_id;
  e.detail = entry.detail;
  e.hash = chainHash(e, e.prev_hash);
  KANSLI_TRY(tx.audit().insert(e));
  return e.seq;
}

Result<std::vector<Event>> caseEvents(store::Tx& tx, std::int64_t case_id) {
  return tx.audit().byCase(case_id);
}

Result<VerifyReport> verifyAuditChain(store::Store& store) {
  return store.read([](store::Tx& tx) -> Result<VerifyReport> {
    VerifyReport report;
    std::string prev = kGenesisHash;
    std::int64_t expected_seq = 1;
    auto scanned = tx.audit().scan([&](const Event& e) {
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
