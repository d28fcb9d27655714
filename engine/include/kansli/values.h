// Values: the data a template reads, as one tree of text, records and lists.
//
// Every document Kansli renders gets its data through a Value tree, whatever
// module supplies it: the diarium converts a case (CaseFacts, render.h) and a
// memo into {case: {...}, memo: {...}}; the meetings module will supply
// {meeting: {date, place, items: [...], members: [...]}} for kallelse, protokoll
// and protokollsutdrag. Templates name values by dotted paths ("case.dnr",
// "meeting.items") and the names a template may use are declared in one
// catalogue (engine/src/render/catalog.cpp, documented in docs/templates.md), so
// a misspelt name is caught when the template is loaded.
//
// A Value is a plain value type: copyable, no shared state, safe to read from
// several threads once built. Dates are text in ISO form (YYYY-MM-DD); the
// template decides how to write them.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace kansli {

class Value {
 public:
  enum class Kind { kText, kRecord, kList };

  Value() = default;  // empty text
  static Value text(std::string s);
  static Value record();
  static Value list();

  Kind kind() const { return kind_; }
  bool isText() const { return kind_ == Kind::kText; }
  bool isRecord() const { return kind_ == Kind::kRecord; }
  bool isList() const { return kind_ == Kind::kList; }

  // The text of a text value; empty for records and lists.
  const std::string& str() const { return text_; }

  // Records: named fields in insertion order. set() replaces a field of the same
  // name and returns *this so records can be built in one expression.
  Value& set(std::string key, Value v);
  Value& set(std::string key, std::string text) { return set(std::move(key), Value::text(std::move(text))); }
  const Value* field(std::string_view key) const;
  const std::vector<std::string>& keys() const { return keys_; }

  // Lists: items in order.
  Value& push(Value v);
  const std::vector<Value>& items() const { return values_; }

  // Follows a dotted path of record fields ("case.received"); nullptr if any
  // step is missing or not a record.
  const Value* find(std::string_view path) const;

  // Present: text that is not blank, a list with items, or any record. This is
  // what a template's <if present="..."> tests.
  bool present() const;

 private:
  Kind kind_ = Kind::kText;
  std::string text_;
  std::vector<std::string> keys_;  // records only, parallel to values_
  std::vector<Value> values_;      // record fields or list items
};

}  // namespace kansli
