-- Back to indexing inside the writer's transaction: index what is pending
-- first, so that the index is whole again.
INSERT INTO messages_fts (rowid, body)
    SELECT m.id, m.body FROM search_pending p JOIN messages m ON m.id = p.id
    WHERE m.body <> '';
DROP TRIGGER messages_search_pending;
DROP TRIGGER messages_fts_update;
DROP TRIGGER messages_fts_delete;
DROP TABLE search_pending;

CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages
WHEN new.body <> ''
BEGIN
    INSERT INTO messages_fts (rowid, body) VALUES (new.id, new.body);
END;
CREATE TRIGGER messages_fts_update AFTER UPDATE OF body ON messages
BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, body)
        SELECT 'delete', old.id, old.body WHERE old.body <> '';
    INSERT INTO messages_fts (rowid, body)
        SELECT new.id, new.body WHERE new.body <> '';
END;
CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages
WHEN old.body <> ''
BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, body) VALUES ('delete', old.id, old.body);
END;
