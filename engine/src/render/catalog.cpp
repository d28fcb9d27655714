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

  // Meetings: the agenda (kallelse), the minutes (protokoll) and extracts
  // (kansli/meetings.h; docs/templates.md lists them with what they hold).
  auto lines = [&] { return ValueSpec::list().add("text", text()); };
  ValueSpec meeting = ValueSpec::record();
  meeting.add("committee_id", text())
      .add("committee_name", text())
      .add("committee_genitive", text())  // "Socialnämndens"
      .add("date", date())
      .add("start_time", text())
      .add("end_time", text())
      .add("place", text())
      .add("chair", text())
      .add("secretary", text())
      .add("notice_date", date())
      .add("notice_version", text())   // only from version 2 on
      .add("notice_changes", lines())  // what changed since the version before
      .add("paragraphs", text())  // "§§ 101–115"
      .add("adjust_date", date())
      .add("adjust_place", text())
      .add("posted_date", date())
      .add("appeal_until", date())
      .add("members", person())              // tjänstgörande ledamöter
      .add("substitutes", person())          // tjänstgörande ersättare (role: "ersättare för X")
      .add("present_substitutes", person())  // ersättare, ej tjänstgörande
      .add("officials", person())            // övriga närvarande (title)
      .add("adjusters", person())            // justerare
      .add("attested_by", person())          // who attested (role), the day (title)
      .add("rectifications", ValueSpec::list()  // rättelser of earlier minutes reported here
                                 .add("decision", text())
                                 .add("text", text())
                                 .add("reason", text())
                                 .add("date", date()))
      .add("items",
           ValueSpec::list()
               .add("number", text())     // point on the agenda
               .add("paragraph", text())  // § in the minutes
               .add("kind", text())
               .add("kind_label", text())
               .add("title", text())
               .add("dnr", text())
               .add("officer", text())
               .add("secrecy", text())  // a masked secret item: only this note
               .add("summary", lines())
               .add("basis", lines())
               .add("proposal_heading", text())
               .add("proposal_text", text())
               .add("proposal_clauses", lines())
               .add("speakers", text())
               .add("motions", ValueSpec::list()
                                   .add("mover", text())
                                   .add("supporters", text())
                                   .add("text", text())
                                   .add("line", text()))
               .add("propositions", lines())
               .add("votings", ValueSpec::list()
                                   .add("proposition", text())
                                   .add("result", text())
                                   .add("yes", text())
                                   .add("no", text())
                                   .add("abstain", text())
                                   .add("yes_names", text())
                                   .add("no_names", text())
                                   .add("abstain_names", text())
                                   .add("ballots", ValueSpec::list()
                                                       .add("name", text())
                                                       .add("vote", text())))
               .add("outcome", text())
               .add("outcome_label", text())
               .add("decision", text())
               .add("decision_heading", text())
               .add("decision_intro", text())
               .add("decision_clauses", lines())
               .add("decision_text", lines())
               .add("reservations", ValueSpec::list()
                                        .add("name", text())
                                        .add("reason", text())
                                        .add("line", text()))
               .add("notes", ValueSpec::list()
                                 .add("name", text())
                                 .add("text", text())
                                 .add("line", text()))
               .add("disqualified", ValueSpec::list().add("name", text()).add("line", text()))
               .add("send_to", ValueSpec::list().add("name", text()))
               .add("version", text())
               .add("corrections", ValueSpec::list()
                                       .add("version", text())
                                       .add("date", date())
                                       .add("reason", text()))
               .add("rectifications", ValueSpec::list()
                                          .add("text", text())
                                          .add("reason", text())
                                          .add("date", date())
                                          .add("reported_date", date())));

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
