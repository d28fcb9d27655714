#include "problem.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <sstream>

namespace kansli::api {

std::string utf8OrReplaced(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  size_t i = 0;
  while (i < s.size()) {
    auto b = static_cast<unsigned char>(s[i]);
    size_t n = b < 0x80 ? 1 : (b >= 0xC2 && b <= 0xDF) ? 2 : (b >= 0xE0 && b <= 0xEF) ? 3
             : (b >= 0xF0 && b <= 0xF4) ? 4 : 0;
    bool ok = n > 0 && i + n <= s.size();
    for (size_t k = 1; ok && k < n; ++k) {
      ok = (static_cast<unsigned char>(s[i + k]) & 0xC0) == 0x80;
    }
    if (ok && n >= 3) {
      auto b1 = static_cast<unsigned char>(s[i + 1]);
      // Overlong forms, UTF-16 surrogates and code points above U+10FFFF.
      ok = !(b == 0xE0 && b1 < 0xA0) && !(b == 0xED && b1 >= 0xA0) && !(b == 0xF0 && b1 < 0x90) &&
           !(b == 0xF4 && b1 >= 0x90);
    }
    if (ok) {
      out.append(s.substr(i, n));
      i += n;
    } else {
      out += "\xEF\xBF\xBD";  // U+FFFD for each byte that is not part of a character
      ++i;
    }
  }
  return out;
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
    case ErrorCode::kInternal: return 500;
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
    case 503: return "Tjänsten är inte tillgänglig";
    default: return "Fel";
  }
}

std::string problemJson(const Error& e, const std::string& instance) {
  int status = httpStatus(e.code);
  Poco::JSON::Object o(Poco::JSON_PRESERVE_KEY_ORDER);
  o.set("type", "about:blank");
  o.set("status", status);
  o.set("title", statusTitle(status));
  o.set("detail", utf8OrReplaced(e.message));
  if (!instance.empty()) o.set("instance", utf8OrReplaced(instance));
  if (!e.fields.empty()) {
    Poco::JSON::Array errors;
    for (const auto& f : e.fields) {
      Poco::JSON::Object fe(Poco::JSON_PRESERVE_KEY_ORDER);
      fe.set("field", utf8OrReplaced(f.field));
      fe.set("message", utf8OrReplaced(f.message));
      errors.add(fe);
    }
    o.set("errors", errors);
  }
  if (!e.allowed.empty()) {
    Poco::JSON::Array allowed;
    for (const auto& a : e.allowed) allowed.add(utf8OrReplaced(a));
    o.set("allowed", allowed);
  }
  std::ostringstream ss;
  o.stringify(ss);
  return ss.str();
}

}  // namespace kansli::api
