// Shared test helpers: ASSERT_OK for Results, temporary directories that clean
// up, and where the source tree is.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "kansli/error.h"

#define ASSERT_OK(expr)                                                       \
  do {                                                                        \
    const auto& kansli_r_ = (expr);                                           \
    ASSERT_TRUE(kansli_r_.has_value()) << "error: " << kansli_r_.error().message; \
  } while (0)

#define EXPECT_OK(expr)                                                       \
  do {                                                                        \
    const auto& kansli_r_ = (expr);                                           \
    EXPECT_TRUE(kansli_r_.has_value()) << "error: " << kansli_r_.error().message; \
  } while (0)

namespace kansli::testing {

// A fresh directory under the system temp dir, removed with its contents.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

std::string sourceDir();  // the repository root
std::string readFile(const std::string& path);
void writeFile(const std::string& path, const std::string& content);

}  // namespace kansli::testing
