-- Each message remembers its sender's event, so that a retried send (the
-- same client id again) finds what to answer with one seek of the
-- (sender_id, client_id) index instead of a scan of the sender's events,
-- however long their history.
ALTER TABLE messages ADD COLUMN sender_event_id INTEGER;

-- Filled in for the messages stored before, through an index that lives
-- only as long as this migration.
CREATE INDEX events_message_backfill ON events (message_id, user_id) WHERE kind = 1;
UPDATE messages SET sender_event_id = (
    SELECT id FROM events
    WHERE kind = 1 AND message_id = messages.id AND user_id = messages.sender_id
);
DROP INDEX events_message_backfill;
