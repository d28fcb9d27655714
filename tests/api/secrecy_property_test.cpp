// Secrecy is a property of every output (issue #14, GUIDE.md §6): a secret
// word reaches only those whose sight of its case is full, and every such
// showing is a `*.secret_read` audit event in the reader's name.
//
// The test generates cases with a unique marker word in every place a secret
// can sit (subject, sender, document title, counterpart and content, memo
// text, decision text, the officer's user name), in every variant of secrecy
// (none; a secret case with a secret document; a case whose senders alone are
// secret; an open case with a secret document) and at every
// stage of the politikerinitiativ workflow up to closure (registered,
// assigned, officer named, memo drafted, submitted, approved, on an agenda,
// decided, attested, posted, closed). Then every caller (the registrator;
// officer and unit head of the cases' unit and of other units; the
// secretaries of the committee and of another; a member; an admin; and
// anonymous callers) walks every GET route of the server in every format the
// route offers, runs every search with every secret marker and its first 3
// to 6 letters, and the answers are read the way a person's programs would
// (pdftotext/pdfinfo for PDF, every member of a DOCX/ODT package, headers
// too). Nothing is taken from the engine's access rules: who sees what is
// written out again below (`sightOf`, `secretPlace`).
//
// What is secret (the rules, as docs/security.md states them):
//   * a case's secrecy names its secret fields (here: subject and senders, or
//     the senders alone);
//     whatever is written in a case with secrecy (its memo, its decision
//     text) and the identity of its officer are secret with it;
//   * a document's secrecy names its secret fields (counterpart, title,
//     content); a secret content's SHA-256 is secret too (it confirms a
//     guess);
//   * "full sight" (kansli/access.h): the case's unit line (officers and unit
//     heads of the unit, the units above and below it) and the committee's
//     secretary; the registrator, members and admins see the case masked;
//     everyone else does not see it at all; anonymous callers only see what
//     the public sees.
//
// The walk cannot forget a channel: every GET route of the router must have
// a walker below (or an exclusion with its reason), every format a route
// offers (named in api/openapi.yaml and by the server's own 400 for an
// unknown format) is walked and must have a reader here, and each walker
// must show the words it exists to show (positive controls), so a walker
// that only ever got 404s fails too.
#include <gtest/gtest.h>

#include <openssl/evp.h>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <Poco/URI.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <random>
#include <set>
#include <sstream>

#include "testing/api_server.h"
#include "testing/audit_tail.h"
#include "testing/document_text.h"
#include "testing/meeting_flow.h"

namespace kansli::testing {
namespace {

using namespace std::chrono;

Instant at(int y, unsigned m, unsigned d, int hour_utc = 8) {
  return Instant{sys_days{year{y} / m / d}} + hours{hour_utc};
}

std::string sha256Hex(const std::string& bytes) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_Digest(bytes.data(), bytes.size(), md, &n, EVP_sha256(), nullptr);
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (unsigned i = 0; i < n; ++i) {
    out += hex[md[i] >> 4];
    out += hex[md[i] & 15];
  }
  return out;
}

std::string base64(const std::string& in) {
  static const char* k = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (size_t at = 0; at < in.size(); at += 3) {
    unsigned n = static_cast<unsigned char>(in[at]) << 16;
    if (at + 1 < in.size()) n |= static_cast<unsigned char>(in[at + 1]) << 8;
    if (at + 2 < in.size()) n |= static_cast<unsigned char>(in[at + 2]);
    out += k[(n >> 18) & 63];
    out += k[(n >> 12) & 63];
    out += at + 1 < in.size() ? k[(n >> 6) & 63] : '=';
    out += at + 2 < in.size() ? k[n & 63] : '=';
  }
  return out;
}

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// ---- The generated world -------------------------------------------------------

enum class Stage {
  kRegistered,
  kAssigned,
  kOfficer,
  kMemoDrafted,
  kSubmitted,
  kApproved,
  kOnAgenda,
  kDecided,
  kAttested,
  kPosted,
  kClosed,
};
constexpr Stage kStages[] = {Stage::kRegistered, Stage::kAssigned, Stage::kOfficer,
                             Stage::kMemoDrafted, Stage::kSubmitted, Stage::kApproved,
                             Stage::kOnAgenda,    Stage::kDecided,   Stage::kAttested,
                             Stage::kPosted,      Stage::kClosed};

const char* stageName(Stage s) {
  switch (s) {
    case Stage::kRegistered: return "registrerad";
    case Stage::kAssigned: return "tilldelad";
    case Stage::kOfficer: return "handläggare utsedd";
    case Stage::kMemoDrafted: return "utkast";
    case Stage::kSubmitted: return "för godkännande";
    case Stage::kApproved: return "godkänd";
    case Stage::kOnAgenda: return "på dagordning";
    case Stage::kDecided: return "beslutad";
    case Stage::kAttested: return "justerad";
    case Stage::kPosted: return "anslagen";
    case Stage::kClosed: return "avslutad";
  }
  return "?";
}

// kSecretCase: subject and senders secret, and a secret document;
// kSecretSenders: only the senders secret (what is written in the case is
// secret with it all the same); kSecretDocument: an open case with a secret
// document.
enum class Variant { kOpen, kSecretCase, kSecretSenders, kSecretDocument };

const char* variantName(Variant v) {
  switch (v) {
    case Variant::kOpen: return "öppet ärende";
    case Variant::kSecretCase: return "hemligt ärende";
    case Variant::kSecretSenders: return "hemlig avsändare";
    case Variant::kSecretDocument: return "hemlig handling";
  }
  return "?";
}

// Where a marker word sits.
enum class Place {
  kSubject,
  kSender,
  kInitiativeTitle,  // the title of the open initiative document (never secret)
  kDocumentTitle,
  kCounterpart,
  kContent,
  kContentDigest,  // SHA-256 of the content, as hex
  kMemoText,
  kDecisionText,
  kOfficer,  // the officer's user name (also their display name)
};

const char* placeName(Place p) {
  switch (p) {
    case Place::kSubject: return "ärendemening";
    case Place::kSender: return "avsändare";
    case Place::kInitiativeTitle: return "öppen handlings titel";
    case Place::kDocumentTitle: return "handlingens titel";
    case Place::kCounterpart: return "handlingens avsändare";
    case Place::kContent: return "handlingens innehåll";
    case Place::kContentDigest: return "innehållets sha256";
    case Place::kMemoText: return "tjänsteskrivelsens text";
    case Place::kDecisionText: return "beslutstext";
    case Place::kOfficer: return "handläggarens namn";
  }
  return "?";
}

struct GenCase {
  int index = 0;
  std::string id;
  std::string committee = "SOCN";
  std::string unit = "bfe";  // given at tilldela_enhet
  Stage stage = Stage::kRegistered;
  Variant variant = Variant::kOpen;
  std::map<Place, std::string> words;
  std::string officer;  // user name, from Stage::kOfficer
  int memo_versions = 0;
  std::string meeting;   // on whose agenda, from Stage::kOnAgenda
  int item = 0;
  std::string decision;  // id, from Stage::kDecided
  int documents = 0;     // as the full view lists them after the setup

