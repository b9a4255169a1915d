-- Extensions of an assignment's deadline (延期): a department asks for more working hours with a
-- reason; the centre grants or refuses. And how often a closed case was reopened.

ALTER TABLE event_assignments ADD COLUMN extension_hours DOUBLE PRECISION;  -- asked, pending
ALTER TABLE event_assignments ADD COLUMN extension_reason TEXT;
ALTER TABLE event_assignments ADD COLUMN extensions INTEGER NOT NULL DEFAULT 0;  -- granted
ALTER TABLE events ADD COLUMN reopened INTEGER NOT NULL DEFAULT 0;
