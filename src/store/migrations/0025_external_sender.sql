-- An external id is the id of a case in the system that sent it: unique per channel and per
-- sender (an API key, an account, or the public), so that one sender can neither find nor squat
-- another's case number. Events already in keep the sender of their report action.
ALTER TABLE events ADD COLUMN external_sender TEXT;
UPDATE events SET external_sender = COALESCE((
    SELECT CASE a.actor_kind WHEN 'user' THEN 'user:' || CAST(a.actor_id AS TEXT)
                             WHEN 'api_key' THEN 'key:' || CAST(a.actor_id AS TEXT)
                             ELSE 'public' END
    FROM event_actions a WHERE a.event_id = events.id AND a.seq = 1), 'public')
WHERE external_id IS NOT NULL;
DROP INDEX events_channel_external;
CREATE UNIQUE INDEX events_channel_sender_external ON events(channel, external_sender, external_id)
    WHERE external_id IS NOT NULL;