  bool secretCase() const { return variant == Variant::kSecretCase || variant == Variant::kSecretSenders; }
  bool secretSubject() const { return variant == Variant::kSecretCase; }
  bool secretDocument() const { return variant == Variant::kSecretCase || variant == Variant::kSecretDocument; }
  bool assigned() const { return stage >= Stage::kAssigned; }
  std::string describe() const {
    return std::string(variantName(variant)) + " " + committee + ", " + stageName(stage);
  }
};

// The rules of what is secret, written out again (see the file comment).
bool secretPlace(const GenCase& c, Place p) {
  switch (p) {
    case Place::kSubject:
      return c.secretSubject();
    case Place::kSender:
    case Place::kMemoText:
    case Place::kDecisionText:
    case Place::kOfficer:
      return c.secretCase();
    case Place::kDocumentTitle:
    case Place::kCounterpart:
    case Place::kContent:
    case Place::kContentDigest:
      return c.secretDocument();
    case Place::kInitiativeTitle:
      return false;
  }
  return true;
}

struct Viewer {
  Viewer(std::string c, std::string u, std::optional<Role> r, std::optional<std::string> un,
         std::optional<std::string> cm)
      : column(std::move(c)), username(std::move(u)), role(r), unit(std::move(un)), committee(std::move(cm)) {}
  std::string column;    // "handlaggare bfe"
  std::string username;  // empty: anonymous
  std::optional<Role> role;
  std::optional<std::string> unit, committee;
  Client client{0};
  bool anonymous() const { return !role.has_value(); }
};

enum class Sight { kHidden, kMasked, kFull };

bool unitsRelated(const std::string& a, const std::string& b) {
  auto line = [](const std::string& u) { return u == "bfe-kvalitet" ? std::string("bfe") : u; };
  return line(a) == line(b);
}

// kansli/access.h's table, written out again.
Sight sightOf(const Viewer& v, const GenCase& c) {
  if (!v.role) return Sight::kHidden;
  switch (*v.role) {
    case Role::kRegistrator:
    case Role::kAdmin:
      return Sight::kMasked;
    case Role::kHandlaggare:
    case Role::kEnhetschef:
      return c.assigned() && v.unit && unitsRelated(*v.unit, c.unit) ? Sight::kFull : Sight::kHidden;
    case Role::kNamndsekreterare:
      return !v.committee || *v.committee == c.committee ? Sight::kFull : Sight::kHidden;
    case Role::kLedamot:
      return v.committee && *v.committee == c.committee ? Sight::kMasked : Sight::kHidden;
  }
  return Sight::kHidden;
}

struct Marker {
  std::string word;  // lower case letters (or hex for a digest)
  Place place;
  int case_index;
  bool secret;
};

// Marker words: lower-case letters without f, h, i, j, l (no ligatures in
// PDFs), starting with q, x, z or w and unique in their first three letters,
// so a prefix query of 3 to 6 letters finds one marker and no Swedish word.
class MarkerWords {
 public:
  explicit MarkerWords(unsigned seed) : rng_(seed) {}
  std::string next() {
    static const std::string first = "qxzw", consonants = "bcdgkmnpqrstvwxz", vowels = "aeouy";
    static const std::string third = consonants + vowels;
    for (;;) {
      std::string w;
      w += first[rng_() % first.size()];
      w += consonants[rng_() % consonants.size()];
      w += third[rng_() % third.size()];
      if (!prefixes_.insert(w).second) continue;
      while (w.size() < 10) {
        w += vowels[rng_() % vowels.size()];
        w += consonants[rng_() % consonants.size()];
      }
      return w;
    }
  }

 private:
  std::mt19937 rng_;
  std::set<std::string> prefixes_;
};

// ---- Reading answers --------------------------------------------------------------

struct Answer {
  int status = 0;
  std::string text;  // what a person's programs read: body (extracted) and headers
  std::string body;
  std::string content_type;
  std::string problem;  // set when the body could not be read in its format
};

Answer readAnswer(const HttpResult& r) {
  Answer a;
  a.status = r.status;
  a.body = r.body;
  a.content_type = r.header("content-type");
  std::string headers;
  for (const auto& [k, v] : r.headers) headers += k + ": " + v + "\n";
  try {
    if (a.content_type.rfind("application/pdf", 0) == 0) {
      a.text = pdfText(r.body);
    } else if (a.content_type.find("openxmlformats") != std::string::npos ||
               a.content_type.find("opendocument") != std::string::npos) {
      a.text = zipText(r.body);
    } else {
      a.text = r.body;
    }
  } catch (const std::exception& e) {
    a.problem = e.what();
    a.text = r.body;
  }
  a.text = headers + "\n" + a.text;
  return a;
}

// The formats the walk can read, by the name a route takes in ?format=.
// The cursor of the next page of a list answer, or "".
std::string nextCursor(const Answer& a) {
  if (a.status != 200 || a.content_type.find("json") == std::string::npos) return "";
  try {
    Poco::JSON::Parser parser;
    auto o = parser.parse(a.body).extract<Poco::JSON::Object::Ptr>();
    if (!o || !o->has("next") || o->isNull("next")) return "";
    return o->getValue<std::string>("next");
  } catch (const Poco::Exception&) {
    return "";
  }
}

const std::set<std::string>& readableFormats() {
  static const std::set<std::string> formats = {"json", "xml", "txt", "html", "pdf", "docx", "odt"};
  return formats;
}

// ---- api/openapi.yaml: the formats each GET operation documents ------------------

std::vector<std::string> bracketList(const std::string& line) {
  std::vector<std::string> out;
  auto open = line.find('['), close = line.rfind(']');
  if (open == std::string::npos || close == std::string::npos) return out;
  std::stringstream in(line.substr(open + 1, close - open - 1));
  for (std::string item; std::getline(in, item, ',');) {
    auto b = item.find_first_not_of(" '\""), e = item.find_last_not_of(" '\"");
    if (b != std::string::npos) out.push_back(item.substr(b, e - b + 1));
  }
  return out;
}

size_t indentOf(const std::string& line) { return line.find_first_not_of(' '); }

// The `enum` of the query parameter named `format` of `GET pattern`, following
// $ref to components/parameters. Relies on the layout openapi_test.cpp relies
// on: paths at two spaces, operations at four.
std::set<std::string> openApiFormats(const std::string& pattern) {
  std::vector<std::string> lines;
  {
    std::ifstream in(sourceDir() + "/api/openapi.yaml");
    for (std::string l; std::getline(in, l);) {
      while (!l.empty() && (l.back() == '\r' || l.back() == ' ')) l.pop_back();
      lines.push_back(l);
    }
  }
  auto block = [&](size_t start) {  // the lines indented deeper than lines[start]
    std::vector<std::string> out;
    size_t indent = indentOf(lines[start]);
    for (size_t i = start + 1; i < lines.size(); ++i) {
      if (lines[i].empty()) continue;
      if (indentOf(lines[i]) <= indent) break;
      out.push_back(lines[i]);
    }
    return out;
  };
  std::vector<std::string> op;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (lines[i] != "  " + pattern + ":" && lines[i] != "  '" + pattern + "':" &&
        lines[i] != "  \"" + pattern + "\":") {
      continue;
    }
    for (size_t j = i + 1; j < lines.size() && (lines[j].empty() || indentOf(lines[j]) > 2); ++j) {
      if (lines[j] == "    get:") op = block(j);
    }
  }
  // Inline the referenced parameters.
  std::vector<std::string> expanded;
  const std::string ref = "$ref: '#/components/parameters/";
  for (const auto& l : op) {
    auto at = l.find(ref);
    if (at == std::string::npos) {
      expanded.push_back(l);
      continue;
    }
    std::string name = l.substr(at + ref.size());
    name = name.substr(0, name.find('\''));
    bool in_parameters = false;
    for (size_t i = 0; i < lines.size(); ++i) {
      if (lines[i] == "  parameters:") in_parameters = true;
      else if (!lines[i].empty() && indentOf(lines[i]) <= 2) in_parameters = false;
      if (in_parameters && lines[i] == "    " + name + ":") {
        expanded.push_back("- parameter");
        for (auto& b : block(i)) expanded.push_back(b);
      }
    }
  }
  std::set<std::string> formats;
  bool in_format = false;
  for (const auto& l : expanded) {
    if (l.find("name:") != std::string::npos) in_format = l.find("name: format") != std::string::npos;
    if (l == "- parameter") in_format = false;
    if (in_format && l.find("enum:") != std::string::npos) {
      for (auto& f : bracketList(l)) formats.insert(f);
    }
  }
  return formats;
}

// ---- The walk -------------------------------------------------------------------

struct World;

// One request a walker makes: a path (with its query), and for the few
// read-only POST routes a body.
struct Probe {
  Probe(std::string p, std::string m = "GET") : path(std::move(p)), method(std::move(m)) {}
  std::string path;
  std::string method;
  std::string body;
  std::string content_type;
};

struct Walker {
  using Probes = std::function<std::vector<Probe>(const World&, const Viewer&)>;
  Walker(std::string m, std::string p, Probes f, bool data = false, bool secrets = false, bool users = false)
      : method(std::move(m)), pattern(std::move(p)), probes(std::move(f)), shows_case_data(data),
        shows_secrets(secrets), names_users(users) {}
  std::string method;
  std::string pattern;
  // The requests `v` makes on this route (formats are added by the walk).
  Probes probes;
  bool shows_case_data = false;    // some marker must be seen through it
  bool shows_secrets = false;      // a full viewer must see a secret marker through it
  bool names_users = false;        // a user directory: officers' names without their cases
};

