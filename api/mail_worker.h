// The delivery loop of the outbox (kansli/mail.h): one thread that, every
// `poll` or when woken, puts the extracts of newly attested minutes in the
// outbox (expediering), queues the day's reminders (bevakning) and sends what
// is due through the transport (SMTP).
//
// At start it marks messages a previous process left `sending` as uncertain
// (never resent on their own). stop() finishes the message in hand and joins.
//
// Thread-safe: wake() and state() may be called from any thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "kansli/engine.h"
#include "kansli/mail.h"

namespace kansli::api {

struct MailWorkerOptions {
  std::chrono::milliseconds poll{5000};
};

class MailWorker {
 public:
  MailWorker(Engine& engine, std::unique_ptr<MailTransport> transport,
             MailWorkerOptions options = {});
  ~MailWorker();
  MailWorker(const MailWorker&) = delete;
  MailWorker& operator=(const MailWorker&) = delete;

  void start();
  void stop();
  // Something was queued: run a round now rather than at the next poll.
  void wake();
  // One round now, on the caller's thread (tests; start() not needed).
  Result<int> runOnce();

  struct State {
    bool delivering_ok = true;   // the last round's deliveries did not fail
    std::string last_error;      // of the last failed delivery
    int rounds = 0;
  };
  State state() const;

 private:
  void loop();

  Engine& engine_;
  std::unique_ptr<MailTransport> transport_;
  MailWorkerOptions options_;
  mutable std::mutex mutex_;
  std::condition_variable cv_;
  bool stopping_ = false;
  bool woken_ = false;
  bool recovered_ = false;
  State state_;
  std::mutex round_mutex_;  // one round at a time (the loop and runOnce)
  std::thread thread_;
};

}  // namespace kansli::api
