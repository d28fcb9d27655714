#include "testing/testing.h"

#include "testing/database.h"

#include <unistd.h>

#include <fstream>
#include <random>
#include <sstream>

namespace kansli::testing {

TempDir::TempDir() {
  std::random_device rd;
  auto base = std::filesystem::temp_directory_path();
  for (int i = 0; i < 100; ++i) {
    auto p = base / ("kansli-test-" + std::to_string(::getpid()) + "-" + std::to_string(rd()));
    if (std::filesystem::create_directory(p)) {
      path_ = p;
      return;
    }
  }
  throw std::runtime_error("cannot create temp dir");
}

TempDir::~TempDir() {
  dropDatabasesUnder(path_.string());
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::string sourceDir() { return KANSLI_SOURCE_DIR; }

std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void writeFile(const std::string& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary);
  out << content;
}

}  // namespace kansli::testing
