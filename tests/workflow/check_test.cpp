// The load-time checks: one broken workflow per rule, each asserting the exact
// "file:line: message" that `kansli check` prints.
#include <gmock/gmock.h>

#include <algorithm>

#include "kansli/workflow.h"
#include "testing/testing.h"

namespace kansli::workflow {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::StartsWith;

// A small valid workflow: a -> b -> z.
constexpr std::string_view kValid = R"(<workflow id="t" version="1" kinds="t" label="T">
  <states>
    <state id="a" label="A" initial="true"/>
    <state id="b" label="B"/>
    <state id="z" label="Z" final="true"/>
  </states>
  <transitions>
    <transition id="ab" from="a" to="b" label="AB" roles="handlaggare"/>
    <transition id="bz" from="b" to="z" label="BZ" roles="handlaggare"/>
  </transitions>
</workflow>
)";

std::string replaced(std::string_view text, std::string_view from, std::string_view to) {
  std::string s(text);
  auto at = s.find(from);
  EXPECT_NE(at, std::string::npos) << "no '" << from << "' in the test's workflow";
  if (at != std::string::npos) s.replace(at, from.size(), to);
  return s;
}

// The 1-based line of the first occurrence of `needle`.
int lineOf(std::string_view text, std::string_view needle) {
  auto at = text.find(needle);
  EXPECT_NE(at, std::string_view::npos) << needle;
  return 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<long>(at), '\n'));
}

class CheckTest : public ::testing::Test {
 protected:
  LoadOptions options() const {
    return {.schema = kansli::testing::sourceDir() + "/workflows/workflow.rng"};
  }

  // Writes `text` as t.xml in the temp dir and checks that file alone.
  std::vector<std::string> checkFile(const std::string& text) {
    kansli::testing::writeFile(path_, text);
    return strs(check({path_}, options()));
  }

  static std::vector<std::string> strs(const std::vector<Problem>& problems) {
    std::vector<std::string> out;
    for (const auto& p : problems) out.push_back(p.str());
    return out;
  }

  std::string at(int line, const std::string& message) const {
    return path_ + ":" + std::to_string(line) + ": " + message;
  }

  kansli::testing::TempDir dir_;
  std::string path_ = dir_.file("t.xml");  // the file problems name in at()
};

TEST_F(CheckTest, ValidWorkflowHasNoProblems) {
  EXPECT_THAT(checkFile(std::string(kValid)), IsEmpty());
}

TEST_F(CheckTest, SchemaViolationNamesTheElementLine) {
  std::string text =
      replaced(kValid, R"(<state id="b" label="B"/>)", R"(<state id="b" label="B" colour="red"/>)");
  auto problems = checkFile(text);
  ASSERT_EQ(problems.size(), 1u) << ::testing::PrintToString(problems);
  EXPECT_THAT(problems[0], StartsWith(at(lineOf(text, "colour"), "brott mot schemat: ")));
}

TEST_F(CheckTest, SchemaRefusesANonNumericVersion) {
  std::string text = replaced(kValid, R"(version="1")", R"(version="ett")");
  auto problems = checkFile(text);
  ASSERT_FALSE(problems.empty());
  EXPECT_THAT(problems[0], StartsWith(at(1, "brott mot schemat: ")));
}

TEST_F(CheckTest, VersionBeyondOurRangeIsRefused) {
  // positiveInteger in the schema has no upper bound; a silent 0 would be worse.
  std::string text = replaced(kValid, R"(version="1")", R"(version="10000000000")");
  EXPECT_THAT(checkFile(text), ElementsAre(at(1,
                                              "versionsnumret 10000000000 är för stort (högst "
                                              "999999999)")));
}

TEST_F(CheckTest, NotWellFormedNamesFileAndLine) {
  std::string text = replaced(kValid, "</states>", "</stats>");
  auto problems = checkFile(text);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_THAT(problems[0], StartsWith(at(lineOf(text, "</stats>"), "")));
}

TEST_F(CheckTest, DoctypeIsRefused) {
  auto problems = checkFile("<?xml version='1.0'?>\n<!DOCTYPE workflow [<!ENTITY x 'y'>]>\n" +
                            std::string(kValid));
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_THAT(problems[0], HasSubstr("DOCTYPE"));
}

TEST_F(CheckTest, UnknownTargetState) {
  std::string text =
      replaced(kValid, "</transitions>",
               R"(  <transition id="aq" from="a" to="q" label="AQ" roles="handlaggare"/>
  </transitions>)");
  EXPECT_THAT(checkFile(text),
              ElementsAre(at(lineOf(text, R"(id="aq")"),
                             "övergången 'aq' leder till tillståndet 'q', som inte finns")));
}

