// The closed vocabulary: roles, guards, effects, outcomes, periods.
//
// The tables here are what the loader accepts and what docs/workflows.md
// documents (a test checks that every name appears there). Adding a guard or
// an effect means: a row here, an enum value in kansli/workflow.h, its meaning
// in evaluate() (guards) or in the diarium (effects; EffectKind is switched on
// exhaustively there), and a row in the docs.
#include <array>
#include <charconv>

#include "kansli/workflow.h"

namespace kansli::workflow {
const std::vector<std::string_view>& decisionOutcomes() {
  static const std::vector<std::string_view> outcomes = {"bifall",   "avslag",     "delvis_bifall",
                                                         "besvarad", "aterremiss", "bordlaggning"};
  return outcomes;
}

std::string_view outcomeLabel(std::string_view outcome) {
  if (outcome == "bifall") return "bifall";
  if (outcome == "avslag") return "avslag";
  if (outcome == "delvis_bifall") return "delvis bifall";
  if (outcome == "besvarad") return "besvarad";
  if (outcome == "aterremiss") return "återremiss";
  if (outcome == "bordlaggning") return "bordläggning";
  return outcome;
}

const std::vector<std::string_view>& documentKinds() {
  static const std::vector<std::string_view> kinds = {
      "tjansteskrivelse", "yttrande", "protokollsutdrag", "skrivelse", "aterkallelse"};
  return kinds;
}

const std::vector<VocabularyEntry>& guardVocabulary() {
  // Order follows GuardKind.
  static const std::vector<VocabularyEntry> guards = {
      {.name = "field-set",
       .args = {"unit", "officer"},
       .meaning = "Ärendet har fältet satt: ansvarig enhet (unit) eller handläggare (officer)."},
      {.name = "memo-has-draft", .meaning = "Det finns minst en version av tjänsteskrivelsen."},
      {.name = "memo-approved",
       .meaning = "Den senaste versionen av tjänsteskrivelsen är godkänd (fryst); ett senare "
                  "utkast upphäver godkännandet."},
      {.name = "on-agenda",
       .meaning = "Ärendet står på föredragningslistan till ett sammanträde som ännu inte har "
                  "beslutat i det."},
      {.name = "off-agenda",
       .meaning = "Ärendet står inte (längre) på någon föredragningslista som väntar på beslut: "
                  "sekreteraren har strukit det från dagordningen."},
      {.name = "decision-recorded",
       .meaning = "Ett beslut är registrerat på ärendets senaste punkt på en föredragningslista."},
      {.name = "decision-outcome",
       .args = decisionOutcomes(),
       .many_args = true,
       .meaning = "Det registrerade beslutet har ett av de angivna utfallen."},
      {.name = "minutes-attested", .meaning = "Protokollet med beslutet är justerat."},
      {.name = "minutes-posted",
       .meaning = "Det justerade protokollet är anslaget på den digitala anslagstavlan."},
      {.name = "appeal-period-over",
       .meaning = "Tiden för laglighetsprövning (tre veckor från den dag protokollet anslogs) har "
                  "gått ut och inget överklagande är registrerat: beslutet har vunnit laga kraft."},
      {.name = "document-registered",
       .args = documentKinds(),
       .meaning = "En handling av angiven typ är registrerad i ärendet."},
      {.name = "comment-given",
       .request_fields = {"comment"},
       .meaning = "Begäran har en kommentar (motivering), som sparas i ärendets historik."},
  };
  return guards;
}

const std::vector<VocabularyEntry>& effectVocabulary() {
  // Order follows EffectKind.
  static const std::vector<VocabularyEntry> effects = {
      {.name = "assign",
       .args = {"unit", "officer"},
       .request_fields = {"unit", "officer"},
       .meaning = "Sätter ansvarig enhet eller handläggare från begärans fält med samma namn; "
                  "fältet får utelämnas om ärendet redan har ett värde, som då står kvar."},
      {.name = "set-deadline",
       .meaning = "Sätter ärendets tidsfrist: period räknad från ärendets inkomstdatum "
                  "(from=received) eller dagens datum (from=now). Utan period används "
                  "arbetsflödets case-deadline."},
      {.name = "clear-deadline", .meaning = "Tar bort ärendets tidsfrist (ärendet är avgjort)."},
      {.name = "register-document",
       .args = {"tjansteskrivelse", "protokollsutdrag"},
       .meaning = "Registrerar en upprättad handling i ärendet: den godkända tjänsteskrivelsen "
                  "eller protokollsutdraget med beslutet."},
      {.name = "approve-memo",
       .meaning = "Godkänner och fryser tjänsteskrivelsens senaste version; ändringar blir en ny "
                  "version."},
  };
  return effects;
}

std::string_view guardName(GuardKind kind) {
  return guardVocabulary().at(static_cast<std::size_t>(kind)).name;
}

std::string_view effectName(EffectKind kind) {
  return effectVocabulary().at(static_cast<std::size_t>(kind)).name;
}

// --- periods ---------------------------------------------------------------

std::string Period::iso() const {
  std::string s = "P";
  if (years) s += std::to_string(years) + "Y";
  if (months) s += std::to_string(months) + "M";
  if (days) s += std::to_string(days) + "D";
  if (s == "P") s += "0D";
  return s;
}

std::chrono::year_month_day Period::addTo(std::chrono::year_month_day start) const {
  namespace chr = std::chrono;
  chr::year_month_day d = start + chr::years{years} + chr::months{months};
  if (!d.ok()) d = d.year() / d.month() / chr::last;  // 29 Feb + 1 year, 31 Jan + 1 month
  return chr::year_month_day{chr::sys_days{d} + chr::days{days}};
}

std::optional<Period> parsePeriod(std::string_view text) {
  if (text.size() < 2 || text.front() != 'P') return std::nullopt;
  Period p;
  std::string_view rest = text.substr(1);
  // Units must come in this order, each at most once.
  constexpr std::string_view kOrder = "YMWD";
  std::size_t next_unit = 0;
  while (!rest.empty()) {
    int value = 0;
    auto [end, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), value);
    if (ec != std::errc() || end == rest.data() || value < 0 || value > 10000) {
      return std::nullopt;
    }
    std::size_t consumed = static_cast<std::size_t>(end - rest.data());
    if (consumed >= rest.size()) return std::nullopt;  // a number without unit
    char unit = rest[consumed];
    std::size_t pos = kOrder.find(unit, next_unit);
    if (pos == std::string_view::npos) return std::nullopt;
    next_unit = pos + 1;
    switch (unit) {
      case 'Y':
        p.years = value;
        break;
      case 'M':
        p.months = value;
        break;
      case 'W':
        p.days += 7 * value;
        break;
      case 'D':
        p.days += value;
        break;
      default:
        return std::nullopt;
    }
    rest.remove_prefix(consumed + 1);
  }
  return p;
}

}  // namespace kansli::workflow
