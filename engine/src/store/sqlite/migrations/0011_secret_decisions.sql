-- A decision in a case with secrecy is secret with the case (#14): who does
-- not see the case in full reads a note in its place (seeDecisionsOf), and
-- the decision index, which the public searches, holds only the agenda
-- item's title (written as the public sees it), not the decision's words.
-- This brings what was indexed before into line (Meetings::decisionIndexText
-- writes new decisions so).
UPDATE decision_search
   SET text = coalesce((SELECT a.title FROM decisions d
                          JOIN agenda_items a ON a.meeting_id = d.meeting_id
                                             AND a.position = d.position
                         WHERE d.id = decision_search.rowid), ''),
       memo = ''
 WHERE rowid IN (SELECT d.id FROM decisions d JOIN cases c ON c.id = d.case_id
                  WHERE c.secrecy_provision IS NOT NULL);
