// Full-text search's two orders (kansli/diarium.h, DiariumOptions::
// ranked_search_limit): by relevance while the words match few cases, newest
// first beyond that, and keyset pagination that visits every hit once in
// either order. The limit is set low here so a handful of cases cross it.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "diarium/search_query.h"
#include "kansli/accounts.h"
#include "store/search_words.h"
#include "kansli/diarium.h"
#include "kansli/organisation.h"
#include "store/store.h"
#include "testing/database.h"
#include "testing/testing.h"

namespace kansli {
namespace {

using testing::TempDir;

class Search : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = store::Store::open(
        {.path = dir.file("k.db"), .url = testing::databaseUrlFor(dir.file("k"))});
    ASSERT_OK(s);
    store = std::move(*s);
    auto o = loadOrganisation(testing::sourceDir() + "/samples/nacka/organisation.xml",
                              testing::sourceDir() + "/schemas/organisation.rng");
    ASSERT_OK(o);
    org = std::make_unique<Organisation>(std::move(*o));
    WorkflowStarter starter = [](const std::string&, const std::string&, const std::string&)
        -> Result<workflow::Start> {
      workflow::Start w;
      w.workflow_id = "politikerinitiativ";
      w.workflow_version = 1;
      w.initial_state = "registrerad";
      w.states = {"registrerad", "avslutad"};
      w.final_states = {"avslutad"};
      return w;
    };
    diarium = std::make_unique<Diarium>(*store, clock, *org, starter,
                                        DiariumOptions{.ranked_search_limit = 3});
    Accounts accounts(*store, clock, {.pbkdf2_iterations = 1000});
    auto u = accounts.addUser({"rita", "Rita", Role::kRegistrator, {}, {}}, "ett-långt-lösenord",
                              audit::Actor::system());
    ASSERT_OK(u);
    rita = *u;
  }

  std::int64_t add(const std::string& subject, const std::string& sender = "Andreas Falk",
                   const std::string& committee = "SOCN") {
    NewCase c;
    c.committee = committee;
    c.kind = "politikerinitiativ";
    c.subject = subject;
    c.received = "2020-08-25";
    c.senders = {Sender{sender, "S", std::nullopt}};
    auto r = diarium->registerCase(c, rita.actor());
    EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().message);
    return r ? r->id : 0;
  }

  // Every page of a search, following `next`; the ids in the order served.
  std::vector<std::int64_t> walk(const std::string& q, int limit, bool public_view = false) {
    return walk(q, limit, public_view ? Viewer::anonymous() : Viewer::system());
  }
  std::vector<std::int64_t> walk(const std::string& q, int limit, const Viewer& viewer) {
    std::vector<std::int64_t> ids;
    CaseQuery query;
    query.q = q;
    query.limit = limit;
    for (int pages = 0; pages < 100; ++pages) {
      auto page = diarium->listCases(query, viewer);
      EXPECT_TRUE(page.has_value()) << (page ? "" : page.error().message);
      if (!page) break;
      for (const auto& c : page->items) ids.push_back(c.id);
      if (!page->next) break;
      query.cursor = page->next;
    }
    return ids;
  }

  TempDir dir;
  FixedClock clock{Instant{std::chrono::seconds{1601884800}}};  // 2020-10-05
  std::unique_ptr<store::Store> store;
  std::unique_ptr<Organisation> org;
  std::unique_ptr<Diarium> diarium;
  User rita;
};

TEST_F(Search, FewHitsComeByRelevance) {
  auto in_senders = add("Budget för skolan", "Förskola Andersson");
  auto in_subject = add("Förskola i Fisksätra");
  add("Parkering vid stadshuset");
  // Both match; the subject weighs more than the senders.
  EXPECT_EQ(walk("förskola", 50), (std::vector<std::int64_t>{in_subject, in_senders}));
}

TEST_F(Search, ManyHitsComeNewestFirstAndEveryPageFollowsOn) {
  std::vector<std::int64_t> ids;
  for (int i = 0; i < 8; ++i) ids.push_back(add("Förskola nummer " + std::to_string(i)));
  add("Parkering vid stadshuset");
  std::vector<std::int64_t> newest(ids.rbegin(), ids.rend());
  EXPECT_EQ(walk("förskola", 3), newest) << "8 hits > the limit of 3: newest first, pages of 3";
  EXPECT_EQ(walk("försk*", 50), newest) << "a prefix counts its hits the same way";
}

