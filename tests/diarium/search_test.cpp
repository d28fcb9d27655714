// Full-text search's two orders (kansli/diarium.h, DiariumOptions::
// ranked_search_limit): by relevance while the words match few cases, newest
// first beyond that, and keyset pagination that visits every hit once in
// either order. The limit is set low here so a handful of cases cross it.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "kansli/diarium.h"
#include "kansli/organisation.h"
#include "store/store.h"
#include "testing/testing.h"

namespace kansli {
namespace {

using testing::TempDir;

class Search : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = store::Store::open({.path = dir.file("k.db")});
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
  }

  std::int64_t add(const std::string& subject, const std::string& sender = "Andreas Falk") {
    NewCase c;
    c.committee = "SOCN";
    c.kind = "politikerinitiativ";
    c.subject = subject;
    c.received = "2020-08-25";
    c.senders = {Sender{sender, "S", std::nullopt}};
    auto r = diarium->registerCase(c, {"rita", "registrator"});
    EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().message);
    return r ? r->id : 0;
  }

  // Every page of a search, following `next`; the ids in the order served.
  std::vector<std::int64_t> walk(const std::string& q, int limit, bool public_view = false) {
    std::vector<std::int64_t> ids;
    CaseQuery query;
    query.q = q;
    query.limit = limit;
    for (int pages = 0; pages < 100; ++pages) {
      auto page = diarium->listCases(query, public_view);
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
  auto p1 = diarium->listCases(query, false);
  ASSERT_OK(p1);
  ASSERT_EQ(p1->items.size(), 2u);
  EXPECT_EQ(p1->items[0].id, ids[4]);
  EXPECT_EQ(p1->items[1].id, ids[3]);
  ASSERT_TRUE(p1->next);
  for (int i = 0; i < 2; ++i) {
    CaseCorrection c;
    c.subject = "Parkering " + std::to_string(i);
    c.reason = "fel ärendemening";
    ASSERT_OK(diarium->correct(ids[i], c, {"rita", "registrator"}));
  }
  query.cursor = p1->next;
  auto p2 = diarium->listCases(query, false);
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
    auto r = diarium->registerCase(c, {"rita", "registrator"});
    ASSERT_OK(r);
    if (c.committee == "SOCN") socn.insert(r->id);
  }
  CaseQuery query;
  query.q = "cykelbana";
  query.committee = "SOCN";
  query.limit = 1;
  std::vector<std::int64_t> got;
  for (int pages = 0; pages < 10; ++pages) {
    auto page = diarium->listCases(query, false);
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
  auto p1 = diarium->listCases(query, false);
  ASSERT_OK(p1);
  ASSERT_TRUE(p1->next);
  CaseQuery plain;
  plain.cursor = p1->next;  // a search cursor for a plain listing
  auto r = diarium->listCases(plain, false);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidInput);
}

}  // namespace
}  // namespace kansli
