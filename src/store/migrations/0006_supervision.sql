-- Supervision of deadlines: the stage an event was last warned about (most of its time used) and
-- found overdue in, so each warning is raised once even with several gridgov processes; how
-- often it was escalated; the leaders' supervision flag (督办).

ALTER TABLE events ADD COLUMN warned_stage TEXT;
ALTER TABLE events ADD COLUMN overdue_stage TEXT;
ALTER TABLE events ADD COLUMN escalations INTEGER NOT NULL DEFAULT 0;
ALTER TABLE events ADD COLUMN supervised SMALLINT NOT NULL DEFAULT 0;
CREATE INDEX events_accept_due ON events(status, accept_due);
CREATE INDEX events_dispatch_due ON events(status, dispatch_due);
CREATE INDEX events_handle_due ON events(status, handle_due);
