#include "problem.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <sstream>

#include "kansli/text.h"

namespace kansli::api {

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
  o.set("detail", text::toValidUtf8(e.message));
  if (!instance.empty()) o.set("instance", text::toValidUtf8(instance));
  if (!e.fields.empty()) {
    Poco::JSON::Array errors;
    for (const auto& f : e.fields) {
      Poco::JSON::Object fe(Poco::JSON_PRESERVE_KEY_ORDER);
      fe.set("field", text::toValidUtf8(f.field));
      fe.set("message", text::toValidUtf8(f.message));
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
