#include "render/catalog.h"

namespace kansli::render {

ValueSpec& ValueSpec::add(std::string name, ValueSpec spec) {
  names_.push_back(std::move(name));
  fields_.push_back(std::move(spec));
  return *this;
}

const ValueSpec* ValueSpec::field(std::string_view name) const {
  for (size_t i = 0; i < names_.size(); ++i) {
    if (names_[i] == name) return &fields_[i];
  }
  return nullptr;
}

namespace {

ValueSpec person() {
  return ValueSpec::list()
      .add("name", ValueSpec::text())
      .add("party", ValueSpec::text())
      .add("role", ValueSpec::text())
      .add("title", ValueSpec::text());
}

ValueSpec build() {
  auto text = [] { return ValueSpec::text(); };
  auto date = [] { return ValueSpec::date(); };

  ValueSpec kase = ValueSpec::record();
  kase.add("dnr", text())
      .add("dnr_label", text())
      .add("committee_id", text())
      .add("committee_name", text())
      .add("administration_name", text())  // förvaltningen above the unit
      .add("unit_name", text())
      .add("officer_name", text())
      .add("officer_title", text())
      .add("officer_email", text())
      .add("officer_phone", text())
      .add("kind", text())
      .add("kind_label", text())
      .add("subject", text())
      .add("received", date())
      .add("senders", ValueSpec::list()
                          .add("name", text())
                          .add("party", text())
                          .add("organisation", text()))
      .add("documents", ValueSpec::list()
                            .add("number", text())
                            .add("title", text())
                            .add("date", date()));

  ValueSpec memo = ValueSpec::record();
  memo.add("date", date())
      .add("title", text())
      .add("initiative", text())
      .add("committee", text())
      .add("number", text())  // running number given at approval: "2018:12"
      .add("signatories",
           ValueSpec::list().add("name", text()).add("title", text()).add("unit", text()))
      .add("send_to", ValueSpec::list().add("name", text()));

  // The municipality (organisation file, <contact>): letterheads and footers.
  ValueSpec org = ValueSpec::record();
  org.add("name", text())
      .add("postal_address", text())
      .add("visiting_address", text())
      .add("invoice_address", text())
      .add("phone", text())
      .add("fax", text())
      .add("email", text())
      .add("web", text())
      .add("org_number", text())
      .add("bankgiro", text())
      .add("plusgiro", text());

  // Meetings: the agenda (kallelse), the minutes (protokoll) and extracts.
  ValueSpec meeting = ValueSpec::record();
  meeting.add("committee_id", text())
      .add("committee_name", text())
      .add("date", date())
      .add("start_time", text())
      .add("end_time", text())
      .add("place", text())
      .add("chair", text())
      .add("secretary", text())
      .add("notice_date", date())
      .add("paragraphs", text())  // "§§ 101–115"
      .add("adjust_date", date())
      .add("adjust_place", text())
      .add("posted_date", date())
      .add("appeal_until", date())
      .add("members", person())      // tjänstgörande ledamöter
      .add("substitutes", person())  // ersättare (role: whom they replace)
      .add("officials", person())    // övriga närvarande (title)
      .add("adjusters", person())    // justerare
      .add("items", ValueSpec::list()
                        .add("number", text())     // point on the agenda
                        .add("paragraph", text())  // § in the minutes
                        .add("title", text())
                        .add("dnr", text())
                        .add("officer", text())
                        .add("proposal", text())
                        .add("decision", text())
                        .add("reservations", text())
                        .add("send_to", ValueSpec::list().add("name", text())));

  ValueSpec extract = ValueSpec::record();
  extract.add("certifier", text()).add("date", date());

  ValueSpec root = ValueSpec::record();
  root.add("case", std::move(kase))
      .add("memo", std::move(memo))
      .add("org", std::move(org))
      .add("meeting", std::move(meeting))
      .add("extract", std::move(extract));
  return root;
}

}  // namespace

const ValueSpec& valueCatalog() {
  static const ValueSpec root = build();
  return root;
}

}  // namespace kansli::render
