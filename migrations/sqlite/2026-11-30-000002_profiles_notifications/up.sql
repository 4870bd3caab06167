-- Profiles, avatars and notifications.

-- The avatar's version (NULL: none), copied into every summary of the user
-- so clients know when to fetch it again.
ALTER TABLE users ADD COLUMN avatar_version BIGINT;

-- One avatar per user: a 256×256 square and a 64×64 thumbnail, both in
-- `mime` (PNG when the picture has transparency, JPEG otherwise).
CREATE TABLE avatars (
    user_id     INTEGER PRIMARY KEY NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    version     BIGINT  NOT NULL,
    mime        TEXT    NOT NULL,
    image       BLOB    NOT NULL,
    thumbnail   BLOB    NOT NULL,
    updated_at  BIGINT  NOT NULL
);

-- A notification is stored once, whoever it is for: audience 1 = one user
-- (recipient_id), 2 = the holders of a role (role_id, role_name copied),
-- 3 = everyone. A role or everyone means accounts with an id up to
-- `up_to_user`, so an account made later does not get old announcements.
CREATE TABLE notifications (
    id           INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    sender_id    INTEGER REFERENCES users (id) ON DELETE SET NULL,
    audience     INTEGER NOT NULL,
    recipient_id INTEGER REFERENCES users (id) ON DELETE CASCADE,
    role_id      INTEGER,
    role_name    TEXT,
    up_to_user   BIGINT  NOT NULL,
    title        TEXT    NOT NULL,
    body         TEXT    NOT NULL,
    important    BOOLEAN NOT NULL,
    created_at   BIGINT  NOT NULL
);
CREATE INDEX notifications_recipient ON notifications (recipient_id, id);
CREATE INDEX notifications_audience ON notifications (audience, id);

-- Who has read what: a row per reader, written when they read it.
CREATE TABLE notification_reads (
    user_id         INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    notification_id INTEGER NOT NULL REFERENCES notifications (id) ON DELETE CASCADE,
    read_at         BIGINT  NOT NULL,
    PRIMARY KEY (user_id, notification_id)
) WITHOUT ROWID;

-- Events of everyone's stream (a profile changed, an announcement) have
-- no owner: `user_id` becomes nullable. SQLite cannot change a column's
-- constraint in place, so the table is rebuilt with its ids and its
-- AUTOINCREMENT position kept.
CREATE TABLE events_new (
    id          INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    -- NULL: an event of everyone's stream.
    user_id     INTEGER REFERENCES users (id) ON DELETE CASCADE,
    peer_id     INTEGER NOT NULL,
    kind        INTEGER NOT NULL,
    -- The message, notification or user the event is about.
    message_id  INTEGER NOT NULL,
    -- For read events: who read (user_id or peer_id).
    reader_id   INTEGER,
    created_at  BIGINT  NOT NULL
);
INSERT INTO events_new (id, user_id, peer_id, kind, message_id, reader_id, created_at)
    SELECT id, user_id, peer_id, kind, message_id, reader_id, created_at FROM events;
DELETE FROM sqlite_sequence WHERE name = 'events_new';
INSERT INTO sqlite_sequence (name, seq)
    SELECT 'events_new', seq FROM sqlite_sequence WHERE name = 'events';
DROP TABLE events;
ALTER TABLE events_new RENAME TO events;
CREATE INDEX events_user ON events (user_id, id);
