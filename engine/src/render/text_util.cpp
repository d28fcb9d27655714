#include "render/text_util.h"

#include <map>
#include <mutex>

#include "kansli/render.h"

namespace kansli::render {

std::string collapseSpace(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  bool in_space = false;
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      if (!in_space) out += ' ';
      in_space = true;
      continue;
    }
    if (u < 0x20 || u == 0x7f) continue;
    out += c;
    in_space = false;
  }
  return out;
}

void normalizeInlines(doc::Inlines& runs) {
  doc::Inlines out;
  out.reserve(runs.size());
  for (auto& r : runs) {
    if (auto* t = std::get_if<doc::Text>(&r)) {
      t->text = collapseSpace(t->text);
      if (t->text.empty()) continue;
      if (!out.empty()) {
        if (auto* prev = std::get_if<doc::Text>(&out.back())) {
          // Each run is collapsed on its own, so a doubled space can only
          // arise where two runs meet: drop one there. Only the boundary is
          // looked at, so a line of many runs is normalised in linear time.
          if (!prev->text.empty() && prev->text.back() == ' ' && t->text.front() == ' ') {
            t->text.erase(0, 1);
            if (t->text.empty()) continue;
          }
          if (prev->emphasis == t->emphasis) {
            prev->text += t->text;
            continue;
          }
        }
      }
    }
    out.push_back(std::move(r));
  }
  // Trim the ends of the whole line.
  while (!out.empty()) {
    auto* t = std::get_if<doc::Text>(&out.front());
    if (!t) break;
    size_t i = t->text.find_first_not_of(' ');
    if (i == std::string::npos) {
      out.erase(out.begin());
      continue;
    }
    t->text.erase(0, i);
    break;
  }
  while (!out.empty()) {
    auto* t = std::get_if<doc::Text>(&out.back());
    if (!t) break;
    size_t i = t->text.find_last_not_of(' ');
    if (i == std::string::npos) {
      out.pop_back();
      continue;
    }
    t->text.erase(i + 1);
    break;
  }
  runs = std::move(out);
}

Result<const xml::Schema*> shippedSchema(const std::string& file) {
  static std::mutex mu;
  static std::map<std::string, Result<xml::Schema>> cache;
  std::lock_guard lock(mu);
  auto it = cache.find(file);
  if (it == cache.end()) {
    auto path = (shippedTemplatesDir() / file).string();
    it = cache.emplace(file, xml::Schema::load(path)).first;
  }
  if (!it->second) return std::unexpected(it->second.error());
  return &*it->second;
}

Error schemaError(const std::vector<xml::Problem>& problems, const std::string& what) {
  std::vector<FieldError> fields;
  for (const auto& p : problems) {
    fields.push_back({"line " + std::to_string(p.line), p.message});
  }
  std::string msg = problems.empty() ? what + " följer inte schemat"
                                     : problems.front().str() + " (" + what + " följer inte schemat)";
  return Error::unprocessable(std::move(msg), std::move(fields));
}

Error errorAt(const std::string& file, int line, const std::string& message) {
  return Error::unprocessable(file + ":" + std::to_string(line) + ": " + message,
                              {{"line " + std::to_string(line), message}});
}

}  // namespace kansli::render
