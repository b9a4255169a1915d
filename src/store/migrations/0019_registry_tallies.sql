-- Running counts of the registry per grid, kept by triggers in the same transaction as every
-- write, so that the figures of a district or a city add up a few thousand rows instead of
-- counting millions: people by household type and state, rooms by use, households. The groups a
-- person is in carry the person's node path (kept by triggers too), so that a node's groups and
-- visits due are one range of one index. And indexes for the records collected or verified in a
-- period, and for searches by name.

CREATE TABLE registry_tallies (
    node_id BIGINT NOT NULL,
    node_path TEXT NOT NULL,
    kind TEXT NOT NULL,                   -- people, room, household
    key TEXT NOT NULL,                    -- people: household_type/state; room: room_use
    n BIGINT NOT NULL,
    PRIMARY KEY (node_id, kind, key)
);
CREATE INDEX registry_tallies_path ON registry_tallies(node_path {{text_pattern_ops}}, kind);

ALTER TABLE person_tags ADD COLUMN node_path TEXT;
UPDATE person_tags SET node_path = (SELECT p.node_path FROM people p WHERE p.id = person_tags.person_id);
CREATE INDEX person_tags_path ON person_tags(node_path {{text_pattern_ops}}, tag);
-- a name's prefix is one range of the index on PostgreSQL too, whatever the collation, and a
-- search within a scope reads only the index
DROP INDEX people_name;
--@sqlite
CREATE INDEX people_name ON people(name, node_path);
--@end
--@postgres
CREATE INDEX people_name ON people(name text_pattern_ops, node_path text_pattern_ops) INCLUDE (id);
--@end
-- a document found by its hash alone, whatever its type
CREATE INDEX people_id_number_hash ON people(id_number_hash);
CREATE INDEX people_collected ON people(collected_at, node_path);
CREATE INDEX people_verified ON people(verified_at, node_path);

INSERT INTO registry_tallies (node_id, node_path, kind, key, n)
    SELECT node_id, MIN(node_path), 'people', household_type || '/' || state, COUNT(*) FROM people
    GROUP BY node_id, household_type, state;
INSERT INTO registry_tallies (node_id, node_path, kind, key, n)
    SELECT node_id, MIN(node_path), 'room', COALESCE(room_use, 'unknown'), COUNT(*) FROM addresses
    WHERE level = 'room' AND node_id IS NOT NULL GROUP BY node_id, COALESCE(room_use, 'unknown');
INSERT INTO registry_tallies (node_id, node_path, kind, key, n)
    SELECT node_id, MIN(node_path), 'household', '', COUNT(*) FROM households GROUP BY node_id;

--@sqlite
CREATE TRIGGER people_tally_insert AFTER INSERT ON people BEGIN
    INSERT INTO registry_tallies (node_id, node_path, kind, key, n)
        VALUES (NEW.node_id, NEW.node_path, 'people', NEW.household_type || '/' || NEW.state, 1)
        ON CONFLICT (node_id, kind, key) DO UPDATE SET n = n + 1, node_path = excluded.node_path;
END;
CREATE TRIGGER people_tally_delete AFTER DELETE ON people BEGIN
    UPDATE registry_tallies SET n = n - 1 WHERE node_id = OLD.node_id AND kind = 'people'
        AND key = OLD.household_type || '/' || OLD.state;
END;
CREATE TRIGGER people_tally_update AFTER UPDATE OF node_id, node_path, household_type, state ON people
WHEN OLD.node_id <> NEW.node_id OR OLD.node_path <> NEW.node_path
    OR OLD.household_type <> NEW.household_type OR OLD.state <> NEW.state BEGIN
    UPDATE registry_tallies SET n = n - 1 WHERE node_id = OLD.node_id AND kind = 'people'
        AND key = OLD.household_type || '/' || OLD.state;
    INSERT INTO registry_tallies (node_id, node_path, kind, key, n)
        VALUES (NEW.node_id, NEW.node_path, 'people', NEW.household_type || '/' || NEW.state, 1)
        ON CONFLICT (node_id, kind, key) DO UPDATE SET n = n + 1, node_path = excluded.node_path;
    UPDATE person_tags SET node_path = NEW.node_path
        WHERE person_id = NEW.id AND OLD.node_path <> NEW.node_path;
END;
CREATE TRIGGER person_tags_path_insert AFTER INSERT ON person_tags BEGIN
    UPDATE person_tags SET node_path = (SELECT p.node_path FROM people p WHERE p.id = NEW.person_id)
        WHERE id = NEW.id;
END;
CREATE TRIGGER person_tags_path_update AFTER UPDATE OF person_id ON person_tags BEGIN
    UPDATE person_tags SET node_path = (SELECT p.node_path FROM people p WHERE p.id = NEW.person_id)
        WHERE id = NEW.id;
END;
CREATE TRIGGER rooms_tally_insert AFTER INSERT ON addresses
WHEN NEW.level = 'room' AND NEW.node_id IS NOT NULL BEGIN
    INSERT INTO registry_tallies (node_id, node_path, kind, key, n)
        VALUES (NEW.node_id, NEW.node_path, 'room', COALESCE(NEW.room_use, 'unknown'), 1)
        ON CONFLICT (node_id, kind, key) DO UPDATE SET n = n + 1, node_path = excluded.node_path;