TEST_F(Search, AListingKeepsTheOrderOfItsFirstPage) {
  // 5 hits (> the limit of 3): newest first. Corrections between the pages
  // bring the count down to the limit, where a new listing would rank; the
  // cursor keeps this listing newest first, so page 2 follows on from page 1.
  std::vector<std::int64_t> ids;
  for (int i = 0; i < 5; ++i) ids.push_back(add("Förskola " + std::to_string(i)));
  CaseQuery query;
  query.q = "förskola";
  query.limit = 2;
  auto p1 = diarium->listCases(query, Viewer::system());
  ASSERT_OK(p1);
  ASSERT_EQ(p1->items.size(), 2u);
  EXPECT_EQ(p1->items[0].id, ids[4]);
  EXPECT_EQ(p1->items[1].id, ids[3]);
  ASSERT_TRUE(p1->next);
  for (int i = 0; i < 2; ++i) {
    CaseCorrection c;
    c.subject = "Parkering " + std::to_string(i);
    c.reason = "fel ärendemening";
    ASSERT_OK(diarium->correct(ids[i], c, rita));
  }
  query.cursor = p1->next;
  auto p2 = diarium->listCases(query, Viewer::system());
  ASSERT_OK(p2);
  ASSERT_EQ(p2->items.size(), 1u);
  EXPECT_EQ(p2->items[0].id, ids[2]);
  EXPECT_FALSE(p2->next);
}

TEST_F(Search, NewestFirstAppliesTheFiltersAndSkipsNothing) {
  std::set<std::int64_t> socn;
  for (int i = 0; i < 6; ++i) {
    NewCase c;
    c.committee = i % 2 ? "SOCN" : "KS";
    c.kind = "politikerinitiativ";
    c.subject = "Cykelbana " + std::to_string(i);
    c.received = "2020-08-25";
    c.senders = {Sender{"Andreas Falk", "S", std::nullopt}};
    auto r = diarium->registerCase(c, rita.actor());
    ASSERT_OK(r);
    if (c.committee == "SOCN") socn.insert(r->id);
  }
  CaseQuery query;
  query.q = "cykelbana";
  query.committee = "SOCN";
  query.limit = 1;
  std::vector<std::int64_t> got;
  for (int pages = 0; pages < 10; ++pages) {
    auto page = diarium->listCases(query, Viewer::system());
    ASSERT_OK(page);
    for (const auto& c : page->items) got.push_back(c.id);
    if (!page->next) break;
    query.cursor = page->next;
  }
  EXPECT_EQ(std::set<std::int64_t>(got.begin(), got.end()), socn);
  EXPECT_TRUE(std::is_sorted(got.rbegin(), got.rend())) << "newest first";
}

TEST_F(Search, ACursorOfTheOtherOrderOrWithoutSearchIsRefused) {
  for (int i = 0; i < 5; ++i) add("Förskola " + std::to_string(i));
  CaseQuery query;
  query.q = "förskola";
  query.limit = 2;
  auto p1 = diarium->listCases(query, Viewer::system());
  ASSERT_OK(p1);
  ASSERT_TRUE(p1->next);
  CaseQuery plain;
  plain.cursor = p1->next;  // a search cursor for a plain listing
  auto r = diarium->listCases(plain, Viewer::system());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidInput);
}

// --- what people type: case numbers and word prefixes -----------------------

// The words as a person would read them back: `word*` a prefix, `"a b"` a phrase.
std::optional<std::string> wordsOf(std::string_view input) {
  auto words = store::parseSearchWords(input);
  if (!words) return std::nullopt;
  std::string out;
  for (const auto& w : words->words) {
    if (!out.empty()) out += ' ';
    out += w.phrase ? "\"" + w.text + "\"" : w.text;
    if (w.prefix) out += '*';
  }
  return out;
}

TEST(SearchWords, TheLastWordIsAPrefixUnlessQuoted) {
  EXPECT_EQ(wordsOf("hemlo"), "hemlo*");
  EXPECT_EQ(wordsOf("barn hemlö"), "barn hemlö*") << "only the last word";
  EXPECT_EQ(wordsOf("barn* hemlös"), "barn* hemlös*") << "* marks a prefix anywhere";
  EXPECT_EQ(wordsOf("\"hemlös\""), "\"hemlös\"") << "quoted: the word itself";
  EXPECT_EQ(wordsOf("\"barn som\" far illa"), "\"barn som\" far illa*") << "a quoted phrase";
  EXPECT_EQ(wordsOf("far \"barn som"), "far \"barn som\"") << "an unclosed quote";
  EXPECT_EQ(wordsOf("SOCN 2020/1"), "SOCN 2020 1") << "a one-character last word is no prefix";
  EXPECT_EQ(wordsOf("NEAR(a OR b)"), "NEAR a OR b") << "no query syntax";
  EXPECT_EQ(wordsOf("\"\" * ()"), std::nullopt);
}

