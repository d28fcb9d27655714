-- Both case search indexes merge at FTS5's default again: automerge = 4
-- (issue #20; migration 14 had set 16).
--
-- With automerge = 16 and FTS5's crisismerge at its default, also 16, a level
-- is never merged a step at a time before it is full: every merge becomes a
-- crisis merge, done at once inside the commit that fills the level, and a
-- full level cascades into the next. The instructions per registration fell
-- (bench/README.md, "the write path"), but the largest merges now stall the
-- one writer thread, and every client with it, for as long as it takes to
-- rewrite a level: at 1,000,000 generated cases `kansli_bench` saw 95 and 364
-- registrations/s in its first two runs against 4,932 in the third, and one
-- FTS5 table of 200,000 rows with the same prefixes took up to 1,243 ms for a
-- commit of 16 rows (86 ms with automerge = 4; 222 ms with 16 and
-- crisismerge = 64, which would let searches read up to 63 segments a level).
-- Registrations over HTTP at 100,000 cases hardly moved with 16 (0.48x to
-- 0.54x of the raw loop: their limit is elsewhere), so the even tail is
-- worth more. A setting in each table's %_config row: nothing is rebuilt.
INSERT INTO case_search(case_search, rank) VALUES('automerge', 4);
INSERT INTO public_search(public_search, rank) VALUES('automerge', 4);
