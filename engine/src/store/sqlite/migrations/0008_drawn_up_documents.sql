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

-- Both indexes again, for every case with a drawn-up document: all titles
-- in the full index, the titles that are not secret in the public one (each
-- title followed by a line break, as the diarium writes them).
UPDATE case_search
   SET documents = coalesce((SELECT group_concat(title || char(10), '')
                               FROM (SELECT title FROM documents d
                                      WHERE d.case_id = case_search.rowid ORDER BY d.number)), '')
 WHERE rowid IN (SELECT case_id FROM documents WHERE kind IS NOT NULL);

UPDATE public_search
   SET documents = coalesce((SELECT group_concat(title || char(10), '')
                               FROM (SELECT title FROM documents d
                                      WHERE d.case_id = public_search.rowid
                                        AND (d.secrecy_provision IS NULL
                                             OR instr(',' || d.secret_fields || ',', ',title,') = 0)
                                      ORDER BY d.number)), '')
 WHERE rowid IN (SELECT case_id FROM documents WHERE kind IS NOT NULL);

-- The decision index, which the public searches, holds no memo of a case
-- with anything secret (#14.4): the memo is the content of a secret document.
UPDATE decision_search
   SET memo = ''
 WHERE rowid IN (SELECT d.id FROM decisions d JOIN cases c ON c.id = d.case_id
                  WHERE c.secrecy_provision IS NOT NULL
                     OR EXISTS (SELECT 1 FROM documents x
                                 WHERE x.case_id = c.id AND x.secrecy_provision IS NOT NULL));
