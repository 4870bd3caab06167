DROP TABLE events;
DROP TABLE conversations;
DROP TABLE messages;
DROP TABLE attachments;
ALTER TABLE users DROP COLUMN last_seen_at;
