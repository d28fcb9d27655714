// The case model: what the diarium registers and every module reads. A case
// (ärende) with its diarienummer, senders and secrecy; the documents
// (handlingar) registered in it; corrections; and what a listing asks for.
// Plain values, no behaviour beyond names: the rules are kansli/diarium.h's
// (registration, correction, search) and kansli/access.h's (who sees what).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kansli/sender.h"

namespace kansli {

struct Secrecy {
  std::string provision;            // "OSL 26 kap. 1 §"
  std::vector<std::string> fields;  // case: subject, senders; document: counterpart, title, content
};

struct NewCase {
  std::string committee;
  std::string kind;
  std::string subject;   // ärendemening
  std::string received;  // YYYY-MM-DD
  std::vector<Sender> senders;
  std::optional<std::string> unit;
  std::optional<std::string> officer;
  std::optional<Secrecy> secrecy;
  // The class code from the filing plan ("1.6", "KS.01") for committees whose
  // dnr format has {class} (docs/dnr.md): required there, refused elsewhere,
  // so every dnr Kansli writes parses back.
  // Default-initialised, so brace-initialised NewCases that name only the
  // fields before it stay valid.
  std::optional<std::string> class_code = {};
};

struct Case {
  std::int64_t id = 0;
  std::string dnr;
  std::string committee;
  std::string series;
  int year = 0;
  int number = 0;
  std::string kind;
  std::string subject;
  std::string received;
  std::vector<Sender> senders;
  std::optional<std::string> unit;
  std::optional<std::string> officer;
  std::string state;
  std::string workflow_id;
  int workflow_version = 0;
  std::int64_t version = 1;
  std::optional<std::string> deadline;        // the case's own (e.g. a year for a motion)
  std::optional<std::string> state_deadline;  // the current state's, from entering it
  std::optional<Secrecy> secrecy;
  std::string registered_at;
  std::string registered_by;
  bool closed = false;
  int document_count = 0;
};

enum class Direction { kInkommen, kUpprattad, kUtgaende };
std::string_view directionName(Direction d);  // "inkommen", "upprattad", "utgaende"
std::optional<Direction> parseDirection(std::string_view s);

// Document content that is read while it is stored and never held whole in
// memory (a raw upload spooled to a file): `size` bytes, which `read` copies
// into `buf` from `offset` (returning how many, 0 past the end, -1 on an
// error). Read once, in the write transaction that streams it into the
// database.
struct ContentSource {
  std::uint64_t size = 0;
  std::function<std::int64_t(char* buf, std::size_t n, std::uint64_t offset)> read;
};

struct NewDocument {
  Direction direction = Direction::kInkommen;
  std::string date;  // YYYY-MM-DD
  std::optional<std::string> counterpart;  // sender (inkommen) or recipient (utgående)
  std::string title;
  std::optional<std::string> media_type;
  std::optional<std::string> content;  // bytes
  // The content streamed instead (large uploads); at most one of the two.
  std::optional<ContentSource> content_stream;
  std::optional<Secrecy> secrecy;
};

struct Document {
  std::int64_t id = 0;
  std::int64_t case_id = 0;
  int number = 0;
  Direction direction = Direction::kInkommen;
  std::string date;
  std::optional<std::string> counterpart;
  std::string title;
  std::optional<std::string> media_type;
  std::optional<std::int64_t> size;
  std::optional<std::string> sha256;
  std::optional<Secrecy> secrecy;
  std::string registered_at;
  std::string registered_by;
  std::optional<std::string> kind;  // set by workflow effects: tjansteskrivelse, ...
};

// What a correction changes; fields left empty stay as they are.
struct CaseCorrection {
  std::optional<std::string> subject;
  std::optional<std::string> received;
  std::optional<std::vector<Sender>> senders;
  std::optional<std::string> unit;
  std::optional<std::string> officer;
  std::string reason;  // required
};

struct Correction {
  std::string field;
  std::string before;  // JSON
  std::string after;   // JSON
  std::string reason;
  std::string corrected_by;
  std::string corrected_at;
};

struct CaseQuery {
  // What a person types in the search box. A query that reads as a case
  // number (a dnr of any series as people type it, year/number, or a number
  // alone) lists the cases with that number first, newest first; then come
  // the full-text hits: every word must match, "in quotes" is a phrase, a
  // word ending in * and the last word (unless quoted) find words that start
  // with them (engine/src/diarium/search_query.h, store/search_words.h).
  // Full-text hits come by relevance, or newest first when there are more
  // than DiariumOptions::ranked_search_limit of them.
  std::optional<std::string> q;
  std::optional<std::string> committee, kind, state, unit, officer, dnr;
  std::optional<int> year;
  std::optional<std::string> received_from, received_to;  // YYYY-MM-DD, inclusive
  bool overdue = false;
  int limit = 50;  // 1..200
  std::optional<std::string> cursor;  // from the previous page's `next`
};

struct CasePage {
  std::vector<Case> items;
  std::optional<std::string> next;
};

}  // namespace kansli
