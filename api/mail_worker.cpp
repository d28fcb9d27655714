#include "mail_worker.h"

#include <iostream>


namespace kansli::api {

MailWorker::MailWorker(Engine& engine, std::unique_ptr<MailTransport> transport,
                       MailWorkerOptions options)
    : engine_(engine), transport_(std::move(transport)), options_(options) {}

MailWorker::~MailWorker() { stop(); }

void MailWorker::start() {
  std::lock_guard lock(mutex_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { loop(); });
}

void MailWorker::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void MailWorker::wake() {
  {
    std::lock_guard lock(mutex_);
    woken_ = true;
  }
  cv_.notify_all();
}

MailWorker::State MailWorker::state() const {
  std::lock_guard lock(mutex_);
  return state_;
}

Result<int> MailWorker::runOnce() {
  std::lock_guard round(round_mutex_);
  if (!recovered_) {
    KANSLI_TRY(engine_.outbox().recoverInterrupted());
    recovered_ = true;
  }
  KANSLI_TRY(engine_.expediering().queuePending());
  KANSLI_TRY(engine_.reminders().queueDue());
  auto report = engine_.outbox().deliverDue(*transport_);
  std::lock_guard lock(mutex_);
  ++state_.rounds;
  if (!report) {
    state_.delivering_ok = false;
    state_.last_error = report.error().message;
    return std::unexpected(report.error());
  }
  if (report->deferred > 0 || report->failed > 0) {
    state_.delivering_ok = false;
    state_.last_error = report->last_error;
  } else if (report->sent > 0) {
    state_.delivering_ok = true;
  }
  return report->sent;
}

void MailWorker::loop() {
  while (true) {
    auto r = runOnce();
    if (!r) {
      std::cerr << "kansli: e-post: " << r.error().message << std::endl;
    }
    std::unique_lock lock(mutex_);
    cv_.wait_for(lock, options_.poll, [&] { return stopping_ || woken_; });
    if (stopping_) return;
    woken_ = false;
  }
}

}  // namespace kansli::api
