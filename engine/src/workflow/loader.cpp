// Reading and checking workflow files (see kansli/workflow.h, docs/workflows.md).
//
// Every check reports and carries on, so one run of `kansli check` names every
// problem of every file. Each problem points at the element at fault: the
// <state>, <transition>, <guard> or <effect>; the <states> element when the
// whole set of states is wrong (no initial, no final state); the <workflow>
// element for problems across files.
#include "workflow/loader.h"

#include <algorithm>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <sstream>

#ifndef KANSLI_HOME_DEFAULT
#define KANSLI_HOME_DEFAULT "."
#endif

namespace kansli::workflow {
namespace fs = std::filesystem;

namespace internal {
namespace {

const std::size_t kMaxFileBytes = xml::ParseLimits{}.max_bytes;

std::vector<std::string> tokens(std::string_view s) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')) ++i;
    std::size_t start = i;
    while (i < s.size() && !(s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')) ++i;
    if (i > start) out.emplace_back(s.substr(start, i - start));
  }
  return out;
}

template <class Range>
std::string joinQuoted(const Range& names, std::string_view last_sep = " eller ") {
  std::string out;
  std::size_t n = 0;
  const std::size_t count = static_cast<std::size_t>(std::distance(names.begin(), names.end()));
  for (const auto& name : names) {
    if (n > 0) out += (n + 1 == count) ? std::string(last_sep) : std::string(", ");
    out += "'";
    out += name;
    out += "'";
    ++n;
  }
  return out;
}

std::string trim(std::string s) {
  const char* ws = " \t\r\n";
  auto b = s.find_first_not_of(ws);
  if (b == std::string::npos) return {};
  auto e = s.find_last_not_of(ws);
  return s.substr(b, e - b + 1);
}

bool parseBool(const std::optional<std::string>& v) {
  if (!v) return false;
  std::string t = trim(*v);
  return t == "true" || t == "1";
}

// The shape the schema's period pattern accepts; anything else is left to it.
bool looksLikePeriod(std::string_view s) {
  if (s.empty() || s.front() != 'P') return false;
  return std::all_of(s.begin() + 1, s.end(), [](char c) {
    return (c >= '0' && c <= '9') || c == 'Y' || c == 'M' || c == 'W' || c == 'D';
  });
}

std::optional<int> parseVersion(const std::optional<std::string>& v) {
  if (!v) return std::nullopt;
  std::string t = trim(*v);
  if (t.empty() || t.size() > 9) return std::nullopt;
  int n = 0;
  for (char c : t) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + (c - '0');
  }
  if (n <= 0) return std::nullopt;
  return n;
}

class Reader {
 public:
  Reader(const std::string& file, FileResult& result)
      : file_(file), result_(result), wf_(result.workflow) {}

  void run(const xml::Element& root) {
    if (!root || root.name() != "workflow") return;  // the schema names the right root
    wf_.line = root.line();
    readHeader(root);
    xml::Element states = root.child("states");
    readStates(states);
    readTransitions(root.child("transitions"));
    checkStateMarks(states ? states.line() : root.line());
    checkGraph();
  }

 private:
  void problem(int line, std::string message) {
    result_.problems.push_back({file_, line, std::move(message)});
  }

  std::optional<Period> period(const std::string& text, int line) {
    auto p = parsePeriod(trim(text));
    if (p && !p->empty()) return p;
    if (p || looksLikePeriod(trim(text))) {
      problem(line, "ogiltig period '" + text +
                        "': ange år, månader, veckor eller dagar, t.ex. P1Y, P3M, P2W eller P21D");
    }
    return std::nullopt;
  }

  static std::optional<DeadlineFrom> deadlineFrom(const std::optional<std::string>& v) {
    if (!v) return std::nullopt;
    std::string t = trim(*v);
    if (t == "received") return DeadlineFrom::kReceived;
    if (t == "now") return DeadlineFrom::kNow;
    return std::nullopt;  // the schema reports it
  }

