-- The grid tree: nodes at six levels with unified codes, boundary versions with validity
-- periods, and the workers assigned to grids.

CREATE TABLE grid_nodes (
    id {{pk}},
    code TEXT NOT NULL UNIQUE,        -- statistical division code, + 3 digits for a grid, + 2 for a micro-grid
    name TEXT NOT NULL,
    level SMALLINT NOT NULL CHECK (level BETWEEN 1 AND 6),
    parent_id BIGINT REFERENCES grid_nodes(id),
    path TEXT NOT NULL,               -- ids from the root, "/1/5/17/": a subtree is a path prefix
    kind TEXT CHECK (kind IN ('comprehensive', 'dedicated')),  -- grids and micro-grids only
    subtype TEXT CHECK (subtype IN ('school', 'hospital', 'market', 'park', 'industrial_park',
                                    'building_complex', 'other')),
    households INTEGER,
    population INTEGER,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX grid_nodes_parent ON grid_nodes(parent_id);
CREATE INDEX grid_nodes_path ON grid_nodes(path {{text_pattern_ops}});
CREATE INDEX grid_nodes_name ON grid_nodes(name);

CREATE TABLE grid_boundaries (
    id {{pk}},
    node_id BIGINT NOT NULL REFERENCES grid_nodes(id),
    geometry TEXT NOT NULL,           -- GeoJSON Polygon or MultiPolygon, WGS84
    area_m2 DOUBLE PRECISION NOT NULL,
    min_lon DOUBLE PRECISION NOT NULL,
    min_lat DOUBLE PRECISION NOT NULL,
    max_lon DOUBLE PRECISION NOT NULL,
    max_lat DOUBLE PRECISION NOT NULL,
    valid_from BIGINT NOT NULL,
    valid_to BIGINT,                  -- NULL: the current boundary
    changed_by BIGINT REFERENCES users(id),
    reason TEXT
);
CREATE INDEX grid_boundaries_node ON grid_boundaries(node_id, valid_from);
CREATE INDEX grid_boundaries_current ON grid_boundaries(valid_to, node_id);

CREATE TABLE grid_workers (
    node_id BIGINT NOT NULL REFERENCES grid_nodes(id),
    user_id BIGINT NOT NULL REFERENCES users(id),
    duty TEXT NOT NULL CHECK (duty IN ('full_time', 'part_time', 'head')),
    since BIGINT NOT NULL,
    PRIMARY KEY (node_id, user_id)
);
CREATE INDEX grid_workers_user ON grid_workers(user_id);
