// A case's facts from a JSON file, for rendering without a database
// (`kansli render --template … --case FILE.json`, the samples' golden tests).
#include <Poco/Exception.h>
#include <Poco/JSON/Parser.h>

#include <set>

#include "kansli/render.h"

namespace kansli {
namespace {

constexpr std::size_t kMaxCaseJson = 1024 * 1024;

class Reader {
 public:
  explicit Reader(std::string name) : name_(std::move(name)) {}

  Result<CaseFacts> read(const Poco::JSON::Object::Ptr& o) {
    CaseFacts c;
    static const std::set<std::string> known = {
        "dnr",           "dnr_label",     "committee_id",  "committee_name", "administration_name",
        "unit_name",     "officer_name",  "officer_title", "officer_email",  "officer_phone",
        "kind",          "kind_label",    "subject",       "received",       "senders",
        "documents",     "org"};
    for (const auto& [key, value] : *o) {
      if (!known.contains(key)) problem(key, "okänt fält (kända: dnr, committee_name, unit_name, officer_name, …)");
    }
    for (auto [key, field] : {std::pair{"dnr", &c.dnr}, {"dnr_label", &c.dnr_label},
                              {"committee_id", &c.committee_id}, {"committee_name", &c.committee_name},
                              {"administration_name", &c.administration_name}, {"unit_name", &c.unit_name},
                              {"officer_name", &c.officer_name}, {"officer_title", &c.officer_title},
                              {"officer_email", &c.officer_email}, {"officer_phone", &c.officer_phone},
                              {"kind", &c.kind}, {"kind_label", &c.kind_label}, {"subject", &c.subject},
                              {"received", &c.received}}) {
      text(o, key, *field);
    }
    if (c.dnr_label.empty() && !o->has("dnr_label")) c.dnr_label = "Dnr";
    if (o->has("senders")) {
      auto list = array(o, "senders");
      for (size_t i = 0; list && i < list->size(); ++i) {
        auto s = list->getObject(static_cast<unsigned>(i));
        const std::string at = "senders[" + std::to_string(i) + "]";
        if (!s) {
          problem(at, "ska vara ett objekt");
          continue;
        }
        std::string name, party, org;
        text(s, "name", name, at + ".");
        text(s, "party", party, at + ".");
        text(s, "organisation", org, at + ".");
        Sender sender;
        sender.name = name;
        if (!party.empty()) sender.party = party;
        if (!org.empty()) sender.organisation = org;
        c.senders.push_back(std::move(sender));
      }
    }
    if (o->has("documents")) {
      auto list = array(o, "documents");
      for (size_t i = 0; list && i < list->size(); ++i) {
        auto d = list->getObject(static_cast<unsigned>(i));
        const std::string at = "documents[" + std::to_string(i) + "]";
        if (!d) {
          problem(at, "ska vara ett objekt");
          continue;
        }
        CaseDocument doc;
        Poco::Dynamic::Var n = d->get("number");
        if (n.isInteger() && n.convert<long long>() >= 1 && n.convert<long long>() <= 1000000) {
          doc.number = static_cast<int>(n.convert<long long>());
        } else {
          problem(at + ".number", "ska vara ett heltal 1–1000000");
        }
        text(d, "title", doc.title, at + ".");
        text(d, "date", doc.date, at + ".");
        c.documents.push_back(std::move(doc));
      }
    }
    if (o->has("org")) {
      auto org = o->getObject("org");
      if (!org) {
        problem("org", "ska vara ett objekt");
      } else {
        Contact& k = c.org.contact;
        text(org, "name", c.org.name, "org.");
        for (auto [key, field] : {std::pair{"postal_address", &k.postal_address},
                                  {"visiting_address", &k.visiting_address},
                                  {"invoice_address", &k.invoice_address}, {"phone", &k.phone}, {"fax", &k.fax},
                                  {"email", &k.email}, {"web", &k.web}, {"org_number", &k.org_number},
                                  {"bankgiro", &k.bankgiro}, {"plusgiro", &k.plusgiro}}) {
          text(org, key, *field, "org.");
        }
      }
    }
    if (!fields_.empty()) {
      std::string msg = name_ + ": ärendefilen är felaktig: " + fields_.front().field + ": " + fields_.front().message;
      return std::unexpected(Error::unprocessable(std::move(msg), std::move(fields_)));
    }
    return c;
  }

 private:
  void problem(const std::string& field, const std::string& message) { fields_.push_back({field, message}); }

  void text(const Poco::JSON::Object::Ptr& o, const std::string& key, std::string& out, const std::string& prefix = {}) {
    if (!o->has(key) || o->isNull(key)) return;
    Poco::Dynamic::Var v = o->get(key);
    if (!v.isString()) {
      problem(prefix + key, "ska vara text");
      return;
    }
    out = v.extract<std::string>();
  }

  Poco::JSON::Array::Ptr array(const Poco::JSON::Object::Ptr& o, const std::string& key) {
    auto a = o->getArray(key);
    if (!a) problem(key, "ska vara en lista");
    return a;
  }

  std::string name_;
  std::vector<FieldError> fields_;
};

}  // namespace

Result<CaseFacts> parseCaseJson(std::string_view json, const std::string& name) {
  if (json.size() > kMaxCaseJson) {
    return std::unexpected(Error{ErrorCode::kTooLarge, name + ": ärendefilen är större än 1 MiB", {}, {}});
  }
  try {
    Poco::JSON::Parser parser;
    parser.setDepth(16);
    Poco::Dynamic::Var root = parser.parse(std::string(json));
    auto o = root.extract<Poco::JSON::Object::Ptr>();
    if (!o) return std::unexpected(Error::unprocessable(name + ": ärendefilen ska vara ett JSON-objekt"));
    return Reader(name).read(o);
  } catch (const Poco::Exception& e) {
    return std::unexpected(Error::unprocessable(name + ": ärendefilen är inte giltig JSON: " + e.displayText()));
  } catch (const std::exception&) {
    return std::unexpected(Error::unprocessable(name + ": ärendefilen är inte ett JSON-objekt"));
  }
}

}  // namespace kansli
