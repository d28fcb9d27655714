// HTTP/1.1 on the wire (RFC 9112), strictly: the request head parser, the
// body framing it implies, the chunked decoder, and the response writer with
// the one checked header setter. Pure functions and small state machines on
// bytes, no sockets: server.cpp feeds them, tests and fuzzers call them
// directly.
//
// What is refused (each answer 400 and the connection is closed, RFC 9112
// 6.3, 11.2): Content-Length together with Transfer-Encoding (request
// smuggling); a Transfer-Encoding other than exactly "chunked"; a
// Content-Length that is not digits, or two of them; obsolete line folding (a
// header line starting with a space or tab); a space before the colon; bare CR
// or LF and any control byte in a header; two Authorization, Host,
// Content-Type, Cookie or X-CSRF-Token headers; an HTTP/1.1 request without
// Host. A head longer than kMaxHead or with more than kMaxHeaders lines is 431.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kansli::api::wire {

inline constexpr std::size_t kMaxHead = 64 * 1024;
inline constexpr std::size_t kMaxHeaders = 100;

struct RequestHead {
  std::string method;
  std::string target;  // as sent: origin-form path?query
  int minor_version = 1;  // HTTP/1.<minor>
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased, values trimmed

  // The value of a header (the first), or "".
  std::string header(std::string_view lower_name) const;
  bool has(std::string_view lower_name) const;
};

enum class BodyKind { kNone, kLength, kChunked };

struct Framing {
  BodyKind kind = BodyKind::kNone;
  std::uint64_t length = 0;  // kLength
};

// A refusal before the request reaches the service: the status (400, 411,
// 431, 501, 505) and a Swedish detail for the problem+json answer.
struct WireError {
  int status = 400;
  std::string detail;
};

// Where the head ends in `buffered` (the index just past CRLFCRLF), or npos.
std::size_t headEnd(std::string_view buffered);

// Parses the head (request line and header lines, ending in CRLFCRLF).
// On success fills `head` and `framing`.
std::optional<WireError> parseHead(std::string_view raw, RequestHead& head, Framing& framing);

// Incremental chunked-body decoder (RFC 9112 7.1). feed() consumes bytes from
// `in` (it may stop before the end, after the last chunk), appends the data
// to `out`, and says how far it got. Chunk extensions and trailer fields are
// read and dropped (bounded).
class ChunkedDecoder {
 public:
  struct Step {
    std::size_t consumed = 0;
    bool done = false;
    std::optional<WireError> error;
  };
  Step feed(std::string_view in, std::string& out);

 private:
  enum class State { kSize, kExt, kSizeLf, kData, kDataCr, kDataLf, kTrailer, kTrailerLf, kDone };
  State state_ = State::kSize;
  std::uint64_t remaining_ = 0;
  int size_digits_ = 0;
  std::size_t line_bytes_ = 0;  // of the current extension or trailer line
  std::size_t trailer_bytes_ = 0;
  bool trailer_line_empty_ = true;
};

// RFC 6838 4.2: type "/" subtype, each a restricted-name (1-127 characters:
// a letter or digit first, then letters, digits and !#$&-^_.+), optionally
// followed by parameters (";" token "=" token or quoted-string, no control
// bytes). Used for the media types of stored documents, which become the
// Content-Type of their content.
bool isValidMediaType(std::string_view media_type);

// A header name is a token; a value has no CR, LF, NUL or other control byte
// but horizontal tab (RFC 9110 5.5). Every header the server writes passes here.
bool isValidHeaderName(std::string_view name);
bool isValidHeaderValue(std::string_view value);

// The standard reason phrase ("Not Found"), "Unknown" for others.
std::string_view reasonPhrase(int status);

// Builds a response head. set() refuses (returns false, writes nothing) a name
// or value that fails the checks above; the caller then answers 500 instead.
class ResponseHead {
 public:
  // Room for the fields every answer has (Date, Server, the security
  // headers, Content-Type, Content-Length...): no regrowth while adding.
  explicit ResponseHead(int status) : status_(status) { fields_.reserve(16); }
  bool set(std::string_view name, std::string_view value);
  // The server's own fields of fixed, known-good text, added to a head that
  // has none of that name yet: no check, no replacement (set() checks every
  // byte of a value, which for the security headers was a fifth of
  // answering GET /health, issue #20).
  void add(std::string_view name, std::string_view value);
  bool has(std::string_view name) const;  // case-insensitive
  int status() const { return status_; }
  std::string serialize() const;  // "HTTP/1.1 200 OK\r\n...\r\n\r\n"

 private:
  int status_;
  std::vector<std::pair<std::string, std::string>> fields_;
};

}  // namespace kansli::api::wire
