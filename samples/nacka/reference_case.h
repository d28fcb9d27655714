// The reference case, SOCN 2020/262 of Nacka kommun
// (reference/tjansteskrivelse-SOCN-2020-262.txt), in one place: its facts as
// registered, its memo (memo-SOCN-2020-262.xml beside this file), the
// meeting that decided it and the decision. The demo data (`kansli serve
// --demo`), the tests, the benchmarks and the fuzzers all take it from here.
// Header-only data; include as "nacka/reference_case.h" (the kansli_samples
// target puts samples/ on the include path).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "kansli/render.h"
#include "kansli/sender.h"

namespace kansli::reference {

inline constexpr std::string_view kDnr = "SOCN 2020/262";
inline constexpr std::string_view kCommittee = "SOCN";
inline constexpr std::string_view kCommitteeName = "Socialnämnden";
inline constexpr std::string_view kKind = "politikerinitiativ";
inline constexpr std::string_view kKindLabel = "Politikerinitiativ";
inline constexpr std::string_view kSubject =
    "Förebyggande åtgärder mot att barn ska fara illa vid sexköp och människohandel";
inline constexpr std::string_view kReceived = "2020-08-25";
inline constexpr std::string_view kUnit = "bfe";
inline constexpr std::string_view kUnitName = "Barn- och familjeenheten";
inline constexpr std::string_view kOfficerName = "Nina Vallin Nielsen";
inline constexpr std::string_view kUnitHeadName = "Caroline Andreasson";

inline std::vector<Sender> senders() {
  return {{"Andreas Falk", "S", std::nullopt}, {"Maria Åberg", "S", std::nullopt}};
}

// The initiative, the case's first document.
inline constexpr std::string_view kInitiativeCounterpart = "Andreas Falk och Maria Åberg (S)";
inline std::string initiativeTitle() { return "Politikerinitiativ - " + std::string(kSubject); }

// The memo, relative to the data home (the repository root).
inline constexpr std::string_view kMemoFile = "samples/nacka/memo-SOCN-2020-262.xml";

// The meeting of Socialnämnden that decided it, and its decision (§ 2).
inline constexpr std::string_view kMeetingDate = "2020-10-27";
inline constexpr std::string_view kMeetingTime = "17:00";
inline constexpr std::string_view kMeetingPlace = "Nacka stadshus, sammanträdesrummet Jelgava";
inline constexpr std::string_view kDecisionText =
    "Socialnämnden bifaller förslagen i politikerinitiativet på så sätt att barn- och "
    "familjeenheten i Nacka ska föra en dialog med människohandelssektionen inom "
    "Stockholmspolisen samt etablera en samverkan med uppsökande socialsekreterare "
    "prostitution i Stockholm stad i syfte att åstadkomma ett kunskaps- och "
    "erfarenhetsutbyte. Politikerinitiativet är med detta färdigbehandlat.";
inline std::vector<std::string> decisionSendTo() {
  return {"Barn- och familjeenheten", "Andreas Falk (S)", "Maria Åberg (S)"};
}

// The case as the memo's template sees it, with its initiative registered.
inline CaseFacts facts() {
  CaseFacts c;
  c.dnr = std::string(kDnr);
  c.dnr_label = "Dnr";
  c.committee_id = std::string(kCommittee);
  c.committee_name = std::string(kCommitteeName);
  c.unit_name = std::string(kUnitName);
  c.officer_name = std::string(kOfficerName);
  c.kind = std::string(kKind);
  c.kind_label = std::string(kKindLabel);
  c.subject = std::string(kSubject);
  c.received = std::string(kReceived);
  c.senders = senders();
  c.documents = {{1, initiativeTitle(), std::string(kReceived)}};
  return c;
}

}  // namespace kansli::reference
