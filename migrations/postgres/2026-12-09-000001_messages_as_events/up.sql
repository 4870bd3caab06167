-- A message is its own event (see the SQLite migration of the same name).
CREATE TABLE event_streams (
    id            INTEGER PRIMARY KEY CHECK (id = 1),
    messages_from BIGINT  NOT NULL
);
INSERT INTO event_streams (id, messages_from)
SELECT 1, GREATEST(
    (SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END FROM events_id_seq),
    (SELECT coalesce(max(id), 0) FROM messages)
) + 1;
