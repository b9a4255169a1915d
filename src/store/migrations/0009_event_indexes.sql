-- Fewer indexes to keep up on every intake: the deadline scans read partial indexes that hold
-- only the events in the stage concerned; the category's index with the place serves both the
-- category filter and the duplicate search; a second (status, handle_due) index goes.
DROP INDEX events_status;
DROP INDEX events_category;
DROP INDEX events_accept_due;
DROP INDEX events_dispatch_due;
DROP INDEX events_handle_due;
CREATE INDEX events_status ON events(status);
CREATE INDEX events_accept_due ON events(accept_due) WHERE status = 'reported';
CREATE INDEX events_dispatch_due ON events(dispatch_due) WHERE status = 'accepted';
CREATE INDEX events_handle_due ON events(handle_due) WHERE status IN ('dispatched', 'in_progress');