TEST_F(CheckTest, UnknownSourceState) {
  std::string text = replaced(kValid, R"(from="b" to="z")", R"(from="b q" to="z")");
  EXPECT_THAT(checkFile(text),
              ElementsAre(at(lineOf(text, R"(id="bz")"),
                             "övergången 'bz' utgår från tillståndet 'q', som inte finns")));
}

TEST_F(CheckTest, UnknownRole) {
  std::string text = replaced(kValid, R"(to="z" label="BZ" roles="handlaggare")",
                              R"(to="z" label="BZ" roles="handlaggare kung")");
  EXPECT_THAT(checkFile(text),
              ElementsAre(at(lineOf(text, R"(id="bz")"),
                             "okänd roll 'kung' i övergången 'bz'; kända roller: 'registrator', "
                             "'handlaggare', 'enhetschef', 'namndsekreterare', 'ledamot' eller "
                             "'admin'")));
}

TEST_F(CheckTest, UnknownGuard) {
  std::string text =
      replaced(kValid, R"(roles="handlaggare"/>)",
               "roles=\"handlaggare\">\n      <guard name=\"moon-is-full\"/>\n    </transition>");
  auto problems = checkFile(text);
  ASSERT_EQ(problems.size(), 1u) << ::testing::PrintToString(problems);
  EXPECT_THAT(problems[0], StartsWith(at(lineOf(text, "moon-is-full"),
                                         "okänt villkor (guard) 'moon-is-full'; kända villkor: "
                                         "'field-set', 'memo-has-draft'")));
}

TEST_F(CheckTest, UnknownEffect) {
  std::string text =
      replaced(kValid, R"(roles="handlaggare"/>)",
               "roles=\"handlaggare\">\n      <effect name=\"send-flowers\"/>\n    </transition>");
  auto problems = checkFile(text);
  ASSERT_EQ(problems.size(), 1u) << ::testing::PrintToString(problems);
  EXPECT_THAT(problems[0], StartsWith(at(lineOf(text, "send-flowers"),
                                         "okänd effekt (effect) 'send-flowers'; kända effekter: "
                                         "'assign'")));
}

TEST_F(CheckTest, GuardAndEffectArgumentsAreChecked) {
  std::string text = replaced(kValid, R"(roles="handlaggare"/>)",
                              R"(roles="handlaggare">
      <guard name="field-set" arg="colour"/>
      <guard name="field-set"/>
      <guard name="memo-approved" arg="unit"/>
      <guard name="field-set" arg="unit officer"/>
      <guard name="decision-outcome" arg="bifall avslag"/>
      <effect name="assign" arg="unit"/>
      <effect name="clear-deadline" period="P1D"/>
    </transition>)");
  EXPECT_THAT(
      checkFile(text),
      ElementsAre(
          at(lineOf(text, "colour"),
             "okänt värde 'colour' i arg till villkoret 'field-set'; tillåtna: 'unit' eller "
             "'officer'"),
          at(lineOf(text, R"(<guard name="field-set"/>)"),
             "villkoret 'field-set' kräver arg: 'unit' eller 'officer'"),
          at(lineOf(text, "memo-approved"), "villkoret 'memo-approved' tar inget argument (arg)"),
          at(lineOf(text, "unit officer"), "villkoret 'field-set' tar ett värde i arg, inte 2"),
          at(lineOf(text, "clear-deadline"),
             "attributen period och from gäller bara effekten 'set-deadline', inte "
             "'clear-deadline'")));
}

TEST_F(CheckTest, SetDeadlineNeedsAPeriodOrACaseDeadline) {
  std::string text = replaced(kValid, R"(roles="handlaggare"/>)",
                              "roles=\"handlaggare\">\n      <effect name=\"set-deadline\"/>\n"
                              "    </transition>");
  EXPECT_THAT(checkFile(text),
              ElementsAre(at(lineOf(text, "set-deadline"),
                             "effekten 'set-deadline' kräver period (t.ex. P1Y) eller ett "
                             "<case-deadline> i arbetsflödet")));

  // With a case deadline the effect takes it over.
  std::string with_case = replaced(
      text, "  <states>", "  <case-deadline period=\"P1Y\" from=\"received\"/>\n  <states>");
  EXPECT_THAT(checkFile(with_case), IsEmpty());
  auto checked = checkText(with_case, "t.xml", options());
  ASSERT_TRUE(checked.workflow);
  const auto& effect = checked.workflow->transitions[0].effects.at(0);
  ASSERT_TRUE(effect.period);
  EXPECT_EQ(effect.period->iso(), "P1Y");
  EXPECT_EQ(effect.from, DeadlineFrom::kReceived);
}

TEST_F(CheckTest, EmptyPeriodIsRefused) {
  std::string text =
      replaced(kValid, R"(<state id="b" label="B"/>)", R"(<state id="b" label="B" deadline="P"/>)");
  EXPECT_THAT(checkFile(text),
              ElementsAre(at(lineOf(text, R"(deadline="P")"),
                             "ogiltig period 'P': ange år, månader, veckor eller dagar, t.ex. "
                             "P1Y, P3M, P2W eller P21D")));
}

