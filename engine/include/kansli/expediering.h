// Expediering: once the minutes are attested (justerade), the extract of each
// decision (protokollsutdrag) goes to those the decision names under
// "Beslutet skickas till".
//
// Each recipient gets one outbox message (kansli/mail.h), never two: by
// e-mail with the extract as PDF when an address is known, otherwise on the
// secretary's "skickas per post" list. An address is found, in this order:
//   1. written by the secretary with the name: "Barn- och familjeenheten <bfe@nacka.se>";
//   2. the organisation file's <email> of a unit or committee of that name (or id);
//   3. the directory of users: a user of that display name (an initiative's
//      senders are elected members, with accounts as ledamöter).
// "Akt"/"Akten" (the case file itself) gets nothing. Every sending (e-mail
// accepted by the server, or marked sent by post) is registered in the case
// as an utgående handling with the PDF, and is an audit event.
//
// Secrecy: an extract of a case with secrecy is never e-mailed (e-mail is not
// a channel for OSL-secret content): all its recipients go on the post list
// with the note "sekretess", and the message text names only the dnr and
// paragraph.
//
// Thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "kansli/diarium.h"
#include "kansli/mail.h"
#include "kansli/meetings.h"

namespace kansli {

// "Beslutet skickas till" as written: a name and maybe an address.
struct SendTo {
  std::string name;
  std::optional<std::string> address;
};
// "Barn- och familjeenheten <bfe@nacka.se>" -> {name, address}; a name alone
// -> {name, nullopt}.
SendTo parseSendTo(const std::string& written);

class Expediering {
 public:
  Expediering(store::Store& store, const Clock& clock, const Organisation& org, Diarium& diarium,
              Meetings& meetings, Outbox& outbox);

  // Puts the extracts of an attested meeting in the outbox (each recipient
  // once, however often it is called). kConflict before justering.
  Result<int> queueMeeting(std::int64_t meeting_id);
  // The same for every attested meeting not yet done.
  Result<int> queuePending();
  // The address a name resolves to (rules 2 and 3 above), if any.
  Result<std::optional<std::string>> addressOf(const std::string& name) const;

 private:
  // DeliveryRecorder (kansli/mail.h): the utgående handling.
  Result<std::optional<int>> recordDelivery(store::Tx& tx, const OutboxEntry& e,
                                            const std::string& how, const std::string& by);

  store::Store& store_;
  const Clock& clock_;
  const Organisation& org_;
  Diarium& diarium_;
  Meetings& meetings_;
  Outbox& outbox_;
};

}  // namespace kansli
