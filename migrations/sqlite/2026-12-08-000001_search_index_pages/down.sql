-- FTS5's default page size.
INSERT INTO messages_fts (messages_fts, rank) VALUES ('pgsz', 4050);
