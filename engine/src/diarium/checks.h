// Engine-private: the diarium's checks of what people type (lengths, UTF-8,
// dates, senders, secrecy), each adding a named FieldError, so one answer
// names every bad field.
#pragma once

#include <chrono>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "kansli/case.h"
#include "kansli/error.h"

namespace kansli::diarium {

constexpr std::size_t kMaxSubject = 2000;
constexpr std::size_t kMaxName = 300;
constexpr std::size_t kMaxSenders = 100;

// The fields a secrecy may name, of a case and of a document.
const std::set<std::string>& caseSecretFields();      // subject, senders
const std::set<std::string>& documentSecretFields();  // counterpart, title, content

void checkText(std::vector<FieldError>& errors, const std::string& field, const std::string& v,
               std::size_t max, bool required);
// A date YYYY-MM-DD, not after `today`.
void checkDate(std::vector<FieldError>& errors, const std::string& field, const std::string& v,
               const std::chrono::year_month_day& today);
void checkSenders(std::vector<FieldError>& errors, const std::vector<Sender>& senders);
void checkSecrecy(std::vector<FieldError>& errors, const std::optional<Secrecy>& s,
                  const std::set<std::string>& allowed, const std::string& prefix);

Error invalidInput(std::vector<FieldError> errors);

}  // namespace kansli::diarium