END;
CREATE TRIGGER rooms_tally_delete AFTER DELETE ON addresses
WHEN OLD.level = 'room' AND OLD.node_id IS NOT NULL BEGIN
    UPDATE registry_tallies SET n = n - 1 WHERE node_id = OLD.node_id AND kind = 'room'
        AND key = COALESCE(OLD.room_use, 'unknown');
END;
CREATE TRIGGER rooms_tally_update AFTER UPDATE OF node_id, node_path, room_use ON addresses
WHEN NEW.level = 'room' BEGIN
    UPDATE registry_tallies SET n = n - 1 WHERE OLD.node_id IS NOT NULL AND node_id = OLD.node_id
        AND kind = 'room' AND key = COALESCE(OLD.room_use, 'unknown');
    INSERT INTO registry_tallies (node_id, node_path, kind, key, n)
        SELECT NEW.node_id, NEW.node_path, 'room', COALESCE(NEW.room_use, 'unknown'), 1
        WHERE NEW.node_id IS NOT NULL
        ON CONFLICT (node_id, kind, key) DO UPDATE SET n = n + 1, node_path = excluded.node_path;
END;
CREATE TRIGGER households_tally_insert AFTER INSERT ON households BEGIN
    INSERT INTO registry_tallies (node_id, node_path, kind, key, n)
        VALUES (NEW.node_id, NEW.node_path, 'household', '', 1)
        ON CONFLICT (node_id, kind, key) DO UPDATE SET n = n + 1, node_path = excluded.node_path;
END;
CREATE TRIGGER households_tally_delete AFTER DELETE ON households BEGIN
    UPDATE registry_tallies SET n = n - 1 WHERE node_id = OLD.node_id AND kind = 'household';
END;
CREATE TRIGGER households_tally_update AFTER UPDATE OF node_id, node_path ON households
WHEN OLD.node_id <> NEW.node_id OR OLD.node_path <> NEW.node_path BEGIN
    UPDATE registry_tallies SET n = n - 1 WHERE node_id = OLD.node_id AND kind = 'household';
    INSERT INTO registry_tallies (node_id, node_path, kind, key, n)
        VALUES (NEW.node_id, NEW.node_path, 'household', '', 1)
        ON CONFLICT (node_id, kind, key) DO UPDATE SET n = n + 1, node_path = excluded.node_path;
END;
--@end

--@postgres
CREATE FUNCTION registry_tally(p_node BIGINT, p_path TEXT, p_kind TEXT, p_key TEXT, p_by BIGINT)
RETURNS void LANGUAGE sql AS $$
    INSERT INTO registry_tallies (node_id, node_path, kind, key, n)
        VALUES (p_node, p_path, p_kind, p_key, p_by)
        ON CONFLICT (node_id, kind, key)
        DO UPDATE SET n = registry_tallies.n + p_by, node_path = EXCLUDED.node_path;
$$;
CREATE FUNCTION people_tally() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.node_id = NEW.node_id AND OLD.node_path = NEW.node_path
       AND OLD.household_type = NEW.household_type AND OLD.state = NEW.state THEN
        RETURN NULL;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM registry_tally(OLD.node_id, OLD.node_path, 'people',
                               OLD.household_type || '/' || OLD.state, -1);
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        PERFORM registry_tally(NEW.node_id, NEW.node_path, 'people',
                               NEW.household_type || '/' || NEW.state, 1);
    END IF;
    IF TG_OP = 'UPDATE' AND OLD.node_path <> NEW.node_path THEN
        UPDATE person_tags SET node_path = NEW.node_path WHERE person_id = NEW.id;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER people_tally AFTER INSERT OR DELETE OR UPDATE OF node_id, node_path, household_type, state
    ON people FOR EACH ROW EXECUTE FUNCTION people_tally();
CREATE FUNCTION person_tags_path() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.node_path := (SELECT p.node_path FROM people p WHERE p.id = NEW.person_id);
    RETURN NEW;
END $$;
CREATE TRIGGER person_tags_path BEFORE INSERT OR UPDATE OF person_id ON person_tags
    FOR EACH ROW EXECUTE FUNCTION person_tags_path();
CREATE FUNCTION rooms_tally() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.level = 'room' AND OLD.node_id IS NOT NULL THEN
        PERFORM registry_tally(OLD.node_id, OLD.node_path, 'room',
                               COALESCE(OLD.room_use, 'unknown'), -1);
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') AND NEW.level = 'room' AND NEW.node_id IS NOT NULL THEN
        PERFORM registry_tally(NEW.node_id, NEW.node_path, 'room',
                               COALESCE(NEW.room_use, 'unknown'), 1);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER rooms_tally AFTER INSERT OR DELETE OR UPDATE OF node_id, node_path, room_use
    ON addresses FOR EACH ROW EXECUTE FUNCTION rooms_tally();
CREATE FUNCTION households_tally() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.node_id = NEW.node_id AND OLD.node_path = NEW.node_path THEN
        RETURN NULL;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM registry_tally(OLD.node_id, OLD.node_path, 'household', '', -1);
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        PERFORM registry_tally(NEW.node_id, NEW.node_path, 'household', '', 1);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER households_tally AFTER INSERT OR DELETE OR UPDATE OF node_id, node_path
    ON households FOR EACH ROW EXECUTE FUNCTION households_tally();
--@end
