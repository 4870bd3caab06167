-- Messages stored since have no event rows; a build from before this
-- migration would not show them to sync. Going back is a restore.
DROP TABLE event_streams;
