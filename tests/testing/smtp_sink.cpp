#include "testing/smtp_sink.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <Poco/Net/MailMessage.h>
#include <Poco/Net/MessageHeader.h>
#include <Poco/Net/PartHandler.h>
#include <Poco/Pipe.h>
#include <Poco/String.h>
#include <Poco/StreamCopier.h>
#include <signal.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace kansli::testing {
namespace {

class Collect final : public Poco::Net::PartHandler {
 public:
  explicit Collect(ReceivedMail& m) : m_(m) {}
  void handlePart(const Poco::Net::MessageHeader& header, std::istream& stream) override {
    std::ostringstream ss;
    Poco::StreamCopier::copyStream(stream, ss);
    std::string disposition = header.get("Content-Disposition", "");
    std::string type = header.get("Content-Type", "");
    if (disposition.find("attachment") == std::string::npos) {
      m_.text += ss.str();
      return;
    }
    std::string value;
    Poco::Net::NameValueCollection params;
    Poco::Net::MessageHeader::splitParameters(disposition, value, params);
    ReceivedAttachment a;
    a.name = params.get("filename", "");
    Poco::Net::MessageHeader::splitParameters(type, value, params);
    a.media_type = value;
    a.bytes = ss.str();
    m_.attachments.push_back(std::move(a));
  }

 private:
  ReceivedMail& m_;
};

ReceivedMail parse(const std::string& raw) {
  ReceivedMail m;
  m.raw = raw;
  std::istringstream in(raw);
  Poco::Net::MailMessage msg;
  Collect collect(m);
  msg.read(in, collect);
  // RFC 2047 6.2: white space between adjacent encoded-words (the folding
  // of a long header) is not text. Poco's reader decodes the words itself
  // but keeps that space, so the header is taken from the raw bytes.
  const std::string head = raw.substr(0, raw.find("\r\n\r\n"));
  auto decoded = [&](const std::string& name) {
    static const std::regex between(R"(\?=\s+=\?)");
    std::string value;
    for (std::size_t at = 0; at < head.size();) {
      std::size_t end = head.find("\r\n", at);
      if (end == std::string::npos) end = head.size();
      std::string line = head.substr(at, end - at);
      at = end + 2;
      if (!value.empty() && (line.starts_with(" ") || line.starts_with("\t"))) {
        value += line;
        continue;
      }
      if (!value.empty()) break;
      if (line.size() > name.size() && line[name.size()] == ':' &&
          Poco::icompare(line.substr(0, name.size()), name) == 0) {
        value = line.substr(name.size() + 1);
        if (value.empty()) value = " ";
      }
    }
    value = std::regex_replace(value, between, "?==?");
    Poco::trimInPlace(value);
    return Poco::Net::MessageHeader::decodeWord(value, "UTF-8");
  };
  m.from = decoded("From");
  m.to = decoded("To");
  m.subject = decoded("Subject");
  m.message_id = msg.get("Message-ID", "");
  if (!msg.isMultipart()) m.text = msg.getContent();
  return m;
}

}  // namespace

SmtpSink::SmtpSink(SinkOptions o) {
  std::vector<std::string> args{sourceDir() + "/tests/testing/smtp_sink.py", "--dir",
                                dir_.path().string()};
  if (!o.tls_cert.empty()) {
    args.insert(args.end(), {"--tls-cert", o.tls_cert, "--tls-key", o.tls_key});
  }
  if (!o.reject.empty()) args.insert(args.end(), {"--reject", o.reject});
  if (o.tempfail > 0) args.insert(args.end(), {"--tempfail", std::to_string(o.tempfail)});
  if (o.hang) args.push_back("--hang");
  Poco::Pipe out;
  // Debian's python3: python3-aiosmtpd is installed for it, whatever python3
  // comes first on PATH.
  handle_ = std::make_unique<Poco::ProcessHandle>(
      Poco::Process::launch("/usr/bin/python3", args, nullptr, &out, &out));
  std::string output;
  std::regex port("PORT ([0-9]+)");
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  char buf[256];
  while (std::chrono::steady_clock::now() < deadline) {
    int n = out.readBytes(buf, sizeof buf);
    if (n <= 0) break;
    output.append(buf, static_cast<size_t>(n));
    std::smatch m;
    if (std::regex_search(output, m, port)) {
      port_ = std::stoi(m[1]);
      break;
    }
  }
  std::thread([out]() mutable {
    char b[256];
    while (out.readBytes(b, sizeof b) > 0) {
    }
  }).detach();
  if (port_ == 0) throw std::runtime_error("smtp_sink.py did not start: " + output);
}

SmtpSink::~SmtpSink() {
  ::kill(handle_->id(), SIGKILL);
  handle_->wait();
}

std::vector<ReceivedMail> SmtpSink::messages() const {
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(dir_.path())) {
    if (e.path().extension() == ".eml") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  std::vector<ReceivedMail> out;
  for (const auto& f : files) {
    ReceivedMail m = parse(readFile(f.string()));
    auto base = f;
    base.replace_extension(".rcpt");
    std::istringstream rcpt(readFile(base.string()));
    for (std::string line; std::getline(rcpt, line);) {
      if (!line.empty()) m.envelope_to.push_back(line);
    }
    base.replace_extension(".tls");
    m.tls = readFile(base.string()).rfind("yes", 0) == 0;
    out.push_back(std::move(m));
  }
  return out;
}

void writeSelfSignedCertificate(const std::string& cert_path, const std::string& key_path,
                                const std::string& host) {
  EVP_PKEY* key = EVP_RSA_gen(2048);
  X509* x = X509_new();
  ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
  X509_gmtime_adj(X509_getm_notBefore(x), -3600);
  X509_gmtime_adj(X509_getm_notAfter(x), 3600L * 24 * 365 * 20);
  X509_set_pubkey(x, key);
  X509_NAME* name = X509_get_subject_name(x);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(host.c_str()), -1, -1, 0);
  X509_set_issuer_name(x, name);
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, x, x, nullptr, nullptr, 0);
  std::string san = "DNS:" + host + ",IP:127.0.0.1";
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, NID_subject_alt_name, san.c_str());
  X509_add_ext(x, ext, -1);
  X509_EXTENSION_free(ext);
  X509_EXTENSION* bc = X509V3_EXT_conf_nid(nullptr, &ctx, NID_basic_constraints, "critical,CA:TRUE");
  X509_add_ext(x, bc, -1);
  X509_EXTENSION_free(bc);
  X509_sign(x, key, EVP_sha256());
  FILE* f = std::fopen(cert_path.c_str(), "w");
  PEM_write_X509(f, x);
  std::fclose(f);
  f = std::fopen(key_path.c_str(), "w");
  PEM_write_PrivateKey(f, key, nullptr, nullptr, 0, nullptr, nullptr);
  std::fclose(f);
  X509_free(x);
  EVP_PKEY_free(key);
}

}  // namespace kansli::testing
