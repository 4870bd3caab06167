CREATE TABLE events_old (
    id          INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    peer_id     INTEGER NOT NULL,
    kind        INTEGER NOT NULL,
    message_id  INTEGER NOT NULL,
    -- For read events: who read (user_id or peer_id).
    reader_id   INTEGER,
    created_at  BIGINT  NOT NULL
);
INSERT INTO events_old (id, user_id, peer_id, kind, message_id, reader_id, created_at)
    SELECT id, user_id, peer_id, kind, message_id, reader_id, created_at FROM events
    WHERE user_id IS NOT NULL AND kind IN (1, 2, 3);
DELETE FROM sqlite_sequence WHERE name = 'events_old';
INSERT INTO sqlite_sequence (name, seq)
    SELECT 'events_old', seq FROM sqlite_sequence WHERE name = 'events';
DROP TABLE events;
ALTER TABLE events_old RENAME TO events;
CREATE INDEX events_user ON events (user_id, id);

DROP TABLE notification_reads;
DROP INDEX notifications_audience;
DROP INDEX notifications_recipient;
DROP TABLE notifications;
DROP TABLE avatars;
ALTER TABLE users DROP COLUMN avatar_version;
