-- On PostgreSQL the people added by one statement (an import writes hundreds at a time) are
-- counted once per statement, from the rows the statement inserted, instead of one trigger call
-- per person. Edits, moves and removals keep the row trigger.
--@postgres
DROP TRIGGER people_tally ON people;
CREATE TRIGGER people_tally AFTER DELETE OR UPDATE OF node_id, node_path, household_type, state
    ON people FOR EACH ROW EXECUTE FUNCTION people_tally();
CREATE FUNCTION people_tally_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO registry_tallies (node_id, node_path, kind, key, n)
        SELECT node_id, MIN(node_path), 'people', household_type || '/' || state, COUNT(*)
        FROM added GROUP BY node_id, household_type, state
        ON CONFLICT (node_id, kind, key)
        DO UPDATE SET n = registry_tallies.n + EXCLUDED.n, node_path = EXCLUDED.node_path;
    RETURN NULL;
END $$;
CREATE TRIGGER people_tally_added AFTER INSERT ON people REFERENCING NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION people_tally_added();
--@end