  void readHeader(const xml::Element& root) {
    wf_.id = trim(root.attrOr("id", ""));
    auto version = parseVersion(root.attr("version"));
    if (version) {
      wf_.version = *version;
    } else if (auto text = trim(root.attrOr("version", ""));
               text.size() > 9 &&
               std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      // The schema's positiveInteger has no upper bound; ours does.
      problem(root.line(), "versionsnumret " + text + " är för stort (högst 999999999)");
    }
    result_.identified = !wf_.id.empty() && version.has_value();
    wf_.kinds = tokens(root.attrOr("kinds", ""));
    wf_.label = trim(root.attrOr("label", ""));
    if (auto d = root.child("description")) wf_.description = trim(d.text());
    if (auto cd = root.child("case-deadline")) {
      if (auto text = cd.attr("period")) {
        if (auto p = period(*text, cd.line())) {
          wf_.case_deadline =
              CaseDeadline{*p, deadlineFrom(cd.attr("from")).value_or(DeadlineFrom::kReceived),
                           trim(cd.attrOr("label", ""))};
        }
      }
    }
  }

  void readStates(const xml::Element& states) {
    for (const auto& el : states.children("state")) {
      State s;
      s.id = trim(el.attrOr("id", ""));
      s.line = el.line();
      if (s.id.empty()) continue;  // the schema reports a missing id
      if (auto it = state_lines_.find(s.id); it != state_lines_.end()) {
        problem(s.line, "tillståndet '" + s.id + "' är redan definierat på rad " +
                            std::to_string(it->second));
        continue;
      }
      state_lines_.emplace(s.id, s.line);
      s.label = trim(el.attrOr("label", ""));
      s.initial = parseBool(el.attr("initial"));
      s.final = parseBool(el.attr("final"));
      if (auto d = el.attr("deadline")) s.deadline = period(*d, s.line);
      if (auto d = el.child("description")) s.description = trim(d.text());
      wf_.states.push_back(std::move(s));
    }
  }

  const State* findState(std::string_view id) const {
    for (const auto& s : wf_.states) {
      if (s.id == id) return &s;
    }
    return nullptr;
  }

  void readTransitions(const xml::Element& transitions) {
    std::map<std::string, int> lines;
    for (const auto& el : transitions.children("transition")) {
      Transition t;
      t.id = trim(el.attrOr("id", ""));
      t.line = el.line();
      if (t.id.empty()) continue;  // the schema reports a missing id
      if (auto it = lines.find(t.id); it != lines.end()) {
        problem(t.line, "övergången '" + t.id + "' är redan definierad på rad " +
                            std::to_string(it->second));
        continue;
      }
      lines.emplace(t.id, t.line);
      t.label = trim(el.attrOr("label", ""));
      if (auto d = el.child("description")) t.description = trim(d.text());

      t.to = trim(el.attrOr("to", ""));
      if (!t.to.empty() && !findState(t.to)) {
        problem(t.line,
                "övergången '" + t.id + "' leder till tillståndet '" + t.to + "', som inte finns");
      }
      readFrom(el, t);
      readRoles(el, t);
      for (const auto& g : el.children("guard")) readGuard(g, t);
      for (const auto& e : el.children("effect")) readEffect(e, t);
      wf_.transitions.push_back(std::move(t));
    }
  }

  void readFrom(const xml::Element& el, Transition& t) {
    std::string from = trim(el.attrOr("from", ""));
    if (from == "*") {
      // Every state that is not final: the way out that must exist everywhere
      // (avskrivning). The target itself is left out: no self-loop by accident.
      for (const auto& s : wf_.states) {
        if (!s.final && s.id != t.to) t.from.push_back(s.id);
      }
      return;
    }
    std::set<std::string> seen;
    for (auto& id : tokens(from)) {
      if (!seen.insert(id).second) {
        problem(t.line,
                "övergången '" + t.id + "' nämner tillståndet '" + id + "' två gånger i from");
        continue;
      }
      const State* s = findState(id);
      if (!s) {
        problem(t.line,
                "övergången '" + t.id + "' utgår från tillståndet '" + id + "', som inte finns");
      } else if (s->final) {
        problem(t.line, "övergången '" + t.id + "' utgår från sluttillståndet '" + id +
                            "'; ett sluttillstånd har inga övergångar");
      }
      t.from.push_back(std::move(id));
    }
  }

