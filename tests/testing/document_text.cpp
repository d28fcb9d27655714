#include "testing/document_text.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <stdexcept>

#include "testing/testing.h"

extern char** environ;

namespace kansli::testing {

std::optional<std::string> runTool(const std::vector<std::string>& argv) {
  TempDir dir;
  const std::string out = dir.file("stdout");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  int rc = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) return std::nullopt;
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) return std::nullopt;
  return readFile(out);
}

std::string pdfText(const std::string& pdf) {
  TempDir dir;
  const std::string file = dir.file("answer.pdf");
  writeFile(file, pdf);
  auto info = runTool({"pdfinfo", "-enc", "UTF-8", file});
  auto text = runTool({"pdftotext", "-enc", "UTF-8", file, "-"});
  if (!info || !text) throw std::runtime_error("pdfinfo/pdftotext cannot read the answer as a PDF");
  return *info + "\n" + *text;
}

std::string zipText(const std::string& zip) {
  TempDir dir;
  const std::string file = dir.file("answer.zip");
  writeFile(file, zip);
  auto names = runTool({"unzip", "-Z1", file});
  auto members = runTool({"unzip", "-p", file});
  if (!names || !members) throw std::runtime_error("unzip cannot read the answer as a zip package");
  return *names + "\n" + *members;
}

}  // namespace kansli::testing