// Routes no walker covers, each with the reason. (None today: keep it so.)
const std::map<std::string, std::string>& exclusions() {
  static const std::map<std::string, std::string> e = {};
  return e;
}

struct World {
  std::vector<GenCase> cases;
  std::vector<Marker> markers;
  std::vector<std::string> meetings;
  std::vector<std::string> decisions;
  std::map<std::string, std::vector<int>> prefix_index;  // first 3 letters -> markers
};

std::string encode(const std::string& s) {
  std::string out;
  Poco::URI::encode(s, "&=?#+/ ", out);
  return out;
}

// Which test walks a route: memo routes, meeting and decision routes, and the
// rest (a new route lands in one of them by its path).
std::string groupOf(const std::string& pattern) {
  if (pattern.find("/memo") != std::string::npos) return "memo";
  for (const char* m : {"/meetings", "/decisions", "/anslag"}) {
    if (pattern.find(m) != std::string::npos) return "meetings";
  }
  return "cases";
}

const std::vector<Walker>& walkers() {
  static const std::vector<Walker> w = [] {
    std::vector<Walker> v;
    auto each_case = [](const std::string& suffix) {
      return [suffix](const World& world, const Viewer&) {
        std::vector<Probe> p;
        for (const auto& c : world.cases) p.push_back({"/api/v1/cases/" + c.id + suffix});
        p.push_back({"/api/v1/cases/987654" + suffix});
        return p;
      };
    };
    auto one = [](const std::string& path) {
      return [path](const World&, const Viewer&) { return std::vector<Probe>{{path}}; };
    };
    v.push_back({"GET", "/health", one("/health")});
    v.push_back({"GET", "/metrics", one("/metrics")});
    v.push_back({"GET", "/api/v1/me", one("/api/v1/me")});
    v.push_back({"GET", "/api/v1/users", one("/api/v1/users"), false, false, true});
    v.push_back({"GET", "/api/v1/users/{username}",
                 [](const World& world, const Viewer&) {
                   std::vector<Probe> p = {{"/api/v1/users/rita"}, {"/api/v1/users/ingen"}};
                   for (const auto& c : world.cases) {
                     if (!c.officer.empty()) p.push_back({"/api/v1/users/" + c.officer});
                   }
                   return p;
                 },
                 false, false, true});
    v.push_back({"GET", "/api/v1/committees", one("/api/v1/committees")});
    // What the web client's pickers and forms read (#15): the people
    // directory (names and units, never the cases they work on), the units,
    // the OSL provisions, the caller's own sessions.
    v.push_back({"GET", "/api/v1/people",
                 [](const World&, const Viewer&) {
                   return std::vector<Probe>{{"/api/v1/people"},
                                             {"/api/v1/people?role=handlaggare"},
                                             {"/api/v1/people?unit=bfe"},
                                             {"/api/v1/people?committee=SOCN"}};
                 },
                 false, false, true});
    v.push_back({"GET", "/api/v1/units", one("/api/v1/units")});
    v.push_back({"GET", "/api/v1/secrecy-provisions", one("/api/v1/secrecy-provisions")});
    v.push_back({"GET", "/api/v1/me/sessions", one("/api/v1/me/sessions")});
    v.push_back({"GET", "/api/v1/workflows", one("/api/v1/workflows")});
    v.push_back({"GET", "/api/v1/workflows/{id}", [](const World&, const Viewer&) {
                   return std::vector<Probe>{{"/api/v1/workflows/politikerinitiativ"},
                                             {"/api/v1/workflows/motion"},
                                             {"/api/v1/workflows/medborgarforslag"},
                                             {"/api/v1/workflows/okand"}};
                 }});
    // Lists: every case in one page, and in pages of 4 (the walk follows `next`).
    auto pages = [](const std::string& path) {
      return [path](const World&, const Viewer&) {
        return std::vector<Probe>{{path + "?limit=200"}, {path + "?limit=4"}};
      };
    };
    v.push_back({"GET", "/api/v1/cases", pages("/api/v1/cases"), true, true});
    v.push_back({"GET", "/api/v1/cases/{id}", each_case(""), true, true});
    v.push_back({"GET", "/api/v1/cases/{id}/documents", each_case("/documents"), true, true});
    auto each_document = [](const std::string& suffix) {
      return [suffix](const World& world, const Viewer&) {
        std::vector<Probe> p;
        for (const auto& c : world.cases) {
          for (int n = 1; n <= c.documents + 1; ++n) {
            p.push_back({"/api/v1/cases/" + c.id + "/documents/" + std::to_string(n) + suffix});
          }
        }
        return p;
      };
    };
    v.push_back({"GET", "/api/v1/cases/{id}/documents/{n}", each_document(""), true, true});
    v.push_back({"GET", "/api/v1/cases/{id}/documents/{n}/content", each_document("/content"), true, true});
    v.push_back({"GET", "/api/v1/cases/{id}/history", each_case("/history"), true, true});
    v.push_back({"GET", "/api/v1/cases/{id}/transitions", each_case("/transitions")});
    v.push_back({"GET", "/api/v1/cases/{id}/memo",
                 [](const World& world, const Viewer&) {
                   std::vector<Probe> p;
                   for (const auto& c : world.cases) {
                     // The latest version; and the first (which differs from it)
                     // where the memo is still a draft: later stages render the
                     // same versions again.
                     p.push_back({"/api/v1/cases/" + c.id + "/memo"});
                     if (c.memo_versions >= 2 && c.stage == Stage::kMemoDrafted) {
                       p.push_back({"/api/v1/cases/" + c.id + "/memo?version=1"});
                     }
                   }
                   return p;
                 },
                 true, true});
    v.push_back({"GET", "/api/v1/cases/{id}/memo/versions", each_case("/memo/versions"), true});
    v.push_back({"GET", "/api/v1/cases/{id}/memo/diff",
                 [](const World& world, const Viewer&) {
                   std::vector<Probe> p;
                   for (const auto& c : world.cases) {
                     if (c.memo_versions >= 2) {
                       p.push_back({"/api/v1/cases/" + c.id + "/memo/diff?from=1&to=2"});
                     }
                   }
                   return p;
                 },
                 true, true});
    v.push_back({"GET", "/api/v1/public/diarium", pages("/api/v1/public/diarium"), true});
    v.push_back({"GET", "/api/v1/public/diarium/{id}",
                 [](const World& world, const Viewer&) {
                   std::vector<Probe> p;
                   for (const auto& c : world.cases) p.push_back({"/api/v1/public/diarium/" + c.id});
                   p.push_back({"/api/v1/public/diarium/987654"});
                   return p;
                 },
                 true});
    v.push_back({"GET", "/api/v1/meetings", one("/api/v1/meetings"), true, true});
    auto each_meeting = [](const std::string& prefix, const std::string& suffix) {
      return [prefix, suffix](const World& world, const Viewer&) {
        std::vector<Probe> p;
        for (const auto& m : world.meetings) p.push_back({prefix + m + suffix});
        p.push_back({prefix + "987654" + suffix});
        return p;
      };
    };
    v.push_back({"GET", "/api/v1/meetings/{id}", each_meeting("/api/v1/meetings/", ""), true, true});
    v.push_back({"GET", "/api/v1/meetings/{id}/agenda", each_meeting("/api/v1/meetings/", "/agenda"), true});
    v.push_back({"GET", "/api/v1/meetings/{id}/protocol", each_meeting("/api/v1/meetings/", "/protocol"),
                 true, true});
    v.push_back({"GET", "/api/v1/decisions", one("/api/v1/decisions?limit=200"), true, true});
    auto each_decision = [](const std::string& prefix) {
      return [prefix](const World& world, const Viewer&) {
        std::vector<Probe> p;
        for (const auto& d : world.decisions) p.push_back({prefix + d});
        p.push_back({prefix + "987654"});
        return p;
      };
    };
    v.push_back({"GET", "/api/v1/decisions/{id}", each_decision("/api/v1/decisions/"), true, true});
    v.push_back({"GET", "/api/v1/public/decisions", one("/api/v1/public/decisions?limit=200"), true});
    v.push_back({"GET", "/api/v1/public/decisions/{id}", each_decision("/api/v1/public/decisions/"), true});
    v.push_back({"GET", "/api/v1/public/anslag", one("/api/v1/public/anslag")});
    v.push_back({"GET", "/api/v1/public/anslag/{id}/protocol",
                 each_meeting("/api/v1/public/anslag/", "/protocol"), true});
    // The secretary's routes (#16): the public notice, the expediering of a
    // meeting, the outbox and its attachments (the extracts e-mailed or
    // printed), and the reminders a user would be sent.
    v.push_back({"GET", "/api/v1/public/meetings/{id}/agenda",
                 each_meeting("/api/v1/public/meetings/", "/agenda")});
    v.push_back({"GET", "/api/v1/meetings/{id}/expediering",
                 each_meeting("/api/v1/meetings/", "/expediering")});
    v.push_back({"GET", "/api/v1/reminders", one("/api/v1/reminders")});
    v.push_back({"GET", "/api/v1/outbox", one("/api/v1/outbox")});
    auto each_outbox_row = [](const std::string& suffix) {
      return [suffix](const World&, const Viewer&) {
        std::vector<Probe> p;
        for (int id = 1; id <= 16; ++id) p.push_back({"/api/v1/outbox/" + std::to_string(id) + suffix});
        p.push_back({"/api/v1/outbox/987654" + suffix});
        return p;
      };
    };
    v.push_back({"GET", "/api/v1/outbox/{id}", each_outbox_row("")});
    v.push_back({"GET", "/api/v1/outbox/{id}/attachment", each_outbox_row("/attachment")});
    v.push_back({"GET", "/", one("/")});
    v.push_back({"GET", "/static/{file}", [](const World&, const Viewer&) {
                   std::vector<Probe> p;
                   for (const auto& e : std::filesystem::directory_iterator(sourceDir() + "/api/web")) {
                     p.push_back({"/static/" + e.path().filename().string()});
                   }
                   std::sort(p.begin(), p.end(), [](const Probe& a, const Probe& b) { return a.path < b.path; });
                   return p;
                 }});
    // A read that is a POST: the unsaved memo's preview shows the case's facts.
    v.push_back({"POST", "/api/v1/cases/{id}/memo/preview",
                 [](const World& world, const Viewer&) {
                   std::vector<Probe> p;
                   for (const auto& c : world.cases) {
                     if (c.documents < 2) continue;
                     Probe probe{"/api/v1/cases/" + c.id + "/memo/preview", "POST"};
                     probe.content_type = "application/xml";
                     probe.body =
                         "<memo><meta><date>2020-10-05</date><title>Förhandsvisning</title></meta>"
                         "<section kind=\"proposal\"><p>Bifall.</p></section>"
                         "<section kind=\"summary\"><p>Se <docref n=\"2\"/>.</p></section>"
                         "<section kind=\"investigation\"><p>Utrett.</p></section>"
                         "<section kind=\"economy\"><p>Inga.</p></section>"
                         "<section kind=\"child-impact\"><p>Inga.</p></section></memo>";
                     p.push_back(probe);
                   }
                   return p;
                 },
                 true, true});
    return v;
  }();
  return w;
}

