// The catalogue of value names templates may use, with their types.
//
// This is the one place the names are declared; docs/templates.md lists them
// for template authors. A module that supplies new data (the meetings module
// for kallelse/protokoll) adds its fields here and fills them in its Value tree.
// Lists always hold records, so every list item is reached as alias.field.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace kansli::render {

class ValueSpec {
 public:
  enum class Type { kText, kDate, kRecord, kList };

  static ValueSpec text() { return ValueSpec(Type::kText); }
  static ValueSpec date() { return ValueSpec(Type::kDate); }
  static ValueSpec record() { return ValueSpec(Type::kRecord); }
  static ValueSpec list() { return ValueSpec(Type::kList); }

  Type type() const { return type_; }
  // Fields of a record, or of each item of a list.
  ValueSpec& add(std::string name, ValueSpec spec);
  const ValueSpec* field(std::string_view name) const;
  const std::vector<std::string>& names() const { return names_; }

 private:
  explicit ValueSpec(Type t) : type_(t) {}
  Type type_;
  std::vector<std::string> names_;
  std::vector<ValueSpec> fields_;
};

// The root record: case, memo, org, meeting, extract.
const ValueSpec& valueCatalog();

}  // namespace kansli::render
