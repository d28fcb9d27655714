#include "kansli/digest.h"

#include <openssl/evp.h>

namespace kansli {

struct Sha256::Ctx {
  EVP_MD_CTX* md = EVP_MD_CTX_new();
  ~Ctx() { EVP_MD_CTX_free(md); }
};

Sha256::Sha256() : ctx_(std::make_unique<Ctx>()) { reset(); }
Sha256::~Sha256() = default;

namespace {
// SHA-256 fetched from the provider once: EVP_sha256() is looked up again at
// every EVP_DigestInit_ex (OpenSSL 3), which was most of hashing a short
// string such as a session token (issue #20). SHA256() does the same lookup.
const EVP_MD* sha256Algorithm() {
  static const EVP_MD* const md = [] {
    const EVP_MD* fetched = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    return fetched ? fetched : EVP_sha256();
  }();
  return md;
}
}  // namespace

void Sha256::reset() { EVP_DigestInit_ex(ctx_->md, sha256Algorithm(), nullptr); }

void Sha256::update(std::string_view part) { EVP_DigestUpdate(ctx_->md, part.data(), part.size()); }

std::string Sha256::hexDigest() {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_DigestFinal_ex(ctx_->md, md, &n);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex(2 * n, '0');
  for (unsigned int i = 0; i < n; ++i) {
    hex[2 * i] = kHex[md[i] >> 4];
    hex[2 * i + 1] = kHex[md[i] & 0xF];
  }
  return hex;
}

std::string sha256Hex(std::string_view data) {
  // Every request with a bearer token hashes it (Accounts::authenticate):
  // one context per thread, reused, instead of a new one each time.
  thread_local Sha256 h;
  h.reset();
  h.update(data);
  return h.hexDigest();
}

}  // namespace kansli
