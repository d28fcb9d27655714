// Fuzz target for the HTTP/1.1 wire parser (api/wire.h): every byte a client
// sends before the service sees a request. The input is a request head,
// optionally followed by a body after the first blank line, and a chunked
// body is decoded split at a point the input chooses. Beyond "no crash, no
// sanitizer report" it traps when a promise breaks:
//   * a parsed head never carries a header value with CR, LF or NUL, never
//     two Authorization/Host/Content-Length headers, never both framings;
//   * the decoder consumes no more than it was given, and decoding in two
//     pieces gives the same bytes as decoding at once;
//   * a media type that passes the check is one a header may carry.
//
// Built by fuzz/CMakeLists.txt (`make fuzz`).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "wire.h"

namespace {

void check(bool ok) {
  if (!ok) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace kansli::api::wire;
  std::string_view input(reinterpret_cast<const char*>(data), size);
  if (input.empty()) return 0;
  const std::size_t split_at = static_cast<unsigned char>(input[0]);
  input.remove_prefix(1);

  RequestHead head;
  Framing framing;
  std::size_t end = headEnd(input);
  std::string_view raw = end == std::string_view::npos ? input : input.substr(0, end);
  if (!parseHead(raw, head, framing)) {
    int auth = 0, host = 0, length = 0, te = 0;
    for (const auto& [name, value] : head.headers) {
      check(value.find_first_of(std::string_view("\r\n\0", 3)) == std::string::npos);
      auth += name == "authorization";
      host += name == "host";
      length += name == "content-length";
      te += name == "transfer-encoding";
    }
    check(auth <= 1 && host <= 1 && length <= 1 && te <= 1);
    check(!(length && te));
    check(framing.kind != BodyKind::kChunked || te == 1);
  }

  std::string_view body = end == std::string_view::npos ? std::string_view() : input.substr(end);
  std::string whole, parts;
  ChunkedDecoder at_once;
  auto a = at_once.feed(body, whole);
  check(a.consumed <= body.size());
  ChunkedDecoder in_two;
  std::size_t cut = body.empty() ? 0 : split_at % (body.size() + 1);
  auto first = in_two.feed(body.substr(0, cut), parts);
  check(first.consumed <= cut);
  if (!first.error && !first.done && first.consumed == cut) {
    auto second = in_two.feed(body.substr(cut), parts);
    if (!a.error && !second.error) {
      check(second.done == a.done);
      if (a.done) check(parts == whole);
    }
  }

  if (isValidMediaType(input)) check(isValidHeaderValue(input));
  ResponseHead response(200);
  if (response.set("X-Fuzz", input)) check(response.serialize().find("X-Fuzz") != std::string::npos);
  return 0;
}
