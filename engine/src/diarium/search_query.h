// What a person types into a search box, read two ways (the diarium's case
// search and the decision search share it):
//
//  - as a case number: a dnr of any committee's series, read as people type
//    it ("socn 2020/0262"; Organisation::findDnr), or year/number ("2020/262",
//    "20/262": any series), or a number alone ("262": any series and year).
//    The cases so named are listed first.
//  - as words for full text (store/search_words.h): every word must match,
//    "quoted words" are a phrase, the last word is a prefix unless quoted.
//
// Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "kansli/organisation.h"
#include "store/search_words.h"

namespace kansli {

// The cases a query names by their number. `number` is always set; `year`
// and `dnr` narrow it (dnr is canonical, as the organisation writes it).
struct CaseNumberQuery {
  int number = 0;
  std::optional<int> year;
  std::optional<std::string> dnr;
  bool operator==(const CaseNumberQuery&) const = default;
};

struct SearchTerms {
  std::optional<store::SearchWords> words;  // nullopt when no word is left to search for
  std::optional<CaseNumberQuery> case_number;
};

// The case-number part alone: nullopt when the input is not a case number.
std::optional<CaseNumberQuery> parseCaseNumber(std::string_view input, const Organisation& org);

SearchTerms parseSearch(std::string_view input, const Organisation& org);

}  // namespace kansli
