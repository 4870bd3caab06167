-- A message is its own event. From `messages_from` on, messages and
-- events are numbered from one sequence, and a new message stores no
-- event row: sync reads it from `messages` (its sender's and recipient's
-- streams through messages_sender and messages_recipient, a group's
-- through messages_group). Each message used to store one event row per
-- reader, three of the fourteen pages a commit wrote. Messages stored
-- before keep the event rows they have, and are not read twice: those
-- below `messages_from` are read through their events only.
CREATE TABLE event_streams (
    id            INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
    messages_from BIGINT  NOT NULL
);
INSERT INTO event_streams (id, messages_from)
SELECT 1, max(
    coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'events'), 0),
    coalesce((SELECT max(id) FROM messages), 0)
) + 1;
