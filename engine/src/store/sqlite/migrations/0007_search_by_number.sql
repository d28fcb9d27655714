-- A search box query that is a case number ("262", "2020/262", a dnr of any
-- series) lists the cases with that number first (Diarium::listCases). The
-- number in any series and year is one row per series and year; without this
-- index finding them reads the whole cases table (1,000,000 rows at the size
-- bench/ measures).
CREATE INDEX cases_by_number ON cases(number, year);