  void readRoles(const xml::Element& el, Transition& t) {
    for (const auto& name : tokens(el.attrOr("roles", ""))) {
      auto role = parseRole(name);
      if (!role) {
        std::vector<std::string_view> known;
        for (Role r : allRoles()) known.push_back(roleName(r));
        problem(t.line, "okänd roll '" + name + "' i övergången '" + t.id +
                            "'; kända roller: " + joinQuoted(known));
        continue;
      }
      if (!t.allows(*role)) t.roles.push_back(*role);
    }
  }

  // Looks `name` up in a vocabulary; reports an unknown one.
  std::optional<std::size_t> lookup(const std::vector<VocabularyEntry>& vocabulary,
                                    const std::string& name, std::string_view what,
                                    std::string_view plural, int line) {
    for (std::size_t i = 0; i < vocabulary.size(); ++i) {
      if (vocabulary[i].name == name) return i;
    }
    if (name.empty()) return std::nullopt;  // the schema reports a missing name
    std::vector<std::string_view> known;
    for (const auto& v : vocabulary) known.push_back(v.name);
    problem(line, std::string(what) + " '" + name + "'; kända " + std::string(plural) + ": " +
                      joinQuoted(known));
    return std::nullopt;
  }

  // Checks `arg` against what the vocabulary entry accepts; returns the values.
  std::vector<std::string> args(const VocabularyEntry& v, const std::optional<std::string>& arg,
                                std::string_view what, int line) {
    std::vector<std::string> values = arg ? tokens(*arg) : std::vector<std::string>{};
    const std::string subject = std::string(what) + " '" + std::string(v.name) + "'";
    if (v.args.empty()) {
      if (arg) problem(line, subject + " tar inget argument (arg)");
      return {};
    }
    if (values.empty()) {
      problem(line, subject + " kräver arg: " + joinQuoted(v.args));
      return {};
    }
    if (values.size() > 1 && !v.many_args) {
      problem(line, subject + " tar ett värde i arg, inte " + std::to_string(values.size()));
    }
    std::vector<std::string> out;
    for (auto& value : values) {
      if (std::find(v.args.begin(), v.args.end(), value) == v.args.end()) {
        problem(line, "okänt värde '" + value + "' i arg till " + subject +
                          "; tillåtna: " + joinQuoted(v.args));
      } else if (std::find(out.begin(), out.end(), value) == out.end()) {
        out.push_back(std::move(value));
      }
    }
    return out;
  }

  void readGuard(const xml::Element& el, Transition& t) {
    auto index = lookup(guardVocabulary(), trim(el.attrOr("name", "")), "okänt villkor (guard)",
                        "villkor", el.line());
    if (!index) return;
    Guard g;
    g.kind = static_cast<GuardKind>(*index);
    g.line = el.line();
    g.args = args(guardVocabulary()[*index], el.attr("arg"), "villkoret", g.line);
    if (auto d = el.child("description")) g.description = trim(d.text());
    t.guards.push_back(std::move(g));
  }

  void readEffect(const xml::Element& el, Transition& t) {
    auto index = lookup(effectVocabulary(), trim(el.attrOr("name", "")), "okänd effekt (effect)",
                        "effekter", el.line());
    if (!index) return;
    Effect e;
    e.kind = static_cast<EffectKind>(*index);
    e.line = el.line();
    auto values = args(effectVocabulary()[*index], el.attr("arg"), "effekten", e.line);
    if (!values.empty()) e.arg = values.front();
    auto period_attr = el.attr("period");
    auto from = deadlineFrom(el.attr("from"));
    if (e.kind == EffectKind::kSetDeadline) {
      if (period_attr) {
        e.period = period(*period_attr, e.line);
        e.from = from.value_or(DeadlineFrom::kNow);
      } else if (wf_.case_deadline) {
        e.period = wf_.case_deadline->period;
        e.from = from.value_or(wf_.case_deadline->from);
      } else {
        problem(e.line,
                "effekten 'set-deadline' kräver period (t.ex. P1Y) eller ett <case-deadline> "
                "i arbetsflödet");
      }
    } else if (period_attr || el.attr("from")) {
      problem(e.line, "attributen period och from gäller bara effekten 'set-deadline', inte '" +
                          std::string(e.name()) + "'");
    }
    t.effects.push_back(std::move(e));
  }

