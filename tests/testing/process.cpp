#include "testing/process.h"

#include "testing/database.h"

#include <Poco/Pipe.h>
#include <Poco/PipeStream.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace kansli::testing {

RunResult runKansli(const std::vector<std::string>& args, const std::string& input) {
  Poco::Pipe in, out, err;
  Poco::ProcessHandle h =
      Poco::Process::launch(KANSLI_BINARY, withTestDatabase(args), &in, &out, &err);
  {
    Poco::PipeOutputStream os(in);
    os << input;
    os.close();
  }
  RunResult r;
  // Read both pipes concurrently so a chatty child never blocks on a full pipe.
  std::thread errThread([&] {
    Poco::PipeInputStream es(err);
    std::ostringstream ss;
    ss << es.rdbuf();
    r.err = ss.str();
  });
  Poco::PipeInputStream os(out);
  std::ostringstream ss;
  ss << os.rdbuf();
  r.out = ss.str();
  errThread.join();
  r.exit_code = h.wait();
  return r;
}

ServerProcess::ServerProcess(std::vector<std::string> args) {
  Poco::Pipe out;
  handle_ = std::make_unique<Poco::ProcessHandle>(
      Poco::Process::launch(KANSLI_BINARY, withTestDatabase(args), nullptr, &out, &out));
  // Read until the URL line appears (or 30 s pass).
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  std::regex url("lyssnar på https?://[0-9.]+:([0-9]+)/");
  char buf[512];
  while (std::chrono::steady_clock::now() < deadline) {
    int n = out.readBytes(buf, sizeof buf);
    if (n <= 0) break;
    output_.append(buf, static_cast<size_t>(n));
    std::smatch m;
    if (std::regex_search(output_, m, url)) {
      port_ = std::stoi(m[1]);
      break;
    }
  }
  // Keep draining the child's output so it never blocks on a full pipe.
  std::thread([out]() mutable {
    char b[512];
    while (out.readBytes(b, sizeof b) > 0) {
    }
  }).detach();
  if (port_ == 0) throw std::runtime_error("server did not start: " + output_);
}

int ServerProcess::pid() const { return handle_->id(); }

int ServerProcess::terminate() {
  if (exited_) return -1;
  ::kill(handle_->id(), SIGTERM);
  exited_ = true;
  return handle_->wait();
}

void ServerProcess::kill9() {
  if (exited_) return;
  ::kill(handle_->id(), SIGKILL);
  exited_ = true;
  handle_->wait();
}

ServerProcess::~ServerProcess() {
  if (!exited_) kill9();
}

}  // namespace kansli::testing