// ---- Findings ----------------------------------------------------------------------

// A leak is reported once per route, kind and place of the marker, with the
// formats, callers and stages it was seen in, and one request to repeat it.
struct Findings {
  struct Seen {
    std::set<std::string> formats, callers, stages;
    std::string example;
    int count = 0;
  };
  std::map<std::string, Seen> leaks;  // "route | what"
  void add(const std::string& route, const std::string& what, const std::string& format,
           const std::string& caller, const std::string& stage, const std::string& example) {
    Seen& e = leaks[route + " | " + what];
    if (e.count++ == 0) e.example = example;
    e.formats.insert(format);
    e.callers.insert(caller);
    if (!stage.empty()) e.stages.insert(stage);
  }
  static std::string joined(const std::set<std::string>& s) {
    std::string out;
    for (const auto& x : s) out += (out.empty() ? "" : ", ") + x;
    return out;
  }
  std::string table() const {
    std::string out;
    for (const auto& [k, v] : leaks) {
      out += "  " + k + "\n      formats: " + joined(v.formats) + "; callers: " + joined(v.callers) +
             (v.stages.empty() ? "" : "; stages: " + joined(v.stages)) + "; " + std::to_string(v.count) +
             " answers, e.g. " + v.example + "\n";
    }
    return out;
  }
};

// ---- The fixture ---------------------------------------------------------------------

class SecrecyProperty : public ::testing::Test {
 protected:
  static constexpr unsigned kSeed = 20201027;

  void SetUp() override {
    server = std::make_unique<TestServer>(at(2020, 10, 5));
    audit = std::make_unique<AuditTail>(server->dataDir());
    signIn();
    generate();
  }

  // Everyone signs in (again, after the clock moved past their tokens).
  void signIn() {
    reg = server->as("rita", Role::kRegistrator);
    head = server->as("caroline", Role::kEnhetschef, "bfe");
    ks_head = server->as("karl", Role::kEnhetschef, "kansli");
    secretary = server->as("sara", Role::kNamndsekreterare, {}, "SOCN");
    chair = server->as("ordf", Role::kLedamot, {}, "SOCN");
    adjuster = server->as("just", Role::kLedamot, {}, "SOCN");
    viewers.clear();
    auto add = [&](std::string column, std::string user, std::optional<Role> role,
                   std::optional<std::string> unit, std::optional<std::string> committee) {
      Viewer v{column, user, role, unit, committee};
      v.client = role ? server->as(user, *role, unit, committee) : server->client();
      viewers.push_back(std::move(v));
    };
    add("registrator", "rita", Role::kRegistrator, {}, {});
    add("handlaggare bfe", "nina", Role::kHandlaggare, "bfe", {});
    add("enhetschef bfe", "caroline", Role::kEnhetschef, "bfe", {});
    add("handlaggare eeb", "erik", Role::kHandlaggare, "eeb", {});
    add("enhetschef kansli", "karl", Role::kEnhetschef, "kansli", {});
    add("namndsekreterare SOCN", "sara", Role::kNamndsekreterare, {}, "SOCN");
    add("namndsekreterare KS", "ksenia", Role::kNamndsekreterare, {}, "KS");
    add("ledamot SOCN", "ordf", Role::kLedamot, {}, "SOCN");
    add("admin", "adam", Role::kAdmin, {}, {});
    add("anonymous", "", std::nullopt, {}, {});
    officers.clear();
    for (const auto& c : world.cases) {
      if (!c.officer.empty()) {
        officers.emplace(c.officer, server->as(c.officer, Role::kHandlaggare, c.unit));
      }
    }
  }

  const Viewer& viewer(const std::string& username) const {
    for (const auto& v : viewers) {
      if (v.username == username) return v;
    }
    throw std::runtime_error("no viewer " + username);
  }

  // The view of a setup caller, for the answers of their writes.
  Viewer setupCaller(const std::string& username, Role role, std::optional<std::string> unit,
                     std::optional<std::string> committee) const {
    return Viewer{username, username, role, unit, committee};
  }

  HttpResult take(const Client& c, const Viewer& who, const GenCase& g, const std::string& body) {
    auto cur = reg.get("/api/v1/cases/" + g.id);
    auto r = c.request("POST", "/api/v1/cases/" + g.id + "/transitions", body,
                       {{"Content-Type", "application/json"}, {"If-Match", cur.header("etag")}});
    EXPECT_EQ(r.status, 200) << g.describe() << " " << body << ": " << r.body;
    observeWrite("POST /api/v1/cases/{id}/transitions", who, r);
    return r;
  }