  void checkStateMarks(int states_line) {
    std::vector<const State*> initial;
    int finals = 0;
    for (const auto& s : wf_.states) {
      if (s.initial) initial.push_back(&s);
      if (s.final) ++finals;
      if (s.initial && s.final) {
        problem(s.line, "tillståndet '" + s.id +
                            "' kan inte vara både initialtillstånd och "
                            "sluttillstånd");
      }
    }
    if (initial.empty()) {
      problem(states_line, "arbetsflödet saknar initialtillstånd (ett <state initial=\"true\">)");
    }
    for (std::size_t i = 1; i < initial.size(); ++i) {
      problem(initial[i]->line, "fler än ett initialtillstånd: '" + initial[i]->id + "' och '" +
                                    initial[0]->id + "' (rad " + std::to_string(initial[0]->line) +
                                    ")");
    }
    if (finals == 0) {
      problem(states_line, "arbetsflödet saknar sluttillstånd (ett <state final=\"true\">)");
    }
    initial_count_ = initial.size();
    final_count_ = finals;
  }

  void checkGraph() {
    const std::size_t n = wf_.states.size();
    std::map<std::string_view, std::size_t> index;
    for (std::size_t i = 0; i < n; ++i) index.emplace(wf_.states[i].id, i);
    std::vector<std::vector<std::size_t>> forward(n), backward(n);
    for (const auto& t : wf_.transitions) {
      auto to = index.find(t.to);
      if (to == index.end()) continue;
      for (const auto& f : t.from) {
        auto from = index.find(f);
        if (from == index.end()) continue;
        forward[from->second].push_back(to->second);
        backward[to->second].push_back(from->second);
      }
    }
    auto reach = [n](const std::vector<std::size_t>& start,
                     const std::vector<std::vector<std::size_t>>& edges) {
      std::vector<bool> seen(n, false);
      std::deque<std::size_t> queue(start.begin(), start.end());
      for (std::size_t s : start) seen[s] = true;
      while (!queue.empty()) {
        std::size_t at = queue.front();
        queue.pop_front();
        for (std::size_t next : edges[at]) {
          if (!seen[next]) {
            seen[next] = true;
            queue.push_back(next);
          }
        }
      }
      return seen;
    };

    if (initial_count_ == 1) {
      std::vector<std::size_t> start;
      for (std::size_t i = 0; i < n; ++i) {
        if (wf_.states[i].initial) start.push_back(i);
      }
      auto seen = reach(start, forward);
      for (std::size_t i = 0; i < n; ++i) {
        if (!seen[i]) {
          problem(wf_.states[i].line, "tillståndet '" + wf_.states[i].id +
                                          "' kan inte nås från initialtillståndet '" +
                                          wf_.states[start.front()].id + "'");
        }
      }
    }
    if (final_count_ > 0) {
      std::vector<std::size_t> finals;
      for (std::size_t i = 0; i < n; ++i) {
        if (wf_.states[i].final) finals.push_back(i);
      }
      auto can_finish = reach(finals, backward);
      for (std::size_t i = 0; i < n; ++i) {
        if (!can_finish[i]) {
          problem(wf_.states[i].line,
                  "från tillståndet '" + wf_.states[i].id +
                      "' går det inte att nå något sluttillstånd; ett ärende där skulle aldrig "
                      "kunna avslutas");
        }
      }
    }
  }

