#include "clock_file.h"

#include <fstream>
#include <sstream>

namespace kansli::cli {

Result<std::unique_ptr<FileClock>> FileClock::open(std::filesystem::path file) {
  std::unique_ptr<FileClock> c(new FileClock(std::move(file)));
  std::string error;
  {
    MutexLock lock(c->mu_);
    if (!c->refresh(error)) return std::unexpected(Error::invalid(error));
  }
  return c;
}

bool FileClock::refresh(std::string& error) const {
  std::error_code ec;
  auto mtime = std::filesystem::last_write_time(file_, ec);
  if (ec) {
    error = "klockfilen " + file_.string() + " kan inte läsas: " + ec.message();
    return false;
  }
  auto size = std::filesystem::file_size(file_, ec);
  if (ec) size = 0;
  if (mtime == mtime_ && size == size_ && now_ != Instant{}) return true;
  std::ifstream in(file_);
  std::stringstream text;
  text << in.rdbuf();
  std::string s = text.str();
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.erase(0, 1);
  Instant t;
  if (!in || !parseInstant(s, t)) {
    error = "klockfilen " + file_.string() +
            " ska innehålla en tidpunkt i UTC, t.ex. 2020-10-05T08:00:00Z";
    return false;
  }
  now_ = t;
  mtime_ = mtime;
  size_ = size;
  return true;
}

Instant FileClock::now() const {
  MutexLock lock(mu_);
  std::string ignored;
  refresh(ignored);  // a half-written file keeps the last good instant
  return now_;
}

}  // namespace kansli::cli
