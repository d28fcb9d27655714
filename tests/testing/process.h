// Runs the real `kansli` program for tests of the command line and of the
// service as a process (signals, exit codes, messages).
#pragma once

#include <Poco/Process.h>

#include <memory>
#include <string>
#include <vector>

namespace kansli::testing {

struct RunResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs kansli with `args`, feeding `input` on stdin; waits for it to exit.
RunResult runKansli(const std::vector<std::string>& args, const std::string& input = "");

// `kansli serve` as a child process. Waits until it prints its URL.
class ServerProcess {
 public:
  explicit ServerProcess(std::vector<std::string> args);
  ~ServerProcess();
  int port() const { return port_; }
  int pid() const;
  // Sends SIGTERM and waits; returns the exit code.
  int terminate();
  void kill9();
  const std::string& output() const { return output_; }

 private:
  std::unique_ptr<Poco::ProcessHandle> handle_;
  int out_fd_ = -1;
  int port_ = 0;
  std::string output_;
  bool exited_ = false;
};

}  // namespace kansli::testing
