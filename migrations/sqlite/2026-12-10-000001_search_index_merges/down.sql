-- FTS5's defaults.
INSERT INTO messages_fts (messages_fts, rank) VALUES ('automerge', 4);
INSERT INTO messages_fts (messages_fts, rank) VALUES ('crisismerge', 16);
