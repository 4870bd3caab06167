-- The search index's segments are merged by the indexer, a bounded piece
-- at a time (`merge`, 32 pages, db/search_index.rs), not as much as a
-- level needs inside whichever transaction writes to the index: FTS5's
-- automatic merging made one step in fourteen of the indexer's take
-- 5-10 ms on a year's database, and the writer waits for every step.
-- Measured on a copy of 1,000,000 indexed messages, 600 steps of 100: a
-- step's p99 7.3 -> 0.7 ms and its max 8.0 -> 0.9 ms, each merge of 32
-- pages p99 1.2 ms; the index keeps as few segments (searches as fast),
-- in 17 % less time in all.
-- Should merging fall behind, a level is merged whole once it holds 64
-- segments instead of 16.
INSERT INTO messages_fts (messages_fts, rank) VALUES ('automerge', 0);
INSERT INTO messages_fts (messages_fts, rank) VALUES ('crisismerge', 64);
