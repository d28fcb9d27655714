// The SMTP client that delivers the outbox (kansli/mail.h): Poco's
// SMTPClientSession, with STARTTLS whenever the server offers it.
//
// One connection per message: the outbox is small (extracts after a meeting,
// one digest per officer and day), and a fresh session makes a failure
// belong to one message only. A reply 5xx to the sender, a recipient or the
// data is a permanent failure (the message is not tried again); anything else
// (no connection, a timeout, 4xx) is transient.
//
// Header values are written from text the engine made (titles, names): every
// control character is replaced by a space and non-ASCII text is encoded as
// RFC 2047 words, so no value can add a header.
//
// Thread-compatible: one SmtpTransport per delivery thread.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "kansli/mail.h"

namespace kansli::api {

struct SmtpConfig {
  std::string host;  // empty: no e-mail is sent
  int port = 25;
  std::string from = "kansli@localhost";  // the envelope and From: address
  std::string from_name = "Kansli";
  // Certificates to trust for STARTTLS besides the system's (a test CA, a
  // municipality's own CA); empty: the system's only.
  std::string ca_file;
  std::chrono::seconds timeout{30};
  bool configured() const { return !host.empty(); }
};

class SmtpTransport final : public MailTransport {
 public:
  explicit SmtpTransport(SmtpConfig config);
  std::optional<MailFailure> send(const MailMessage& m) override;

  // Whether the last session was upgraded with STARTTLS (for tests and logs).
  bool lastUsedTls() const { return last_tls_; }

 private:
  SmtpConfig config_;
  bool last_tls_ = false;
};

// `text` fit for one header line: control characters become spaces.
std::string headerSafe(const std::string& text);

}  // namespace kansli::api