TEST_F(CheckTest, DuplicateStateId) {
  std::string text = replaced(kValid, R"(<state id="z" label="Z" final="true"/>)",
                              R"(<state id="z" label="Z" final="true"/>
    <state id="b" label="B igen"/>)");
  EXPECT_THAT(checkFile(text), ElementsAre(at(lineOf(text, "B igen"),
                                              "tillståndet 'b' är redan definierat på rad " +
                                                  std::to_string(lineOf(text, R"(id="b")")))));
}

TEST_F(CheckTest, DuplicateTransitionId) {
  std::string text =
      replaced(kValid, "</transitions>",
               R"(  <transition id="ab" from="b" to="z" label="Igen" roles="handlaggare"/>
  </transitions>)");
  EXPECT_THAT(checkFile(text), ElementsAre(at(lineOf(text, "Igen"),
                                              "övergången 'ab' är redan definierad på rad " +
                                                  std::to_string(lineOf(text, R"(id="ab")")))));
}

TEST_F(CheckTest, NoInitialState) {
  std::string text = replaced(kValid, R"( initial="true")", "");
  EXPECT_THAT(
      checkFile(text),
      ElementsAre(at(lineOf(text, "<states>"),
                     "arbetsflödet saknar initialtillstånd (ett <state initial=\"true\">)")));
}

TEST_F(CheckTest, MoreThanOneInitialState) {
  std::string text = replaced(kValid, R"(<state id="b" label="B"/>)",
                              R"(<state id="b" label="B" initial="true"/>)");
  EXPECT_THAT(checkFile(text),
              ElementsAre(at(lineOf(text, R"(id="b")"),
                             "fler än ett initialtillstånd: 'b' och 'a' (rad " +
                                 std::to_string(lineOf(text, R"(id="a")")) + ")")));
}

TEST_F(CheckTest, NoFinalState) {
  std::string text = replaced(kValid, R"( final="true")", "");
  EXPECT_THAT(checkFile(text),
              ElementsAre(at(lineOf(text, "<states>"),
                             "arbetsflödet saknar sluttillstånd (ett <state final=\"true\">)")));
}

TEST_F(CheckTest, StateUnreachableFromTheInitialState) {
  std::string text = replaced(kValid, R"(<state id="b" label="B"/>)", R"(<state id="b" label="B"/>
    <state id="glomd" label="Glömd"/>)");
  text = replaced(text, "</transitions>",
                  R"(  <transition id="gz" from="glomd" to="z" label="GZ" roles="admin"/>
  </transitions>)");
  EXPECT_THAT(checkFile(text),
              ElementsAre(at(lineOf(text, R"(id="glomd")"),
                             "tillståndet 'glomd' kan inte nås från initialtillståndet 'a'")));
}

TEST_F(CheckTest, CycleThatNeverEnds) {
  // a -> z, a -> b, b <-> c: a case in b or c could never be closed.
  std::string text = std::string(R"(<workflow id="t" version="1" kinds="t" label="T">
  <states>
    <state id="a" label="A" initial="true"/>
    <state id="b" label="B"/>
    <state id="c" label="C"/>
    <state id="z" label="Z" final="true"/>
  </states>
  <transitions>
    <transition id="az" from="a" to="z" label="AZ" roles="admin"/>
    <transition id="ab" from="a" to="b" label="AB" roles="admin"/>
    <transition id="bc" from="b" to="c" label="BC" roles="admin"/>
    <transition id="cb" from="c" to="b" label="CB" roles="admin"/>
  </transitions>
</workflow>
)");
  const std::string tail =
      "' går det inte att nå något sluttillstånd; ett ärende där skulle aldrig kunna avslutas";
  EXPECT_THAT(checkFile(text), ElementsAre(at(4, "från tillståndet 'b" + tail),
                                           at(5, "från tillståndet 'c" + tail)));
}

TEST_F(CheckTest, TransitionFromAFinalState) {
  std::string text = replaced(kValid, "</transitions>",
                              R"(  <transition id="za" from="z" to="a" label="ZA" roles="admin"/>
  </transitions>)");
  EXPECT_THAT(checkFile(text),
              ElementsAre(at(lineOf(text, R"(id="za")"),
                             "övergången 'za' utgår från sluttillståndet 'z'; ett sluttillstånd "
                             "har inga övergångar")));
}

