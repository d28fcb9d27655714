// sha256Hex hashes every bearer token of every request (the session lookup
// and the token cache are keyed by it), so it became a one-shot call (issue
// #20). It must give the same digests as before: the known vectors, and the
// streaming Sha256 (the EVP route the audit chain uses) on many lengths.
#include <gtest/gtest.h>

#include <random>
#include <string>

#include "kansli/digest.h"

namespace kansli {
namespace {

TEST(Sha256Hex, GivesTheKnownDigests) {
  EXPECT_EQ(sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(Sha256Hex, AgreesWithTheStreamingDigestOnEveryLength) {
  std::mt19937 rng(20);
  Sha256 streaming;
  for (std::size_t n = 0; n < 300; ++n) {
    std::string data(n, '\0');
    for (auto& c : data) c = static_cast<char>(rng());
    streaming.reset();
    streaming.update(data.substr(0, n / 2));
    streaming.update(data.substr(n / 2));
    ASSERT_EQ(sha256Hex(data), streaming.hexDigest()) << n;
  }
}

}  // namespace
}  // namespace kansli
