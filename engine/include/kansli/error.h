// Errors as values across the engine's surface.
//
// Every engine operation that can fail for a reason the caller should handle
// returns kansli::Result<T> (std::expected<T, Error>). The codes are few on
// purpose: api/ maps each once to an HTTP status and an RFC 9457 body
// (api/problem.cpp). Exceptions from libraries (Poco, std) are caught at the
// boundary where they are thrown and turned into Error{kInternal}.
#pragma once

#include <expected>
#include <string>
#include <utility>
#include <vector>

namespace kansli {

enum class ErrorCode {
  kInvalidInput,        // malformed request: 400
  kUnprocessable,       // well-formed but breaks a rule (guard, schema): 422
  kUnauthenticated,     // no or bad credentials: 401
  kForbidden,           // known caller, not allowed: 403
  kNotFound,            // 404
  kConflict,            // state does not allow it: 409
  kPreconditionFailed,  // stale version (If-Match): 412
  kPreconditionRequired,// missing If-Match: 428
  kTooLarge,            // size limit: 413
  kTooManyRequests,     // throttled: 429
  kCancelled,           // the client went away and the work was stopped: 499
                        // (nginx's "client closed request"; nobody reads it)
  kInsufficientStorage, // the disk is full; nothing was written: 507
  kInternal,            // a bug or the machine failing: 500
  kUnavailable,         // the database cannot be reached now; try again: 503
};

// One field at fault, named as the client sent it ("senders[0].name").
struct FieldError {
  std::string field;
  std::string message;  // Swedish, for the user
};

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;  // Swedish, for the user (problem+json "detail")
  std::vector<FieldError> fields;
  // Extra names for the client, e.g. the transitions allowed from this state.
  std::vector<std::string> allowed;

  static Error invalid(std::string msg, std::vector<FieldError> f = {}) {
    return {ErrorCode::kInvalidInput, std::move(msg), std::move(f), {}};
  }
  static Error unprocessable(std::string msg, std::vector<FieldError> f = {}) {
    return {ErrorCode::kUnprocessable, std::move(msg), std::move(f), {}};
  }
  static Error notFound(std::string msg) { return {ErrorCode::kNotFound, std::move(msg), {}, {}}; }
  static Error conflict(std::string msg) { return {ErrorCode::kConflict, std::move(msg), {}, {}}; }
  static Error forbidden(std::string msg) { return {ErrorCode::kForbidden, std::move(msg), {}, {}}; }
  static Error unauthenticated(std::string msg) {
    return {ErrorCode::kUnauthenticated, std::move(msg), {}, {}};
  }
  static Error internal(std::string msg) { return {ErrorCode::kInternal, std::move(msg), {}, {}}; }
};

template <class T>
using Result = std::expected<T, Error>;

// Result<void> helper: `return ok();`
inline Result<void> ok() { return {}; }

// Returns early from the enclosing function with the error of `expr`.
#define KANSLI_TRY(expr)                                        \
  do {                                                          \
    auto&& kansli_try_result_ = (expr);                         \
    if (!kansli_try_result_) {                                  \
      return std::unexpected(std::move(kansli_try_result_).error()); \
    }                                                           \
  } while (0)

// Evaluates `expr` (a Result<T>); on error returns it from the enclosing
// function, otherwise moves its value into `lhs`, which may declare a
// variable:
//   KANSLI_ASSIGN_OR_RETURN(auto c, tx.diarium().caseById(id));
//   KANSLI_ASSIGN_OR_RETURN(existing, load(tx));
// One statement per use (it expands to more than one: not after a bare if).
#define KANSLI_ASSIGN_OR_RETURN(lhs, expr) \
  KANSLI_ASSIGN_OR_RETURN_IMPL_(KANSLI_CONCAT_(kansli_result_, __LINE__), lhs, expr)

#define KANSLI_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr)   \
  auto tmp = (expr);                                    \
  if (!tmp) return std::unexpected(std::move(tmp).error()); \
  lhs = std::move(*tmp)

#define KANSLI_CONCAT_(a, b) KANSLI_CONCAT_INNER_(a, b)
#define KANSLI_CONCAT_INNER_(a, b) a##b

}  // namespace kansli
