#include "wire.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace kansli::api::wire {
namespace {

bool isTchar(unsigned char c) {
  if (std::isalnum(c)) return true;
  switch (c) {
    case '!': case '#': case '$': case '%': case '&': case '\'': case '*': case '+': case '-':
    case '.': case '^': case '_': case '`': case '|': case '~':
      return true;
    default:
      return false;
  }
}

bool isToken(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return isTchar(static_cast<unsigned char>(c));
  });
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view trimOws(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

WireError bad(std::string detail) { return {400, std::move(detail)}; }

// Headers a request may carry once: two of them are either an attack (two
// Authorization headers read differently by a proxy and by us) or a broken
// client (RFC 9110 5.3: only list-valued fields may repeat).
constexpr std::array<std::string_view, 7> kSingletons = {
    "authorization", "host", "content-type", "cookie", "x-csrf-token", "content-length",
    "transfer-encoding"};

bool isSingleton(std::string_view name) {
  return std::find(kSingletons.begin(), kSingletons.end(), name) != kSingletons.end();
}

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string RequestHead::header(std::string_view lower_name) const {
  for (const auto& [k, v] : headers) {
    if (k == lower_name) return v;
  }
  return {};
}

bool RequestHead::has(std::string_view lower_name) const {
  return std::any_of(headers.begin(), headers.end(),
                     [&](const auto& kv) { return kv.first == lower_name; });
}

std::size_t headEnd(std::string_view buffered) {
  auto pos = buffered.find("\r\n\r\n");
  return pos == std::string_view::npos ? std::string_view::npos : pos + 4;
}

std::optional<WireError> parseHead(std::string_view raw, RequestHead& head, Framing& framing) {
  head = RequestHead{};
  framing = Framing{};
  if (raw.size() > kMaxHead) return WireError{431, "begärans huvud är för stort"};
  // RFC 9112 2.2: empty lines before the request line are ignored.
  while (raw.substr(0, 2) == "\r\n") raw.remove_prefix(2);
  if (raw.size() < 4 || raw.substr(raw.size() - 4) != "\r\n\r\n") {
    return bad("begärans huvud slutar inte med en tom rad");
  }
  raw.remove_suffix(2);  // keep one CRLF after the last line
  std::vector<std::string_view> lines;
  while (!raw.empty()) {
    auto crlf = raw.find("\r\n");
    std::string_view line = raw.substr(0, crlf);
    if (line.find('\r') != std::string_view::npos || line.find('\n') != std::string_view::npos) {
      return bad("ensamt CR eller LF i begärans huvud");
    }
    lines.push_back(line);
    raw.remove_prefix(crlf + 2);
  }
  if (lines.empty()) return bad("begäran saknar begäransrad");
  if (lines.size() - 1 > kMaxHeaders) return WireError{431, "begäran har för många huvuden"};

  // request-line = method SP request-target SP HTTP-version
  std::string_view rl = lines[0];
  auto sp1 = rl.find(' ');
  auto sp2 = sp1 == std::string_view::npos ? sp1 : rl.find(' ', sp1 + 1);
  if (sp1 == std::string_view::npos || sp2 == std::string_view::npos ||
      rl.find(' ', sp2 + 1) != std::string_view::npos) {
    return bad("ogiltig begäransrad");
  }
  std::string_view method = rl.substr(0, sp1);
  std::string_view target = rl.substr(sp1 + 1, sp2 - sp1 - 1);
  std::string_view version = rl.substr(sp2 + 1);
  if (!isToken(method)) return bad("ogiltig metod");
  if (target.empty() || std::any_of(target.begin(), target.end(), [](char c) {
        auto u = static_cast<unsigned char>(c);
        return u <= 0x20 || u == 0x7F;
      })) {
    return bad("ogiltig adress (URI)");
  }
  if (version.size() != 8 || version.substr(0, 5) != "HTTP/" || !std::isdigit(static_cast<unsigned char>(version[5])) ||
      version[6] != '.' || !std::isdigit(static_cast<unsigned char>(version[7]))) {
    return bad("ogiltig HTTP-version");
  }
  if (version[5] != '1') return WireError{505, "endast HTTP/1.0 och HTTP/1.1 stöds"};
  head.method = std::string(method);
  head.minor_version = version[7] - '0';
  // absolute-form (RFC 9112 3.2.2) is taken as its path and query.
  if (target.front() != '/') {
    auto scheme = target.find("://");
    if (target == "*" && method == "OPTIONS") {
      head.target = "*";
    } else if (scheme != std::string_view::npos &&
               (lower(target.substr(0, scheme)) == "http" || lower(target.substr(0, scheme)) == "https")) {
      auto path = target.find('/', scheme + 3);
      head.target = path == std::string_view::npos ? std::string("/") : std::string(target.substr(path));
    } else {
      return bad("ogiltig adress (URI)");
    }
  } else {
    head.target = std::string(target);
  }

  for (std::size_t i = 1; i < lines.size(); ++i) {
    std::string_view line = lines[i];
    if (line.front() == ' ' || line.front() == '\t') {
      return bad("radbrytning inom ett huvud (obs-fold) stöds inte");
    }
    auto colon = line.find(':');
    if (colon == std::string_view::npos) return bad("huvudrad utan kolon");
    std::string_view name = line.substr(0, colon);
    if (!isToken(name)) return bad("ogiltigt huvudnamn (inga mellanslag före kolon)");
    std::string_view value = trimOws(line.substr(colon + 1));
    if (!isValidHeaderValue(value)) return bad("styrtecken i huvudet " + std::string(name));
    std::string lname = lower(name);
    if (isSingleton(lname) && head.has(lname)) {
      return bad("huvudet " + std::string(name) + " får bara förekomma en gång");
    }
    head.headers.emplace_back(std::move(lname), std::string(value));
  }
  if (head.minor_version == 1 && !head.has("host")) return bad("HTTP/1.1 kräver huvudet Host");

  bool has_te = head.has("transfer-encoding");
  bool has_cl = head.has("content-length");
  if (has_te && has_cl) {
    return bad("begäran har både Content-Length och Transfer-Encoding");
  }
  if (has_te) {
    if (head.minor_version == 0) return bad("Transfer-Encoding i HTTP/1.0");
    // RFC 9112 6.3: chunked must be the final coding, or the length of the
    // body cannot be known: 400 and close. Chunked after a coding we do not
    // know: 501.
    std::string te = lower(head.header("transfer-encoding"));
    auto comma = te.rfind(',');
    std::string_view final_coding = trimOws(comma == std::string::npos ? std::string_view(te)
                                                                       : std::string_view(te).substr(comma + 1));
    if (final_coding != "chunked") return bad("Transfer-Encoding måste sluta med chunked");
    if (comma != std::string::npos) {
      return WireError{501, "endast Transfer-Encoding: chunked stöds"};
    }
    framing.kind = BodyKind::kChunked;
  } else if (has_cl) {
    std::string cl = head.header("content-length");
    if (cl.empty() || cl.size() > 19 ||
        cl.find_first_not_of("0123456789") != std::string::npos) {
      return bad("Content-Length måste vara ett heltal");
    }
    framing.length = std::stoull(cl);
    framing.kind = framing.length > 0 ? BodyKind::kLength : BodyKind::kNone;
  }
  return std::nullopt;
}

ChunkedDecoder::Step ChunkedDecoder::feed(std::string_view in, std::string& out) {
  Step step;
  std::size_t i = 0;
  auto fail = [&](std::string detail) {
    step.consumed = i;
    step.error = WireError{400, "ogiltig chunked-kodning: " + std::move(detail)};
    return step;
  };
  while (i < in.size() && state_ != State::kDone) {
    char c = in[i];
    switch (state_) {
      case State::kSize: {
        int v = hexValue(c);
        if (v >= 0) {
          if (++size_digits_ > 15) return fail("för stor del");
          remaining_ = remaining_ * 16 + static_cast<std::uint64_t>(v);
          ++i;
        } else if (size_digits_ > 0 && (c == ';' || c == ' ' || c == '\t')) {
          state_ = State::kExt;
          line_bytes_ = 0;
          ++i;
        } else if (size_digits_ > 0 && c == '\r') {
          state_ = State::kSizeLf;
          ++i;
        } else {
          return fail("storleken är inte hexadecimal");
        }
        break;
      }
      case State::kExt:
        if (c == '\r') {
          state_ = State::kSizeLf;
        } else if ((static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == 0x7F) {
          return fail("styrtecken i tillägg");
        } else if (++line_bytes_ > 1024) {
          return fail("för långt tillägg");
        }
        ++i;
        break;
      case State::kSizeLf:
        if (c != '\n') return fail("CR utan LF");
        ++i;
        size_digits_ = 0;
        if (remaining_ == 0) {
          state_ = State::kTrailer;
          trailer_line_empty_ = true;
        } else {
          state_ = State::kData;
        }
        break;
      case State::kData: {
        std::size_t n = static_cast<std::size_t>(
            std::min<std::uint64_t>(remaining_, in.size() - i));
        out.append(in.data() + i, n);
        i += n;
        remaining_ -= n;
        if (remaining_ == 0) state_ = State::kDataCr;
        break;
      }
      case State::kDataCr:
        if (c != '\r') return fail("delen är längre än sin storlek");
        state_ = State::kDataLf;
        ++i;
        break;
      case State::kDataLf:
        if (c != '\n') return fail("CR utan LF");
        state_ = State::kSize;
        ++i;
        break;
      case State::kTrailer:
        if (c == '\r') {
          state_ = State::kTrailerLf;
        } else if ((static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == 0x7F) {
          return fail("styrtecken i avslutande huvud");
        } else {
          trailer_line_empty_ = false;
          if (++trailer_bytes_ > 8192) return fail("för stora avslutande huvuden");
        }
        ++i;
        break;
      case State::kTrailerLf:
        if (c != '\n') return fail("CR utan LF");
        ++i;
        if (trailer_line_empty_) {
          state_ = State::kDone;
        } else {
          state_ = State::kTrailer;
          trailer_line_empty_ = true;
        }
        break;
      case State::kDone:
        break;
    }
  }
  step.consumed = i;
  step.done = state_ == State::kDone;
  return step;
}

bool isValidMediaType(std::string_view mt) {
  auto restrictedName = [](std::string_view s) {
    if (s.empty() || s.size() > 127 || !std::isalnum(static_cast<unsigned char>(s.front()))) {
      return false;
    }
    return std::all_of(s.begin(), s.end(), [](char ch) {
      auto c = static_cast<unsigned char>(ch);
      return std::isalnum(c) || c == '!' || c == '#' || c == '$' || c == '&' || c == '-' ||
             c == '^' || c == '_' || c == '.' || c == '+';
    });
  };
  if (mt.size() > 255) return false;
  auto semi = mt.find(';');
  std::string_view type_sub = trimOws(mt.substr(0, semi));
  auto slash = type_sub.find('/');
  if (slash == std::string_view::npos) return false;
  if (!restrictedName(type_sub.substr(0, slash)) || !restrictedName(type_sub.substr(slash + 1))) {
    return false;
  }
  // `rest` walks forward one parameter at a time; each pass drops at least
  // the ';' it starts after, so the loop ends (an offset into `rest` taken
  // as one into `mt` once sent a parameter list round for ever: fuzz corpus
  // http_wire/media-type-loop).
  std::string_view rest = mt;
  while (semi != std::string_view::npos) {
    rest = rest.substr(semi + 1);
    // A parameter: token "=" (token / quoted-string); quoted strings without
    // semicolons keep this small (no stored type needs one).
    semi = rest.find(';');
    std::string_view param = trimOws(rest.substr(0, semi));
    auto eq = param.find('=');
    if (eq == std::string_view::npos || !isToken(param.substr(0, eq))) return false;
    std::string_view value = param.substr(eq + 1);
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
      value = value.substr(1, value.size() - 2);
      if (!std::all_of(value.begin(), value.end(), [](char ch) {
            auto c = static_cast<unsigned char>(ch);
            return c >= 0x20 && c < 0x7F && c != '"' && c != '\\';
          })) {
        return false;
      }
    } else if (!isToken(value)) {
      return false;
    }
  }
  return true;
}

bool isValidHeaderName(std::string_view name) { return isToken(name); }

bool isValidHeaderValue(std::string_view value) {
  return std::none_of(value.begin(), value.end(), [](char ch) {
    auto c = static_cast<unsigned char>(ch);
    return (c < 0x20 && c != '\t') || c == 0x7F;
  });
}

std::string_view reasonPhrase(int status) {
  switch (status) {
    case 100: return "Continue";
    case 200: return "OK";
    case 201: return "Created";
    case 204: return "No Content";
    case 304: return "Not Modified";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 406: return "Not Acceptable";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 411: return "Length Required";
    case 412: return "Precondition Failed";
    case 413: return "Content Too Large";
    case 415: return "Unsupported Media Type";
    case 422: return "Unprocessable Content";
    case 428: return "Precondition Required";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 503: return "Service Unavailable";
    case 505: return "HTTP Version Not Supported";
    case 507: return "Insufficient Storage";
    default: return "Unknown";
  }
}

bool ResponseHead::set(std::string_view name, std::string_view value) {
  if (!isValidHeaderName(name) || !isValidHeaderValue(value)) return false;
  std::string lname = lower(name);
  // Set-Cookie may repeat; every other field is set once (the last wins).
  if (lname != "set-cookie") {
    fields_.erase(std::remove_if(fields_.begin(), fields_.end(),
                                 [&](const auto& kv) { return lower(kv.first) == lname; }),
                  fields_.end());
  }
  fields_.emplace_back(std::string(name), std::string(value));
  return true;
}

bool ResponseHead::has(std::string_view name) const {
  std::string lname = lower(name);
  return std::any_of(fields_.begin(), fields_.end(),
                     [&](const auto& kv) { return lower(kv.first) == lname; });
}

std::string ResponseHead::serialize() const {
  std::string out = "HTTP/1.1 " + std::to_string(status_) + " " + std::string(reasonPhrase(status_)) + "\r\n";
  for (const auto& [k, v] : fields_) {
    out += k;
    out += ": ";
    out += v;
    out += "\r\n";
  }
  out += "\r\n";
  return out;
}

}  // namespace kansli::api::wire
