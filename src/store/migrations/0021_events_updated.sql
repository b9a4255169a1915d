-- The events changed since a moment: the live figures of every process read them four times a
-- second.
CREATE INDEX events_updated ON events(updated_at);
