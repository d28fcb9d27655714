-- PostgreSQL variant of sqlite/migrations/0008_drawn_up_documents.sql: the
-- same three corrections, on tsvector indexes instead of FTS5 tables.
-- Documents the system draws up (a workflow's tjänsteskrivelse, a meeting's
-- protokollsutdrag) now enter a case through the diarium (#19, #14.3): they
-- are indexed like any document and inherit a secret case's secrecy. This
-- brings what was registered before into line.

-- A drawn-up document in a secret case: its title (which may name the
-- secret subject) and its content are secret under the case's provision.
UPDATE documents
   SET secrecy_provision = (SELECT c.secrecy_provision FROM cases c WHERE c.id = documents.case_id),
       secret_fields = 'title,content'
 WHERE kind IS NOT NULL
   AND secrecy_provision IS NULL
   AND case_id IN (SELECT id FROM cases WHERE secrecy_provision IS NOT NULL);

-- Both indexes again, for every case with a drawn-up document. A case's
-- vector is subject (weight A) || senders (B) || document titles (D)
-- (PgDiarium::searchIndex): the titles' part is dropped with ts_filter and
-- written anew, all titles in the full index, those that are not secret in
-- the public one. The punctuation is made spaces as pgSearchableText does.
UPDATE case_search s
   SET doc = ts_filter(s.doc, '{a,b}') || setweight(to_tsvector('kansli_sv', coalesce(
         (SELECT string_agg(regexp_replace(d.title, '[\x01-\x2f\x3a-\x40\x5b-\x60\x7b-\x7f]', ' ', 'g'),
                            ' ' ORDER BY d.number)
            FROM documents d WHERE d.case_id = s.case_id), '')), 'D')
 WHERE s.case_id IN (SELECT case_id FROM documents WHERE kind IS NOT NULL);

UPDATE public_search s
   SET doc = ts_filter(s.doc, '{a,b}') || setweight(to_tsvector('kansli_sv', coalesce(
         (SELECT string_agg(regexp_replace(d.title, '[\x01-\x2f\x3a-\x40\x5b-\x60\x7b-\x7f]', ' ', 'g'),
                            ' ' ORDER BY d.number)
            FROM documents d
           WHERE d.case_id = s.case_id
             AND (d.secrecy_provision IS NULL
                  OR position(',title,' IN ',' || d.secret_fields || ',') = 0)), '')), 'D')
 WHERE s.case_id IN (SELECT case_id FROM documents WHERE kind IS NOT NULL);

-- The decision index, which the public searches, holds no memo of a case
-- with anything secret (#14.4): the memo is the content of a secret
-- document. The memo's words share weight A with the decision's own text
-- (PgMeetings::decisionIndex), so the vector is written anew from that text
-- alone: the agenda item's title and the decision's text.
UPDATE decision_search ds
   SET doc = setweight(to_tsvector('kansli_sv', regexp_replace(
         a.title || ' ' || d.text, '[\x01-\x2f\x3a-\x40\x5b-\x60\x7b-\x7f]', ' ', 'g')), 'A')
  FROM decisions d
  JOIN agenda_items a ON a.meeting_id = d.meeting_id AND a.position = d.position
  JOIN cases c ON c.id = d.case_id
 WHERE ds.decision_id = d.id
   AND (c.secrecy_provision IS NOT NULL
        OR EXISTS (SELECT 1 FROM documents x
                    WHERE x.case_id = c.id AND x.secrecy_provision IS NOT NULL));