TEST_F(CheckTest, ReportsEveryProblemOfAFileInLineOrder) {
  std::string text = std::string(R"(<workflow id="t" version="1" kinds="t" label="T">
  <states>
    <state id="a" label="A"/>
    <state id="a" label="A2"/>
    <state id="b" label="B"/>
  </states>
  <transitions>
    <transition id="ab" from="a" to="x" label="AB" roles="chef">
      <guard name="tur"/>
    </transition>
  </transitions>
</workflow>
)");
  auto problems = checkFile(text);
  EXPECT_THAT(
      problems,
      ElementsAre(at(2, "arbetsflödet saknar initialtillstånd (ett <state initial=\"true\">)"),
                  at(2, "arbetsflödet saknar sluttillstånd (ett <state final=\"true\">)"),
                  at(4, "tillståndet 'a' är redan definierat på rad 3"),
                  at(8, "övergången 'ab' leder till tillståndet 'x', som inte finns"),
                  StartsWith(at(8, "okänd roll 'chef'")),
                  StartsWith(at(9, "okänt villkor (guard) 'tur'"))));
}

TEST_F(CheckTest, SameIdAndVersionTwiceAcrossFiles) {
  kansli::testing::writeFile(dir_.file("a.xml"), std::string(kValid));
  std::string second = replaced(kValid, R"(kinds="t")", R"(kinds="annan")");
  kansli::testing::writeFile(dir_.file("b.xml"), second);
  path_ = dir_.file("b.xml");
  EXPECT_THAT(
      strs(check({dir_.path().string()}, options())),
      ElementsAre(at(1, "arbetsflödet 't' version 1 finns redan i " + dir_.file("a.xml") + ":1")));
}

TEST_F(CheckTest, OneCaseKindServedByTwoWorkflows) {
  kansli::testing::writeFile(dir_.file("a.xml"), std::string(kValid));
  kansli::testing::writeFile(dir_.file("b.xml"), replaced(kValid, R"(id="t")", R"(id="u")"));
  path_ = dir_.file("b.xml");
  EXPECT_THAT(strs(check({dir_.path().string()}, options())),
              ElementsAre(at(1, "ärendetypen 't' hanteras redan av arbetsflödet 't' (" +
                                    dir_.file("a.xml") + ":1)")));
}

TEST_F(CheckTest, NewerVersionOfTheSameWorkflowIsNoConflict) {
  kansli::testing::writeFile(dir_.file("a.xml"), std::string(kValid));
  kansli::testing::writeFile(dir_.file("b.xml"),
                             replaced(kValid, R"(version="1")", R"(version="2")"));
  EXPECT_THAT(check({dir_.path().string()}, options()), IsEmpty());
  auto set = loadWorkflows(dir_.path().string(), options());
  ASSERT_OK(set);
  ASSERT_NE(set->forKind("t"), nullptr);
  EXPECT_EQ(set->forKind("t")->version, 2);
  ASSERT_NE(set->find("t", 1), nullptr);
  EXPECT_EQ(set->latest("t")->version, 2);
}

TEST_F(CheckTest, MissingPathIsAProblem) {
  std::string missing = dir_.file("finns-inte.xml");
  EXPECT_THAT(strs(check({missing}, options())),
              ElementsAre(missing + ":0: filen eller katalogen finns inte"));
}

TEST_F(CheckTest, AStarFromMeansEveryNonFinalStateButTheTarget) {
  std::string text =
      replaced(kValid, "</transitions>",
               R"(  <transition id="avbryt" from="*" to="z" label="Avbryt" roles="admin"/>
  </transitions>)");
  auto checked = checkText(text, "t.xml", options());
  ASSERT_TRUE(checked.workflow) << ::testing::PrintToString(strs(checked.problems));
  EXPECT_THAT(checked.workflow->transition("avbryt")->from, ElementsAre("a", "b"));
}

TEST_F(CheckTest, LoadFailsWithEveryProblemListed) {
  kansli::testing::writeFile(dir_.file("a.xml"), replaced(kValid, R"( final="true")", ""));
  auto set = loadWorkflows(dir_.path().string(), options());
  ASSERT_FALSE(set);
  EXPECT_EQ(set.error().code, ErrorCode::kUnprocessable);
  ASSERT_EQ(set.error().fields.size(), 1u);
  EXPECT_EQ(set.error().fields[0].field, dir_.file("a.xml") + ":2");
  EXPECT_THAT(set.error().message, HasSubstr("saknar sluttillstånd"));
}

TEST_F(CheckTest, LoadOfMissingOrEmptyDirectory) {
  auto missing = loadWorkflows(dir_.file("nej"), options());
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  auto empty = loadWorkflows(dir_.path().string(), options());
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().code, ErrorCode::kUnprocessable);
}

TEST_F(CheckTest, SchemaBesideTheFileIsFoundWithoutOptions) {
  // `kansli check workflows/` needs no option: workflow.rng sits beside the files.
  auto problems = check({kansli::testing::sourceDir() + "/workflows"});
  EXPECT_THAT(strs(problems), IsEmpty());
}

}  // namespace
}  // namespace kansli::workflow
