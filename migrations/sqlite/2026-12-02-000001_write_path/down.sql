ALTER TABLE messages DROP COLUMN sender_event_id;