  // What a write answers its caller is an output too: it must not show a
  // secret the caller's sight does not cover. (POST /api/v1/cases and
  // .../documents echo what the registrator typed; they are not checked.)
  void observeWrite(const std::string& route, const Viewer& who, const HttpResult& r) {
    ++writes_observed;
    Answer a = readAnswer(r);
    for (int m : markersIn(a.text)) {
      const Marker& mk = world.markers[m];
      const GenCase& c = world.cases[mk.case_index];
      if (mk.secret && sightOf(who, c) != Sight::kFull) {
        write_findings.add(route + " (answer to the write)",
                     std::string("shows ") + placeName(mk.place) + " of a " + variantName(c.variant), "json",
                     who.column, stageName(c.stage), route);
      }
    }
  }

  std::string memoXml(const GenCase& g, int version) const {
    std::string memo_para =
        version == 1 ? "Nämnden föreslås besluta enligt " + g.words.at(Place::kMemoText) + "."
                     : "Nämnden föreslås besluta enligt " + g.words.at(Place::kMemoText) +
                           " med komplettering.";
    return "<memo><meta><date>2020-10-05</date><title>Svar om " + g.words.at(Place::kSubject) +
           "</title></meta>"
           "<section kind=\"proposal\"><p>" + memo_para + "</p></section>"
           "<section kind=\"summary\"><p>Initiativet gäller stöd. Se <docref n=\"2\"/>.</p></section>"
           "<section kind=\"investigation\"><p>Enheten har utrett frågan.</p></section>"
           "<section kind=\"economy\"><p>Inga kostnader.</p></section>"
           "<section kind=\"child-impact\"><p>Barn berörs positivt.</p></section>"
           // The officer signs the memo with the unit head, as the reference does.
           "<signatories><signatory><name>Caroline Chef</name><title>Enhetschef</title></signatory>"
           "<signatory><name>" + g.officer + "</name><title>Handläggare</title></signatory>"
           "</signatories></memo>";
  }