  const std::string& file_;
  FileResult& result_;
  Workflow& wf_;
  std::map<std::string, int> state_lines_;
  std::size_t initial_count_ = 0;
  int final_count_ = 0;
};

void sortByLine(std::vector<Problem>& problems) {
  std::stable_sort(problems.begin(), problems.end(),
                   [](const Problem& a, const Problem& b) { return a.line < b.line; });
}

// "line 12" (xml::parse's FieldError) -> 12.
int lineOf(const std::string& field) {
  int line = 0;
  for (char c : field) {
    if (c >= '0' && c <= '9' && line < 100000000) line = line * 10 + (c - '0');
  }
  return line;
}

}  // namespace

FileResult checkDocument(std::string_view xml, const std::string& name, const xml::Schema* schema) {
  FileResult result;
  result.workflow.file = name;
  auto doc = xml::parse(xml, name);
  if (!doc) {
    const Error& e = doc.error();
    if (e.fields.empty()) {
      std::string message = e.message;
      if (message.rfind(name + ": ", 0) == 0) message.erase(0, name.size() + 2);
      result.problems.push_back({name, 0, message});
    }
    for (const auto& f : e.fields) result.problems.push_back({name, lineOf(f.field), f.message});
    return result;
  }
  if (schema) {
    for (const auto& p : schema->validate(*doc)) {
      result.problems.push_back({name, p.line, "brott mot schemat: " + p.message});
    }
  }
  Reader(name, result).run(doc->root());
  sortByLine(result.problems);
  return result;
}

void checkAcrossFiles(const std::vector<const FileResult*>& files, std::vector<Problem>& problems) {
  std::map<std::pair<std::string, int>, const Workflow*> by_version;
  std::map<std::string, const Workflow*> latest;
  for (const FileResult* f : files) {
    if (!f->identified) continue;
    const Workflow& wf = f->workflow;
    auto [it, inserted] = by_version.emplace(std::pair{wf.id, wf.version}, &wf);
    if (!inserted) {
      problems.push_back({wf.file, wf.line,
                          "arbetsflödet '" + wf.id + "' version " + std::to_string(wf.version) +
                              " finns redan i " + it->second->file + ":" +
                              std::to_string(it->second->line)});
      continue;
    }
    auto& l = latest[wf.id];
    if (!l || l->version < wf.version) l = &wf;
  }
  // One case kind, one workflow: otherwise registration could not choose.
  std::map<std::string, const Workflow*> by_kind;
  for (const FileResult* f : files) {
    const Workflow& wf = f->workflow;
    if (!f->identified || latest[wf.id] != &wf) continue;
    for (const auto& kind : wf.kinds) {
      auto [it, inserted] = by_kind.emplace(kind, &wf);
      if (!inserted) {
        problems.push_back({wf.file, wf.line,
                            "ärendetypen '" + kind + "' hanteras redan av arbetsflödet '" +
                                it->second->id + "' (" + it->second->file + ":" +
                                std::to_string(it->second->line) + ")"});
      }
    }
  }
}

}  // namespace internal

namespace {

std::string defaultSchema() {
  if (const char* home = std::getenv("KANSLI_HOME"); home && *home) {
    fs::path p = fs::path(home) / "workflows" / "workflow.rng";
    std::error_code ec;
    if (fs::exists(p, ec)) return p.string();
  }
  return (fs::path(KANSLI_HOME_DEFAULT) / "workflows" / "workflow.rng").string();
}

std::string schemaFor(const std::string& file, const LoadOptions& options) {
  if (!options.schema.empty()) return options.schema;
  std::error_code ec;
  fs::path beside = fs::path(file).parent_path() / "workflow.rng";
  if (!file.empty() && fs::exists(beside, ec)) return beside.string();
  return defaultSchema();
}

// Compiled schemas of one run, by path; a schema that does not load is
// reported once and its files are checked without it.
class Schemas {
 public:
  const xml::Schema* get(const std::string& path, std::vector<Problem>& problems) {
    auto it = schemas_.find(path);
    if (it == schemas_.end()) {
      auto loaded = xml::Schema::load(path);
      if (!loaded) {
        problems.push_back({path, 0, "schemat kan inte läsas: " + loaded.error().message});
        it = schemas_.emplace(path, std::nullopt).first;
      } else {
        it = schemas_.emplace(path, std::move(*loaded)).first;
      }
    }
    return it->second ? &*it->second : nullptr;
  }

