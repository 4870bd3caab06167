-- The search index off the acknowledgement path. Until now a trigger put
-- every new message into messages_fts inside the writer's transaction, so
-- each batch of messages paid for its trigrams (and for FTS5 merging its
-- small segments) before anyone got an acknowledgement. Now a new message
-- only leaves its id in search_pending (one small row); the search
-- indexer (db::search_index) moves pending messages into the index in
-- batches of its own, in transactions of its own, and the searches read
-- the few pending messages directly, so nothing is ever missing from a
-- result while the index catches up. The queue is written with the
-- message, so after a crash the indexer resumes exactly where it was.

CREATE TABLE search_pending (
    id INTEGER PRIMARY KEY NOT NULL
);

DROP TRIGGER messages_fts_insert;
DROP TRIGGER messages_fts_update;
DROP TRIGGER messages_fts_delete;

CREATE TRIGGER messages_search_pending AFTER INSERT ON messages
WHEN new.body <> ''
BEGIN
    INSERT OR IGNORE INTO search_pending (id) VALUES (new.id);
END;

-- Only an indexed message is in the index: a pending one is indexed with
-- whatever text it has when the indexer reaches it (none once deleted).
CREATE TRIGGER messages_fts_update AFTER UPDATE OF body ON messages
WHEN NOT EXISTS (SELECT 1 FROM search_pending WHERE id = old.id)
BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, body)
        SELECT 'delete', old.id, old.body WHERE old.body <> '';
    INSERT INTO messages_fts (rowid, body)
        SELECT new.id, new.body WHERE new.body <> '';
END;

CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages
BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, body)
        SELECT 'delete', old.id, old.body
        WHERE old.body <> ''
          AND NOT EXISTS (SELECT 1 FROM search_pending WHERE id = old.id);
    DELETE FROM search_pending WHERE id = old.id;
END;