  std::string newMeeting(const std::string& date) {
    auto r = secretary.post("/api/v1/meetings",
                            R"({"committee":"SOCN","date":")" + date +
                                R"(","time":"13:00","place":"Stadshuset","chair":"ordf","adjusters":["just"],)"
                                R"("attendance":[{"name":"Ola Ordförande","username":"ordf","role":"ordförande"},)"
                                R"({"name":"Judit Justerare","username":"just","role":"ledamot"}]})");
    EXPECT_EQ(r.status, 201) << r.body;
    return std::to_string(r.json()->getValue<int>("id"));
  }

  void generate() {
    MarkerWords words(kSeed);
    // Every stage in both variants of secrecy in Socialnämnden, plus two cases
    // of Kommunstyrelsen, so that the other committee's secretary and the
    // other unit's head have full sight of something too.
    // Open cases are the controls (what everyone may see); they need fewer stages.
    const std::set<Stage> open_stages = {Stage::kRegistered, Stage::kMemoDrafted, Stage::kApproved,
                                         Stage::kDecided,    Stage::kPosted,      Stage::kClosed};
    const std::set<Stage> sender_stages = {Stage::kMemoDrafted, Stage::kDecided, Stage::kPosted};
    for (Stage s : kStages) {
      for (Variant v : {Variant::kOpen, Variant::kSecretCase, Variant::kSecretSenders, Variant::kSecretDocument}) {
        if (v == Variant::kOpen && !open_stages.count(s)) continue;
        if (v == Variant::kSecretSenders && !sender_stages.count(s)) continue;
        GenCase g;
        g.stage = s;
        g.variant = v;
        world.cases.push_back(g);
      }
    }
    for (Variant v : {Variant::kSecretCase, Variant::kOpen}) {
      GenCase g;
      g.committee = "KS";
      g.unit = "kansli";
      g.stage = v == Variant::kSecretCase ? Stage::kMemoDrafted : Stage::kAssigned;
      g.variant = v;
      world.cases.push_back(g);
    }
    for (size_t i = 0; i < world.cases.size(); ++i) {
      GenCase& g = world.cases[i];
      g.index = static_cast<int>(i);
      std::vector<Place> places = {Place::kSubject,       Place::kSender,      Place::kInitiativeTitle,
                                   Place::kDocumentTitle, Place::kCounterpart, Place::kContent};
      if (g.stage >= Stage::kOfficer) places.push_back(Place::kOfficer);
      if (g.stage >= Stage::kMemoDrafted) places.push_back(Place::kMemoText);
      if (g.stage >= Stage::kDecided) places.push_back(Place::kDecisionText);
      for (Place p : places) g.words[p] = words.next();
      std::string content = "Bilagan handlar om " + g.words[Place::kContent] + ".";
      g.words[Place::kContentDigest] = sha256Hex(content);
      if (g.stage >= Stage::kOfficer) g.officer = g.words[Place::kOfficer];
    }
    for (const auto& g : world.cases) {
      for (const auto& [place, word] : g.words) {
        world.markers.push_back({word, place, g.index, secretPlace(g, place)});
        if (place != Place::kContentDigest) {
          world.prefix_index[word.substr(0, 3)].push_back(static_cast<int>(world.markers.size() - 1));
        }
      }
    }

    const Viewer as_reg = viewer("rita"), as_head = viewer("caroline"), as_sec = viewer("sara");
    const Viewer as_ks_head = viewer("karl");
    // Registration and documents (the registrator).
    for (auto& g : world.cases) {
      std::string secrecy =
          g.secretSubject()  ? R"(,"secrecy":{"provision":"OSL 26 kap. 1 §","fields":["subject","senders"]})"
          : g.secretCase()   ? R"(,"secrecy":{"provision":"OSL 26 kap. 1 §","fields":["senders"]})"
                             : "";
      auto r = reg.post("/api/v1/cases",
                        R"({"committee":")" + g.committee + R"(","kind":"politikerinitiativ","subject":"Initiativ om )" +
                            g.words[Place::kSubject] + R"(","received":"2020-09-01","senders":[{"name":"Person )" +
                            g.words[Place::kSender] + R"(","party":"S"}])" + secrecy + "}");
      ASSERT_EQ(r.status, 201) << r.body;
      g.id = std::to_string(r.json()->getValue<int>("id"));
      auto d1 = reg.post("/api/v1/cases/" + g.id + "/documents",
                         R"({"direction":"inkommen","date":"2020-09-01","title":"Politikerinitiativ )" +
                             g.words[Place::kInitiativeTitle] +
                             R"(","media_type":"text/plain","content_base64":")" + base64("Initiativet.") + "\"}");
      ASSERT_EQ(d1.status, 201) << d1.body;
      std::string doc_secrecy =
          g.secretDocument()
              ? R"(,"secrecy":{"provision":"OSL 26 kap. 1 §","fields":["counterpart","title","content"]})"
              : "";
      auto d2 = reg.post("/api/v1/cases/" + g.id + "/documents",
                         R"({"direction":"inkommen","date":"2020-09-02","counterpart":"Anna )" +
                             g.words[Place::kCounterpart] + R"(","title":"Bilaga )" + g.words[Place::kDocumentTitle] +
                             R"(","media_type":"text/plain","content_base64":")" +
                             base64("Bilagan handlar om " + g.words[Place::kContent] + ".") + "\"" + doc_secrecy + "}");
      ASSERT_EQ(d2.status, 201) << d2.body;
    }
    // Assignment, officer, memo, approval.
    for (auto& g : world.cases) {
      const Client& unit_head = g.committee == "SOCN" ? head : ks_head;
      const Viewer& unit_head_view = g.committee == "SOCN" ? as_head : as_ks_head;
      if (g.stage >= Stage::kAssigned) {
        take(reg, as_reg, g, R"({"transition":"tilldela_enhet","unit":")" + g.unit + "\"}");
      }
      if (g.stage >= Stage::kOfficer) {
        officers.emplace(g.officer, server->as(g.officer, Role::kHandlaggare, g.unit));
        take(unit_head, unit_head_view, g, R"({"transition":"tilldela_handlaggare","officer":")" + g.officer + "\"}");
      }
      const Viewer as_officer = setupCaller(g.officer, Role::kHandlaggare, g.unit, {});
      if (g.stage >= Stage::kMemoDrafted) {
        for (int version = 1; version <= 2; ++version) {
          auto r = officers.at(g.officer).request("PUT", "/api/v1/cases/" + g.id + "/memo", memoXml(g, version),
                                                  {{"Content-Type", "application/xml"}});
          ASSERT_EQ(r.status, 201) << r.body;
          g.memo_versions = version;
        }
      }
      if (g.stage >= Stage::kSubmitted) {
        take(officers.at(g.officer), as_officer, g, R"({"transition":"skicka_for_godkannande"})");
      }
      if (g.stage >= Stage::kApproved) take(unit_head, unit_head_view, g, R"({"transition":"godkann"})");
    }
    // Meetings on 2020-10-20: one per stage that needs its own.
    server->clock().set(at(2020, 10, 20));
    signIn();
    const Viewer as_chair = setupCaller("ordf", Role::kLedamot, {}, "SOCN");
    const Viewer as_adjuster = setupCaller("just", Role::kLedamot, {}, "SOCN");
    std::map<Stage, std::string> meeting_of;
    for (Stage s : {Stage::kOnAgenda, Stage::kDecided, Stage::kAttested, Stage::kPosted}) {
      meeting_of[s] = newMeeting("2020-10-20");
      world.meetings.push_back(meeting_of[s]);
    }
    meeting_of[Stage::kClosed] = meeting_of[Stage::kPosted];
    for (auto& g : world.cases) {
      if (g.stage < Stage::kOnAgenda) continue;
      g.meeting = meeting_of.at(g.stage);
      auto r = secretary.post("/api/v1/meetings/" + g.meeting + "/items", "{\"case\":" + g.id + "}");
      ASSERT_EQ(r.status, 201) << g.describe() << ": " << r.body;
      observeWrite("POST /api/v1/meetings/{id}/items", as_sec, r);
      g.item = static_cast<int>(r.json()->getArray("items")->size());
    }
    // The notice (kallelse) is sent: the public reads the agenda from then on.
    for (const auto& m : world.meetings) {
      auto r = secretary.post("/api/v1/meetings/" + m + "/notice", "{}");
      ASSERT_EQ(r.status, 200) << r.body;
      observeWrite("POST /api/v1/meetings/{id}/notice", as_sec, r);
    }
    for (auto& g : world.cases) {
      if (g.stage < Stage::kDecided) continue;
      auto r = secretary.post("/api/v1/meetings/" + g.meeting + "/items/" + std::to_string(g.item) + "/decision",
                              R"({"outcome":"bifall","text":"Nämnden bifaller initiativet, )" +
                                  g.words[Place::kDecisionText] + R"(.","send_to":["Barn- och familjeenheten"]})");
      ASSERT_EQ(r.status, 201) << g.describe() << ": " << r.body;
      observeWrite("POST /api/v1/meetings/{id}/items/{n}/decision", as_sec, r);
      g.decision = std::to_string(r.json()->getValue<int>("id"));
      world.decisions.push_back(g.decision);
    }
    for (Stage s : {Stage::kAttested, Stage::kPosted}) {
      const std::string& m = meeting_of.at(s);
      auto minutes = secretary.post("/api/v1/meetings/" + m + "/minutes", "{}");
      ASSERT_EQ(minutes.status, 200) << minutes.body;
      observeWrite("POST /api/v1/meetings/{id}/minutes", as_sec, minutes);
      // Justering is a signature: each gives their password again first.
      ASSERT_EQ(chair.post("/api/v1/session/confirm", R"({"password":")" + passwordOf("ordf") + R"("})").status, 200);
      ASSERT_EQ(adjuster.post("/api/v1/session/confirm", R"({"password":")" + passwordOf("just") + R"("})").status, 200);
      auto a1 = chair.post("/api/v1/meetings/" + m + "/attest", "{}");
      ASSERT_EQ(a1.status, 200) << a1.body;
      observeWrite("POST /api/v1/meetings/{id}/attest", as_chair, a1);
      auto a2 = adjuster.post("/api/v1/meetings/" + m + "/attest", "{}");
      ASSERT_EQ(a2.status, 200) << a2.body;
      observeWrite("POST /api/v1/meetings/{id}/attest", as_adjuster, a2);
    }
    auto posted = secretary.post("/api/v1/meetings/" + meeting_of.at(Stage::kPosted) + "/post", "{}");
    ASSERT_EQ(posted.status, 200) << posted.body;
    observeWrite("POST /api/v1/meetings/{id}/post", as_sec, posted);
    // After the appeal period: close the cases that are to be closed.
    server->clock().set(at(2020, 11, 30));
    signIn();
    for (auto& g : world.cases) {
      if (g.stage == Stage::kClosed) take(secretary, viewer("sara"), g, R"({"transition":"avsluta"})");
    }
    // A document that comes in after the approval: the diarium indexes the
    // case again, with the documents the workflow registered.
    for (auto& g : world.cases) {
      if (g.stage < Stage::kApproved || g.stage > Stage::kPosted) continue;
      auto d = reg.post("/api/v1/cases/" + g.id + "/documents",
                        R"({"direction":"inkommen","date":"2020-11-30","title":"Kompletterande skrivelse",)"
                        R"("media_type":"text/plain","content_base64":")" + base64("Komplettering.") + "\"}");
      ASSERT_EQ(d.status, 201) << g.describe() << ": " << d.body;
    }
    // How many documents each case has now, as its full view lists them.
    for (auto& g : world.cases) {
      const Client& full = g.committee == "SOCN" ? secretary : ks_head;
      auto d = full.get("/api/v1/cases/" + g.id + "/documents");
      ASSERT_EQ(d.status, 200) << d.body;
      g.documents = static_cast<int>(d.json()->getArray("items")->size());
    }
  }

  // The markers whose words (or their first six letters) are in `text`.
  std::set<int> markersIn(const std::string& raw) const {
    std::set<int> found;
    const std::string text = lower(raw);
    for (size_t i = 0; i + 3 <= text.size(); ++i) {
      char c = text[i];
      if (c != 'q' && c != 'x' && c != 'z' && c != 'w') continue;
      auto it = world.prefix_index.find(text.substr(i, 3));
      if (it == world.prefix_index.end()) continue;
      for (int m : it->second) {
        const std::string& w = world.markers[m].word;
        if (text.compare(i, 6, w, 0, 6) == 0) found.insert(m);
      }
    }
    for (size_t m = 0; m < world.markers.size(); ++m) {
      if (world.markers[m].place == Place::kContentDigest && text.find(world.markers[m].word) != std::string::npos) {
        found.insert(static_cast<int>(m));
      }
    }
    return found;
  }

  struct Seen {
    int answers_ok = 0;     // 2xx answers
    int sightings = 0;      // markers seen
    int secret_sightings = 0;  // secret markers seen by a full viewer
  };

  // One request: read its answer, judge every marker in it, check the audit
  // events it wrote. `ignore` is the marker a search asked for (an echo of
  // the caller's own query is not a leak; its hits are judged by count).
  Answer walkOne(const Viewer& v, const std::string& route, const std::string& format, const Probe& p,
                 std::optional<int> ignore = std::nullopt) {
    auto started = steady_clock::now();
    std::int64_t mark = audit->mark();
    HttpResult r = p.method == "GET"
                       ? v.client.get(p.path)
                       : v.client.request(p.method, p.path, p.body, {{"Content-Type", p.content_type}});
    Answer a = readAnswer(r);
    auto events = audit->since(mark);
    ++requests;
    milliseconds_[route + " " + format] += duration_cast<microseconds>(steady_clock::now() - started).count() / 1000.0;
    if (!a.problem.empty()) findings.add(route, "unreadable answer: " + a.problem, format, v.column, "", p.path);
    if (r.status >= 500) {
      findings.add(route, "answers " + std::to_string(r.status), format, v.column, "",
                   p.path + ": " + r.body.substr(0, 200));
    }
    Seen& seen = seen_[route + " " + format];
    if (r.status >= 200 && r.status < 300) ++seen.answers_ok;
    std::set<std::int64_t> read_cases;  // secret reads in v's name
    for (const auto& e : events) {
      // A request writes events only in its caller's name (a read has no
      // other author), and an anonymous one in nobody's.
      if (v.anonymous() || e.actor != v.username) {
        findings.add(route, e.action + " written in another name than the caller's", format,
                     v.column + " (as '" + e.actor + "')", "", p.path);
        continue;
      }
      const bool secret_read =
          e.action.size() >= 12 && e.action.compare(e.action.size() - 12, 12, ".secret_read") == 0;
      if (secret_read && e.case_id) read_cases.insert(*e.case_id);
    }
    const bool user_directory = std::any_of(walkers().begin(), walkers().end(), [&](const Walker& w) {
      return w.method + " " + w.pattern == route && w.names_users;
    });
    // The public routes show what the public sees, whoever asks.
    const bool public_route = route.rfind("GET /api/v1/public/", 0) == 0;
    for (int m : markersIn(a.text)) {
      if (ignore && *ignore == m) continue;
      const Marker& mk = world.markers[m];
      const GenCase& c = world.cases[mk.case_index];
      if (mk.place == Place::kOfficer && user_directory) continue;
      ++seen.sightings;
      if (!mk.secret) continue;
      if (public_route || sightOf(v, c) != Sight::kFull) {
        findings.add(route, std::string("shows ") + placeName(mk.place) + " of a " + variantName(c.variant),
                     format, v.column, stageName(c.stage), p.path);
        continue;
      }
      ++seen.secret_sightings;
      if (!read_cases.count(std::stoll(c.id))) {
        findings.add(route,
                     std::string("shows ") + placeName(mk.place) + " of a " + variantName(c.variant) +
                         " to full sight without a secret_read event",
                     format, v.column, stageName(c.stage), p.path);
      }
    }
    return a;
  }

  // Walks every route of `group` (groupOf) as every caller, in every format.
  void walkRoutes(const std::string& group) {
    const Viewer& sara = viewer("sara");
    const Viewer& anonymous = viewer("");
    // Which routes are public (anonymous callers pass): those are walked by
    // the public and three signed-in callers, whose answers must be the same.
    std::set<std::string> public_routes;
    for (const auto& r : server->service().router().routes()) {
      if (r.access.anonymous) public_routes.insert(r.method + " " + r.pattern);
    }

    for (const auto& w : walkers()) {
      const std::string route = w.method + " " + w.pattern;
      if (groupOf(w.pattern) != group) continue;
      const bool is_public = public_routes.count(route) > 0;
      // The formats this route offers: documented in api/openapi.yaml, and named
      // by the server itself when asked for one it does not know.
      const std::set<std::string> documented = openApiFormats(w.pattern);
      std::set<std::string> formats = documented, offered;
      bool probed = false;
      for (const auto& v : viewers) {
        if (probed) break;
        for (const auto& p : w.probes(world, v)) {
          auto send = [&](const std::string& path) {
            return p.method == "GET" ? v.client.get(path)
                                     : v.client.request(p.method, path, p.body, {{"Content-Type", p.content_type}});
          };
          if (send(p.path).status != 200) continue;
          probed = true;
          auto unknown = send(p.path + (p.path.find('?') == std::string::npos ? "?" : "&") + "format=kansli-okant");
          if (unknown.status == 400 && unknown.body.find("\"format\"") != std::string::npos) {
            auto errors = unknown.json()->getArray("errors");
            ASSERT_TRUE(errors) << unknown.body;
            std::string message = errors->getObject(0)->getValue<std::string>("message");
            ASSERT_EQ(message.rfind("välj ", 0), 0u) << route << ": cannot read the formats from " << message;
            std::string list = message.substr(std::string("välj ").size());
            for (size_t pos; (pos = list.find(" eller ")) != std::string::npos;) list.replace(pos, 7, ", ");
            std::stringstream in(list);
            for (std::string f; std::getline(in, f, ',');) {
              f.erase(0, f.find_first_not_of(' '));
              if (!f.empty()) offered.insert(f);
            }
          }
          break;
        }
      }
      EXPECT_TRUE(probed) << route << ": no caller got a 200 from any of its requests";
      formats.insert(offered.begin(), offered.end());
      for (const auto& f : documented) {
        EXPECT_TRUE(offered.empty() || offered.count(f))
            << route << ": api/openapi.yaml documents the format " << f << ", which the server refuses";
      }
      for (const auto& f : formats) {
        EXPECT_TRUE(readableFormats().count(f))
            << route << " offers the format " << f << ", which this test cannot read: add a reader";
      }
      std::vector<std::string> walked_formats(formats.begin(), formats.end());
      if (walked_formats.empty()) walked_formats.push_back("");

      // Public routes answer everyone alike: anonymous callers between signed-in
      // ones (a request must not run as the one before it on its thread).
      std::vector<const Viewer*> callers;
      if (is_public) {
        callers = {&anonymous, &sara, &anonymous, &viewer("ordf"), &anonymous, &viewer("adam"), &anonymous};
      } else {
        for (const auto& v : viewers) {
          if (!v.anonymous()) callers.push_back(&v);
        }
        callers.push_back(&anonymous);
      }
      std::map<std::string, std::pair<int, std::string>> public_answers;  // path -> anonymous answer
      for (size_t k = 0; k < callers.size(); ++k) {
        const Viewer* v = callers[k];
        for (const auto& probe : w.probes(world, *v)) {
          for (const auto& f : walked_formats) {
            // Rendered formats once per caller: the interleaving is for JSON.
            if (is_public && k > 0 && v->anonymous() && f != "" && f != "json") continue;
            Probe p = probe;
            if (!f.empty()) p.path += (p.path.find('?') == std::string::npos ? "?" : "&") + std::string("format=") + f;
            const std::string first_page = p.path;
            for (int page = 0; page < 100; ++page) {
              Answer a = walkOne(*v, route, f.empty() ? "-" : f, p);
              if (is_public && route.rfind("GET /api/v1/public/", 0) == 0) {
                if (!public_answers.count(p.path)) {
                  public_answers[p.path] = {a.status, a.body};
                } else if (public_answers[p.path].first != a.status || public_answers[p.path].second != a.body) {
                  findings.add(route, "a public answer that differs from the anonymous one", f.empty() ? "-" : f,
                               v->column, "", p.path);
                }
              }
              // A list that goes on: its next pages are answers too.
              std::string next = nextCursor(a);
              if (next.empty()) break;
              p.path = first_page + "&cursor=" + encode(next);
            }
          }
        }
      }
    }
  }

  // The searches and the officer filter.
  void searchMarkers() {
    const Viewer& sara = viewer("sara");
    const Viewer& anonymous = viewer("");
    // Searches: every secret marker, whole and by its first 3 to 6 letters, in
    // the four searches. Whoever does not have full sight of its case gets no
    // hit; what the hits show is judged like any answer.
    struct Search {
      std::string route, path;  // path up to "q="
      bool is_public;
    };
    const std::vector<Search> searches = {
        {"GET /api/v1/cases", "/api/v1/cases?limit=200&q=", false},
        {"GET /api/v1/public/diarium", "/api/v1/public/diarium?limit=200&q=", true},
        {"GET /api/v1/decisions", "/api/v1/decisions?limit=200&q=", false},
        {"GET /api/v1/public/decisions", "/api/v1/public/decisions?limit=200&q=", true},
    };
    std::map<std::string, int> control_hits;
    for (size_t m = 0; m < world.markers.size(); ++m) {
      const Marker& mk = world.markers[m];
      const GenCase& c = world.cases[mk.case_index];
      if (mk.place == Place::kContentDigest) continue;
      // Open subjects and decision texts are the controls: the searches find them.
      const bool control = !mk.secret && c.committee == "SOCN" &&
                           (mk.place == Place::kSubject || mk.place == Place::kDecisionText) &&
                           c.stage >= Stage::kAttested && c.variant == Variant::kOpen;
      if (!mk.secret && !control) continue;
      std::vector<std::string> queries = {mk.word};
      for (size_t n = 3; n <= 6; ++n) queries.push_back(mk.word.substr(0, n) + "*");
      for (const auto& s : searches) {
        std::vector<const Viewer*> callers;
        if (s.is_public) {
          callers = {&anonymous, &sara};
        } else {
          for (const auto& v : viewers) {
            if (!v.anonymous()) callers.push_back(&v);
          }
        }
        for (const auto* v : callers) {
          for (const auto& query : queries) {
            Probe p{s.path + encode(query)};
            std::string format = "search " + std::to_string(query.back() == '*' ? query.size() - 1 : 0);
            Answer a = walkOne(*v, s.route, "search", p, static_cast<int>(m));
            if (a.status != 200) {
              findings.add(s.route, "search answers " + std::to_string(a.status), "search", v->column, "", p.path);
              continue;
            }
            Poco::JSON::Parser parser;
            auto items = parser.parse(a.body).extract<Poco::JSON::Object::Ptr>()->getArray("items");
            int hits = items ? static_cast<int>(items->size()) : 0;
            if (control) {
              control_hits[s.route + " " + placeName(mk.place) + " " + format] += hits;
              continue;
            }
            const bool may_find = !s.is_public && sightOf(*v, c) == Sight::kFull;
            if (hits > 0 && !may_find) {
              findings.add(s.route,
                           std::string("finds ") + placeName(mk.place) + " of a " + variantName(c.variant) +
                               " (hit count)",
                           query.back() == '*' ? "q=" + std::to_string(query.size() - 1) + " letters*" : "q=word",
                           v->column, stageName(c.stage), p.path);
            }
          }
        }
      }
    }
    // The officer filter of the case list: a secret case's officer is secret.
    for (const auto& g : world.cases) {
      if (g.officer.empty() || !g.secretCase()) continue;
      int m = -1;
      for (size_t k = 0; k < world.markers.size(); ++k) {
        if (world.markers[k].case_index == g.index && world.markers[k].place == Place::kOfficer) m = static_cast<int>(k);
      }
      for (const auto& v : viewers) {
        if (v.anonymous()) continue;
        Probe p{"/api/v1/cases?limit=200&officer=" + g.officer};
        Answer a = walkOne(v, "GET /api/v1/cases", "search", p, m);
        ASSERT_EQ(a.status, 200) << a.body;
        Poco::JSON::Parser parser;
        auto items = parser.parse(a.body).extract<Poco::JSON::Object::Ptr>()->getArray("items");
        if (items && items->size() > 0 && sightOf(v, g) != Sight::kFull) {
          findings.add("GET /api/v1/cases", std::string("finds ") + placeName(Place::kOfficer) + " of a " +
                                                 variantName(g.variant) + " (hit count)",
                       "officer=", v.column, stageName(g.stage), p.path);
        }
      }
    }
    for (const auto& s : searches) {
      for (const char* place : {"ärendemening", "beslutstext"}) {
        bool decisions = s.route.find("decisions") != std::string::npos;
        if ((std::string(place) == "beslutstext") != decisions) continue;
        for (int n : {0, 3, 4, 5, 6}) {
          std::string key = s.route + " " + place + " search " + std::to_string(n);
          EXPECT_GT(control_hits[key], 0) << key << ": the search does not find an open word";
        }
      }
    }
  }

  // Positive controls: each walker of `group` shows what it exists to show,
  // in every format, so a walker that only met 404s (or a reader that lost
  // the text) fails here rather than passing silently.
  void checkControls(const std::string& group) {
    for (const auto& w : walkers()) {
      if (groupOf(w.pattern) != group) continue;
      const std::string route = w.method + " " + w.pattern;
      int channels = 0;
      for (const auto& [key, seen] : seen_) {
        if (key.rfind(route + " ", 0) != 0) continue;
        ++channels;
        EXPECT_GT(seen.answers_ok, 0) << key << ": no caller got a 2xx answer";
        if (w.shows_case_data) {
          EXPECT_GT(seen.sightings, 0) << key << ": no marker was seen at all";
        }
        if (w.shows_secrets) {
          EXPECT_GT(seen.secret_sightings, 0) << key << ": no full viewer saw a secret marker";
        }
      }
      EXPECT_GT(channels, 0) << route << " was not walked";
    }
  }

  void report(const std::string& what, steady_clock::time_point started) { report(what, started, findings); }
  void report(const std::string& what, steady_clock::time_point started, const Findings& found) {
    auto seconds = duration_cast<milliseconds>(steady_clock::now() - started).count() / 1000.0;
    std::cout << "[ secrecy  ] " << what << ": " << world.cases.size() << " cases, " << world.markers.size()
              << " markers, " << viewers.size() << " callers, " << requests << " requests, " << seen_.size()
              << " route x format channels, " << seconds << " s\n";
    if (std::getenv("KANSLI_SECRECY_TIMES")) {
      for (const auto& [k, ms] : milliseconds_) std::cout << "  " << ms / 1000 << " s  " << k << "\n";
    }
    EXPECT_TRUE(found.leaks.empty()) << found.leaks.size() << " leaks (route | what):\n" << found.table();
  }

  std::unique_ptr<TestServer> server;
  std::unique_ptr<AuditTail> audit;
  Client reg{0}, head{0}, ks_head{0}, secretary{0}, chair{0}, adjuster{0};
  std::map<std::string, Client> officers;
  std::vector<Viewer> viewers;
  World world;
  Findings findings;
  Findings write_findings;  // from the setup's writes
  std::map<std::string, Seen> seen_;
  std::map<std::string, double> milliseconds_;
  int requests = 0;
  int writes_observed = 0;
};

