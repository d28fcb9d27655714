// Fuzz target: a workflow definition from outside (workflows/*.xml read by
// loadWorkflows() and `kansli check`).
//
// Each input is parsed with the XML layer's hostile-input rules, validated
// against workflows/workflow.rng, and put through the semantic and graph
// checks; the semantic pass also runs without the schema, so inputs the schema
// refuses still reach it. An input that checks clean is then run through the
// state machine from every state with every transition and role, and the
// loader's promises are asserted: one initial state, every referenced state
// exists, a successful step lands on the transition's target.
//
// Not wired into CMake. Build with a clang that can compile libstdc++'s
// <expected> (clang >= 16; Debian 12's clang 14 cannot), from the repo root:
//   clang++ -std=c++2b -g -O1 -fsanitize=fuzzer,address,undefined
//     -Iengine/include -Iengine/src -DKANSLI_HOME_DEFAULT='"'$PWD'"'
//     fuzz/workflow_fuzz.cpp engine/src/workflow/*.cpp engine/src/xml/xml.cpp
//     $(pkg-config --cflags --libs libxml-2.0) -o workflow_fuzz
//   ./workflow_fuzz -dict=fuzz/workflow.dict fuzz/corpus/workflow
// (one command line). To replay the corpus or a crash with GCC and the
// sanitizers, build the same way with g++ -std=c++23
// -fsanitize=address,undefined -DKANSLI_FUZZ_REPLAY_MAIN instead of
// -fsanitize=fuzzer, and pass files or directories as arguments.
// The schema is KANSLI_WORKFLOW_SCHEMA if set, else <KANSLI_HOME_DEFAULT>/workflows/workflow.rng.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include "kansli/workflow.h"
#include "workflow/loader.h"
#include "xml/xml.h"

#ifndef KANSLI_HOME_DEFAULT
#define KANSLI_HOME_DEFAULT "."
#endif

namespace {

using namespace kansli::workflow;

const kansli::xml::Schema* schema() {
  static const std::optional<kansli::xml::Schema> loaded = [] {
    const char* env = std::getenv("KANSLI_WORKFLOW_SCHEMA");
    std::string path = env && *env ? env : KANSLI_HOME_DEFAULT "/workflows/workflow.rng";
    auto s = kansli::xml::Schema::load(path);
    if (!s) {
      // Without the schema the target would silently fuzz less; refuse to run.
      __builtin_trap();
    }
    return std::optional<kansli::xml::Schema>(std::move(*s));
  }();
  return &*loaded;
}

// Every guard holds; the decision outcome is chosen per transition below.
struct AllHold : GuardContext {
  std::optional<std::string> outcome;
  bool fieldSet(std::string_view) const override { return true; }
  bool requestHas(std::string_view) const override { return true; }
  bool memoHasDraft() const override { return true; }
  bool memoApproved() const override { return true; }
  bool onAgenda() const override { return true; }
  bool decisionRecorded() const override { return outcome.has_value(); }
  std::optional<std::string> decisionOutcome() const override { return outcome; }
  bool minutesAttested() const override { return true; }
  bool minutesPosted() const override { return true; }
  bool appealPeriodOver() const override { return true; }
  bool documentRegistered(std::string_view) const override { return true; }
};

void require(bool condition) {
  if (!condition) __builtin_trap();
}

void exercise(const Workflow& wf) {
  require(wf.initialState() != nullptr);
  require(!wf.id.empty() && wf.version > 0);
  for (const Transition& t : wf.transitions) {
    require(wf.state(t.to) != nullptr);
    for (const auto& f : t.from) require(wf.state(f) != nullptr && !wf.state(f)->final);
  }
  AllHold ctx;
  for (const State& s : wf.states) {
    for (Role role : allRoles()) (void)availableTransitions(wf, s.id, role, ctx);
    for (const Transition& t : wf.transitions) {
      ctx.outcome.reset();
      for (const Guard& g : t.guards) {
        if (g.kind == GuardKind::kDecisionOutcome && !g.args.empty()) ctx.outcome = g.args.front();
      }
      for (Role role : allRoles()) {
        auto step = evaluate(wf, s.id, t.id, role, ctx);
        if (step) {
          require(step->to == t.to && t.startsFrom(s.id) && t.allows(role));
        } else {
          require(step.error().code != kansli::ErrorCode::kInternal);
        }
      }
    }
    (void)evaluate(wf, s.id, "finns_inte", Role::kAdmin, ctx);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)internal::checkDocument(text, "fuzz.xml", nullptr);
  auto checked = internal::checkDocument(text, "fuzz.xml", schema());
  if (checked.problems.empty()) exercise(checked.workflow);
  std::vector<const internal::FileResult*> files = {&checked, &checked};
  std::vector<Problem> across;
  internal::checkAcrossFiles(files, across);
  return 0;
}

#ifdef KANSLI_FUZZ_REPLAY_MAIN
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

int main(int argc, char** argv) {
  int runs = 0;
  auto run = [&runs](const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    std::string bytes = ss.str();
    LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
    ++runs;
  };
  for (int i = 1; i < argc; ++i) {
    if (std::filesystem::is_directory(argv[i])) {
      for (const auto& e : std::filesystem::directory_iterator(argv[i])) run(e.path());
    } else {
      run(argv[i]);
    }
  }
  std::cout << runs << " inputs ran\n";
  return 0;
}
#endif