 private:
  std::map<std::string, std::optional<xml::Schema>> schemas_;
};

struct Run {
  std::vector<internal::FileResult> files;
  std::vector<Problem> problems;  // in file order
};

std::vector<std::string> xmlFilesIn(const fs::path& dir) {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.path().extension() == ".xml" && entry.is_regular_file(ec)) {
      out.push_back(entry.path().string());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

Run runCheck(const std::vector<std::string>& paths, const LoadOptions& options) {
  Run run;
  std::vector<std::string> files;
  for (const auto& path : paths) {
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
      auto in_dir = xmlFilesIn(path);
      files.insert(files.end(), in_dir.begin(), in_dir.end());
    } else if (fs::exists(path, ec)) {
      files.push_back(path);
    } else {
      run.problems.push_back({path, 0, "filen eller katalogen finns inte"});
    }
  }
  Schemas schemas;
  for (const auto& file : files) {
    const xml::Schema* schema = schemas.get(schemaFor(file, options), run.problems);
    std::error_code ec;
    auto size = fs::file_size(file, ec);
    if (ec) {
      run.problems.push_back({file, 0, "filen kan inte läsas"});
      continue;
    }
    if (size > internal::kMaxFileBytes) {
      run.problems.push_back(
          {file, 0, "filen är större än " + std::to_string(internal::kMaxFileBytes) + " byte"});
      continue;
    }
    std::ifstream in(file, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    if (!in) {
      run.problems.push_back({file, 0, "filen kan inte läsas"});
      continue;
    }
    run.files.push_back(internal::checkDocument(text.str(), file, schema));
  }

  std::vector<const internal::FileResult*> results;
  for (const auto& f : run.files) results.push_back(&f);
  std::vector<Problem> across;
  internal::checkAcrossFiles(results, across);
  for (const auto& f : run.files) {
    std::vector<Problem> mine = f.problems;
    for (const auto& p : across) {
      if (p.file == f.workflow.file) mine.push_back(p);
    }
    internal::sortByLine(mine);
    run.problems.insert(run.problems.end(), mine.begin(), mine.end());
  }
  return run;
}

}  // namespace

std::vector<Problem> check(const std::vector<std::string>& paths, const LoadOptions& options) {
  return runCheck(paths, options).problems;
}

Checked checkText(std::string_view xml, const std::string& name, const LoadOptions& options) {
  Checked out;
  std::string schema_path = options.schema.empty() ? defaultSchema() : options.schema;
  Schemas schemas;
  const xml::Schema* schema = schemas.get(schema_path, out.problems);
  auto result = internal::checkDocument(xml, name, schema);
  out.problems.insert(out.problems.end(), result.problems.begin(), result.problems.end());
  if (out.problems.empty()) out.workflow = std::move(result.workflow);
  return out;
}

Result<WorkflowSet> loadWorkflows(const std::string& dir, const LoadOptions& options) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    return std::unexpected(Error::notFound("katalogen för arbetsflöden finns inte: " + dir));
  }
  if (xmlFilesIn(dir).empty()) {
    return std::unexpected(Error::unprocessable("inga arbetsflöden (*.xml) i " + dir));
  }
  Run run = runCheck({dir}, options);
  if (!run.problems.empty()) {
    std::string message = "arbetsflödena i " + dir + " kan inte läsas in:";
    std::vector<FieldError> fields;
    for (const auto& p : run.problems) {
      message += "\n" + p.str();
      fields.push_back({p.file + ":" + std::to_string(p.line), p.message});
    }
    return std::unexpected(Error::unprocessable(std::move(message), std::move(fields)));
  }
  std::vector<Workflow> workflows;
  for (auto& f : run.files) workflows.push_back(std::move(f.workflow));
  return WorkflowSet(std::move(workflows));
}

}  // namespace kansli::workflow