// Every GET route of the router has a walker or an exclusion with a reason;
// no walker or exclusion names a route the router does not have.
TEST(SecrecyPropertyRoutes, EveryGetRouteHasAWalkerOrAnExclusion) {
  TestServer server;
  std::set<std::string> routes, walked;
  for (const auto& r : server.service().router().routes()) routes.insert(r.method + " " + r.pattern);
  for (const auto& w : walkers()) {
    EXPECT_TRUE(walked.insert(w.method + " " + w.pattern).second) << "two walkers for " << w.pattern;
    EXPECT_TRUE(routes.count(w.method + " " + w.pattern))
        << "a walker for a route the server does not have: " << w.method << " " << w.pattern;
  }
  for (const auto& [route, why] : exclusions()) {
    EXPECT_FALSE(why.empty()) << route << " is excluded without a reason";
    EXPECT_TRUE(routes.count(route)) << "an exclusion for a route the server does not have: " << route;
    EXPECT_FALSE(walked.count(route)) << route << " is both walked and excluded";
  }
  for (const auto& r : server.service().router().routes()) {
    if (r.method != "GET") continue;
    std::string route = r.method + " " + r.pattern;
    EXPECT_TRUE(walked.count(route) || exclusions().count(route))
        << route << " has no walker in secrecy_property_test.cpp: every GET route is a channel a "
        << "secret can leak through; add a walker (or an exclusion saying why it cannot show one)";
  }
}

