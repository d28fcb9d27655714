-- A decision in a case with secrecy is secret with the case (#14): the
-- decision index, which the public searches, holds only the agenda item's
-- title (written as the public sees it), not the decision's words; the
-- vector is written anew from that title, as PgMeetings::decisionIndex
-- writes it (pgSearchableText: punctuation as spaces).
UPDATE decision_search ds
   SET doc = setweight(to_tsvector('kansli_sv', regexp_replace(
         a.title, '[\x01-\x2f\x3a-\x40\x5b-\x60\x7b-\x7f]', ' ', 'g')), 'A')
  FROM decisions d
  JOIN agenda_items a ON a.meeting_id = d.meeting_id AND a.position = d.position
  JOIN cases c ON c.id = d.case_id
 WHERE ds.decision_id = d.id
   AND c.secrecy_provision IS NOT NULL;