TEST_F(Search, ACaseNumberReadsAsPeopleTypeIt) {
  auto n = [&](const char* q) { return parseCaseNumber(q, *org); };
  using Q = CaseNumberQuery;
  EXPECT_EQ(n("SOCN 2020/262"), (Q{262, 2020, "SOCN 2020/262"}));
  EXPECT_EQ(n("  socn 2020/0262 "), (Q{262, 2020, "SOCN 2020/262"}));
  EXPECT_EQ(n("ks 2020/12"), (Q{12, 2020, "KS 2020/0012"})) << "KS pads to four digits";
  EXPECT_EQ(n("2020/262"), (Q{262, 2020, std::nullopt})) << "year/number: any series";
  EXPECT_EQ(n("20/262"), (Q{262, 2020, std::nullopt}));
  EXPECT_EQ(n("2020 / 0262"), (Q{262, 2020, std::nullopt}));
  EXPECT_EQ(n("262"), (Q{262, std::nullopt, std::nullopt})) << "a number alone";
  EXPECT_EQ(n("0262"), (Q{262, std::nullopt, std::nullopt}));
  for (const char* no : {"hemlös", "SOCN 2020", "2020/", "/262", "0", "1234567890", "2020/262/1",
                         "XN 2020/262", "262 hemlös", "202/1", ""}) {
    EXPECT_EQ(n(no), std::nullopt) << no;
  }
}

TEST_F(Search, ACaseNumberFindsThoseCasesFirstThenTheWords) {
  // Case number 1 of 2020 in two series, number 2 in SOCN, and two cases
  // that name "2020" and "1" in their text.
  auto socn1 = add("Cykelbana vid skolan");
  auto socn2 = add("Parkering vid stadshuset");
  auto ks1 = add("Budget för 2020", "Andreas Falk", "KS");
  auto text1 = add("Uppföljning av 2020 punkt 1");
  auto text2 = add("Uppföljning av 2020 del 1");
  ASSERT_EQ(diarium->getCase(ks1)->dnr, "KS 2020/0001");

  EXPECT_EQ(walk("SOCN 2020/1", 50), (std::vector<std::int64_t>{socn1}))
      << "a dnr: that case, and no text names SOCN";
  auto year_number = walk("2020/1", 50);
  ASSERT_EQ(year_number.size(), 4u);
  EXPECT_EQ(std::vector<std::int64_t>(year_number.begin(), year_number.begin() + 2),
            (std::vector<std::int64_t>{ks1, socn1}))
      << "number 1 of 2020 in every series first, newest first";
  EXPECT_EQ(std::set<std::int64_t>(year_number.begin() + 2, year_number.end()),
            (std::set<std::int64_t>{text1, text2}))
      << "then the words 2020 and 1 in the text";
  EXPECT_EQ(walk("2", 50), (std::vector<std::int64_t>{socn2})) << "a number alone";

  // Page by page: every hit once, case numbers first, across the phases.
  for (int limit : {1, 2, 3}) {
    EXPECT_EQ(walk("2020/1", limit), year_number) << "pages of " << limit;
  }
}

TEST_F(Search, ACaseNumberSearchKeepsTheCallersSight) {
  add("Cykelbana vid skolan");
  auto ks1 = add("Budget", "Andreas Falk", "KS");
  User ks_secretary;  // sees the KS cases in full
  ks_secretary.username = "ks";
  ks_secretary.role = Role::kNamndsekreterare;
  ks_secretary.committee = "KS";
  EXPECT_EQ(walk("2020/1", 50, ks_secretary), (std::vector<std::int64_t>{ks1}));
  User loose_member;  // a member of no committee sees no case
  loose_member.username = "lm";
  loose_member.role = Role::kLedamot;
  EXPECT_TRUE(walk("2020/1", 50, loose_member).empty());
}

TEST_F(Search, WordsFindWhatStartsWithThem) {
  auto homeless = add("Stöd till hemlösa barnfamiljer");
  add("Parkering vid stadshuset");
  for (const char* q : {"hemlösa", "hemlös", "hemlo", "HEMLÖ", "barnfam", "stöd hemlö"}) {
    EXPECT_EQ(walk(q, 50), (std::vector<std::int64_t>{homeless})) << q;
  }
  EXPECT_TRUE(walk("\"hemlös\"", 50).empty()) << "quoted: the whole word only";
  EXPECT_EQ(walk("\"hemlösa\"", 50), (std::vector<std::int64_t>{homeless}));
  EXPECT_TRUE(walk("hemlös stadshuset", 50).empty()) << "every word must match";
}

}  // namespace
}  // namespace kansli
