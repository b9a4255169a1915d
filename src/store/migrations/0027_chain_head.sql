-- The action chain anchored on the event: the row keeps the hash of its last action (the head),
-- so that removing the last actions, or all of them, shows; each action says which version of
-- the chain's hash it carries (1: SHA-256 of the fields, as written before; 2: an HMAC under a
-- key derived from the key file, over every field, the actor's role and name among them).
ALTER TABLE event_actions ADD COLUMN chain_version SMALLINT NOT NULL DEFAULT 1;
ALTER TABLE events ADD COLUMN chain_head TEXT;
UPDATE events SET chain_head = (SELECT a.hash FROM event_actions a WHERE a.event_id = events.id
                                ORDER BY a.seq DESC LIMIT 1);
-- Version 1 is accepted only for the actions written before this version: a chain written
-- later as version 1 (plain SHA-256, which anyone can compute) is a forgery.
CREATE TABLE chain_legacy (max_action_id BIGINT NOT NULL);
INSERT INTO chain_legacy (max_action_id) SELECT COALESCE(MAX(id), 0) FROM event_actions;