// The diarium's routes and the service's own (cases, documents and their
// content, history, transitions, the public diarium, users, workflows, the
// web client's files, health and metrics).
TEST_F(SecrecyProperty, CaseRoutesShowSecretsOnlyToFullSight) {
  if (HasFatalFailure()) return;
  auto started = steady_clock::now();
  walkRoutes("cases");
  checkControls("cases");
  report("case routes", started);
}

// The memo in every format and version, its versions, diff and preview.
TEST_F(SecrecyProperty, MemoRoutesShowSecretsOnlyToFullSight) {
  if (HasFatalFailure()) return;
  auto started = steady_clock::now();
  walkRoutes("memo");
  checkControls("memo");
  report("memo routes", started);
}

// Meetings, agendas, minutes, decisions and extracts, the notice board.
TEST_F(SecrecyProperty, MeetingAndDecisionRoutesShowSecretsOnlyToFullSight) {
  if (HasFatalFailure()) return;
  auto started = steady_clock::now();
  walkRoutes("meetings");
  checkControls("meetings");
  report("meeting and decision routes", started);
}

// The four searches with every secret marker whole and by its first 3 to 6
// letters, and the case list's officer filter.
TEST_F(SecrecyProperty, SearchesFindSecretWordsOnlyWithFullSight) {
  if (HasFatalFailure()) return;
  auto started = steady_clock::now();
  searchMarkers();
  report("searches", started);
}

// What the writes of the setup answered their callers (transitions, agenda
// items, decisions, attestations): checked while the world was made.
TEST_F(SecrecyProperty, AnswersToWritesShowSecretsOnlyToFullSight) {
  if (HasFatalFailure()) return;
  EXPECT_GT(writes_observed, 100) << "the setup's writes were not observed";
  report("answers to writes", steady_clock::now(), write_findings);
}

}  // namespace
}  // namespace kansli::testing
