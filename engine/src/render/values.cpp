#include "kansli/values.h"

namespace kansli {

Value Value::text(std::string s) {
  Value v;
  v.text_ = std::move(s);
  return v;
}

Value Value::record() {
  Value v;
  v.kind_ = Kind::kRecord;
  return v;
}

Value Value::list() {
  Value v;
  v.kind_ = Kind::kList;
  return v;
}

Value& Value::set(std::string key, Value v) {
  for (size_t i = 0; i < keys_.size(); ++i) {
    if (keys_[i] == key) {
      values_[i] = std::move(v);
      return *this;
    }
  }
  keys_.push_back(std::move(key));
  values_.push_back(std::move(v));
  return *this;
}

const Value* Value::field(std::string_view key) const {
  if (kind_ != Kind::kRecord) return nullptr;
  for (size_t i = 0; i < keys_.size(); ++i) {
    if (keys_[i] == key) return &values_[i];
  }
  return nullptr;
}

Value& Value::push(Value v) {
  values_.push_back(std::move(v));
  return *this;
}

const Value* Value::find(std::string_view path) const {
  const Value* v = this;
  while (v) {
    size_t dot = path.find('.');
    v = v->field(path.substr(0, dot));
    if (dot == std::string_view::npos) return v;
    path.remove_prefix(dot + 1);
  }
  return nullptr;
}

bool Value::present() const {
  switch (kind_) {
    case Kind::kText:
      return text_.find_first_not_of(" \t\r\n") != std::string::npos;
    case Kind::kList:
      return !values_.empty();
    case Kind::kRecord:
      return true;
  }
  return false;
}

}  // namespace kansli
