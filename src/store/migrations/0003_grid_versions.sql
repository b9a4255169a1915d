-- Versions of the grid tree: a node lives from valid_from until valid_to (NULL: current).
-- Splitting, merging and renumbering retire nodes and create their successors; the lineage table
-- says which node became which, so records routed to a retired grid keep it and can follow it.
-- Codes are never reused: a retired node keeps its code.

ALTER TABLE grid_nodes ADD COLUMN valid_from BIGINT NOT NULL DEFAULT 0;
ALTER TABLE grid_nodes ADD COLUMN valid_to BIGINT;
UPDATE grid_nodes SET valid_from = created_at;
CREATE INDEX grid_nodes_current ON grid_nodes(valid_to, level);

CREATE TABLE grid_lineage (
    id {{pk}},
    operation TEXT NOT NULL CHECK (operation IN ('split', 'merge', 'renumber', 'move')),
    predecessor_id BIGINT NOT NULL REFERENCES grid_nodes(id),
    successor_id BIGINT NOT NULL REFERENCES grid_nodes(id),
    at BIGINT NOT NULL,
    changed_by BIGINT REFERENCES users(id),
    reason TEXT
);
CREATE INDEX grid_lineage_predecessor ON grid_lineage(predecessor_id);
CREATE INDEX grid_lineage_successor ON grid_lineage(successor_id);

-- A counter per kind of shared state; each change bumps it in its own transaction, and every
-- gridgov process on the same database reloads its in-memory copy when the counter moves.
CREATE TABLE change_generations (
    topic TEXT PRIMARY KEY,
    generation BIGINT NOT NULL
);
INSERT INTO change_generations (topic, generation) VALUES ('grid', 0);
