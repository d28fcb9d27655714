#include "diarium/checks.h"

#include "kansli/clock.h"
#include "kansli/text.h"

namespace kansli::diarium {

const std::set<std::string>& caseSecretFields() {
  static const std::set<std::string> fields = {"subject", "senders"};
  return fields;
}

const std::set<std::string>& documentSecretFields() {
  static const std::set<std::string> fields = {"counterpart", "title", "content"};
  return fields;
}

void checkText(std::vector<FieldError>& errors, const std::string& field, const std::string& v,
               std::size_t max, bool required) {
  if (!text::isValidUtf8(v)) {
    errors.push_back({field, "är inte giltig UTF-8"});
  } else if (required && text::trim(v).empty()) {
    errors.push_back({field, "får inte vara tomt"});
  } else if (v.size() > max) {
    errors.push_back({field, "är för långt (högst " + std::to_string(max) + " byte)"});
  }
}

void checkDate(std::vector<FieldError>& errors, const std::string& field, const std::string& v,
               const std::chrono::year_month_day& today) {
  std::chrono::year_month_day d;
  if (!parseDate(v, d)) {
    errors.push_back({field, "måste vara ett datum ÅÅÅÅ-MM-DD"});
  } else if (std::chrono::sys_days{d} > std::chrono::sys_days{today}) {
    errors.push_back({field, "datumet ligger i framtiden"});
  }
}

void checkSenders(std::vector<FieldError>& errors, const std::vector<Sender>& senders) {
  if (senders.empty()) errors.push_back({"senders", "minst en avsändare krävs"});
  if (senders.size() > kMaxSenders) errors.push_back({"senders", "för många avsändare"});
  for (size_t i = 0; i < senders.size() && i < kMaxSenders; ++i) {
    std::string f = "senders[" + std::to_string(i) + "]";
    checkText(errors, f + ".name", senders[i].name, kMaxName, true);
    if (senders[i].party) checkText(errors, f + ".party", *senders[i].party, 40, true);
    if (senders[i].organisation) {
      checkText(errors, f + ".organisation", *senders[i].organisation, kMaxName, true);
    }
  }
}

void checkSecrecy(std::vector<FieldError>& errors, const std::optional<Secrecy>& s,
                  const std::set<std::string>& allowed, const std::string& prefix) {
  if (!s) return;
  checkText(errors, prefix + ".provision", s->provision, 200, true);
  if (s->fields.empty()) {
    errors.push_back({prefix + ".fields", "ange vilka uppgifter som är sekretessbelagda"});
  }
  for (const auto& f : s->fields) {
    if (!allowed.count(f)) {
      std::string list;
      for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
      errors.push_back({prefix + ".fields", "okänt fält " + f + " (tillåtna: " + list + ")"});
    }
  }
}

Error invalidInput(std::vector<FieldError> errors) {
  return Error::invalid("uppgifterna är inte giltiga", std::move(errors));
}

}  // namespace kansli::diarium
