#include "smtp.h"

#include <Poco/Net/Context.h>
#include <Poco/Net/MailMessage.h>
#include <Poco/Net/MailRecipient.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/RejectCertificateHandler.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/Net/SecureSMTPClientSession.h>
#include <Poco/Net/StringPartSource.h>

#include <mutex>

namespace kansli::api {
namespace {

std::once_flag ssl_client_once;

// Certificates that fail verification are refused, never accepted with a
// prompt: the SSL manager's client handler, set once for the process.
void initSslClient() {
  std::call_once(ssl_client_once, [] {
    Poco::Net::initializeSSL();
    Poco::Net::Context::Ptr ctx = new Poco::Net::Context(
        Poco::Net::Context::TLS_CLIENT_USE, "", "", "", Poco::Net::Context::VERIFY_RELAXED, 9, true);
    Poco::SharedPtr<Poco::Net::InvalidCertificateHandler> reject =
        new Poco::Net::RejectCertificateHandler(false);
    Poco::Net::SSLManager::instance().initializeClient(nullptr, reject, ctx);
  });
}

bool asciiOnly(const std::string& s) {
  for (unsigned char c : s) {
    if (c >= 0x80) return false;
  }
  return true;
}

// A header's text: one line, RFC 2047-encoded when not ASCII.
std::string headerWord(const std::string& text) {
  std::string safe = headerSafe(text);
  return asciiOnly(safe) ? safe : Poco::Net::MailMessage::encodeWord(safe, "UTF-8");
}

bool permanentStatus(int status) { return status >= 500 && status < 600; }

}  // namespace

std::string headerSafe(const std::string& text) {
  std::string out = text;
  for (auto& c : out) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) c = ' ';
  }
  return out;
}

SmtpTransport::SmtpTransport(SmtpConfig config) : config_(std::move(config)) { initSslClient(); }

std::optional<MailFailure> SmtpTransport::send(const MailMessage& m) {
  last_tls_ = false;
  if (!plausibleEmail(m.to_address)) {
    return MailFailure{"ogiltig mottagaradress", true};
  }
  Poco::Net::MailMessage msg;
  msg.setSender(headerWord(config_.from_name) + " <" + headerSafe(config_.from) + ">");
  msg.addRecipient(Poco::Net::MailRecipient(Poco::Net::MailRecipient::PRIMARY_RECIPIENT,
                                            m.to_address, headerWord(m.to_name)));
  msg.setSubject(headerWord(m.subject));
  msg.set("Message-ID", headerSafe(m.message_id));
  msg.set("Auto-Submitted", "auto-generated");
  if (m.attachment) {
    msg.addContent(new Poco::Net::StringPartSource(m.body, "text/plain; charset=UTF-8"),
                   Poco::Net::MailMessage::ENCODING_QUOTED_PRINTABLE);
    std::string name = headerSafe(m.attachment->name);
    msg.addAttachment(name,
                      new Poco::Net::StringPartSource(m.attachment->bytes,
                                                      headerSafe(m.attachment->media_type), name),
                      Poco::Net::MailMessage::ENCODING_BASE64);
  } else {
    msg.setContentType("text/plain; charset=UTF-8");
    msg.setContent(m.body, Poco::Net::MailMessage::ENCODING_QUOTED_PRINTABLE);
  }

  try {
    Poco::Net::SecureSMTPClientSession session(config_.host,
                                               static_cast<Poco::UInt16>(config_.port));
    session.setTimeout(Poco::Timespan(static_cast<long>(config_.timeout.count()), 0));
    session.open();
    std::string response;
    const std::string helo = "kansli.localdomain";
    int status = session.sendCommand("EHLO", helo, response);
    bool ehlo = status / 100 == 2;
    if (!ehlo) {
      status = session.sendCommand("HELO", helo, response);
      if (status / 100 != 2) {
        return MailFailure{"servern svarade inte på HELO: " + response, permanentStatus(status)};
      }
    }
    // STARTTLS whenever the server offers it (RFC 3207): the certificate must
    // be valid for the host name, or nothing is sent.
    if (ehlo && response.find("STARTTLS") != std::string::npos) {
      Poco::Net::Context::Ptr ctx = new Poco::Net::Context(
          Poco::Net::Context::TLS_CLIENT_USE, "", "", config_.ca_file,
          Poco::Net::Context::VERIFY_RELAXED, 9, true);
      ctx->disableProtocols(Poco::Net::Context::PROTO_SSLV2 | Poco::Net::Context::PROTO_SSLV3 |
                            Poco::Net::Context::PROTO_TLSV1 | Poco::Net::Context::PROTO_TLSV1_1);
      if (!session.startTLS(ctx)) {
        return MailFailure{"servern erbjöd STARTTLS men kunde inte starta det", false};
      }
      last_tls_ = true;
      status = session.sendCommand("EHLO", helo, response);
      if (status / 100 != 2) {
        return MailFailure{"servern svarade inte på EHLO efter STARTTLS: " + response,
                           permanentStatus(status)};
      }
    }
    session.sendMessage(msg);
    try {
      session.close();
    } catch (const Poco::Exception&) {
      // The message was accepted (250 after DATA); a failed QUIT changes nothing.
    }
    return std::nullopt;
  } catch (const Poco::Net::SMTPException& e) {
    return MailFailure{e.displayText(), permanentStatus(e.code())};
  } catch (const Poco::Exception& e) {
    return MailFailure{e.displayText(), false};
  } catch (const std::exception& e) {
    return MailFailure{e.what(), false};
  }
}

}  // namespace kansli::api
