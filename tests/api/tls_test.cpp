// HTTPS: `kansli serve --tls-cert --tls-key` as the real program, with a
// self-signed certificate made here with OpenSSL. Every answer carries HSTS,
// the browser session cookie is Secure, old protocol versions are refused,
// and plain HTTP on the TLS port gets no answer.
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SSLException.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/StreamCopier.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "testing/api_server.h"
#include "testing/process.h"

namespace kansli::testing {
namespace {

// A P-256 key and a self-signed certificate for CN=localhost, valid a day.
void writeSelfSigned(const std::string& cert_path, const std::string& key_path) {
  EVP_PKEY* key = EVP_EC_gen("P-256");
  ASSERT_NE(key, nullptr);
  X509* x = X509_new();
  X509_set_version(x, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
  X509_gmtime_adj(X509_getm_notBefore(x), -60);
  X509_gmtime_adj(X509_getm_notAfter(x), 24 * 3600);
  X509_set_pubkey(x, key);
  X509_NAME* name = X509_get_subject_name(x);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("localhost"), -1, -1, 0);
  X509_set_issuer_name(x, name);
  ASSERT_GT(X509_sign(x, key, EVP_sha256()), 0);
  FILE* c = std::fopen(cert_path.c_str(), "w");
  FILE* k = std::fopen(key_path.c_str(), "w");
  ASSERT_TRUE(c && k);
  PEM_write_X509(c, x);
  PEM_write_PrivateKey(k, key, nullptr, nullptr, 0, nullptr, nullptr);
  std::fclose(c);
  std::fclose(k);
  X509_free(x);
  EVP_PKEY_free(key);
}

struct HttpsResult {
  int status = 0;
  std::string body;
  Poco::Net::HTTPResponse headers;
};

HttpsResult httpsRequest(int port, const std::string& method, const std::string& path,
                         const std::string& body = "",
                         Poco::Net::Context::Usage usage = Poco::Net::Context::TLS_CLIENT_USE) {
  // The certificate is our own self-signed one: no verification here, the
  // test is about what the server speaks, not about a CA.
  Poco::Net::Context::Ptr ctx =
      new Poco::Net::Context(usage, "", "", "", Poco::Net::Context::VERIFY_NONE);
  Poco::Net::HTTPSClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port), ctx);
  session.setTimeout(Poco::Timespan(30, 0));
  Poco::Net::HTTPRequest req(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
  if (!body.empty()) {
    req.setContentType("application/json");
    req.setContentLength64(static_cast<Poco::Int64>(body.size()));
  }
  session.sendRequest(req) << body;
  HttpsResult r;
  std::istream& in = session.receiveResponse(r.headers);
  r.status = r.headers.getStatus();
  std::ostringstream ss;
  Poco::StreamCopier::copyStream(in, ss);
  r.body = ss.str();
  return r;
}

class Tls : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { Poco::Net::initializeSSL(); }
  static void TearDownTestSuite() { Poco::Net::uninitializeSSL(); }
  void SetUp() override {
    writeSelfSigned(dir.file("cert.pem"), dir.file("key.pem"));
    server = std::make_unique<ServerProcess>(std::vector<std::string>{
        "serve", "--data-dir", dir.file("data"), "--port", "0", "--quiet", "--org",
        sourceDir() + "/samples/nacka/organisation.xml", "--tls-cert", dir.file("cert.pem"),
        "--tls-key", dir.file("key.pem")});
    auto added = runKansli({"user", "add", "--data-dir", dir.file("data"), "--username", "rita",
                            "--role", "registrator"},
                           "ett-långt-lösenord-rita\n");
    ASSERT_EQ(added.exit_code, 0) << added.err;
  }
  TempDir dir;
  std::unique_ptr<ServerProcess> server;
};

TEST_F(Tls, ServesHttpsWithHstsOnEveryAnswer) {
  EXPECT_NE(server->output().find("https://"), std::string::npos) << server->output();
  auto health = httpsRequest(server->port(), "GET", "/health");
  EXPECT_EQ(health.status, 200) << health.body;
  EXPECT_EQ(health.headers.get("Strict-Transport-Security", ""), "max-age=31536000");
  auto missing = httpsRequest(server->port(), "GET", "/finns-inte");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.headers.get("Strict-Transport-Security", ""), "max-age=31536000");
}

TEST_F(Tls, TheBrowserSessionCookieIsSecure) {
  auto r = httpsRequest(server->port(), "POST", "/api/v1/session",
                        R"({"username":"rita","password":"ett-långt-lösenord-rita","cookie":true})");
  ASSERT_EQ(r.status, 201) << r.body;
  std::string cookie = r.headers.get("Set-Cookie", "");
  EXPECT_NE(cookie.find("; Secure"), std::string::npos) << cookie;
  EXPECT_NE(cookie.find("; HttpOnly"), std::string::npos) << cookie;
}

TEST_F(Tls, OldProtocolsAndPlainHttpGetNoService) {
  // A client that speaks only TLS 1.1 is refused in the handshake.
  Poco::Net::Context::Ptr old = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, "",
                                                       "", "", Poco::Net::Context::VERIFY_NONE);
  old->disableProtocols(Poco::Net::Context::PROTO_TLSV1_2 | Poco::Net::Context::PROTO_TLSV1_3);
  Poco::Net::HTTPSClientSession session("127.0.0.1", static_cast<Poco::UInt16>(server->port()), old);
  session.setTimeout(Poco::Timespan(10, 0));
  Poco::Net::HTTPRequest req("GET", "/health", Poco::Net::HTTPMessage::HTTP_1_1);
  EXPECT_ANY_THROW({
    session.sendRequest(req);
    Poco::Net::HTTPResponse res;
    session.receiveResponse(res);
  });
  // Plain HTTP on the TLS port: no HTTP answer.
  Client plain(server->port());
  EXPECT_ANY_THROW(plain.get("/health"));
}

TEST_F(Tls, ACertificateThatIsNotThereIsOneClearLine) {
  auto r = runKansli({"serve", "--data-dir", dir.file("data2"), "--port", "0", "--org",
                      sourceDir() + "/samples/nacka/organisation.xml", "--tls-cert",
                      dir.file("saknas.pem"), "--tls-key", dir.file("key.pem")});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("saknas.pem finns inte"), std::string::npos) << r.err;
  auto half = runKansli({"serve", "--data-dir", dir.file("data2"), "--port", "0", "--tls-cert",
                         dir.file("cert.pem")});
  EXPECT_EQ(half.exit_code, 1);
  EXPECT_NE(half.err.find("--tls-cert och --tls-key"), std::string::npos) << half.err;
}

}  // namespace
}  // namespace kansli::testing
