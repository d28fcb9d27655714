// A real SMTP server for the tests: tests/testing/smtp_sink.py on aiosmtpd
// (Debian's python3-aiosmtpd, installed by scripts/install-deps), started on
// a free loopback port, keeping what it receives in a temporary folder. The
// messages are read back and parsed with Poco's MIME reader, attachments
// included.
#pragma once

#include <Poco/Process.h>

#include <memory>
#include <string>
#include <vector>

#include "testing/testing.h"

namespace kansli::testing {

struct SinkOptions {
  std::string tls_cert = {};  // offer STARTTLS
  std::string tls_key = {};
  std::string reject = {};    // 550 for recipients starting with this
  int tempfail = 0;               // 451 for the first N messages
  bool hang = false;              // never answer DATA
};

struct ReceivedAttachment {
  std::string name;
  std::string media_type;
  std::string bytes;
};

struct ReceivedMail {
  std::string raw;
  std::vector<std::string> envelope_to;
  bool tls = false;  // the session had switched to TLS (STARTTLS)
  std::string from, to, subject, message_id;  // headers, RFC 2047 decoded
  std::string text;                          // the text/plain part, decoded
  std::vector<ReceivedAttachment> attachments;
};

class SmtpSink {
 public:
  explicit SmtpSink(SinkOptions options = {});
  ~SmtpSink();
  int port() const { return port_; }
  // What arrived so far, in order.
  std::vector<ReceivedMail> messages() const;

 private:
  TempDir dir_;
  std::unique_ptr<Poco::ProcessHandle> handle_;
  int port_ = 0;
};

// A self-signed certificate for `host` (subjectAltName DNS:host and
// IP:127.0.0.1), RSA 2048, PEM files.
void writeSelfSignedCertificate(const std::string& cert_path, const std::string& key_path,
                                const std::string& host);

}  // namespace kansli::testing
