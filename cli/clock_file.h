// A clock read from a file, for tests and demonstrations only
// (`kansli serve --clock-file FILE`).
//
// "Now" is the ISO 8601 UTC instant written in FILE ("2020-10-05T08:00:00Z").
// The file is read again whenever its modification time or size changes, so a
// test moves the service's time by rewriting it; between changes the clock
// stands still. A production service never uses this: it runs on
// SystemClock.
//
// Thread-safe: now() is called from every worker thread; the re-read happens
// under a mutex. A file that cannot be read or parsed keeps the last good
// instant (and open() refuses to start without one).
#pragma once

#include <filesystem>
#include <string>

#include "kansli/clock.h"
#include "kansli/error.h"
#include "kansli/mutex.h"

namespace kansli::cli {

class FileClock final : public Clock {
 public:
  // Reads FILE once; an error naming the file when it is missing or holds no
  // instant.
  static Result<std::unique_ptr<FileClock>> open(std::filesystem::path file);
  Instant now() const override;

 private:
  explicit FileClock(std::filesystem::path file) : file_(std::move(file)) {}
  // Re-reads the file when it changed; false when it could not be parsed.
  bool refresh(std::string& error) const KANSLI_REQUIRES(mu_);

  const std::filesystem::path file_;
  mutable Mutex mu_;
  mutable std::filesystem::file_time_type mtime_ KANSLI_GUARDED_BY(mu_){};
  mutable std::uintmax_t size_ KANSLI_GUARDED_BY(mu_) = 0;
  mutable Instant now_ KANSLI_GUARDED_BY(mu_){};
};

}  // namespace kansli::cli
