#include "problem.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <algorithm>
#include <filesystem>
#include <mutex>
#include <sstream>

#include "kansli/text.h"

namespace kansli::api {

namespace {
std::mutex& pathsMutex() {
  static std::mutex mu;
  return mu;
}
std::vector<std::string>& serverPaths() {
  static std::vector<std::string> paths;
  return paths;
}
}  // namespace

void setServerPaths(std::vector<std::string> folders) {
  std::vector<std::string> out;
  for (auto& f : folders) {
    if (f.empty()) continue;
    std::error_code ec;
    auto canonical = std::filesystem::weakly_canonical(f, ec);
    for (std::string p : {f, ec ? std::string() : canonical.string()}) {
      while (p.size() > 1 && p.back() == '/') p.pop_back();
      if (p.size() > 1) out.push_back(p + "/");
    }
  }
  // Longest first: a data dir inside the home is replaced whole.
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.size() > b.size(); });
  out.erase(std::unique(out.begin(), out.end()), out.end());
  std::lock_guard lock(pathsMutex());
  serverPaths() = std::move(out);
}

std::string hideServerPaths(std::string_view text) {
  std::string s(text);
  std::lock_guard lock(pathsMutex());
  for (const auto& p : serverPaths()) {
    for (auto pos = s.find(p); pos != std::string::npos; pos = s.find(p, pos)) s.erase(pos, p.size());
  }
  return s;
}


int httpStatus(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidInput: return 400;
    case ErrorCode::kUnauthenticated: return 401;
    case ErrorCode::kForbidden: return 403;
    case ErrorCode::kNotFound: return 404;
    case ErrorCode::kConflict: return 409;
    case ErrorCode::kPreconditionFailed: return 412;
    case ErrorCode::kTooLarge: return 413;
    case ErrorCode::kUnprocessable: return 422;
    case ErrorCode::kPreconditionRequired: return 428;
    case ErrorCode::kTooManyRequests: return 429;
    case ErrorCode::kCancelled: return 499;
    case ErrorCode::kInsufficientStorage: return 507;
    case ErrorCode::kInternal: return 500;
    case ErrorCode::kUnavailable: return 503;
  }
  return 500;
}

std::string statusTitle(int status) {
  switch (status) {
    case 400: return "Ogiltig begäran";
    case 401: return "Inloggning krävs";
    case 403: return "Åtkomst nekad";
    case 404: return "Hittades inte";
    case 405: return "Metoden stöds inte";
    case 406: return "Formatet kan inte levereras";
    case 408: return "Begäran tog för lång tid";
    case 409: return "Konflikt";
    case 411: return "Längd krävs";
    case 412: return "Versionen är inaktuell";
    case 413: return "För stor begäran";
    case 415: return "Medietypen stöds inte";
    case 422: return "Kan inte behandlas";
    case 428: return "If-Match krävs";
    case 429: return "För många försök";
    case 431: return "För stora huvuden";
    case 499: return "Klienten avbröt";
    case 500: return "Internt fel";
    case 501: return "Stöds inte";
    case 503: return "Tjänsten är inte tillgänglig";
    case 505: return "HTTP-versionen stöds inte";
    case 507: return "Lagringsutrymmet är slut";
    default: return "Fel";
  }
}

std::string problemJson(const Error& e, const std::string& instance) {
  int status = httpStatus(e.code);
  Poco::JSON::Object o(Poco::JSON_PRESERVE_KEY_ORDER);
  o.set("type", "about:blank");
  o.set("status", status);
  o.set("title", statusTitle(status));
  o.set("detail", text::toValidUtf8(hideServerPaths(e.message)));
  if (!instance.empty()) o.set("instance", text::toValidUtf8(instance));
  if (!e.fields.empty()) {
    Poco::JSON::Array errors;
    for (const auto& f : e.fields) {
      Poco::JSON::Object fe(Poco::JSON_PRESERVE_KEY_ORDER);
      fe.set("field", text::toValidUtf8(f.field));
      fe.set("message", text::toValidUtf8(hideServerPaths(f.message)));
      errors.add(fe);
    }
    o.set("errors", errors);
  }
  if (!e.allowed.empty()) {
    Poco::JSON::Array allowed;
    for (const auto& a : e.allowed) allowed.add(text::toValidUtf8(a));
    o.set("allowed", allowed);
  }
  std::ostringstream ss;
  o.stringify(ss);
  return ss.str();
}

}  // namespace kansli::api
