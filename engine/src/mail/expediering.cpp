#include "kansli/expediering.h"

#include <algorithm>
#include <cctype>

#include "kansli/text.h"
#include "kansli/writers.h"
#include "store/diarium_repo.h"
#include "store/meetings_repo.h"
#include "store/mail_repo.h"
#include "store/store.h"
#include "store/tx.h"

namespace kansli {
namespace {

std::string lower(const std::string& s) { return text::lowerSv(s); }

bool sameName(const std::string& a, const std::string& b) {
  return lower(text::trim(a)) == lower(text::trim(b));
}

// The case file itself: "Beslutet skickas till: Akt" sends nothing.
bool isTheFile(const std::string& name) {
  std::string n = lower(text::trim(name));
  return n == "akt" || n == "akten" || n == "diariet" || n == "ärendet";
}

std::string pdfName(const Decision& d) {
  std::string base = "protokollsutdrag";
  if (d.dnr) {
    base += "-";
    for (unsigned char c : *d.dnr) {
      base += std::isalnum(c) ? static_cast<char>(c) : '-';
    }
  }
  if (d.paragraph) base += "-p" + std::to_string(*d.paragraph);
  return base + ".pdf";
}

}  // namespace

SendTo parseSendTo(const std::string& written) {
  std::string s = text::trim(written);
  auto open = s.rfind('<');
  if (open != std::string::npos && !s.empty() && s.back() == '>') {
    std::string address = text::trim(s.substr(open + 1, s.size() - open - 2));
    std::string name = text::trim(s.substr(0, open));
    if (plausibleEmail(address)) return {name.empty() ? address : name, address};
  }
  return {s, std::nullopt};
}

Expediering::Expediering(store::Store& store, const Clock& clock, const Organisation& org,
                         Diarium& diarium, Meetings& meetings, Outbox& outbox)
    : store_(store), clock_(clock), org_(org), diarium_(diarium), meetings_(meetings),
      outbox_(outbox) {
  outbox_.setDeliveryRecorder([this](store::Tx& tx, const OutboxEntry& e, const std::string& how,
                                     const std::string& by) {
    return recordDelivery(tx, e, how, by);
  });
}

Result<std::optional<std::string>> Expediering::addressOf(const std::string& name) const {
  for (const auto& u : org_.units) {
    if (!u.email.empty() && (sameName(u.name, name) || u.id == text::trim(name))) return u.email;
  }
  for (const auto& c : org_.committees) {
    if (!c.email.empty() && (sameName(c.name, name) || c.id == text::trim(name))) return c.email;
  }
  return std::optional<std::string>{};
}

Result<int> Expediering::queueMeeting(std::int64_t meeting_id) {
  // Expedited once: a meeting already done is not read again (the program's
  // reading of a secret decision to print its extract is a secret read, in
  // the program's name, and happens once, not at every look at the list).
  KANSLI_ASSIGN_OR_RETURN(auto pending, store_.read([&](store::Tx& tx) { return tx.mail().meetingsToExpedite(); }));
  if (std::find(pending.begin(), pending.end(), meeting_id) == pending.end()) {
    KANSLI_ASSIGN_OR_RETURN(auto row, store_.read([&](store::Tx& tx) { return tx.meetings().meetingById(meeting_id); }));
    if (!row) return std::unexpected(Error::notFound("sammanträdet finns inte"));
    if (!row->attested_at) {
      return std::unexpected(Error::conflict("protokollet är inte justerat; inget expedieras före justeringen"));
    }
    return 0;
  }
  KANSLI_ASSIGN_OR_RETURN(auto m, meetings_.get(meeting_id, Viewer::system()));
  if (!m.attested_at) {
    return std::unexpected(Error::conflict("protokollet är inte justerat; inget expedieras före justeringen"));
  }
  const Committee* cm = org_.committee(m.committee);
  const std::string committee_name = cm ? cm->name : m.committee;
  std::vector<NewMail> mails;
  for (const auto& item : m.items) {
    if (!item.decision || item.decision->input.send_to.empty()) continue;
    const Decision& d = *item.decision;
    bool secret = false;
    if (d.case_id) {
      KANSLI_ASSIGN_OR_RETURN(auto c, diarium_.getCase(*d.case_id));
      secret = c.secrecy.has_value();
    }
    // The e-mailed extract is the public one; a secret case's goes by post,
    // printed in full by the secretary.
    KANSLI_ASSIGN_OR_RETURN(auto doc, meetings_.renderExtract(
                                          d.id, secret ? Viewer::system() : Viewer::anonymous()));
    KANSLI_ASSIGN_OR_RETURN(auto pdf, writeDocument(doc, Format::kPdf));
    std::string paragraph =
        d.paragraph && cm ? cm->formatParagraph(*d.paragraph, std::stoi(m.date.substr(0, 4)))
                          : "punkt " + std::to_string(d.position);
    std::string subject = "Protokollsutdrag " + committee_name + " " + m.date + " " + paragraph;
    if (d.dnr) subject += ", " + *d.dnr;
    std::string about = secret ? std::string() : "\n\n" + d.title;
    for (const auto& written : d.input.send_to) {
      SendTo to = parseSendTo(written);
      if (to.name.empty() || isTheFile(to.name)) continue;
      NewMail mail;
      mail.kind = "expediering";
      mail.dedupe_key = "expediering:" + std::to_string(d.id) + ":" + lower(to.name);
      mail.committee = m.committee;
      mail.meeting_id = m.id;
      mail.decision_id = d.id;
      mail.case_id = d.case_id;
      mail.recipient_name = to.name;
      if (secret) {
        mail.note = "sekretess: utdraget skickas inte med e-post";
      } else if (to.address) {
        mail.recipient_address = to.address;
      } else {
        KANSLI_ASSIGN_OR_RETURN(mail.recipient_address, addressOf(to.name));
      }
      mail.subject = subject;
      mail.body = "Hej!\n\nHär är utdrag ur protokollet från " + committee_name +
                  "s sammanträde " + m.date + ", " + paragraph +
                  (d.dnr ? " (" + *d.dnr + ")" : std::string()) + "." + about +
                  "\n\nProtokollet justerades " +
                  formatDate(stockholmDate([&] {
                    Instant at;
                    parseInstant(*m.attested_at, at);
                    return at;
                  }())) +
                  ". Utdraget finns som PDF i bilagan.\n\nMeddelandet är skickat från Kansli och "
                  "kan inte besvaras. Frågor om beslutet ställs till nämndens sekreterare.\n";
      mail.attachment = MailAttachment{pdfName(d), "application/pdf", pdf};
      mails.push_back(std::move(mail));
    }
  }
  return store_.write([&](store::Tx& tx) -> Result<int> {
    int queued = 0;
    for (const auto& mail : mails) {
      KANSLI_ASSIGN_OR_RETURN(auto id, outbox_.enqueueIn(tx, mail, audit::Actor::system()));
      if (id) ++queued;
    }
    KANSLI_TRY(tx.mail().meetingSetExpedited(meeting_id, formatInstant(clock_.now())));
    return queued;
  });
}

Result<int> Expediering::queuePending() {
  KANSLI_ASSIGN_OR_RETURN(auto ids, store_.read([&](store::Tx& tx) { return tx.mail().meetingsToExpedite(); }));
  int queued = 0;
  for (auto id : ids) {
    KANSLI_ASSIGN_OR_RETURN(auto n, queueMeeting(id));
    queued += n;
  }
  return queued;
}

Result<std::optional<int>> Expediering::recordDelivery(store::Tx& tx, const OutboxEntry& e,
                                                       const std::string& how,
                                                       const std::string& by) {
  if (e.kind != "expediering" || !e.case_id) return std::optional<int>{};
  KANSLI_ASSIGN_OR_RETURN(auto c, tx.diarium().caseById(*e.case_id));
  if (!c) return std::optional<int>{};
  KANSLI_ASSIGN_OR_RETURN(auto row, tx.mail().outboxById(e.id));
  Document d;
  d.direction = Direction::kUtgaende;
  d.date = formatDate(stockholmDate(clock_.now()));
  d.counterpart = e.recipient_name;
  d.title = e.subject + " (" + how + ")";
  d.kind = "protokollsutdrag";
  d.registered_at = formatInstant(clock_.now());
  d.registered_by = by;
  std::optional<std::string> content;
  if (row && row->attachment) {
    content = row->attachment;
    d.media_type = row->attachment_type.value_or("application/pdf");
  }
  KANSLI_ASSIGN_OR_RETURN(auto stored, diarium_.addDocumentIn(tx, *c, d, DocumentOrigin::kDrawnUp, content));
  KANSLI_TRY(tx.diarium().caseUpdate(*c));  // a new handling: the case's version moves on
  return std::optional<int>{stored.number};
}

}  // namespace kansli
