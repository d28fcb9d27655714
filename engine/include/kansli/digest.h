// SHA-256, the one digest of the system: document content and memo versions
// are identified by it, session tokens are stored as it, and the audit chain
// links its events with it. OpenSSL computes it (hardware SHA extensions
// where the CPU has them).
//
// Thread-safety: sha256Hex is reentrant; a Sha256 object is used by one
// thread at a time.
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace kansli {

// Lower-case hex of the SHA-256 of `data` (64 characters).
std::string sha256Hex(std::string_view data);

// The same over data given in parts; reset() starts again, so one object
// can hash many messages without allocating.
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  void reset();
  void update(std::string_view part);
  // Lower-case hex of everything updated since the last reset.
  std::string hexDigest();

 private:
  struct Ctx;
  std::unique_ptr<Ctx> ctx_;
};

}  // namespace kansli
